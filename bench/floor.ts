/**
 * Ours against a floor under the real Pulumi CLI (issue 18): the machinery shared by the dynamic
 * resource's comparison (bench/real-engine.ts: `WhatsAppNumberProfile` against the minimal dynamic
 * provider) and the plugin's (bench/yaml-floor.ts: the `kaleyra` plugin from Pulumi YAML against a
 * native provider that does nothing).
 *
 * For each N, each round takes a fresh stack of each side through `preview` (new stack), `up`
 * creating N, a no-op `up` and `up` with k changed; the two stacks take each operation in turn
 * (ours first in rounds 1, 3, …, the floor first in rounds 2, 4, …), so both see the same load.
 * Each figure is the median over the rounds; an unmeasured warm-up round (N = 10) runs first. Per
 * command: wall time, the 1-minute load average when it started, the PUTs the emulator received,
 * the Create and Update steps of profile resources in the engine's event log, the CPU time and peak
 * RSS of each part of the CLI's process tree (/proc), and, after the creating `up` of the first
 * round, the state bytes per resource (`pulumi stack export`).
 */
import * as fs from "node:fs";
import * as os from "node:os";
import * as path from "node:path";

import type { CliEvents } from "../tools/cli/events";
import { findPulumi, type PulumiCli } from "../tools/cli/find";
import type { CliWorkspace } from "../tools/cli/workspace";
import { makeProfiles, numberAt, withChanged, type ProfileSpec } from "../tools/programs/profiles/profiles";
import { EmulatorProcess } from "./emulator-process";
import { loadAverage } from "./machine";
import { PARTS, watchTree, type Part, type TreeFigures } from "./proc-tree";
import { bytes, int, mib, ms } from "./format";
import { envNumber, envSizes, noCliMarkdown, type BenchSection } from "./section";
import { median, ratioOf } from "./stats";

/** Profiles changed in the last `up` of a round (at most N). */
export const K_CHANGED = 10;
/** N of the unmeasured warm-up round. */
export const WARM_UP_N = 10;

/** The operations of a round, in order. */
export const OPERATIONS = ["preview", "up (create N)", "up (no change)", "up (k changed)"] as const;
/** One operation of a round. */
export type OperationName = (typeof OPERATIONS)[number];

/** The two sides compared. */
export type Side = "ours" | "floor";

/** The most ours may cost, as a ratio to the floor's median, per operation (issue 18). */
export const TARGETS: Readonly<Record<OperationName, number | undefined>> = {
    preview: 1.1,
    "up (create N)": 1.15,
    "up (no change)": 1.1,
    "up (k changed)": undefined,
};

/** What the emulator must be told about, and its request log. */
export interface FloorEmulator {
    readonly url: string;
    readonly sid: string;
    readonly apiKey: string;
    clearRequests(): Promise<void>;
    kaleyraRequests(): Promise<readonly unknown[]>;
}

/** A stack of one side, pointed at the emulator. */
export interface ContenderStack {
    /** Its workspace. */
    readonly ws: CliWorkspace;
    /** The stack's name. */
    readonly stack: string;
    /** The program declares these profiles from the next command on. */
    declare(specs: readonly ProfileSpec[]): void;
}

/** One side of a comparison. */
export interface Contender {
    /** The type token of its profile resources (for counting steps and measuring state). */
    readonly resourceType: string;
    /** A fresh stack in `dir` (made), pointed at `emulator`. */
    open(dir: string, emulator: FloorEmulator): Promise<ContenderStack>;
}

/** One measured command. */
export interface CommandFigure {
    readonly side: Side;
    readonly n: number;
    /** 0-based; -1 for the warm-up. */
    readonly round: number;
    readonly operation: OperationName;
    /** Wall time of the command (spawn to exit), ms. */
    readonly wallMs: number;
    /** 1-minute load average when the command started. */
    readonly load: number;
    /** PUTs the emulator received during the command. */
    readonly puts: number;
    /** Create and Update steps of profile resources the engine completed (event log). */
    readonly createUpdate: number;
    /** Whether the command exited 0. */
    readonly ok: boolean;
    /** CPU and memory of its process tree. */
    readonly tree: TreeFigures;
}

/** State written by the creating `up`: bytes per profile resource in `pulumi stack export`. */
export interface StateFigure {
    readonly side: Side;
    readonly n: number;
    /** The whole export, bytes. */
    readonly exportBytes: number;
    /** One profile resource's JSON (compact), bytes, averaged over the profiles. */
    readonly perResourceBytes: number;
    /** Of which `__provider` (inputs and outputs, JSON-escaped), bytes per resource. */
    readonly providerBytes: number;
}

/** Everything one comparison measured. */
export interface FloorResults {
    readonly sizes: readonly number[];
    /** Measured rounds, by N. */
    readonly rounds: Readonly<Record<number, number>>;
    /** Whether an unmeasured warm-up round ran first. */
    readonly warmUp: boolean;
    readonly cliVersion: string;
    readonly commands: readonly CommandFigure[];
    readonly states: readonly StateFigure[];
}

/**
 * Measured rounds at N: `fixed` when given, else 9 up to N = 10 (commands of a second or three,
 * where a fixed 50 ms is 2–7% and one round's noise is ±10%: cheap, and the noisiest), 5 below
 * N = 1,000 and 3 from there (an `up` of 1,000 takes minutes).
 */
export function roundsFor(fixed?: number): (n: number) => number {
    return (n) => fixed ?? (n <= 10 ? 9 : n < 1000 ? 5 : 3);
}

/** Options of {@link runFloor}. */
export interface FloorOptions {
    /** The N to measure, in order. */
    readonly sizes: readonly number[];
    /** Measured rounds at each N (3 or more for a median worth the name). */
    readonly rounds: (n: number) => number;
    /** Run the unmeasured warm-up round first. Default true. */
    readonly warmUp?: boolean;
    /** Progress lines (stderr). */
    readonly progress: (line: string) => void;
    /** A name for progress lines. */
    readonly label: string;
}

/** The PUTs (and Create + Update steps) ours must make: 0 / N / 0 / k. */
export function idealCalls(operation: OperationName, n: number): number {
    return operation === "up (create N)" ? n : operation === "up (k changed)" ? Math.min(K_CHANGED, n) : 0;
}

/** Create + Update steps of resources of `type` done, from the event log. */
export function createUpdateSteps(events: CliEvents, type: string): number {
    return events.steps.filter((s) => s.type === type && s.status === "done" && (s.op === "create" || s.op === "update")).length;
}

/** The declared profiles for an operation. */
export function specsFor(operation: OperationName, n: number): ProfileSpec[] {
    const base = makeProfiles(n);
    return operation === "up (k changed)" ? withChanged(base, Math.min(K_CHANGED, n), 1) : base;
}

async function runCommand(c: Contender, stack: ContenderStack, emulator: FloorEmulator, side: Side, n: number, round: number, operation: OperationName): Promise<CommandFigure> {
    stack.declare(specsFor(operation, n));
    await emulator.clearRequests();
    const args = operation === "preview" ? ["preview", "--stack", stack.stack] : ["up", "--stack", stack.stack, "--yes", "--skip-preview"];
    const load = loadAverage();
    const run = stack.ws.start(args, {}, true);
    const watch = watchTree(run.pid);
    const result = await run.result;
    const tree = watch.stop();
    return {
        side,
        n,
        round,
        operation,
        wallMs: result.durationMs,
        load,
        puts: (await emulator.kaleyraRequests()).length,
        createUpdate: createUpdateSteps(result.events, c.resourceType),
        ok: result.code === 0,
        tree,
    };
}

async function stateFigure(c: Contender, stack: ContenderStack, side: Side, n: number): Promise<StateFigure> {
    const text = await stack.ws.exportStack(stack.stack);
    type Exported = { deployment?: { resources?: { type: string; inputs?: Record<string, unknown>; outputs?: Record<string, unknown> }[] } };
    const profiles = ((JSON.parse(text) as Exported).deployment?.resources ?? []).filter((r) => r.type === c.resourceType);
    const bytes = (v: unknown) => Buffer.byteLength(JSON.stringify(v), "utf8");
    const total = profiles.reduce((s, r) => s + bytes(r), 0);
    const provider = profiles.reduce((s, r) => s + (r.inputs?.__provider ? bytes(r.inputs.__provider) : 0) + (r.outputs?.__provider ? bytes(r.outputs.__provider) : 0), 0);
    const count = Math.max(1, profiles.length);
    return { side, n, exportBytes: Buffer.byteLength(text, "utf8"), perResourceBytes: total / count, providerBytes: provider / count };
}

/** One round at `n`: a fresh stack of each side, each operation on both in turn. */
async function round(
    sides: Readonly<Record<Side, Contender>>,
    emulator: FloorEmulator,
    dir: string,
    n: number,
    r: number,
    options: FloorOptions,
): Promise<{ commands: CommandFigure[]; states: StateFigure[] }> {
    const stacks: Record<Side, ContenderStack> = {
        ours: await sides.ours.open(path.join(dir, `ours-${n}-${r}`), emulator),
        floor: await sides.floor.open(path.join(dir, `floor-${n}-${r}`), emulator),
    };
    const order: Side[] = r % 2 === 0 ? ["ours", "floor"] : ["floor", "ours"];
    const commands: CommandFigure[] = [];
    const states: StateFigure[] = [];
    for (const operation of OPERATIONS) {
        for (const side of order) {
            options.progress(`${options.label}: N = ${n}, ${r < 0 ? "warm-up" : `round ${r + 1}/${options.rounds(n)}`}, ${operation}, ${side}`);
            const figure = await runCommand(sides[side], stacks[side], emulator, side, n, r, operation);
            if (!figure.ok) options.progress(`  ${side}: ${operation} failed`);
            commands.push(figure);
            if (r === 0 && operation === "up (create N)") states.push(await stateFigure(sides[side], stacks[side], side, n));
        }
    }
    return { commands, states };
}

/**
 * Measures every N. The emulator must know the first `max(sizes, 10)` numbers of
 * tools/programs/profiles and add no latency.
 */
export async function runFloor(sides: Readonly<Record<Side, Contender>>, emulator: FloorEmulator, tmp: string, cliVersion: string, options: FloorOptions): Promise<FloorResults> {
    const commands: CommandFigure[] = [];
    const states: StateFigure[] = [];
    if (options.warmUp !== false) {
        const dir = path.join(tmp, "warm-up");
        await round(sides, emulator, dir, WARM_UP_N, -1, options);
        fs.rmSync(dir, { recursive: true, force: true });
    }
    const rounds: Record<number, number> = {};
    for (const n of options.sizes) {
        rounds[n] = options.rounds(n);
        for (let r = 0; r < rounds[n]; r++) {
            const dir = path.join(tmp, `n${n}-r${r}`);
            const done = await round(sides, emulator, dir, n, r, options);
            commands.push(...done.commands);
            states.push(...done.states);
            fs.rmSync(dir, { recursive: true, force: true });
        }
    }
    return { sizes: options.sizes, rounds, warmUp: options.warmUp !== false, cliVersion, commands, states };
}

/** The commands of one (N, operation, side) cell, by round. */
export function cell(r: FloorResults, n: number, operation: OperationName, side: Side): CommandFigure[] {
    return r.commands.filter((c) => c.n === n && c.operation === operation && c.side === side).sort((a, b) => a.round - b.round);
}

/** Ours / floor of the median wall times of one (N, operation). */
export function wallRatio(r: FloorResults, n: number, operation: OperationName): number {
    return ratioOf(median(cell(r, n, operation, "ours").map((c) => c.wallMs)), median(cell(r, n, operation, "floor").map((c) => c.wallMs)));
}

/** The (N, operation) whose ratio misses its target. */
export function missedTargets(r: FloorResults): { n: number; operation: OperationName; ratio: number; target: number }[] {
    const missed: { n: number; operation: OperationName; ratio: number; target: number }[] = [];
    for (const n of r.sizes) {
        for (const operation of OPERATIONS) {
            const target = TARGETS[operation];
            const ratio = wallRatio(r, n, operation);
            if (target !== undefined && !(ratio <= target)) missed.push({ n, operation, ratio, target });
        }
    }
    return missed;
}

/** Ours' commands that failed or made other than the ideal PUTs or Create + Update steps. */
export function inexactCalls(r: FloorResults): CommandFigure[] {
    return r.commands.filter((c) => !c.ok || (c.side === "ours" && (c.puts !== idealCalls(c.operation, c.n) || c.createUpdate !== idealCalls(c.operation, c.n))));
}

const PART_LABEL: Record<Part, string> = { cli: "CLI (engine)", language: "language host", program: "program", provider: "provider", other: "other" };

function seconds(values: readonly number[]): string {
    return values.map((v) => (v / 1000).toFixed(2)).join(", ");
}

/** The wall-time table: per N and operation, the medians, the ratio, each round and its load, ours' calls. */
export function renderWallTable(r: FloorResults): string {
    const lines = [
        "| N | operation | median, ours | median, floor | ratio | target | ours, each round (s) | floor, each round (s) | load at start, ours / floor | calls, ours (ideal) |",
        "| ---: | --- | ---: | ---: | ---: | ---: | --- | --- | --- | ---: |",
    ];
    for (const n of r.sizes) {
        for (const op of OPERATIONS) {
            const ours = cell(r, n, op, "ours");
            const floor = cell(r, n, op, "floor");
            if (ours.length === 0 && floor.length === 0) continue;
            const ratio = wallRatio(r, n, op);
            const target = TARGETS[op];
            const verdict = target === undefined || !Number.isFinite(ratio) ? "—" : `≤ ${target.toFixed(2)} ${ratio <= target ? "✓" : "✗"}`;
            const ideal = idealCalls(op, n);
            const calls = [...new Set(ours.map((c) => `${c.puts} / ${c.createUpdate}`))].join(", ");
            const exact = ours.every((c) => c.ok && c.puts === ideal && c.createUpdate === ideal) && floor.every((c) => c.ok);
            const loads = ours.map((c, i) => `${c.load.toFixed(1)} / ${floor[i] ? floor[i].load.toFixed(1) : "—"}`).join("; ");
            lines.push(
                `| ${int(n)} | \`${op}\` | ${ms(median(ours.map((c) => c.wallMs)))} | ${ms(median(floor.map((c) => c.wallMs)))} | ${Number.isFinite(ratio) ? `${ratio.toFixed(2)}×` : "—"} | ${verdict} | ${seconds(ours.map((c) => c.wallMs))} | ${seconds(floor.map((c) => c.wallMs))} | ${loads} | ${calls} (${ideal} / ${ideal})${exact ? "" : " ⚠"} |`,
            );
        }
    }
    return lines.join("\n");
}

/** The CPU table: per N and operation, the medians of the tree's total CPU and of each part's. */
export function renderCpuTable(r: FloorResults): string {
    const parts = PARTS.filter((p) => p !== "other");
    const lines = [
        `| N | operation | whole tree, ours / floor | ${parts.map((p) => `${PART_LABEL[p]}, ours / floor`).join(" | ")} | provider peak RSS, ours / floor |`,
        `| ---: | --- | ---: | ${parts.map(() => "---:").join(" | ")} | ---: |`,
    ];
    for (const n of r.sizes) {
        for (const op of OPERATIONS) {
            const ours = cell(r, n, op, "ours");
            const floor = cell(r, n, op, "floor");
            if (ours.length === 0 || floor.length === 0) continue;
            const pair = (f: (c: CommandFigure) => number) => {
                const [o, fl] = [median(ours.map(f)), median(floor.map(f))];
                return o === 0 && fl === 0 ? "—" : `${ms(o)} / ${ms(fl)}`;
            };
            const rss = (cs: CommandFigure[]) => {
                const peak = median(cs.map((c) => c.tree.parts.provider.peakRssBytes));
                return peak > 0 ? mib(peak) : "—";
            };
            lines.push(
                `| ${int(n)} | \`${op}\` | ${pair((c) => c.tree.totalCpuMs)} | ${parts.map((p) => pair((c) => c.tree.parts[p].cpuMs)).join(" | ")} | ${rss(ours)} / ${rss(floor)} |`,
            );
        }
    }
    return lines.join("\n");
}

/** The state table (first round's creating `up`). */
export function renderStateTable(r: FloorResults): string {
    const lines = [
        "| N | bytes per resource, ours | bytes per resource, floor | of which `__provider`, ours / floor | whole export, ours / floor |",
        "| ---: | ---: | ---: | ---: | ---: |",
    ];
    const b = (x: number) => `${int(Math.round(x))} B`;
    for (const n of r.sizes) {
        const o = r.states.find((s) => s.n === n && s.side === "ours");
        const f = r.states.find((s) => s.n === n && s.side === "floor");
        if (!o || !f) continue;
        lines.push(`| ${int(n)} | ${b(o.perResourceBytes)} | ${b(f.perResourceBytes)} | ${b(o.providerBytes)} / ${b(f.providerBytes)} | ${bytes(o.exportBytes)} / ${bytes(f.exportBytes)} |`);
    }
    return lines.join("\n");
}

/** One line per (N, operation) with a target, for the run's closing summary. */
export function summaryLines(label: string, r: FloorResults): string[] {
    const lines: string[] = [];
    for (const n of r.sizes) {
        for (const op of OPERATIONS) {
            const target = TARGETS[op];
            if (target === undefined) continue;
            const ours = median(cell(r, n, op, "ours").map((c) => c.wallMs));
            const floor = median(cell(r, n, op, "floor").map((c) => c.wallMs));
            const ratio = ratioOf(ours, floor);
            lines.push(`${label}, N = ${int(n)}, ${op}: ours ${ms(ours)}, floor ${ms(floor)}, ${ratio.toFixed(2)}× (target ≤ ${target.toFixed(2)}: ${ratio <= target ? "met" : "MISSED"})`);
        }
    }
    const bad = inexactCalls(r);
    if (bad.length > 0) lines.push(`${label}: ${bad.length} command(s) failed or made other than the ideal calls (see ⚠ in its table)`);
    return lines;
}

/** How to read the tables (shared by both comparisons). */
export function howToRead(r: FloorResults): string {
    return [
        `Rounds per N: ${r.sizes.map((n) => `${int(n)}: ${r.rounds[n]}`).join(", ")}, ${r.warmUp ? `after one unmeasured warm-up round (N = ${WARM_UP_N})` : "with no warm-up round"}. In each round a fresh stack of each side takes`,
        "`preview` (new stack), `up` creating N, a no-op `up` and `up` with k = min(10, N) changed, the two stacks taking each operation",
        "in turn (ours first in rounds 1, 3, …, the floor first in rounds 2, 4, …). *Median* is over the rounds; *ratio* is ours / floor of",
        `the medians; the target (issue 18) is ≤ ${TARGETS.preview} for \`preview\` and the no-op \`up\`, ≤ ${TARGETS["up (create N)"]} for \`up\` creating N (its PUTs are`,
        "real work). The rounds' own times follow, with the 1-minute load average when each command started (the machine has",
        "other users: a round at a higher load is slower for reasons of its own). *Calls, ours*: PUTs the emulator received /",
        "Create + Update steps of profile resources in the engine's event log (`--event-log`), ideal 0 / N / 0 / k; ⚠ marks a cell",
        "where a command failed or a count differs from the ideal in any round.",
    ].join("\n");
}

/**
 * A comparison's Markdown: its heading, what the two sides are (`sides`), how to read the tables,
 * the wall-time, CPU and state tables, and what the state table shows (`stateNote`).
 */
export function renderComparison(title: string, r: FloorResults, sides: readonly string[], stateNote: readonly string[]): string {
    return [
        `### ${title}, real Pulumi CLI ${r.cliVersion}`,
        "",
        ...sides,
        howToRead(r),
        "",
        renderWallTable(r),
        "",
        CPU_NOTE,
        "",
        renderCpuTable(r),
        "",
        ...stateNote,
        "",
        renderStateTable(r),
    ].join("\n");
}

/** How to read the CPU table. */
export const CPU_NOTE = [
    "CPU time of the CLI's process tree (medians over the rounds): *whole tree* is exact (the growth of the bench process's",
    "`cutime + cstime` over the command: every process the CLI started, reaped); the parts are each process's `utime + stime`",
    "sampled from /proc every 100 ms, so a process loses up to 100 ms at its exit and one that lives less may be missed. *CLI* is",
    "the engine (Go), *program* the Node.js process running the program, *provider* the provider's process (its launcher",
    "included). CPU moves far less with the machine's load than wall time does, so this is where a difference comes from.",
].join("\n");

/** The N of a full run. */
export const FLOOR_SIZES = [1, 10, 150, 1000] as const;

/** A CLI that can run the commands. */
export type AvailableCli = Extract<PulumiCli, { available: true }>;

/** One comparison of ours with a floor: what {@link floorSection} and {@link floorMain} run. */
export interface FloorComparison {
    /** The section's id (`BENCH_SECTIONS`). */
    readonly id: string;
    /** The section's heading. */
    readonly title: string;
    /** How its summary lines and progress lines name it. */
    readonly label: string;
    /** An environment variable whose N override `BENCH_SIZES` for this comparison alone, if any. */
    readonly sizesEnv?: string;
    /** Why it cannot run with `cli`, or `undefined` when it can. */
    unavailable(cli: PulumiCli): string | undefined;
    /** Its two sides; `args` are the command line of {@link floorMain} (empty in `npm run bench`). */
    sides(cli: AvailableCli, args: readonly string[]): Record<Side, Contender>;
    /** The section's Markdown; `args` as for {@link sides}. */
    render(r: FloorResults, args: readonly string[]): string;
}

/** Runs a comparison against a fresh emulator process. */
async function compare(c: FloorComparison, cli: AvailableCli, args: readonly string[], tmp: string, options: Omit<FloorOptions, "label">): Promise<FloorResults> {
    const emulator = await EmulatorProcess.start({ numbers: Array.from({ length: Math.max(WARM_UP_N, ...options.sizes) }, (_, i) => numberAt(i)) });
    try {
        return await runFloor(c.sides(cli, args), emulator, tmp, cli.version, { ...options, label: c.label });
    } finally {
        await emulator.close();
    }
}

/**
 * A comparison as a section of `npm run bench`. `BENCH_SIZES` (default 1,10,150,1000; quick: 1,10;
 * the comparison's own `sizesEnv` first) and `BENCH_ROUNDS` (default 9 up to N = 10, 5 below N = 1,000
 * and 3 from there; quick: 1) set its N and rounds; `BENCH_WARM_UP=0` (and quick mode) leave out the warm-up.
 */
export function floorSection(c: FloorComparison): BenchSection {
    return {
        id: c.id,
        title: c.title,
        needsCli: true,
        async run(ctx) {
            const why = c.unavailable(ctx.cli);
            if (why !== undefined || !ctx.cli.available) return { markdown: noCliMarkdown(c.title, why ?? "no CLI") };
            const all = envSizes(ctx.env, "BENCH_SIZES", ctx.quick ? [1, 10] : FLOOR_SIZES);
            const sizes = c.sizesEnv ? envSizes(ctx.env, c.sizesEnv, all) : all;
            const rounds = roundsFor(ctx.quick ? 1 : envNumber(ctx.env, "BENCH_ROUNDS", 0) || undefined);
            const warmUp = !ctx.quick && ctx.env.BENCH_WARM_UP !== "0";
            const results = await compare(c, ctx.cli, [], path.join(ctx.tmp, c.id), { sizes, rounds, warmUp, progress: ctx.progress });
            const bad = inexactCalls(results);
            return {
                markdown: c.render(results, []),
                summary: summaryLines(c.label, results),
                failure: bad.length > 0 ? `${c.label}: ${bad.length} command(s) failed or made other than 0 / N / 0 / k calls` : undefined,
            };
        },
    };
}

/**
 * A comparison from the command line: `[N…] [--rounds R] [--no-warm-up]` and the comparison's own
 * flags; prints its Markdown (and writes the figures as JSON to `BENCH_JSON` when set).
 */
export async function floorMain(c: FloorComparison, args: readonly string[]): Promise<void> {
    const at = args.indexOf("--rounds");
    const rounds = at >= 0 ? Number(args[at + 1]) : 3;
    const sizes = args.filter((a, i) => /^\d+$/.test(a) && args[i - 1] !== "--rounds").map(Number);
    const cli = findPulumi();
    const why = c.unavailable(cli);
    if (why !== undefined || !cli.available) throw new Error(`cannot run the comparison: ${why ?? "no CLI"}`);
    const tmp = fs.mkdtempSync(path.join(os.tmpdir(), `kaleyra-${c.id}-`));
    try {
        const options = { sizes: sizes.length > 0 ? sizes : [10], rounds: () => rounds, warmUp: !args.includes("--no-warm-up"), progress: (l: string) => process.stderr.write(`bench: ${l}\n`) };
        const results = await compare(c, cli, args, tmp, options);
        process.stdout.write(`${c.render(results, args)}\n`);
        if (process.env.BENCH_JSON) fs.writeFileSync(process.env.BENCH_JSON, JSON.stringify(results, null, 1));
    } finally {
        fs.rmSync(tmp, { recursive: true, force: true });
    }
}

/** Runs {@link floorMain} for a module run as a script, reporting a failure on stderr. */
export function runAsScript(c: FloorComparison): void {
    floorMain(c, process.argv.slice(2)).catch((error: unknown) => {
        process.stderr.write(`bench failed: ${error instanceof Error ? (error.stack ?? error.message) : String(error)}\n`);
        process.exitCode = 1;
    });
}
