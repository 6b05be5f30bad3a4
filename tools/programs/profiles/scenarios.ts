/**
 * Two scenarios of the profiles program under the real Pulumi CLI at scale, shared by
 * tests/e2e/cli-scale.test.ts (small N, in `npm test`, through tests/helpers/cli-scale.ts) and the
 * bench (bench/real-engine-faults.ts, a few hundred profiles). Here, outside tests/, so that the
 * bench loads nothing of the tests' helpers. Each asserts its invariants (node:assert; a broken one
 * throws) and returns its figures:
 *
 * - {@link badMinutes}: `pulumi up` of N new profiles while the emulator injects seeded faults
 *   (429 with Retry-After, 5xx, dropped and hung connections), repeated as a pipeline would until
 *   it exits 0. Then: the stack is the program, the emulator holds the profiles, every number got
 *   exactly one successful PUT, and every other PUT was an injected fault — as many as the seeded
 *   generator, replayed here for the number of requests received, says were injected.
 * - {@link parallelism}: the same N profiles into a new stack and a new emulator once per run
 *   (`--parallel` and `kaleyra:maxConcurrency` per run): every run converges to the same profiles
 *   with N PUTs, and the requests open at once at the emulator never exceed `kaleyra:maxConcurrency`.
 */
import { strict as assert } from "node:assert";
import * as path from "node:path";

import { DEFAULTS } from "../../../provider/engine/config";
import { startEmulator, type FaultSettings, type NumberProfile, type RequestLogEntry, type RunningEmulator } from "../../../provider/emulator";
import { FaultInjector } from "../../../provider/emulator/faults";
import { ProfilesStack, countBy, kaleyraProfile, names, waNumberOf } from "../../cli/profiles-stack";
import { makeProfiles, type ProfileSpec } from "./profiles";

/** The emulator holds exactly each spec's profile. */
export function assertConverged(emulator: RunningEmulator, specs: readonly ProfileSpec[]): void {
    const profiles = emulator.profiles();
    for (const spec of specs) assert.deepEqual(profiles[spec.args.waNumber], kaleyraProfile(spec.args), spec.name);
}

/** The stack's state is the program: no pending operation, every resource once, real ids. */
export async function assertStateIsProgram(stack: ProfilesStack, specs: readonly ProfileSpec[]): Promise<void> {
    const state = await stack.exported();
    assert.deepEqual(state.pending, [], "pending operations left in state");
    const recorded = names(state.profiles);
    assert.equal(new Set(recorded).size, recorded.length, "a resource is recorded twice");
    assert.deepEqual([...recorded].sort(), specs.map((s) => s.name).sort(), "the state's resources are not the program's");
    for (const r of state.profiles) assert.ok(r.id && r.id.startsWith("+91987"), `${r.urn} has id ${r.id}`);
}

/** About 25% of requests faulted: 429 (Retry-After 1 s), 5xx, dropped, hung. */
export const BAD_MINUTES_FAULTS: FaultSettings = {
    rateLimitProbability: 0.07,
    retryAfterSeconds: 1,
    serverErrorProbability: 0.08,
    dropProbability: 0.06,
    hangProbability: 0.04,
};

/**
 * Provider settings for bad minutes: a hung connection is cut after 2 s (`kaleyra:timeoutMs`;
 * the default is 30 s) and retried, up to 6 times, within the default 120 s budget per profile.
 */
export const BAD_MINUTES_SETTINGS: Readonly<Record<string, string>> = {
    "kaleyra:timeoutMs": "2000",
    "kaleyra:maxRetries": "6",
    "kaleyra:maxConcurrency": "8",
};

/** What each kind of fault looks like in the request log. */
export interface FaultCounts {
    /** 429s. */
    readonly rateLimited: number;
    /** 500, 502, 503. */
    readonly serverError: number;
    /** Dropped or hung: no status (0). */
    readonly noAnswer: number;
}

/** One `pulumi up` of a scenario. */
export interface UpFigure {
    readonly code: number | null;
    readonly durationMs: number;
    /** Steps that failed (resources that gave up after their retries). */
    readonly failedSteps: number;
    /** PUTs the emulator received during this up. */
    readonly puts: number;
}

/** What a bad-minutes run measured. */
export interface BadMinutesFigures {
    readonly n: number;
    readonly seed: number;
    readonly ups: readonly UpFigure[];
    /** PUTs in all, over every up. */
    readonly puts: number;
    /** PUTs answered 200. */
    readonly succeeded: number;
    /** Faults the emulator's generator injected (replayed from its seed). */
    readonly injected: FaultCounts;
    /** Faulted PUTs in the request log, by kind. */
    readonly faulted: FaultCounts;
}

function sum(c: FaultCounts): number {
    return c.rateLimited + c.serverError + c.noAnswer;
}

/** The faults the generator with `seed` and `faults` picks for `requests` requests. */
export function replayFaults(seed: number, faults: FaultSettings, requests: number): FaultCounts {
    const injector = new FaultInjector(seed, faults);
    let rateLimited = 0;
    let serverError = 0;
    let noAnswer = 0;
    for (let i = 0; i < requests; i++) {
        const d = injector.decide();
        if (d.kind === "drop" || d.kind === "hang") noAnswer++;
        else if (d.kind === "respond" && d.status === 429) rateLimited++;
        else if (d.kind === "respond") serverError++;
    }
    return { rateLimited, serverError, noAnswer };
}

/** The faulted requests of a log, by kind; throws on a status that is neither 200 nor a fault's. */
export function faultedIn(log: readonly RequestLogEntry[]): FaultCounts {
    const other = log.filter((r) => ![0, 200, 429, 500, 502, 503].includes(r.status));
    assert.deepEqual(
        other.map((r) => `${r.status} ${waNumberOf(r)}`),
        [],
        "a PUT was answered with a status no fault injects (the provider sent something the emulator rejects)",
    );
    return {
        rateLimited: log.filter((r) => r.status === 429).length,
        serverError: log.filter((r) => [500, 502, 503].includes(r.status)).length,
        noAnswer: log.filter((r) => r.status === 0).length,
    };
}

/** Every number of `specs` got exactly one successful PUT, and no other number got one. */
function assertOneSuccessEach(log: readonly RequestLogEntry[], numbers: readonly string[]): void {
    const counts = countBy(
        log.filter((r) => r.status === 200),
        waNumberOf,
    );
    const wrong = [...new Set([...numbers, ...counts.keys()])].filter((n) => counts.get(n) !== 1 || !numbers.includes(n));
    assert.deepEqual(
        wrong.map((n) => `${n}: ${counts.get(n) ?? 0}`),
        [],
        "successful PUTs per number (each should have exactly one)",
    );
}

/** Options of {@link badMinutes}. */
export interface BadMinutesOptions {
    /** Profiles. */
    readonly n: number;
    /** Where the CLI workspace goes. */
    readonly dir: string;
    /** The emulator's fault seed. Default 1. */
    readonly seed?: number;
    /** Default {@link BAD_MINUTES_FAULTS}. */
    readonly faults?: FaultSettings;
    /** Default {@link BAD_MINUTES_SETTINGS}. */
    readonly settings?: Readonly<Record<string, string>>;
    /** How many `up`s a pipeline would run before giving up. Default 3. */
    readonly maxUps?: number;
    /** Told of each up. */
    readonly progress?: (line: string) => void;
}

/** Bad minutes: N new profiles against an emulator that faults about 25% of requests (see the header). */
export async function badMinutes(options: BadMinutesOptions): Promise<BadMinutesFigures> {
    const { n, dir } = options;
    const seed = options.seed ?? 1;
    const faults = options.faults ?? BAD_MINUTES_FAULTS;
    const specs = makeProfiles(n);
    const numbers = specs.map((s) => s.args.waNumber);
    const emulator = await startEmulator({ numbers, quiet: true, seed, faults });
    try {
        const stack = await ProfilesStack.open(dir, emulator, options.settings ?? BAD_MINUTES_SETTINGS);
        stack.declare(specs);
        const ups: UpFigure[] = [];
        for (let i = 0; i < (options.maxUps ?? 3); i++) {
            const before = emulator.kaleyraRequests().length;
            const r = await stack.ws.up(stack.stack, { allowFailure: true });
            const up = {
                code: r.code,
                durationMs: r.durationMs,
                failedSteps: r.events.steps.filter((s) => s.status === "failed").length,
                puts: emulator.kaleyraRequests().length - before,
            };
            ups.push(up);
            options.progress?.(`bad minutes, N = ${n}: up ${i + 1} exited ${r.code} after ${r.durationMs} ms, ${up.puts} PUTs, ${up.failedSteps} failed`);
            if (r.code === 0) break;
            const errors = r.events.diagnostics.filter((d) => d.severity === "error").map((d) => d.message);
            assert.ok(errors.length > 0 || up.failedSteps > 0, `up ${i + 1} exited ${r.code} with no failed resource:\n${r.stdout.slice(-2000)}\n${r.stderr.slice(-2000)}`);
        }
        assert.equal(ups.at(-1)?.code, 0, `no up of ${ups.length} converged`);
        await assertStateIsProgram(stack, specs);
        assertConverged(emulator, specs);

        const log = emulator.kaleyraRequests();
        assertOneSuccessEach(log, numbers);
        const faulted = faultedIn(log);
        const injected = replayFaults(seed, faults, log.length);
        assert.deepEqual(faulted, injected, "the faulted PUTs in the log are not the faults the generator injected");
        assert.equal(log.length, n + sum(injected), "PUTs in all = N + faulted");
        return { n, seed, ups, puts: log.length, succeeded: n, injected, faulted };
    } finally {
        await emulator.close();
    }
}

/** One run of {@link parallelism}. */
export interface ParallelRun {
    /** `--parallel`; undefined for the CLI's default. */
    readonly parallel?: number;
    /** `kaleyra:maxConcurrency`; undefined for the default ({@link DEFAULTS.maxConcurrency}). */
    readonly maxConcurrency?: number;
}

/** What one run of {@link parallelism} measured. */
export interface ParallelFigure extends ParallelRun {
    readonly puts: number;
    /** The most PUTs open at once at the emulator. */
    readonly peakInFlight: number;
    readonly durationMs: number;
}

/** Options of {@link parallelism}. */
export interface ParallelismOptions {
    readonly n: number;
    /** Each run gets `<dir>/<index>`. */
    readonly dir: string;
    readonly runs: readonly ParallelRun[];
    /** Latency the emulator adds to each PUT, so that requests overlap. */
    readonly latencyMs: number;
    readonly progress?: (line: string) => void;
}

/** Parallelism: the same N profiles once per run; same profiles, N PUTs, in flight ≤ maxConcurrency (see the header). */
export async function parallelism(options: ParallelismOptions): Promise<ParallelFigure[]> {
    const specs = makeProfiles(options.n);
    const figures: ParallelFigure[] = [];
    let first: Record<string, NumberProfile> | undefined;
    for (const [i, run] of options.runs.entries()) {
        const emulator: RunningEmulator = await startEmulator({ numbers: specs.map((s) => s.args.waNumber), quiet: true, faults: { latencyMs: options.latencyMs } });
        try {
            const bound = run.maxConcurrency ?? DEFAULTS.maxConcurrency;
            const settings: Record<string, string> = run.maxConcurrency === undefined ? {} : { "kaleyra:maxConcurrency": String(run.maxConcurrency) };
            const stack = await ProfilesStack.open(path.join(options.dir, String(i)), emulator, settings);
            stack.declare(specs);
            const r = await stack.ws.up(stack.stack, { parallel: run.parallel });
            await assertStateIsProgram(stack, specs);
            assertConverged(emulator, specs);
            const log = emulator.kaleyraRequests();
            const label = `--parallel ${run.parallel ?? "(default)"}, maxConcurrency ${bound}`;
            assert.equal(log.length, options.n, `${label}: PUTs`);
            assertOneSuccessEach(log, specs.map((s) => s.args.waNumber));
            const peak = emulator.peakInFlight();
            assert.ok(peak <= bound, `${label}: ${peak} PUTs in flight at once`);
            // The engine runs one step at a time with --parallel 1.
            if (run.parallel === 1) assert.equal(peak, 1, `${label}: ${peak} PUTs in flight at once`);
            const profiles = emulator.profiles();
            if (first === undefined) first = profiles;
            else assert.deepEqual(profiles, first, `${label}: the emulator's profiles differ from the first run's`);
            figures.push({ ...run, puts: log.length, peakInFlight: peak, durationMs: r.durationMs });
            options.progress?.(`parallelism, N = ${options.n}, ${label}: ${log.length} PUTs, at most ${peak} in flight, ${r.durationMs} ms`);
        } finally {
            await emulator.close();
        }
    }
    return figures;
}
