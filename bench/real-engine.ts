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
import * as path from "node:path";

import { PROFILE_TYPE, PROFILES_PROGRAM } from "../tools/cli/profiles-stack";
import { CliWorkspace } from "../tools/cli/workspace";
import { PROFILES_FILE_ENV, writeProfiles } from "../tools/programs/profiles/profiles";
import { floorSection, renderComparison, runAsScript, type Contender, type FloorComparison, type FloorEmulator, type FloorResults, type Side } from "./floor";
import type { BenchSection } from "./section";

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

/** The section's Markdown. */
export function renderDynamicFloor(r: FloorResults): string {
    return renderComparison(
        TITLE,
        r,
        [
            "*Ours*: tools/programs/profiles, N `WhatsAppNumberProfile`s with all nine fields set. *Floor*: the same N resources of",
            "bench/fixtures/minimal-provider, a dynamic provider whose `create` returns its inputs (no check, no diff, no HTTP). Same CLI,",
            "file backend, default `--parallel`, the same stack config (`kaleyra:maxConcurrency` 8), the emulator in a process of its own",
            "answering at once.",
        ],
        [
            "State after the creating `up` (first round, `pulumi stack export`): bytes per profile resource (compact JSON) and, of those,",
            "`__provider` (the dynamic-provider host records it in the inputs and the outputs). The engine writes the whole state after",
            "every step, so these bytes are paid about N times per `up`.",
        ],
    );
}

const TITLE = "Ours against the floor: the minimal dynamic provider";

/**
 * The comparison: as a section of `npm run bench` ({@link dynamicFloorSection}), or from the command
 * line, where `--padded` takes the padded control as the floor.
 */
export const DYNAMIC_COMPARISON: FloorComparison = {
    id: "floor",
    title: TITLE,
    label: "dynamic resource",
    unavailable: (cli) => (cli.available ? undefined : cli.reason),
    sides: (cli, args) => dynamicSides(cli.path, undefined, args.includes("--padded") ? PADDED_PROGRAM : MINIMAL_PROGRAM),
    render: (r, args) =>
        (args.includes("--padded") ? "*Floor* here is the padded control, bench/fixtures/padded-minimal-provider (the minimal provider with a `__provider` as large as ours).\n\n" : "") +
        renderDynamicFloor(r),
};

/** The section of `npm run bench` (see {@link floorSection} for its settings). */
export const dynamicFloorSection: BenchSection = floorSection(DYNAMIC_COMPARISON);

if (require.main === module) runAsScript(DYNAMIC_COMPARISON);
