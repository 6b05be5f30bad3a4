/**
 * The dynamic resource against its floor under the real Pulumi CLI (issue 18): the profiles
 * program (tools/programs/profiles: N `WhatsAppNumberProfile`s) against the same N resources of
 * the minimal dynamic provider (bench/fixtures/minimal-provider: `create` returns its inputs; no
 * check, no diff, no HTTP), with the machinery of bench/floor.ts.
 *
 * `tsx bench/real-engine.ts [N…] [--rounds R] [--no-warm-up] [--padded]` runs it alone and prints the
 * section; `--padded` compares with the padded control instead (bench/fixtures/padded-minimal-provider:
 * the minimal provider with a `__provider` as large as ours), to see what our code costs once the
 * size of `__provider` is the same on both sides.
 */
import * as fs from "node:fs";
import * as os from "node:os";
import * as path from "node:path";

import { findPulumi } from "../tools/cli";
import { PROFILE_TYPE, PROFILES_PROGRAM } from "../tools/cli/profiles-stack";
import { CliWorkspace } from "../tools/cli/workspace";
import { numberAt, PROFILES_FILE_ENV, writeProfiles } from "../tools/programs/profiles/profiles";
import { EmulatorProcess } from "./emulator-process";
import type { PulumiCli } from "../tools/cli/find";
import { CPU_NOTE, howToRead, inexactCalls, renderCpuTable, renderStateTable, renderWallTable, roundsFor, runFloor, summaryLines, WARM_UP_N, type Contender, type FloorEmulator, type FloorResults, type Side } from "./floor";
import { envNumber, envSizes, noCliMarkdown, type BenchSection } from "./section";

/** The baseline program. */
export const MINIMAL_PROGRAM = path.join(__dirname, "fixtures", "minimal-provider", "index.ts");
/** The control: the minimal provider with a `__provider` as large as ours (bench/fixtures/padded-minimal-provider). */
export const PADDED_PROGRAM = path.join(__dirname, "fixtures", "padded-minimal-provider", "index.ts");

/** Each CLI command's time limit: an `up` of 1,000 takes minutes on a busy machine. */
const COMMAND_TIMEOUT_MS = 30 * 60_000;

/**
 * A side running `program` as the profiles stacks of tools/cli/profiles-stack.ts do (a workspace
 * of tools/cli, transpile-only TypeScript, the profiles file in `SOAK_PROFILES_FILE`, the same
 * stack config for both sides, `kaleyra:maxConcurrency` 8), with the package and SDK from
 * `nodeModules`.
 */
function contender(pulumi: string, program: string, nodeModules: string): Contender {
    return {
        resourceType: PROFILE_TYPE,
        async open(dir: string, emulator: FloorEmulator) {
            fs.mkdirSync(dir, { recursive: true });
            const profilesFile = path.join(dir, "profiles.json");
            writeProfiles(profilesFile, []);
            const ws = CliWorkspace.create({
                pulumi,
                dir,
                layout: { kind: "program", program, projectName: "profiles", nodeModules },
                passphrase: "bench-only",
                transpileOnly: true,
                env: { [PROFILES_FILE_ENV]: profilesFile },
                timeoutMs: COMMAND_TIMEOUT_MS,
            });
            await ws.selectStack("bench");
            await ws.setConfig("bench", { "kaleyra:endpoint": emulator.url, "kaleyra:sid": emulator.sid, "kaleyra:maxConcurrency": "8" }, { "kaleyra:apiKey": emulator.apiKey });
            return { ws, stack: "bench", declare: (specs) => writeProfiles(profilesFile, specs) };
        },
    };
}

/**
 * Ours (tools/programs/profiles) and the floor (the minimal provider's program) under `pulumi`.
 * @param root a checkout whose profiles program and node_modules (so its dist/) ours runs: this
 *   one by default, another to compare before and after a change (bench/profile-real-engine.ts).
 * @param floor the floor's program: {@link MINIMAL_PROGRAM}, or {@link PADDED_PROGRAM} to see what
 *   the size of `__provider` alone costs.
 */
export function dynamicSides(pulumi: string, root = path.resolve(__dirname, ".."), floor = MINIMAL_PROGRAM): Record<Side, Contender> {
    const ours = root === path.resolve(__dirname, "..") ? PROFILES_PROGRAM : path.join(root, "tools", "programs", "profiles", "index.ts");
    return { ours: contender(pulumi, ours, path.join(root, "node_modules")), floor: contender(pulumi, floor, path.join(root, "node_modules")) };
}

/** Runs the comparison (against `floor`, the minimal provider's program by default). */
export function runDynamicFloor(
    emulator: FloorEmulator,
    tmp: string,
    cli: Extract<PulumiCli, { available: true }>,
    sizes: readonly number[],
    rounds: (n: number) => number,
    progress: (l: string) => void,
    warmUp = true,
    floor = MINIMAL_PROGRAM,
): Promise<FloorResults> {
    return runFloor(dynamicSides(cli.path, undefined, floor), emulator, tmp, cli.version, { sizes, rounds, warmUp, progress, label: "dynamic" });
}

/** The section's Markdown. */
export function renderDynamicFloor(r: FloorResults): string {
    return [
        `### ${TITLE}, real Pulumi CLI ${r.cliVersion}`,
        "",
        "*Ours*: tools/programs/profiles, N `WhatsAppNumberProfile`s with all nine fields set. *Floor*: the same N resources of",
        "bench/fixtures/minimal-provider, a dynamic provider whose `create` returns its inputs (no check, no diff, no HTTP). Same CLI,",
        "file backend, default `--parallel`, the same stack config (`kaleyra:maxConcurrency` 8), the emulator in a process of its own",
        "answering at once.",
        howToRead(r),
        "",
        renderWallTable(r),
        "",
        CPU_NOTE,
        "",
        renderCpuTable(r),
        "",
        "State after the creating `up` (first round, `pulumi stack export`): bytes per profile resource (compact JSON) and, of those,",
        "`__provider` (the dynamic-provider host records it in the inputs and the outputs). The engine writes the whole state after",
        "every step, so these bytes are paid about N times per `up`.",
        "",
        renderStateTable(r),
    ].join("\n");
}

/** The N of a full run. */
export const FLOOR_SIZES = [1, 10, 150, 1000] as const;
const TITLE = "Ours against the floor: the minimal dynamic provider";

/**
 * The section of `npm run bench`. `BENCH_SIZES` (default 1,10,150,1000; quick: 1,10) and
 * `BENCH_ROUNDS` (default 5 below N = 1,000 and 3 from there; quick: 1) override its N and
 * rounds; `BENCH_WARM_UP=0` (and quick mode) leave out the warm-up round.
 */
export const dynamicFloorSection: BenchSection = {
    id: "floor",
    title: TITLE,
    needsCli: true,
    async run(ctx) {
        if (!ctx.cli.available) return { markdown: noCliMarkdown(TITLE, ctx.cli.reason) };
        const sizes = envSizes(ctx.env, "BENCH_SIZES", ctx.quick ? [1, 10] : FLOOR_SIZES);
        const rounds = roundsFor(ctx.quick ? 1 : envNumber(ctx.env, "BENCH_ROUNDS", 0) || undefined);
        const warmUp = !ctx.quick && ctx.env.BENCH_WARM_UP !== "0";
        const emulator = await EmulatorProcess.start({ numbers: Array.from({ length: Math.max(WARM_UP_N, ...sizes) }, (_, i) => numberAt(i)) });
        try {
            const results = await runDynamicFloor(emulator, path.join(ctx.tmp, "floor"), ctx.cli, sizes, rounds, ctx.progress, warmUp);
            const bad = inexactCalls(results);
            return {
                markdown: renderDynamicFloor(results),
                summary: summaryLines("dynamic resource", results),
                failure: bad.length > 0 ? `the dynamic resource: ${bad.length} command(s) failed or made other than 0 / N / 0 / k calls` : undefined,
            };
        } finally {
            await emulator.close();
        }
    },
};

async function main(): Promise<void> {
    const args = process.argv.slice(2);
    const at = args.indexOf("--rounds");
    const rounds = at >= 0 ? Number(args[at + 1]) : 3;
    const sizes = args.filter((a, i) => /^\d+$/.test(a) && args[i - 1] !== "--rounds").map(Number);
    const cli = findPulumi();
    if (!cli.available) throw new Error(`the real Pulumi CLI is needed: ${cli.reason}`);
    const ns = sizes.length > 0 ? sizes : [10];
    const tmp = fs.mkdtempSync(path.join(os.tmpdir(), "kaleyra-floor-"));
    const emulator = await EmulatorProcess.start({ numbers: Array.from({ length: Math.max(WARM_UP_N, ...ns) }, (_, i) => numberAt(i)) });
    try {
        const floor = args.includes("--padded") ? PADDED_PROGRAM : MINIMAL_PROGRAM;
        const results = await runDynamicFloor(emulator, tmp, cli, ns, () => rounds, (l) => process.stderr.write(`bench: ${l}\n`), !args.includes("--no-warm-up"), floor);
        if (floor === PADDED_PROGRAM) process.stdout.write("*Floor* here is the padded control, bench/fixtures/padded-minimal-provider (the minimal provider with a `__provider` as large as ours).\n\n");
        process.stdout.write(`${renderDynamicFloor(results)}\n`);
        if (process.env.BENCH_JSON) fs.writeFileSync(process.env.BENCH_JSON, JSON.stringify(results, null, 1));
    } finally {
        await emulator.close();
        fs.rmSync(tmp, { recursive: true, force: true });
    }
}

if (require.main === module) {
    main().catch((error: unknown) => {
        process.stderr.write(`bench failed: ${error instanceof Error ? (error.stack ?? error.message) : String(error)}\n`);
        process.exitCode = 1;
    });
}
