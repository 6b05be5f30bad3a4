/**
 * The real-engine section of `npm run bench`: the soak fixture program (N `WhatsAppNumberProfile`s)
 * through the real Pulumi CLI against the emulator — `preview` of a new stack, `up` creating N, a
 * no-op `up`, and `up` with k changed — beside the same N resources of a minimal dynamic provider
 * (bench/fixtures/minimal-provider: no HTTP call, no check, no diff) under the same CLI. For each:
 * wall time, peak RSS of the CLI, of the language host + program, and of the dynamic-provider host
 * (the CLI's process tree, sampled from /proc), and the PUTs the emulator received.
 */
import * as fs from "node:fs";
import * as path from "node:path";

import type { RunningEmulator } from "../provider/emulator";
import { ProfilesStack } from "../tools/cli/profiles-stack";
import { descendants } from "../tools/cli/workspace";
import { makeProfiles, type ProfileSpec } from "../tools/programs/profiles/profiles";
import { formatBytes, formatMs } from "./real-engine-format";

/** The baseline program. */
export const MINIMAL_PROGRAM = path.join(__dirname, "fixtures", "minimal-provider", "index.ts");
/** Profiles changed in the last `up`. */
export const K_CHANGED = 10;

/** The operations measured, in order, on one stack. */
export const OPERATIONS = ["preview", "up (create N)", "up (no change)", "up (k changed)"] as const;
export type OperationName = (typeof OPERATIONS)[number];

/** Peak RSS of each part of the CLI's process tree during one command, bytes. */
export interface TreePeaks {
    readonly cli: number;
    readonly language: number;
    readonly provider: number;
}

/** One measured command. */
export interface RealEngineFigure {
    readonly provider: "kaleyra" | "minimal";
    readonly n: number;
    readonly operation: OperationName;
    readonly wallMs: number;
    readonly peaks: TreePeaks;
    readonly puts: number;
    readonly ok: boolean;
}

function vmHwm(pid: number): number {
    try {
        const m = /VmHWM:\s+(\d+) kB/.exec(fs.readFileSync(`/proc/${pid}/status`, "utf8"));
        return m ? Number(m[1]) * 1024 : 0;
    } catch {
        return 0;
    }
}

function cmdline(pid: number): string {
    try {
        return fs.readFileSync(`/proc/${pid}/cmdline`, "utf8").replace(/\0/g, " ");
    } catch {
        return "";
    }
}

/**
 * Samples the process tree under `root` every 50 ms until stopped; keeps each process's last
 * `VmHWM` (its own peak). A part's peak is the sum of its processes' peaks.
 */
function watchTree(root: number): { stop(): TreePeaks } {
    const peak = new Map<number, { hwm: number; part: keyof TreePeaks }>();
    const sample = (): void => {
        for (const pid of descendants(root)) {
            const line = cmdline(pid);
            const part: keyof TreePeaks =
                pid === root ? "cli" : /dynamic-provider|pulumi-resource-pulumi-nodejs/.test(line) ? "provider" : "language";
            const hwm = vmHwm(pid);
            if (hwm > 0) peak.set(pid, { hwm: Math.max(hwm, peak.get(pid)?.hwm ?? 0), part });
        }
    };
    sample();
    const timer = setInterval(sample, 50);
    return {
        stop() {
            clearInterval(timer);
            const peaks = { cli: 0, language: 0, provider: 0 };
            for (const { hwm, part } of peak.values()) peaks[part] += hwm;
            return peaks;
        },
    };
}

/** The first k profiles of revision 1, the rest of revision 0. */
function changed(n: number, k: number): ProfileSpec[] {
    const next = makeProfiles(n, 1);
    return makeProfiles(n).map((s, i) => (i < k ? next[i] : s));
}

/** Runs the four operations on a new stack of `n` resources of `provider`. */
export async function measureStack(emulator: RunningEmulator, dir: string, n: number, provider: "kaleyra" | "minimal", progress: (l: string) => void): Promise<RealEngineFigure[]> {
    const stack = await ProfilesStack.open(dir, emulator, { "kaleyra:maxConcurrency": "8" }, "bench", {}, provider === "minimal" ? MINIMAL_PROGRAM : undefined);
    const figures: RealEngineFigure[] = [];
    const steps: [OperationName, ProfileSpec[], "preview" | "up"][] = [
        ["preview", makeProfiles(n), "preview"],
        ["up (create N)", makeProfiles(n), "up"],
        ["up (no change)", makeProfiles(n), "up"],
        ["up (k changed)", changed(n, Math.min(K_CHANGED, n)), "up"],
    ];
    for (const [operation, specs, command] of steps) {
        stack.declare(specs);
        emulator.clearRequests();
        progress(`real engine: ${provider}, N = ${n}: ${operation}`);
        const args = command === "preview" ? ["preview", "--stack", stack.stack] : ["up", "--stack", stack.stack, "--yes", "--skip-preview"];
        const run = stack.ws.start(args, {}, true);
        const watch = watchTree(run.pid);
        const result = await run.result;
        const peaks = watch.stop();
        figures.push({ provider, n, operation, wallMs: result.durationMs, peaks, puts: emulator.kaleyraRequests().length, ok: result.code === 0 });
        if (result.code !== 0) progress(`  failed: ${result.stdout.slice(-400)} ${result.stderr.slice(-400)}`);
    }
    return figures;
}

/** Every size, ours then the baseline's, in one run. */
export async function runRealEngine(emulator: RunningEmulator, tmp: string, sizes: readonly number[], progress: (l: string) => void): Promise<RealEngineFigure[]> {
    const all: RealEngineFigure[] = [];
    for (const n of sizes) {
        for (const provider of ["minimal", "kaleyra"] as const) {
            all.push(...(await measureStack(emulator, path.join(tmp, `real-${provider}-${n}`), n, provider, progress)));
        }
    }
    return all;
}

function ideal(operation: OperationName, n: number): number {
    return operation === "up (create N)" ? n : operation === "up (k changed)" ? Math.min(K_CHANGED, n) : 0;
}

/** The section's Markdown. */
export function renderRealEngine(figures: readonly RealEngineFigure[], cliVersion: string, note: string): string {
    const lines = [
        `### 5. Through the real Pulumi CLI (${cliVersion}), against the minimal dynamic provider`,
        "",
        "Each N is one new stack taken through the four operations, for this package (*ours*) and for the minimal",
        "dynamic provider (*min*: bench/fixtures/minimal-provider, no HTTP call, no check, no diff) under the same CLI",
        `(file backend, default \`--parallel\`, \`kaleyra:maxConcurrency\` 8, emulator with no latency). k = ${K_CHANGED}.`,
        "Peak RSS is each process's `VmHWM`, sampled from /proc every 50 ms and summed per part: *CLI* (the `pulumi`",
        "process), *lang* (the Node.js language host and the program's node process), *prov* (the dynamic-provider",
        "host and its launcher). *ratio* is ours / min. PUTs are what the emulator received (ideal 0 / N / 0 / k).",
        note,
        "",
        "| N | operation | PUTs (ideal) | wall, ours | wall, min | ratio | ms / resource, ours | CLI RSS ours / min | lang RSS ours / min | prov RSS ours / min | prov RSS ratio |",
        "| ---: | --- | ---: | ---: | ---: | ---: | ---: | ---: | ---: | ---: | ---: |",
    ];
    for (const f of figures.filter((x) => x.provider === "kaleyra")) {
        const m = figures.find((x) => x.provider === "minimal" && x.n === f.n && x.operation === f.operation);
        const ratio = (a: number, b: number | undefined): string => (b ? `${(a / b).toFixed(2)}×` : "—");
        const flag = f.puts === ideal(f.operation, f.n) && f.ok ? "" : " ⚠";
        lines.push(
            [
                f.n.toLocaleString("en-US"),
                `\`${f.operation}\``,
                `${f.puts} (${ideal(f.operation, f.n)})${flag}`,
                formatMs(f.wallMs),
                m ? formatMs(m.wallMs) : "—",
                ratio(f.wallMs, m?.wallMs),
                (f.wallMs / f.n).toFixed(1),
                `${formatBytes(f.peaks.cli)} / ${m ? formatBytes(m.peaks.cli) : "—"}`,
                `${formatBytes(f.peaks.language)} / ${m ? formatBytes(m.peaks.language) : "—"}`,
                `${formatBytes(f.peaks.provider)} / ${m ? formatBytes(m.peaks.provider) : "—"}`,
                ratio(f.peaks.provider, m?.peaks.provider),
            ].join(" | ").replace(/^/, "| ").concat(" |"),
        );
    }
    return lines.join("\n");
}
