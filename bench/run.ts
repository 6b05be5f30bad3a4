/**
 * `npm run bench`: the package's costs, measured — in process (check, diff, `__provider`, declaring
 * N) and through the real Pulumi CLI (ours against the floor for the dynamic resource and for the
 * plugin from YAML, apply wall time under latency and 429s, faults and parallelism). Prints the
 * sections (Markdown) and a summary to stdout, progress to stderr, and writes bench/RESULTS.md.
 * Needs the package built (`npm run build`; `npm ci` builds it).
 *
 * Settings (environment):
 * - `BENCH_QUICK=1`: quick mode for development — N = 1 and 10, one round, no warm-up, one small
 *   apply scenario, no fault scenarios; RESULTS.md is left alone unless `BENCH_WRITE=1`.
 * - `BENCH_SECTIONS=floor,yaml,…`: run only these sections (ids below).
 * - `BENCH_SIZES`, `BENCH_YAML_SIZES`, `BENCH_ROUNDS`, `BENCH_WARM_UP=0`: the floor comparisons'
 *   N, rounds and warm-up (see bench/real-engine.ts, bench/yaml-floor.ts).
 * - `BENCH_REAL_ENGINE_FAULTS=0`: leave out the fault scenarios.
 * - `BENCH_WRITE=0`: never write RESULTS.md.
 */
import * as fs from "node:fs";
import * as os from "node:os";
import * as path from "node:path";

import { findPulumi } from "../tools/cli";
import { applySection } from "./apply";
import { inProcessSection } from "./in-process-section";
import { loadAverage, machineInfo } from "./machine";
import { dynamicFloorSection } from "./real-engine";
import { pluginBinaryBenchSection } from "./plugin-binary";
import { faultsSection } from "./real-engine-faults";
import { renderResultsFile } from "./report";
import { noCliMarkdown, type BenchContext, type BenchSection, type SectionOutcome } from "./section";
import { yamlFloorSection } from "./yaml-floor";

/**
 * The sections, in the order they run and appear. A new section is a module exporting a
 * {@link BenchSection} (bench/section.ts) and one entry here.
 */
const SECTIONS: readonly BenchSection[] = [
    inProcessSection,
    dynamicFloorSection,
    yamlFloorSection,
    applySection,
    faultsSection,
    pluginBinaryBenchSection,
];

/** Give up on the whole run after this long. */
const RUN_LIMIT_MS = 4 * 60 * 60_000;
const RESULTS_FILE = path.join(__dirname, "RESULTS.md");

function progress(line: string): void {
    process.stderr.write(`bench: ${line}\n`);
}

async function main(): Promise<void> {
    const started = Date.now();
    const machine = machineInfo();
    const env = process.env;
    const quick = env.BENCH_QUICK === "1" || env.BENCH_QUICK === "true";
    const only = env.BENCH_SECTIONS?.split(",").map((s) => s.trim()).filter(Boolean);
    const unknown = only?.filter((id) => !SECTIONS.some((s) => s.id === id)) ?? [];
    if (unknown.length > 0) throw new Error(`BENCH_SECTIONS: no section ${unknown.join(", ")} (sections: ${SECTIONS.map((s) => s.id).join(", ")})`);
    const watchdog = setTimeout(() => {
        progress(`gave up after ${RUN_LIMIT_MS / 60_000} minutes`);
        process.exit(1);
    }, RUN_LIMIT_MS);
    watchdog.unref();

    const cli = findPulumi();
    progress(cli.available ? `Pulumi CLI ${cli.version} (${cli.path})` : `no Pulumi CLI: ${cli.reason}; the real-CLI sections say so`);
    const tmp = fs.mkdtempSync(path.join(os.tmpdir(), "kaleyra-bench-"));
    const ctx: BenchContext = { tmp, cli, quick, env, progress };
    const sections: string[] = [];
    const summary: string[] = [];
    const failures: string[] = [];
    try {
        for (const section of SECTIONS) {
            if (only && !only.includes(section.id)) continue;
            progress(`section ${section.id}: ${section.title}`);
            // A section that needs the CLI is reported as not measured when there is none.
            const outcome: SectionOutcome = section.needsCli && !cli.available ? { markdown: noCliMarkdown(section.title, cli.reason) } : await section.run(ctx);
            sections.push(outcome.markdown);
            summary.push(...(outcome.summary ?? []));
            if (outcome.failure) failures.push(outcome.failure);
            process.stdout.write(`${outcome.markdown}\n\n`);
        }
    } finally {
        clearTimeout(watchdog);
        fs.rmSync(tmp, { recursive: true, force: true });
    }
    if (!cli.available) summary.push(`the real-CLI sections were not measured: ${cli.reason}`);
    process.stdout.write(`## Summary\n\n${summary.map((l) => `- ${l}`).join("\n")}\n`);

    const settings = Object.fromEntries(Object.entries(env).filter(([k, v]) => k.startsWith("BENCH_") && v !== undefined)) as Record<string, string>;
    const write = env.BENCH_WRITE === "1" || (env.BENCH_WRITE !== "0" && !quick && !only);
    if (write) {
        const previous = fs.existsSync(RESULTS_FILE) ? fs.readFileSync(RESULTS_FILE, "utf8") : undefined;
        const run = { machine, totalMs: Date.now() - started, loadAtEnd: loadAverage(), quick, settings, cli: cli.available ? `${cli.version} (${cli.source})` : `none: ${cli.reason}` };
        fs.writeFileSync(RESULTS_FILE, renderResultsFile(sections, summary, run, previous));
        progress(`wrote ${path.relative(process.cwd(), RESULTS_FILE)}`);
    } else {
        progress(`RESULTS.md left alone (${quick ? "quick mode" : only ? "BENCH_SECTIONS" : "BENCH_WRITE=0"}; BENCH_WRITE=1 writes it)`);
    }
    progress(`done in ${((Date.now() - started) / 1000).toFixed(0)} s`);
    if (failures.length > 0) {
        for (const f of failures) progress(`FAILED: ${f}`);
        process.exitCode = 1;
    }
}

main().catch((error: unknown) => {
    process.stderr.write(`bench failed: ${error instanceof Error ? (error.stack ?? error.message) : String(error)}\n`);
    process.exitCode = 1;
});
