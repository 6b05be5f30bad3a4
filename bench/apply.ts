/**
 * Wall time to apply N new profiles through the real Pulumi CLI against an emulator with a fixed
 * latency, paced by `kaleyra:maxConcurrency`, with and without injected 429s, compared with the
 * ideal.
 */
import * as path from "node:path";

import { ProfilesStack } from "../tools/cli/profiles-stack";
import { makeProfiles, numberAt } from "../tools/programs/profiles/profiles";
import { EmulatorProcess } from "./emulator-process";
import { int, ms, ratio, table } from "./format";
import type { BenchSection } from "./section";

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
    /** Whether the `up` exited 0. */
    readonly ok: boolean;
    /** Requests answered 200 (must be `n`). */
    readonly okPuts: number;
    /** Requests answered 429. */
    readonly rateLimited: number;
    /** From the first request's arrival to the last one's answer (last arrival + latency), ms. */
    readonly putPhaseMs: number;
    /** The whole `up` (program, host start, checks, PUTs, state writes), ms. */
    readonly upMs: number;
    /** The ideal PUT phase: `ceil(n / concurrency) × latency`, ms. */
    readonly idealMs: number;
    /** Time within the PUT phase with no request in flight, ms. */
    readonly idleMs: number;
}

/** The scenarios of a full run. */
export const APPLY_SCENARIOS: readonly ApplyScenario[] = [
    { n: 100, latencyMs: 50, concurrency: 8, rateLimitProbability: 0, retryAfterSeconds: 0 },
    { n: 500, latencyMs: 50, concurrency: 8, rateLimitProbability: 0, retryAfterSeconds: 0 },
    { n: 100, latencyMs: 50, concurrency: 8, rateLimitProbability: 0.05, retryAfterSeconds: 1 },
    { n: 500, latencyMs: 50, concurrency: 8, rateLimitProbability: 0.05, retryAfterSeconds: 1 },
    { n: 500, latencyMs: 50, concurrency: 8, rateLimitProbability: 0.1, retryAfterSeconds: 0 },
];

/** The ideal PUT phase of a scenario. */
export function idealMs(s: ApplyScenario): number {
    return Math.ceil(s.n / s.concurrency) * s.latencyMs;
}

/** Time with nothing in flight: the sum over consecutive arrivals of `max(0, gap − latency)`; `arrivals` sorted. */
export function idleMs(arrivals: readonly number[], latencyMs: number): number {
    let idle = 0;
    for (let i = 1; i < arrivals.length; i++) idle += Math.max(0, arrivals[i] - arrivals[i - 1] - latencyMs);
    return idle;
}

/** Runs one scenario on a fresh emulator (seeded) and a fresh stack. */
export async function runApply(s: ApplyScenario, dir: string, seed = 42): Promise<ApplyFigures> {
    const emulator = await EmulatorProcess.start({
        numbers: Array.from({ length: s.n }, (_, i) => numberAt(i)),
        latencyMs: s.latencyMs,
        rateLimit: s.rateLimitProbability > 0 ? s.rateLimitProbability : undefined,
        retryAfterSeconds: s.rateLimitProbability > 0 ? s.retryAfterSeconds : undefined,
        seed,
    });
    try {
        const label = `apply-${s.n}-c${s.concurrency}-rl${s.rateLimitProbability}`;
        const stack = await ProfilesStack.open(path.join(dir, label), emulator, {
            "kaleyra:maxConcurrency": String(s.concurrency),
            "kaleyra:maxRetries": "10",
            "kaleyra:retryTimeoutMs": "600000",
        });
        stack.declare(makeProfiles(s.n));
        await emulator.clearRequests();
        const result = await stack.ws.up(stack.stack, { parallel: Math.max(16, s.concurrency * 2), allowFailure: true });
        const requests = await emulator.kaleyraRequests();
        const arrivals = requests.map((r) => Date.parse(r.at)).sort((a, b) => a - b);
        return {
            ...s,
            ok: result.code === 0,
            okPuts: requests.filter((r) => r.status === 200).length,
            rateLimited: requests.filter((r) => r.status === 429).length,
            putPhaseMs: arrivals.length > 0 ? arrivals[arrivals.length - 1] - arrivals[0] + s.latencyMs : 0,
            upMs: result.durationMs,
            idealMs: idealMs(s),
            idleMs: idleMs(arrivals, s.latencyMs),
        };
    } finally {
        await emulator.close();
    }
}

/** The section's table. */
export function renderApply(figures: readonly ApplyFigures[]): string {
    const rows = figures.map((a) => [
        int(a.n),
        `${a.latencyMs} ms`,
        String(a.concurrency),
        a.rateLimitProbability > 0 ? `${(a.rateLimitProbability * 100).toFixed(0)}%, Retry-After ${a.retryAfterSeconds} s` : "none",
        `${int(a.okPuts)} / ${int(a.rateLimited)}${a.ok && a.okPuts === a.n ? "" : " ⚠"}`,
        ms(a.putPhaseMs),
        ms(a.idealMs),
        ratio(a.putPhaseMs / a.idealMs),
        ms(a.idleMs),
        ms(a.upMs),
    ]);
    return table(
        ["N", "latency", "maxConcurrency", "429s injected", "PUTs 200 / 429", "PUT phase", "ideal", "PUT phase / ideal", "nothing in flight", "whole `up`"],
        rows,
        ["r", "r", "r", "l", "r", "r", "r", "r", "r", "r"],
    );
}

const TITLE = "Wall time to apply N new profiles, real Pulumi CLI";

/** The section: every scenario in a full run, the first one with N = 50 in quick mode. */
export const applySection: BenchSection = {
    id: "apply",
    title: TITLE,
    needsCli: true,
    async run(ctx) {
        const scenarios = ctx.quick ? [{ ...APPLY_SCENARIOS[0], n: 50 }] : APPLY_SCENARIOS;
        const figures: ApplyFigures[] = [];
        for (const s of scenarios) {
            ctx.progress(`apply: ${s.n} profiles, latency ${s.latencyMs} ms, 429s ${s.rateLimitProbability}`);
            figures.push(await runApply(s, path.join(ctx.tmp, "apply")));
        }
        const bad = figures.filter((f) => !f.ok || f.okPuts !== f.n);
        return {
            markdown: [
                `### ${TITLE}`,
                "",
                "New stacks of N profiles (`pulumi up --parallel max(16, 2 × maxConcurrency)`) against an emulator in its own process with a",
                "fixed latency per request. *PUT phase* runs from the first request's arrival to the last one's answer. *Ideal*:",
                "`ceil(N / maxConcurrency) × latency` — every slot busy all the time, each profile sent once, no 429 — so for the rows",
                "with injected 429s (seeded: the same count every run) the ratio includes what rate limiting costs. *Nothing in flight*",
                "is the part of the PUT phase with no request outstanding: for the 429 rows, the account-wide pauses. *Whole `up`* adds",
                "the program, the host, the checks and the engine's state writes (which grow with N², see the floor section).",
                "",
                renderApply(figures),
            ].join("\n"),
            failure: bad.length > 0 ? `apply: ${bad.length} scenario(s) failed or did not make exactly N successful PUTs` : undefined,
        };
    },
};
