/**
 * RESULTS.md: the run's sections, how to read them, the machine, and the analysis written by hand
 * (kept from the previous file between {@link ANALYSIS_START} and {@link ANALYSIS_END}, so a new
 * run refreshes the figures without losing what was learnt from the profiles).
 */
import type { MachineInfo } from "./machine";
import { ms } from "./format";

/** Opens the hand-written part of RESULTS.md. */
export const ANALYSIS_START = "<!-- analysis: written by hand, kept by npm run bench -->";
/** Closes it. */
export const ANALYSIS_END = "<!-- end of analysis -->";

/** Where the results came from. */
export interface RunInfo {
    readonly machine: MachineInfo;
    /** Whole run, ms. */
    readonly totalMs: number;
    /** 1-minute load average at the end. */
    readonly loadAtEnd: number;
    /** Quick mode. */
    readonly quick: boolean;
    /** The `BENCH_*` settings of the run. */
    readonly settings: Readonly<Record<string, string>>;
    /** The CLI used, or why none. */
    readonly cli: string;
}

/** The machine block. */
export function machineBlock(r: RunInfo): string {
    const m = r.machine;
    const settings = Object.entries(r.settings).map(([k, v]) => `${k}=${v}`).join(" ");
    return [
        "```text",
        `date:     ${m.date}`,
        `node:     ${m.node}`,
        `cli:      ${r.cli}`,
        `cpu:      ${m.cpuModel}`,
        `cores:    ${m.cores}`,
        `memory:   ${m.memoryGiB} GiB`,
        `os:       ${m.os}`,
        `load:     ${m.loadAtStart} at the start, ${r.loadAtEnd} at the end (1-minute load average; each real-CLI figure has its own beside it)`,
        `run:      ${ms(r.totalMs)} for the whole npm run bench${r.quick ? " (quick mode)" : ""}`,
        `settings: ${settings || "(defaults)"}`,
        "```",
    ].join("\n");
}

/** The hand-written analysis of `previous` (a RESULTS.md), markers included, or a placeholder. */
export function keptAnalysis(previous: string | undefined): string {
    const start = previous?.indexOf(ANALYSIS_START) ?? -1;
    const end = previous?.indexOf(ANALYSIS_END) ?? -1;
    if (previous !== undefined && start >= 0 && end > start) return previous.slice(start, end + ANALYSIS_END.length);
    return [ANALYSIS_START, "## Where the time goes", "", "(Not written yet: see bench/profile-real-engine.ts.)", ANALYSIS_END].join("\n");
}

const HOW_TO_READ = `## How to read this

Everything below the analysis is written by one \`npm run bench\` (\`bench/run.ts\`); the analysis is written by hand from
\`bench/profile-real-engine.ts\` and kept by each run. Every end-to-end figure comes from the real Pulumi CLI (found as
\`tools/cli\` finds it: a \`pulumi\` on PATH, else \`.tools/pulumi/bin\`), driven through \`tools/cli\` in isolated workspaces
(file backend, private \`PULUMI_HOME\`, offline), against the local emulator in a process of its own; the in-process section
needs no CLI. Call counts and sizes are exact; times move with the machine's load, which is written beside each real-CLI
figure. Nothing here is a pass/fail test (the tests are), except that the run exits non-zero when a call count differs
from the ideal or a fault scenario breaks its invariants.

What the harness-era bench reported and this one does not: the gRPC calls per method (Check, Diff, Create, Update) that
the engine-side stand-in counted. The real CLI does not expose its calls: the engine's event log records steps, not RPCs.
So the calls are now the PUTs the emulator received and the Create and Update *steps* of the event log (one RPC each),
and the cost of the Check and Diff calls is the provider process's CPU in a \`preview\` (N Check) and a no-op \`up\` (N Check +
N Diff) — the floor sections' CPU tables. The \`preview\` of an unchanged stack (the same calls as a no-op \`up\`, without
the final state write) and the \`up\` with k = 1 changed were dropped; k = min(10, N) remains.
`;

/** RESULTS.md. */
export function renderResultsFile(sections: readonly string[], summary: readonly string[], run: RunInfo, previous: string | undefined): string {
    return [
        "# Benchmark results",
        "",
        `Written by \`npm run bench\` (bench/run.ts)${run.quick ? " in quick mode (small N, one round: not figures to quote)" : ""}; the last run's figures. Re-run to refresh.`,
        "",
        keptAnalysis(previous),
        "",
        HOW_TO_READ,
        "## Summary",
        "",
        ...(summary.length > 0 ? summary.map((l) => `- ${l}`) : ["(nothing with a target was measured)"]),
        "",
        "## Results",
        "",
        sections.join("\n\n"),
        "",
        "## Machine",
        "",
        machineBlock(run),
        "",
    ].join("\n");
}
