/**
 * The fault scenarios of `npm run bench` that take longer than `npm test` allows: bad minutes with
 * a few hundred profiles and about 25% of PUTs faulted, and parallelism (`--parallel` 1, the
 * default, 64; `kaleyra:maxConcurrency` 8 and 3) — the scenarios of tools/cli/scale-scenarios.ts
 * (tests/cli-scale.test.ts runs them small), through the real Pulumi CLI against the emulator.
 * Each scenario asserts its invariants; a broken one is reported as FAILED with its message, and
 * `npm run bench` (or `tsx bench/real-engine-faults.ts` alone) then exits non-zero.
 */
import * as fs from "node:fs";
import * as os from "node:os";
import * as path from "node:path";

import { DEFAULTS } from "../provider/engine/config";
import { BAD_MINUTES_FAULTS, BAD_MINUTES_SETTINGS, badMinutes, parallelism, type BadMinutesFigures, type ParallelFigure } from "../tools/cli/scale-scenarios";
import { findPulumi } from "../tools/cli";
import { ms } from "./format";
import type { BenchSection } from "./section";

const TITLE = "Faults and parallelism through the real Pulumi CLI";

/** Profiles in bad minutes. */
export const BAD_MINUTES_N = 250;
/** Profiles in each parallelism run. */
export const PARALLEL_N = 200;
/** Latency the emulator adds to each PUT in the parallelism runs. */
export const PARALLEL_LATENCY_MS = 50;
/** The parallelism runs, in order. */
export const PARALLEL_RUNS = [{ parallel: 1 }, {}, { parallel: 64 }, { parallel: 64, maxConcurrency: 3 }] as const;

/** A scenario's outcome: its figures, or the invariant that broke. */
export type Outcome<T> = { readonly ok: true; readonly figures: T } | { readonly ok: false; readonly error: string };

/** What {@link runFaultScenarios} measured. */
export interface FaultScenarioResults {
    readonly badMinutes: Outcome<BadMinutesFigures>;
    readonly parallelism: Outcome<ParallelFigure[]>;
}

async function outcome<T>(run: () => Promise<T>): Promise<Outcome<T>> {
    try {
        return { ok: true, figures: await run() };
    } catch (e) {
        return { ok: false, error: e instanceof Error ? e.message : String(e) };
    }
}

/** Runs both scenarios in `tmp`. */
export async function runFaultScenarios(tmp: string, progress: (line: string) => void): Promise<FaultScenarioResults> {
    progress(`real engine: bad minutes, N = ${BAD_MINUTES_N}`);
    const bad = await outcome(() => badMinutes({ n: BAD_MINUTES_N, dir: path.join(tmp, "bad-minutes"), seed: 1, progress }));
    progress(`real engine: parallelism, N = ${PARALLEL_N}`);
    const par = await outcome(() => parallelism({ n: PARALLEL_N, dir: path.join(tmp, "parallelism"), runs: PARALLEL_RUNS, latencyMs: PARALLEL_LATENCY_MS, progress }));
    return { badMinutes: bad, parallelism: par };
}

/** Whether every scenario held. */
export function allPassed(r: FaultScenarioResults): boolean {
    return r.badMinutes.ok && r.parallelism.ok;
}

function verdict(o: Outcome<unknown>): string {
    return o.ok ? "**PASSED**" : `**FAILED**: ${o.error.split("\n").slice(0, 6).join(" ").slice(0, 600)}`;
}

function percent(p: number | undefined): string {
    return `${Math.round((p ?? 0) * 100)}%`;
}

/** The section's Markdown. */
export function renderFaultScenarios(r: FaultScenarioResults): string {
    const f = BAD_MINUTES_FAULTS;
    const lines = [
        `### ${TITLE}`,
        "",
        "The scenarios of tools/cli/scale-scenarios.ts (bench/real-engine-faults.ts; tests/e2e/cli-scale.test.ts runs them with",
        "60 and 30 profiles in `npm test`). Each asserts its invariants; FAILED means one broke (and `npm run bench` exits non-zero).",
        "",
        `**Bad minutes**, N = ${BAD_MINUTES_N}: ${verdict(r.badMinutes)}. The emulator faults PUTs at random (seed 1): 429 with`,
        `Retry-After ${f.retryAfterSeconds} s: ${percent(f.rateLimitProbability)}; 5xx: ${percent(f.serverErrorProbability)}; dropped connection: ${percent(f.dropProbability)}; hung connection:`,
        `${percent(f.hangProbability)} (25% in all). Provider settings: ${Object.entries(BAD_MINUTES_SETTINGS).map(([k, v]) => `\`${k}\` ${v}`).join(", ")}`,
        `(a hung PUT is cut after ${BAD_MINUTES_SETTINGS["kaleyra:timeoutMs"]} ms and retried), the default \`kaleyra:retryTimeoutMs\` (${DEFAULTS.retryTimeoutMs / 1000} s). \`pulumi up\` runs again,`,
        "as a pipeline would, until it exits 0 (3 at most). Asserted: the state is the program (no pending operation, each",
        "resource once), the emulator holds every profile, each number got exactly one successful PUT, every other PUT",
        "was an injected fault, as many of each kind as the seeded generator (replayed) injected, and PUTs in all = N + faulted.",
        "",
    ];
    if (r.badMinutes.ok) {
        const b = r.badMinutes.figures;
        lines.push(
            "| up | exit | failed resources | PUTs | wall |",
            "| ---: | ---: | ---: | ---: | ---: |",
            ...b.ups.map((u, i) => `| ${i + 1} | ${u.code} | ${u.failedSteps} | ${u.puts} | ${ms(u.durationMs)} |`),
            "",
            `PUTs in all: **${b.puts}** = ${b.succeeded} successful (N) + ${b.puts - b.succeeded} faulted: 429 ${b.faulted.rateLimited}, 5xx ${b.faulted.serverError},`,
            `dropped or hung ${b.faulted.noAnswer} (the generator injected ${b.injected.rateLimited} / ${b.injected.serverError} / ${b.injected.noAnswer}).`,
            "",
        );
    }
    lines.push(
        `**Parallelism**, N = ${PARALLEL_N}: ${verdict(r.parallelism)}. Each run: a new stack and a new emulator adding ${PARALLEL_LATENCY_MS} ms`,
        "to each PUT, one `pulumi up`. Asserted: the state is the program, every run leaves the emulator with the same profiles,",
        "N PUTs, one successful PUT per number, and the most PUTs open at once at the emulator (`peakInFlight`, counted from",
        "arrival until the answer is sent) ≤ `kaleyra:maxConcurrency` — and exactly 1 with `--parallel 1`.",
        "",
    );
    if (r.parallelism.ok) {
        lines.push(
            "| `--parallel` | `kaleyra:maxConcurrency` | PUTs | most in flight | wall |",
            "| --- | ---: | ---: | ---: | ---: |",
            ...r.parallelism.figures.map(
                (p) => `| ${p.parallel ?? "default"} | ${p.maxConcurrency ?? `${DEFAULTS.maxConcurrency} (default)`} | ${p.puts} | ${p.peakInFlight} | ${ms(p.durationMs)} |`,
            ),
        );
    }
    return lines.join("\n");
}

/** The section: both scenarios; left out in quick mode and with `BENCH_REAL_ENGINE_FAULTS=0`. */
export const faultsSection: BenchSection = {
    id: "faults",
    title: TITLE,
    needsCli: true,
    async run(ctx) {
        if (ctx.quick || ctx.env.BENCH_REAL_ENGINE_FAULTS === "0") {
            return { markdown: `### ${TITLE}\n\nNot run this time (${ctx.quick ? "quick mode" : "`BENCH_REAL_ENGINE_FAULTS=0`"}).` };
        }
        const results = await runFaultScenarios(path.join(ctx.tmp, "faults"), ctx.progress);
        return {
            markdown: renderFaultScenarios(results),
            failure: allPassed(results) ? undefined : "a real-engine fault scenario broke its invariants",
        };
    },
};

async function main(): Promise<void> {
    const cli = findPulumi();
    if (!cli.available) throw new Error(`the real Pulumi CLI is needed: ${cli.reason}`);
    const tmp = fs.mkdtempSync(path.join(os.tmpdir(), "kaleyra-bench-faults-"));
    try {
        const results = await runFaultScenarios(tmp, (l) => process.stderr.write(`bench: ${l}\n`));
        process.stdout.write(`${renderFaultScenarios(results)}\n`);
        if (!allPassed(results)) process.exitCode = 1;
    } finally {
        fs.rmSync(tmp, { recursive: true, force: true });
    }
}

if (require.main === module) {
    main().catch((error: unknown) => {
        process.stderr.write(`bench failed: ${error instanceof Error ? (error.stack ?? error.message) : String(error)}\n`);
        process.exitCode = 1;
    });
}
