/**
 * The dynamic resource against its floor under the real Pulumi CLI (issue 18): the profiles
 * program (tools/programs/profiles: N `WhatsAppNumberProfile`s) against the same N resources of
 * the minimal dynamic provider (bench/fixtures/minimal-provider: `create` returns its inputs; no
 * check, no diff, no HTTP), with the machinery of bench/floor.ts.
 *
 * `tsx bench/real-engine.ts [N…] [--rounds R] [--no-warm-up]` runs it alone and prints the section.
 */
import * as fs from "node:fs";
import * as os from "node:os";
import * as path from "node:path";

import { findPulumi } from "../tools/cli";
import { PROFILE_TYPE, ProfilesStack } from "../tools/cli/profiles-stack";
import { numberAt } from "../tools/programs/profiles/profiles";
import { EmulatorProcess } from "./emulator-process";
import { CPU_NOTE, howToRead, inexactCalls, renderCpuTable, renderStateTable, renderWallTable, runFloor, summaryLines, WARM_UP_N, type Contender, type FloorEmulator, type FloorResults } from "./floor";
import { envNumber, envSizes, noCliMarkdown, type BenchSection } from "./section";

/** The baseline program. */
export const MINIMAL_PROGRAM = path.join(__dirname, "fixtures", "minimal-provider", "index.ts");

/** The provider settings both stacks get. */
const SETTINGS = { "kaleyra:maxConcurrency": "8" };

function contender(program?: string): Contender {
    return {
        resourceType: PROFILE_TYPE,
        open: (dir: string, emulator: FloorEmulator) => ProfilesStack.open(dir, emulator, SETTINGS, "bench", {}, program),
    };
}

/** Ours (the profiles program) and the floor (the minimal provider's program). */
export const DYNAMIC_SIDES = { ours: contender(), floor: contender(MINIMAL_PROGRAM) } as const;

/** Runs the comparison. */
export function runDynamicFloor(emulator: FloorEmulator, tmp: string, cliVersion: string, sizes: readonly number[], rounds: number, progress: (l: string) => void, warmUp = true): Promise<FloorResults> {
    return runFloor(DYNAMIC_SIDES, emulator, tmp, cliVersion, { sizes, rounds, warmUp, progress, label: "dynamic" });
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
/** Rounds per N of a full run. */
export const FLOOR_ROUNDS = 3;
const TITLE = "Ours against the floor: the minimal dynamic provider";

/**
 * The section of `npm run bench`. `BENCH_SIZES` (default 1,10,150,1000; quick: 1,10) and
 * `BENCH_ROUNDS` (default 3; quick: 1) override its N and rounds; `BENCH_WARM_UP=0` (and quick
 * mode) leave out the warm-up round.
 */
export const dynamicFloorSection: BenchSection = {
    id: "floor",
    title: TITLE,
    needsCli: true,
    async run(ctx) {
        if (!ctx.cli.available) return { markdown: noCliMarkdown(TITLE, ctx.cli.reason) };
        const sizes = envSizes(ctx.env, "BENCH_SIZES", ctx.quick ? [1, 10] : FLOOR_SIZES);
        const rounds = envNumber(ctx.env, "BENCH_ROUNDS", ctx.quick ? 1 : FLOOR_ROUNDS);
        const warmUp = !ctx.quick && ctx.env.BENCH_WARM_UP !== "0";
        const emulator = await EmulatorProcess.start({ numbers: Array.from({ length: Math.max(WARM_UP_N, ...sizes) }, (_, i) => numberAt(i)) });
        try {
            const results = await runDynamicFloor(emulator, path.join(ctx.tmp, "floor"), ctx.cli.version, sizes, rounds, ctx.progress, warmUp);
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
        const results = await runDynamicFloor(emulator, tmp, cli.version, ns, rounds, (l) => process.stderr.write(`bench: ${l}\n`), !args.includes("--no-warm-up"));
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
