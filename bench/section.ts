/**
 * What a section of `npm run bench` is: a named part of the report that measures something and
 * returns its Markdown. bench/run.ts runs the sections of its list in order; a new section is a
 * module exporting a {@link BenchSection} and one line in that list.
 */
import type { PulumiCli } from "../tools/cli/find";

/** What every section gets. */
export interface BenchContext {
    /** A fresh temporary directory of the run (removed after it). */
    readonly tmp: string;
    /** The Pulumi CLI the real-engine sections drive, or why there is none. */
    readonly cli: PulumiCli;
    /** Quick mode (`BENCH_QUICK=1`): small N, one round, no long scenarios — for development, not for figures. */
    readonly quick: boolean;
    /** The environment the run was started with (the `BENCH_*` settings). */
    readonly env: NodeJS.ProcessEnv;
    /** Writes a progress line to stderr. */
    progress(line: string): void;
}

/** What a section produced. */
export interface SectionOutcome {
    /** Its Markdown, starting with a `###` heading. */
    readonly markdown: string;
    /**
     * Why the run must exit non-zero (an invariant broke: a call count, a fault scenario), or
     * `undefined`. A missed timing target is reported in the Markdown, not here.
     */
    readonly failure?: string;
    /** Lines for the summary printed at the end of the run (e.g. the targets met or missed). */
    readonly summary?: readonly string[];
}

/** One section of the report. */
export interface BenchSection {
    /** Short id, for `BENCH_SECTIONS=<id>,<id>` (run only those). */
    readonly id: string;
    /** What it measures, for progress lines. */
    readonly title: string;
    /** Whether it needs the real Pulumi CLI (it is then reported as not measured without one). */
    readonly needsCli: boolean;
    /** Measures and renders. */
    run(ctx: BenchContext): Promise<SectionOutcome>;
}

/** The sentence a section without a CLI prints: why, and how to get one. */
export function noCliMarkdown(title: string, reason: string): string {
    return [
        `### ${title}`,
        "",
        `**Not measured: no usable Pulumi CLI** (${reason}). Every end-to-end figure of this bench comes from the real Pulumi CLI.`,
        "To measure it, install the Pulumi CLI (a `pulumi` on PATH, with its Node.js language host beside it), or build one into",
        "`.tools/pulumi/bin` with `npm run pulumi:install` (needs Go 1.24 or newer), then run `npm run bench` again.",
    ].join("\n");
}

/** A whole number from the environment, or `fallback`. */
export function envNumber(env: NodeJS.ProcessEnv, name: string, fallback: number): number {
    const raw = env[name];
    if (raw === undefined || raw.trim() === "") return fallback;
    const n = Number(raw);
    if (!Number.isInteger(n) || n < 0) throw new Error(`${name} must be a whole number, got ${JSON.stringify(raw)}`);
    return n;
}

/** A comma-separated list of whole numbers from the environment, or `fallback`. */
export function envSizes(env: NodeJS.ProcessEnv, name: string, fallback: readonly number[]): readonly number[] {
    const raw = env[name];
    if (raw === undefined) return fallback;
    const sizes = raw.split(",").map((s) => s.trim()).filter(Boolean).map(Number);
    if (sizes.some((n) => !Number.isInteger(n) || n < 1)) throw new Error(`${name} must be a comma-separated list of whole numbers ≥ 1, got ${JSON.stringify(raw)}`);
    return sizes;
}
