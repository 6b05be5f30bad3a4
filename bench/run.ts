/**
 * `npm run bench`: measures calls per operation, `__provider` and state size, check/diff cost,
 * host memory and apply wall time in one run; prints the tables (Markdown) to stdout and writes
 * bench/RESULTS.md. Progress goes to stderr. Needs the package built (`npm run build`).
 */
import * as fs from "node:fs";
import * as os from "node:os";
import * as path from "node:path";

import { startEmulator } from "../provider/emulator";
import { makeProfiles, numberAt } from "../tools/programs/profiles/profiles";
import { APPLY_SCENARIOS, ApplyFigures, runApply } from "./apply";
import { measureInProcess } from "./in-process";
import { LifecycleFigures, runLifecycle } from "./lifecycle";
import { loadAverage, machineInfo } from "./machine";
import { BaselineThroughHost, BenchResults, renderResultsFile, renderTables } from "./report";
import { serializeProviders } from "./serialization";
import { BenchStack } from "./stack";
import { renderRealEngine, runRealEngine, type RealEngineFigure } from "./real-engine";
import { allPassed, renderFaultScenarios, runFaultScenarios } from "./real-engine-faults";
import { findPulumi } from "../tools/cli";
import { pluginBinarySection } from "./plugin-binary";

const SIZES = [10, 100, 1000] as const;
const BASELINE_N = 10;
/** Give up on the whole run after this long (each harness operation also has its own limit). */
const RUN_LIMIT_MS = 60 * 60_000;
const RESULTS_FILE = path.join(__dirname, "RESULTS.md");
/** Whether to run the real-CLI fault scenarios (`BENCH_REAL_ENGINE_FAULTS=0` skips them). */
const REAL_ENGINE_FAULTS = process.env.BENCH_REAL_ENGINE_FAULTS !== "0";
/** N for the real-CLI section (`BENCH_REAL_ENGINE_SIZES=10,100,1000`; empty to skip it). */
const REAL_ENGINE_SIZES = (process.env.BENCH_REAL_ENGINE_SIZES ?? "10,100,1000").split(",").filter(Boolean).map(Number);

function progress(line: string): void {
    process.stderr.write(`bench: ${line}\n`);
}

async function main(): Promise<void> {
    const started = Date.now();
    const machine = machineInfo();
    const watchdog = setTimeout(() => {
        progress(`gave up after ${RUN_LIMIT_MS / 1000} s`);
        process.exit(1);
    }, RUN_LIMIT_MS);
    watchdog.unref();
    const tmp = fs.mkdtempSync(path.join(os.tmpdir(), "kaleyra-bench-"));
    const emulator = await startEmulator({ numbers: Array.from({ length: Math.max(...SIZES) }, (_, i) => numberAt(i)), quiet: true });
    try {
        progress("serializing the shim and the baseline provider");
        const serialized = await serializeProviders();

        progress(`baseline provider through the host (preview, N = ${BASELINE_N})`);
        const baselineStack = new BenchStack(emulator, path.join(tmp, "baseline"), {}, "baseline");
        baselineStack.declare(makeProfiles(BASELINE_N));
        const baselineRun = (await baselineStack.run("preview")).result;
        const baselineThroughHost: BaselineThroughHost = {
            n: BASELINE_N,
            ok: baselineRun.ok,
            error: baselineRun.errors[0]?.replace(/^check urn:\S+: /, "").slice(0, 160),
        };

        const lifecycles: LifecycleFigures[] = [];
        for (const n of SIZES) {
            progress(`lifecycle of ${n} profiles`);
            const figures = await runLifecycle(emulator, n, tmp);
            if (Math.abs(figures.recordedProvider.length - serialized.shim.length) > 32) {
                progress("warning: the recorded __provider is not the shim serialized here");
            }
            lifecycles.push(figures);
        }

        progress("check and diff in-process");
        const inProcess = await measureInProcess();

        const applies: ApplyFigures[] = [];
        for (const scenario of APPLY_SCENARIOS) {
            progress(`apply ${scenario.n} profiles (latency ${scenario.latencyMs} ms, 429s ${scenario.rateLimitProbability})`);
            applies.push(await runApply(scenario, tmp));
        }

        let realEngine = "";
        let faultsFailed = false;
        const cli = findPulumi();
        if (!cli.available) {
            realEngine = `### 5. Through the real Pulumi CLI\n\nNot measured: ${cli.reason}.`;
        } else {
            if (REAL_ENGINE_SIZES.length > 0) {
                const figures: RealEngineFigure[] = await runRealEngine(emulator, tmp, REAL_ENGINE_SIZES, progress);
                const note = `Sizes this run: ${REAL_ENGINE_SIZES.join(", ")} (\`BENCH_REAL_ENGINE_SIZES\`).`;
                realEngine = renderRealEngine(figures, cli.version, note);
            }
            if (REAL_ENGINE_FAULTS) {
                const faults = await runFaultScenarios(tmp, progress);
                faultsFailed = !allPassed(faults);
                realEngine = [realEngine, renderFaultScenarios(faults)].filter(Boolean).join("\n\n");
            }
        }
        realEngine = [realEngine, await pluginBinarySection(tmp, progress)].filter(Boolean).join("\n\n");

        const results: BenchResults = {
            machine,
            totalMs: Date.now() - started,
            loadAtEnd: loadAverage(),
            serialized,
            baselineThroughHost,
            lifecycles,
            inProcess,
            applies,
        };
        process.stdout.write(`${renderTables(results)}\n\n${realEngine}\n`);
        const file = renderResultsFile(results);
        fs.writeFileSync(RESULTS_FILE, realEngine ? file.replace("\n## Machine\n", `\n${realEngine}\n\n## Machine\n`) : file);
        progress(`wrote ${path.relative(process.cwd(), RESULTS_FILE)} in ${((Date.now() - started) / 1000).toFixed(0)} s`);
        if (faultsFailed) {
            progress("FAILED: a real-engine fault scenario broke its invariants (see section 6)");
            process.exitCode = 1;
        }
    } finally {
        clearTimeout(watchdog);
        await emulator.close();
        fs.rmSync(tmp, { recursive: true, force: true });
    }
}

main().catch((error: unknown) => {
    process.stderr.write(`bench failed: ${error instanceof Error ? (error.stack ?? error.message) : String(error)}\n`);
    process.exitCode = 1;
});
