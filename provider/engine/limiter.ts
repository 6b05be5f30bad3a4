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

import { sleep } from "./sleep";

/** A request gave up waiting at the gate: its deadline came, or a pause outlasts it. */
export class GateDeadlineError extends Error {
    constructor(
        /** What it waited for: a free slot, or the end of a rate-limit pause. */
        readonly waitingFor: "slot" | "pause",
        /** How long it waited, in ms. */
        readonly waitedMs: number,
        /** For a pause: how much of it was still to run when the request gave up, in ms. */
        readonly pauseLeftMs = 0,
    ) {
        super(waitingFor === "slot" ? `no request slot came free within ${waitedMs} ms` : `the account is paused for another ${pauseLeftMs} ms`);
        this.name = "GateDeadlineError";
    }
}

/** A gate for one endpoint + SID. */
export interface Gate {
    /**
     * Run `task` when a slot is free and no rate-limit pause is in force. With a `deadline` (ms
     * since the epoch), time spent waiting counts against it: the call rejects with
     * {@link GateDeadlineError} when the deadline comes before the task could start, or at once
     * when a pause in force lasts past it. A task that started is not interrupted (it bounds
     * itself). An abandoned request gives its place back without running.
     */
    run<T>(task: () => Promise<T>, deadline?: number): Promise<T>;
    /** Hold every request on this gate until `ms` from now (extends, never shortens, a pause). */
    pause(ms: number): void;
    /** Requests running now. */
    readonly active: number;
    /** Requests waiting for a slot. */
    readonly pending: number;
}

/** The longest a rate-limit pause may hold an account, whatever the server said. */
export const MAX_PAUSE_MS = 10 * 60_000;

function createGate(concurrency: number): Gate {
    const limit = pLimit(concurrency);
    let pausedUntil = 0;
    return {
        run<T>(task: () => Promise<T>, deadline = Infinity): Promise<T> {
            const queuedAt = Date.now();
            let settled = false;
            return new Promise<T>((resolve, reject) => {
                const giveUp = (error: GateDeadlineError) => {
                    if (settled) return;
                    settled = true;
                    clearTimeout(timer);
                    reject(error);
                };
                const timer = Number.isFinite(deadline)
                    ? setTimeout(() => giveUp(new GateDeadlineError("slot", Date.now() - queuedAt)), Math.max(0, deadline - queuedAt))
                    : undefined;
                limit(async () => {
                    for (let wait = pausedUntil - Date.now(); wait > 0 && !settled; wait = pausedUntil - Date.now()) {
                        if (pausedUntil >= deadline) return giveUp(new GateDeadlineError("pause", Date.now() - queuedAt, wait));
                        await sleep(wait);
                    }
                    if (settled) return; // the caller gave up while this waited: free the slot at once
                    settled = true;
                    clearTimeout(timer);
                    await task().then(resolve, reject);
                }).catch(reject);
            });
        },
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
