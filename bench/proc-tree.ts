/**
 * What a CLI command's process tree costs, read from Linux's /proc: for every process under the
 * `pulumi` process, its part (the CLI, the language host, the program, the provider host), its CPU
 * time (`utime + stime`) and its peak resident set (`VmHWM`), sampled until the command exits; and
 * the tree's exact total CPU, from this process's `cutime + cstime` (the CPU of every child it has
 * reaped, and of theirs). CPU time, unlike wall time, barely moves with the machine's load, so the
 * bench uses it to say where the time goes. Elsewhere than Linux every figure is 0.
 */
import * as fs from "node:fs";

import { descendants } from "../tools/cli/workspace";

/** The parts of a CLI command's process tree. */
export const PARTS = ["cli", "language", "program", "provider", "other"] as const;

/** One part of a CLI command's process tree. */
export type Part = (typeof PARTS)[number];

/** CPU time and peak RSS of one part. */
export interface PartFigures {
    /** User + system CPU time, ms, as last sampled (at most one interval short for a process that exited). */
    readonly cpuMs: number;
    /** Sum of the part's processes' peak resident sets (`VmHWM`), bytes. */
    readonly peakRssBytes: number;
    /** Processes seen in this part. */
    readonly processes: number;
}

/** What one command's tree cost. */
export interface TreeFigures {
    /** Per part. */
    readonly parts: Readonly<Record<Part, PartFigures>>;
    /**
     * CPU time of the whole tree, ms, exact: the growth of this process's `cutime + cstime` over the
     * command (0 when unknown). Only meaningful when no other child of this process ran meanwhile.
     */
    readonly totalCpuMs: number;
}

/** Clock ticks per second of /proc times (`getconf CLK_TCK`, 100 on Linux). */
const TICKS_PER_SECOND = 100;

function read(file: string): string | undefined {
    try {
        return fs.readFileSync(file, "utf8");
    } catch {
        return undefined;
    }
}

/** Fields of `/proc/<pid>/stat` after the command name (field 3 of the line is index 0). */
function statFields(pid: number | "self"): string[] | undefined {
    const stat = read(`/proc/${pid}/stat`);
    return stat === undefined ? undefined : stat.slice(stat.lastIndexOf(")") + 2).split(" ");
}

/** CPU time of the reaped children of this process (and of theirs), ms. */
export function childrenCpuMs(): number {
    const f = statFields("self");
    // cutime and cstime are fields 16 and 17 of the line: 13 and 14 here.
    return f ? ((Number(f[13]) + Number(f[14])) * 1000) / TICKS_PER_SECOND : 0;
}

/** The part a process belongs to, from its command line. */
export function partOf(cmdline: string, isRoot: boolean): Part {
    if (isRoot) return "cli";
    if (/pulumi-language-/.test(cmdline)) return "language";
    if (/dynamic-provider|pulumi-resource-/.test(cmdline) || /plugin\/main\.js|fixtures\/[^ ]*-plugin/.test(cmdline)) return "provider";
    if (/\bnode\b|tsx|ts-node/.test(cmdline)) return "program";
    return "other";
}

/** A running watch of one command's tree. */
export interface TreeWatch {
    /** Stops sampling and returns the figures (call after the command has exited). */
    stop(): TreeFigures;
}

/**
 * Samples the tree under `root` every `intervalMs` until stopped: each process's last CPU time and
 * its peak RSS. Start it right after spawning the command and before anything else is spawned.
 */
export function watchTree(root: number, intervalMs = 100): TreeWatch {
    const seen = new Map<number, { part: Part; cpuMs: number; hwm: number }>();
    const cpuAtStart = childrenCpuMs();
    const sample = (): void => {
        for (const pid of descendants(root)) {
            const fields = statFields(pid);
            const status = read(`/proc/${pid}/status`);
            if (!fields || status === undefined) continue;
            const prior = seen.get(pid);
            const part = prior?.part ?? partOf((read(`/proc/${pid}/cmdline`) ?? "").replace(/\0/g, " "), pid === root);
            // utime and stime are fields 14 and 15 of the line: 11 and 12 here.
            const cpuMs = ((Number(fields[11]) + Number(fields[12])) * 1000) / TICKS_PER_SECOND;
            const hwm = Number(/VmHWM:\s+(\d+) kB/.exec(status)?.[1] ?? 0) * 1024;
            seen.set(pid, { part, cpuMs: Math.max(cpuMs, prior?.cpuMs ?? 0), hwm: Math.max(hwm, prior?.hwm ?? 0) });
        }
    };
    sample();
    const timer = setInterval(sample, intervalMs);
    return {
        stop() {
            clearInterval(timer);
            const parts = Object.fromEntries(PARTS.map((p) => [p, { cpuMs: 0, peakRssBytes: 0, processes: 0 }])) as Record<Part, { cpuMs: number; peakRssBytes: number; processes: number }>;
            for (const { part, cpuMs, hwm } of seen.values()) {
                parts[part].cpuMs += cpuMs;
                parts[part].peakRssBytes += hwm;
                parts[part].processes += 1;
            }
            return { parts, totalCpuMs: Math.max(0, childrenCpuMs() - cpuAtStart) };
        },
    };
}
