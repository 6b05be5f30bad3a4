/**
 * Where the time of a real-CLI command goes, for this package and the minimal dynamic provider
 * side by side: `tsx bench/profile-real-engine.ts [N] [--noop]` (default 1,000) takes a new stack
 * of N profiles of each through `preview` (and, with `--noop`, `up` and a profiled no-op `up`).
 * Every Node.js process the CLI starts (the language host's program and the dynamic-provider host)
 * loads a small hook (`NODE_OPTIONS=--require`) that runs V8's CPU profiler and writes what it has
 * every 2 s — `--cpu-prof` alone loses the provider host's profile, since the engine kills
 * plugins with SIGKILL. Prints, per command and process, the CPU time sampled and the self time by
 * where the code comes from (this package, the Pulumi SDK, gRPC, TypeScript transpilation, Node's
 * internals, GC). The CLI's own (Go) work is not profiled: compare each command's wall time with
 * the Node processes' CPU. Not part of `npm run bench`.
 */
import * as fs from "node:fs";
import * as os from "node:os";
import * as path from "node:path";

import { startEmulator } from "../provider/emulator";
import { ProfilesStack } from "../tools/cli/profiles-stack";
import { makeProfiles } from "../tools/programs/profiles/profiles";
import { MINIMAL_PROGRAM } from "./real-engine";
import { formatMs } from "./real-engine-format";

interface ProfileNode {
    id: number;
    callFrame: { functionName: string; url: string; lineNumber: number };
}

interface CpuProfile {
    nodes: ProfileNode[];
    startTime: number;
    endTime: number;
    samples: number[];
    timeDeltas: number[];
}

/** Where a frame's code comes from. */
function category(frame: ProfileNode["callFrame"]): string {
    const { url, functionName } = frame;
    if (functionName === "(idle)") return "(idle)";
    if (functionName === "(garbage collector)") return "GC";
    if (functionName === "(program)") return "V8/native (program)";
    if (url === "") return `native: ${functionName || "(anonymous)"}`;
    if (url === "node:inspector") return "(profiler)";
    if (url.startsWith("node:")) return "node internals";
    if (/libphonenumber-js/.test(url)) return "libphonenumber-js";
    if (/pulumi-kaleyra-whatsapp|\/work\/main\/dist\/|\/dist\/(engine|program|contract)\//.test(url)) return "this package (dist/)";
    if (/@grpc|grpc-js/.test(url)) return "gRPC";
    if (/google-protobuf/.test(url)) return "protobuf";
    if (/typescript|ts-node|tsx|esbuild/.test(url)) return "TypeScript transpile";
    if (/@pulumi\/pulumi\/(runtime\/closure|runtime\/closure)/.test(url)) return "SDK: closure serialization";
    if (/@pulumi\/pulumi\/cmd\/dynamic-provider/.test(url)) return "SDK: dynamic-provider host";
    if (/@pulumi\/pulumi/.test(url)) return "SDK: other";
    if (/fixtures\/(soak|minimal-provider)/.test(url)) return "the program";
    if (/node_modules\/([^/]+)/.test(url)) return `npm: ${/node_modules\/((@[^/]+\/)?[^/]+)/.exec(url)?.[1]}`;
    return "other";
}

/**
 * The hook each Node.js process loads: profiles from its start and writes `<pid>-<n>.cpuprofile`
 * every 2 s (stop, write, start again), so a process killed with SIGKILL loses at most 2 s.
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
const flush = () => session.post("Profiler.stop", (err, res) => {
    if (!err && res) fs.writeFileSync(path.join(dir, process.pid + "-" + ++n + ".cpuprofile"), JSON.stringify(res.profile));
    start();
});
start();
setInterval(flush, 2000).unref();
`;

/** Self time by category over one process's profiles, its kind, and its CPU (non-idle) time. */
function summarize(files: readonly string[]): { kind: string; cpuMs: number; byCategory: Map<string, number>; byFunction: Map<string, number> } {
    const byCategory = new Map<string, number>();
    const byFunction = new Map<string, number>();
    let provider = false;
    for (const file of files) {
        const p = JSON.parse(fs.readFileSync(file, "utf8")) as CpuProfile;
        const byId = new Map(p.nodes.map((n) => [n.id, n]));
        for (const n of p.nodes) if (/cmd\/dynamic-provider/.test(n.callFrame.url)) provider = true;
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
    // The profiler's own work (stopping and serializing every 2 s) is not the process's.
    const cpuMs = [...byCategory.entries()].filter(([c]) => c !== "(idle)" && c !== "(profiler)").reduce((s, [, v]) => s + v, 0);
    return { kind: provider ? "provider host" : "language host / program", cpuMs, byCategory, byFunction };
}

function report(label: string, wallMs: number, dir: string): void {
    console.log(`\n#### ${label}: wall ${formatMs(wallMs)}\n`);
    const byPid = new Map<string, string[]>();
    for (const file of fs.readdirSync(dir).filter((f) => f.endsWith(".cpuprofile"))) {
        const pid = file.split("-")[0];
        byPid.set(pid, [...(byPid.get(pid) ?? []), path.join(dir, file)]);
    }
    for (const files of byPid.values()) {
        const s = summarize(files);
        if (s.cpuMs < 100) continue; // the launchers
        const top = [...s.byCategory.entries()].filter(([c]) => c !== "(idle)" && c !== "(profiler)").sort((a, b) => b[1] - a[1]).slice(0, 9);
        console.log(`- ${s.kind}: CPU ${formatMs(s.cpuMs)} (the profiler's own ${formatMs(s.byCategory.get("(profiler)") ?? 0)} left out) — ${top.map(([c, ms]) => `${c} ${formatMs(ms)}`).join("; ")}`);
        const functions = [...s.byFunction.entries()].filter(([f]) => !f.startsWith("(idle)") && !f.includes("node:inspector")).sort((a, b) => b[1] - a[1]).slice(0, 10);
        for (const [f, ms] of functions) console.log(`  - ${formatMs(ms)} ${f}`);
    }
}

async function main(): Promise<void> {
    const n = Number(process.argv.slice(2).find((a) => /^\d+$/.test(a)) ?? 1000);
    const noop = process.argv.includes("--noop");
    const tmp = fs.mkdtempSync(path.join(os.tmpdir(), "kaleyra-profile-"));
    const specs = makeProfiles(n);
    const hook = path.join(tmp, "profile-hook.js");
    fs.writeFileSync(hook, HOOK);
    const emulator = await startEmulator({ numbers: specs.map((s) => s.args.waNumber), quiet: true });
    try {
        for (const provider of ["minimal", "kaleyra"] as const) {
            const stack = await ProfilesStack.open(path.join(tmp, provider), emulator, {}, "profile", {}, provider === "minimal" ? MINIMAL_PROGRAM : undefined);
            stack.declare(specs);
            const profiled = (name: string) => {
                const dir = path.join(tmp, `${provider}-${name}`);
                fs.mkdirSync(dir);
                return { dir, env: { NODE_OPTIONS: `--require ${hook}`, PROFILE_DIR: dir } };
            };
            const preview = profiled("preview");
            const p = await stack.ws.preview(stack.stack, { env: preview.env });
            report(`${provider}, N = ${n}: preview`, p.durationMs, preview.dir);
            if (!noop) continue;
            await stack.ws.up(stack.stack);
            const profile = profiled("noop");
            const u = await stack.ws.up(stack.stack, { env: profile.env });
            report(`${provider}, N = ${n}: no-op up`, u.durationMs, profile.dir);
        }
    } finally {
        await emulator.close();
        if (process.env.KEEP_PROFILES) console.log(`\nprofiles kept in ${tmp}`);
        else fs.rmSync(tmp, { recursive: true, force: true });
    }
}

main().catch((error: unknown) => {
    process.stderr.write(`profile failed: ${error instanceof Error ? (error.stack ?? error.message) : String(error)}\n`);
    process.exitCode = 1;
});
