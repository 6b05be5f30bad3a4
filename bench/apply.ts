/**
 * Wall time to apply N new profiles against an emulator with a fixed latency, paced by
 * `kaleyra:maxConcurrency`, with and without injected 429s, compared with the ideal.
 */
import * as path from "node:path";

import { FaultSettings, startEmulator } from "../provider/emulator";
import { makeProfiles, numberAt } from "../tools/programs/profiles/profiles";
import { BenchStack } from "./stack";

/** One apply scenario. */
export interface ApplyScenario {
    /** Profiles created. */
    readonly n: number;
    /** Latency the emulator adds to every request, ms. */
    readonly latencyMs: number;
    /** `kaleyra:maxConcurrency`. */
    readonly concurrency: number;
    /** Probability of a 429 per request (0: none). */
    readonly rateLimitProbability: number;
    /** `Retry-After` seconds sent with those 429s. */
    readonly retryAfterSeconds: number;
}

/** What one scenario measured. */
export interface ApplyFigures extends ApplyScenario {
    /** Requests answered 200 (must be `n`). */
    readonly okPuts: number;
    /** Requests answered 429. */
    readonly rateLimited: number;
    /** From the first request's arrival to the last one's answer (last arrival + latency), ms. */
    readonly putPhaseMs: number;
    /** The whole `up` (program, host start, checks, PUTs, state), ms. */
    readonly upMs: number;
    /**
     * The ideal PUT phase, ms: `ceil(n / concurrency) × latency`, every slot busy all the time and
     * no 429 (so for the rows with 429s, the ratio includes what they cost).
     */
    readonly idealMs: number;
    /**
     * Time within the PUT phase with no request in flight, ms: the sum over consecutive arrivals of
     * `max(0, gap − latency)` (each request takes `latency`). With 429s this is the account-wide pauses.
     */
    readonly idleMs: number;
}

/** The scenarios of the report. */
export const APPLY_SCENARIOS: readonly ApplyScenario[] = [
    { n: 100, latencyMs: 50, concurrency: 8, rateLimitProbability: 0, retryAfterSeconds: 0 },
    { n: 500, latencyMs: 50, concurrency: 8, rateLimitProbability: 0, retryAfterSeconds: 0 },
    { n: 100, latencyMs: 50, concurrency: 8, rateLimitProbability: 0.05, retryAfterSeconds: 1 },
    { n: 500, latencyMs: 50, concurrency: 8, rateLimitProbability: 0.05, retryAfterSeconds: 1 },
    { n: 500, latencyMs: 50, concurrency: 8, rateLimitProbability: 0.1, retryAfterSeconds: 0 },
];

/** The ideal PUT phase of a scenario (see {@link ApplyFigures.idealMs}). */
export function idealMs(s: ApplyScenario): number {
    return Math.ceil(s.n / s.concurrency) * s.latencyMs;
}

/** Time with nothing in flight (see {@link ApplyFigures.idleMs}); `arrivals` sorted. */
export function idleMs(arrivals: readonly number[], latencyMs: number): number {
    let idle = 0;
    for (let i = 1; i < arrivals.length; i++) idle += Math.max(0, arrivals[i] - arrivals[i - 1] - latencyMs);
    return idle;
}

/** Run one scenario on a fresh emulator (seeded) and a fresh stack. */
export async function runApply(s: ApplyScenario, dir: string, seed = 42): Promise<ApplyFigures> {
    const faults: FaultSettings = { latencyMs: s.latencyMs, rateLimitProbability: s.rateLimitProbability, retryAfterSeconds: s.retryAfterSeconds };
    const emulator = await startEmulator({ numbers: Array.from({ length: s.n }, (_, i) => numberAt(i)), seed, quiet: true, faults });
    try {
        const label = `apply-${s.n}-c${s.concurrency}-rl${s.rateLimitProbability}`;
        const stack = new BenchStack(emulator, path.join(dir, label), {
            "kaleyra:maxConcurrency": String(s.concurrency),
            "kaleyra:maxRetries": "10",
            "kaleyra:retryTimeoutMs": "600000",
        });
        stack.declare(makeProfiles(s.n));
        const m = await stack.run("up", { parallel: Math.max(16, s.concurrency * 2) });
        if (!m.result.ok) throw new Error(`apply of ${s.n} failed: ${m.result.errors.slice(0, 3).join("; ")}`);
        const statuses = emulator.kaleyraRequests().map((r) => r.status);
        const rateLimited = statuses.filter((x) => x === 429).length;
        const arrivals = [...m.arrivals].sort((a, b) => a - b);
        return {
            ...s,
            okPuts: m.okPuts,
            rateLimited,
            putPhaseMs: arrivals[arrivals.length - 1] - arrivals[0] + s.latencyMs,
            upMs: m.result.durationMs,
            idealMs: idealMs(s),
            idleMs: idleMs(arrivals, s.latencyMs),
        };
    } finally {
        await emulator.close();
    }
}
