/**
 * Pacing per Kaleyra account: at most N requests in flight per endpoint and SID across the
 * whole provider process (the engine runs many resources at once in one process), and a shared
 * pause when the server signals a rate limit, so every request slows down, not just the one
 * that was told to.
 *
 * This module's state is process-wide on purpose. It is loaded with `require` by the runtime
 * entry point, never serialized into `__provider`, so one instance serves every resource.
 */

import pLimit from "p-limit";

/** A gate for one endpoint + SID. */
export interface Gate {
    /** Run `task` when a slot is free and no rate-limit pause is in force. */
    run<T>(task: () => Promise<T>): Promise<T>;
    /** Hold every request on this gate until `ms` from now (extends, never shortens, a pause). */
    pause(ms: number): void;
    /** Requests running now. */
    readonly active: number;
    /** Requests waiting for a slot. */
    readonly pending: number;
}

/** The longest a rate-limit pause may hold an account, whatever the server said. */
export const MAX_PAUSE_MS = 10 * 60_000;

const sleep = (ms: number) => new Promise<void>((resolve) => setTimeout(resolve, ms));

function createGate(concurrency: number): Gate {
    const limit = pLimit(concurrency);
    let pausedUntil = 0;
    const waitForPause = async () => {
        for (let wait = pausedUntil - Date.now(); wait > 0; wait = pausedUntil - Date.now()) await sleep(wait);
    };
    return {
        run: (task) =>
            limit(async () => {
                await waitForPause();
                return task();
            }),
        pause(ms) {
            if (Number.isFinite(ms) && ms > 0) pausedUntil = Math.max(pausedUntil, Date.now() + Math.min(ms, MAX_PAUSE_MS));
        },
        get active() {
            return limit.activeCount;
        },
        get pending() {
            return limit.pendingCount;
        },
    };
}

const gates = new Map<string, Gate>();

/**
 * The process-wide gate for an endpoint + SID. The first caller's concurrency wins; a later,
 * different value (say after a config change in the same process) gets a gate of its own.
 */
export function gateFor(endpoint: string, sid: string, concurrency: number): Gate {
    const id = `${endpoint}\u0000${sid}\u0000${concurrency}`;
    let gate = gates.get(id);
    if (!gate) {
        gate = createGate(concurrency);
        gates.set(id, gate);
    }
    return gate;
}
