/**
 * Where the time of a real-CLI command goes, ours beside the floor (the minimal dynamic provider):
 *
 *     tsx bench/profile-real-engine.ts [N] [--ops preview,create,noop] [--repeat R] [--root <checkout>] [--yaml] [--keep]
 *
 * takes a fresh stack of N profiles (default 150) of each side through `preview` (new stack), `up`
 * creating N and a no-op `up`, and profiles every process of each command:
 *
 * - every Node.js process the CLI starts (the program, the dynamic-provider host) loads a small hook
 *   (`NODE_OPTIONS=--require`) that runs V8's CPU profiler and writes what it has whenever the
 *   process falls idle (`--cpu-prof` alone loses the provider host's profile: the engine kills
 *   plugins with SIGKILL);
 *   the summary gives each process's CPU by where the code comes from (this package, the SDK, gRPC,
 *   module loading, GC, …) and its top functions by self time;
 * - the CLI itself (Go) with its own `--profiling`, summarized with `go tool pprof` when `go` is on
 *   PATH (the engine's top functions by cumulative time);
 * - the CPU of each part of the process tree from /proc (bench/proc-tree.ts).
 *
 * `--repeat R` runs the whole R times (the sides alternating first) and ends with the medians per
 * category, ours against the floor. `--yaml` profiles the kaleyra plugin from a YAML program against the do-nothing plugin instead
 * (bench/yaml-floor.ts). `--root` runs another checkout's program and package (its `tools/programs/profiles` and
 * `node_modules`, so its dist/) under the same driver: profile before and after a change. CPU
 * profiles measure CPU, not wall time, so they hold up on a loaded machine. Not part of `npm run bench`.
 */
import { spawnSync } from "node:child_process";
import * as fs from "node:fs";
import * as os from "node:os";
import * as path from "node:path";

import { findPulumi } from "../tools/cli";
import { makeProfiles, numberAt } from "../tools/programs/profiles/profiles";
import { EmulatorProcess } from "./emulator-process";
import { PARTS, watchTree, type TreeFigures } from "./proc-tree";
import { dynamicSides } from "./real-engine";
import { yamlSides } from "./yaml-floor";
import { ms } from "./format";
import { median } from "./stats";

interface ProfileNode {
    id: number;
    callFrame: { functionName: string; url: string; lineNumber: number };
}

interface CpuProfile {
    nodes: ProfileNode[];
    samples: number[];
    timeDeltas: number[];
}

/** Where a frame's code comes from. */
export function category(frame: ProfileNode["callFrame"]): string {
    const { url, functionName } = frame;
    if (functionName === "(idle)") return "(idle)";
    if (functionName === "(garbage collector)") return "GC";
    if (functionName === "(program)") return "V8/native (program)";
    if (url === "node:inspector" || functionName === "(profiler)") return "(profiler)";
    if (url === "" && /^(compileFunction|wrapSafe|readFileUtf8|internalModuleStat|realpath)/.test(functionName)) return "module loading";
    if (url === "") return `native: ${functionName || "(anonymous)"}`;
    if (/node:internal\/modules|node:internal\/fs|node:fs|node:path/.test(url)) return "module loading";
    if (url.startsWith("node:")) return "node internals";
    if (/libphonenumber-js/.test(url)) return "libphonenumber-js";
    if (/\/(axios|hpagent|p-limit|form-data|follow-redirects|proxy-from-env|mime-types|mime-db|combined-stream|asynckit)\//.test(url)) return "HTTP stack (axios, p-limit, …)";
    if (/pulumi-kaleyra-whatsapp|\/dist\/(engine|program|contract|plugin)\//.test(url)) return "this package (dist/)";
    if (/@grpc|grpc-js/.test(url)) return "gRPC";
    if (/google-protobuf|_pb\.js/.test(url)) return "protobuf";
    if (/typescript|ts-node|tsx|esbuild/.test(url)) return "TypeScript transpile";
    if (/source-map/.test(url)) return "source maps";
    if (/@pulumi\/pulumi\/runtime\/closure/.test(url)) return "SDK: closure serialization";
    if (/@pulumi\/pulumi\/cmd\/dynamic-provider/.test(url)) return "SDK: dynamic-provider host";
    if (/@pulumi\/pulumi/.test(url)) return "SDK: other";
    if (/fixtures\/(minimal-provider|padded-minimal-provider|floor)\/|programs\/profiles/.test(url)) return "the program";
    if (/node_modules\/([^/]+)/.test(url)) return `npm: ${/node_modules\/((@[^/]+\/)?[^/]+)/.exec(url)?.[1]}`;
    return "other";
}

/**
 * The hook each Node.js process loads: profiles from its start and writes `<pid>-<n>.cpuprofile`
 * (stop, write, start again) when the process falls idle after work (less than 15 ms of CPU in
 * each of two 100 ms ticks — the profiler's own sampling takes 5–10 — after more than 40 ms since
 * the last write), at least every 5 s, at exit and on SIGINT or SIGTERM. A provider host is idle
 * between its last call and the engine's SIGKILL, so its profile is written before it is killed;
 * flushing on a timer instead would either lose the end or, flushed often, cost more than it
 * measures (each stop resolves every code object).
 */
const HOOK = `
const inspector = require("node:inspector");
const fs = require("node:fs");
const path = require("node:path");
const dir = process.env.PROFILE_DIR;
const session = new inspector.Session();
session.connect();
let n = 0;
const start = () => session.post("Profiler.enable", () => session.post("Profiler.setSamplingInterval", { interval: 1000 }, () => session.post("Profiler.start")));
let lastFlush = Date.now();
const flush = (restart) => session.post("Profiler.stop", (err, res) => {
    lastFlush = Date.now();
    if (!err && res && res.profile.samples.length > 0) fs.writeFileSync(path.join(dir, process.pid + "-" + ++n + ".cpuprofile"), JSON.stringify(res.profile));
    if (restart) start();
});
start();
let cpu = process.cpuUsage();
let worked = 0;
let idle = 0;
setInterval(() => {
    const d = process.cpuUsage(cpu);
    const used = (d.user + d.system) / 1000;
    cpu = process.cpuUsage();
    worked += used;
    idle = used < 15 ? idle + 1 : 0;
    if ((worked > 40 && idle >= 2) || Date.now() - lastFlush > 5000) {
        worked = 0;
        idle = 0;
        flush(true);
        cpu = process.cpuUsage();
    }
}, 100).unref();
process.on("exit", () => flush(false));
for (const signal of ["SIGINT", "SIGTERM"]) process.once(signal, () => { flush(false); process.kill(process.pid, signal); });
`;

/** One Node.js process's profile, summarized. */
export interface NodeSummary {
    readonly kind: "provider host" | "program";
    readonly cpuMs: number;
    readonly byCategory: Map<string, number>;
    readonly byFunction: Map<string, number>;
}

function summarize(files: readonly string[]): NodeSummary {
    const byCategory = new Map<string, number>();
    const byFunction = new Map<string, number>();
    let provider = false;
    for (const file of files) {
        const p = JSON.parse(fs.readFileSync(file, "utf8")) as CpuProfile;
        const byId = new Map(p.nodes.map((n) => [n.id, n]));
        for (const n of p.nodes) if (/cmd\/dynamic-provider|dist\/plugin\/main\.js|floor-plugin/.test(n.callFrame.url)) provider = true;
        for (let i = 0; i < p.samples.length; i++) {
            const node = byId.get(p.samples[i]);
            if (!node) continue;
            const c = category(node.callFrame);
            const ms = (p.timeDeltas[i] ?? 0) / 1000;
            byCategory.set(c, (byCategory.get(c) ?? 0) + ms);
            const { functionName, url, lineNumber } = node.callFrame;
            const f = `${functionName || "(anonymous)"} ${url.replace(/^.*node_modules\//, "").replace(/^file:\/\//, "")}:${lineNumber + 1}`;
            byFunction.set(f, (byFunction.get(f) ?? 0) + ms);
        }
    }
    const cpuMs = [...byCategory.entries()].filter(([c]) => c !== "(idle)" && c !== "(profiler)").reduce((s, [, v]) => s + v, 0);
    return { kind: provider ? "provider host" : "program", cpuMs, byCategory, byFunction };
}

/** The Node.js processes' summaries of one command (those with at least 50 ms of CPU). */
function nodeSummaries(dir: string): NodeSummary[] {
    const byPid = new Map<string, string[]>();
    for (const file of fs.readdirSync(dir).filter((f) => f.endsWith(".cpuprofile"))) {
        const pid = file.split("-")[0];
        byPid.set(pid, [...(byPid.get(pid) ?? []), path.join(dir, file)]);
    }
    return [...byPid.values()].map(summarize).filter((s) => s.cpuMs >= 50);
}

/** `go tool pprof -top -cum` of the CLI's profile, the engine's own lines. */
function cliTop(binary: string, prefix: string): string[] {
    const file = fs.readdirSync(path.dirname(prefix)).find((f) => f.startsWith(path.basename(prefix)) && f.endsWith(".cpu"));
    if (!file) return [];
    const run = spawnSync("go", ["tool", "pprof", "-top", "-cum", "-nodecount=60", binary, path.join(path.dirname(prefix), file)], { encoding: "utf8", timeout: 120_000 });
    if (run.status !== 0) return [`(go tool pprof failed: ${(run.stderr || "").trim().split("\n")[0]})`];
    const lines = run.stdout.split("\n");
    const total = lines.find((l) => l.startsWith("Duration:")) ?? "";
    const rows = lines.filter((l) => /github\.com\/pulumi|encoding\/json|crypto\/md5|gocloud|runtime\.gcBgMarkWorker/.test(l)).slice(0, 14);
    return [total.trim(), ...rows.map((l) => l.trim().replace(/\s+/g, " "))];
}

function goAvailable(): boolean {
    return spawnSync("go", ["version"], { encoding: "utf8" }).status === 0;
}

function treeLine(t: TreeFigures): string {
    return `whole tree ${ms(t.totalCpuMs)}: ${PARTS.filter((p) => t.parts[p].processes > 0)
        .map((p) => `${p} ${ms(t.parts[p].cpuMs)}`)
        .join(", ")}`;
}

function report(label: string, wallMs: number, tree: TreeFigures, nodes: NodeSummary[], cli: string[]): void {
    console.log(`\n#### ${label}: wall ${ms(wallMs)}; CPU (/proc) ${treeLine(tree)}\n`);
    for (const s of nodes.sort((a, b) => a.kind.localeCompare(b.kind))) {
        const top = [...s.byCategory.entries()].filter(([c]) => c !== "(idle)" && c !== "(profiler)").sort((a, b) => b[1] - a[1]).slice(0, 10);
        console.log(`- ${s.kind}: CPU ${ms(s.cpuMs)} (the profiler's own ${ms(s.byCategory.get("(profiler)") ?? 0)} left out) — ${top.map(([c, cpu]) => `${c} ${ms(cpu)}`).join("; ")}`);
        const functions = [...s.byFunction.entries()].filter(([f]) => !f.startsWith("(idle)") && !f.includes("node:inspector") && !f.startsWith("(profiler)")).sort((a, b) => b[1] - a[1]).slice(0, 8);
        for (const [f, cpu] of functions) console.log(`  - ${ms(cpu)} ${f}`);
    }
    if (cli.length > 0) {
        console.log(`- CLI (Go, \`--profiling\`; ${cli[0]}), by cumulative time:`);
        for (const l of cli.slice(1)) console.log(`  - ${l}`);
    }
}

/** CPU by category of one kind of process (summed over its processes) in one command. */
function byCategory(nodes: readonly NodeSummary[], kind: NodeSummary["kind"]): Map<string, number> {
    const m = new Map<string, number>();
    for (const s of nodes.filter((x) => x.kind === kind)) for (const [c, v] of s.byCategory) if (c !== "(idle)" && c !== "(profiler)") m.set(c, (m.get(c) ?? 0) + v);
    return m;
}

/** The functions whose self time differs most between the sides (medians over the repetitions), for one kind of process. */
function functionDifference(ours: readonly NodeSummary[][], floor: readonly NodeSummary[][], kind: NodeSummary["kind"]): string[] {
    const byFn = (run: readonly NodeSummary[]) => {
        const m = new Map<string, number>();
        for (const s of run.filter((x) => x.kind === kind)) for (const [f, v] of s.byFunction) if (!f.startsWith("(idle)") && !f.startsWith("(profiler)") && !f.includes("node:inspector")) m.set(f, (m.get(f) ?? 0) + v);
        return m;
    };
    const o = ours.map(byFn);
    const f = floor.map(byFn);
    const fns = [...new Set([...o, ...f].flatMap((m) => [...m.keys()]))];
    const med = (runs: Map<string, number>[], fn: string) => median(runs.map((m) => m.get(fn) ?? 0));
    return fns
        .map((fn) => [fn, med(o, fn), med(f, fn)] as const)
        .sort((a, b) => Math.abs(b[1] - b[2]) - Math.abs(a[1] - a[2]))
        .slice(0, 10)
        .map(([fn, a, b]) => `${ms(a)} / ${ms(b)} (${a - b >= 0 ? "+" : ""}${ms(a - b)}) ${fn}`);
}

/** Per category, the median over the repetitions for each side, and ours − floor, for one kind of process. */
function difference(ours: readonly NodeSummary[][], floor: readonly NodeSummary[][], kind: NodeSummary["kind"]): string {
    const o = ours.map((run) => byCategory(run, kind));
    const f = floor.map((run) => byCategory(run, kind));
    const med = (runs: Map<string, number>[], c: string) => median(runs.map((m) => m.get(c) ?? 0));
    const total = (runs: Map<string, number>[]) => median(runs.map((m) => [...m.values()].reduce((a, b) => a + b, 0)));
    const cats = [...new Set([...o, ...f].flatMap((m) => [...m.keys()]))];
    const rows = cats
        .map((c) => [c, med(o, c), med(f, c)] as const)
        .sort((a, b) => Math.abs(b[1] - b[2]) - Math.abs(a[1] - a[2]))
        .slice(0, 8);
    const [to, tf] = [total(o), total(f)];
    const sign = (v: number) => `${v >= 0 ? "+" : ""}${ms(v)}`;
    return `${kind}: ours ${ms(to)}, floor ${ms(tf)} (${sign(to - tf)}) — ${rows.map(([c, a, b]) => `${c} ${ms(a)} / ${ms(b)} (${sign(a - b)})`).join("; ")}`;
}

async function main(): Promise<void> {
    const args = process.argv.slice(2);
    const option = (name: string) => {
        const at = args.indexOf(name);
        return at >= 0 ? args[at + 1] : undefined;
    };
    const n = Number(args.find((a, i) => /^\d+$/.test(a) && !args[i - 1]?.startsWith("--")) ?? 150);
    const ops = (option("--ops") ?? "preview,create,noop").split(",");
    const root = path.resolve(option("--root") ?? path.join(__dirname, ".."));
    const repeat = Number(option("--repeat") ?? 1);
    const yaml = args.includes("--yaml");
    const cli = findPulumi();
    if (!cli.available) throw new Error(`the real Pulumi CLI is needed: ${cli.reason}`);
    const go = goAvailable();
    const tmp = fs.mkdtempSync(path.join(os.tmpdir(), "kaleyra-profile-"));
    const hook = path.join(tmp, "profile-hook.js");
    fs.writeFileSync(hook, HOOK);
    const specs = makeProfiles(n);
    const emulator = await EmulatorProcess.start({ numbers: specs.map((s) => s.args.waNumber).concat(numberAt(n)) });
    const summaries = new Map<string, NodeSummary[][]>();
    const trees = new Map<string, TreeFigures[]>();
    try {
        console.log(`### Profiles: N = ${n}, ${yaml ? "the kaleyra plugin from YAML" : "the dynamic resource"}, ${root === path.resolve(__dirname, "..") ? "this checkout" : root}, ${cli.version}, ${repeat} repetition(s)`);
        const sides = yaml ? yamlSides(cli) : dynamicSides(cli.path, root);
        for (let r = 0; r < repeat; r++) {
            for (const side of r % 2 === 0 ? (["floor", "ours"] as const) : (["ours", "floor"] as const)) {
                const stack = await sides[side].open(path.join(tmp, `${side}-${r}`), emulator);
                const ws = stack.ws;
                stack.declare(specs);
                const commands: [string, string[]][] = [
                    ["preview", ["preview", "--stack", stack.stack]],
                    ["create", ["up", "--stack", stack.stack, "--yes", "--skip-preview"]],
                    ["noop", ["up", "--stack", stack.stack, "--yes", "--skip-preview"]],
                ];
                for (const [op, command] of commands) {
                    const wanted = ops.includes(op);
                    if (!wanted && op === "preview") continue;
                    if (!wanted) {
                        await ws.run(command); // the state the next operation needs
                        continue;
                    }
                    const profDir = path.join(tmp, `${side}-${op}-${r}`);
                    fs.mkdirSync(profDir);
                    const prefix = path.join(profDir, "cli");
                    const run = ws.start([...(go ? ["--profiling", prefix] : []), ...command], { env: { NODE_OPTIONS: `--require ${hook}`, PROFILE_DIR: profDir } });
                    const watch = watchTree(run.pid);
                    const result = await run.result;
                    const tree = watch.stop();
                    if (result.code !== 0) throw new Error(`${side} ${op} failed: ${result.stdout.slice(-500)}${result.stderr.slice(-500)}`);
                    const nodes = nodeSummaries(profDir);
                    summaries.set(`${side}-${op}`, [...(summaries.get(`${side}-${op}`) ?? []), nodes]);
                    trees.set(`${side}-${op}`, [...(trees.get(`${side}-${op}`) ?? []), tree]);
                    report(`${side}, N = ${n}: ${op}${repeat > 1 ? ` (${r + 1}/${repeat})` : ""}`, result.durationMs, tree, nodes, go ? cliTop(cli.path, prefix) : []);
                }
            }
        }
        console.log(`\n#### ours − floor: medians over ${repeat} repetition(s)\n`);
        for (const op of ops) {
            const o = summaries.get(`ours-${op}`);
            const f = summaries.get(`floor-${op}`);
            const to = trees.get(`ours-${op}`) ?? [];
            const tf = trees.get(`floor-${op}`) ?? [];
            if (!o || !f) continue;
            const part = (ts: TreeFigures[], p: (typeof PARTS)[number]) => ms(median(ts.map((t) => t.parts[p].cpuMs)));
            console.log(`- ${op}, CPU from /proc: whole tree ${ms(median(to.map((t) => t.totalCpuMs)))} / ${ms(median(tf.map((t) => t.totalCpuMs)))}; ${PARTS.filter((p) => p !== "other").map((p) => `${p} ${part(to, p)} / ${part(tf, p)}`).join("; ")}`);
            for (const kind of yaml ? (["provider host"] as const) : (["program", "provider host"] as const)) {
                console.log(`  ${op}, profiled: ${difference(o, f, kind)}`);
                for (const line of functionDifference(o, f, kind)) console.log(`    - ${line}`);
            }
        }
    } finally {
        await emulator.close();
        if (args.includes("--keep")) console.log(`\nprofiles kept in ${tmp}`);
        else fs.rmSync(tmp, { recursive: true, force: true });
    }
}

if (require.main === module) {
    main().catch((error: unknown) => {
        process.stderr.write(`profile failed: ${error instanceof Error ? (error.stack ?? error.message) : String(error)}\n`);
        process.exitCode = 1;
    });
}
