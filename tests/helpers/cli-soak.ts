/** What the real-CLI fault tests share: their per-test scratch directory, and a slow emulator to interrupt. */
import * as fs from "node:fs";
import * as os from "node:os";
import * as path from "node:path";

import { startEmulator, type RunningEmulator } from "../../provider/emulator";
import { ProfilesStack, until } from "../../tools/cli/profiles-stack";
import type { RunningCommand } from "../../tools/cli/workspace";
import { makeProfiles, type ProfileSpec } from "../../tools/programs/profiles/profiles";
import { requireCli } from "./cli-stack";

/** What a fault test works in: its own directory, and the emulator it starts (closed after the test). */
export interface FaultScratch {
    tmp: string;
    emulator: RunningEmulator | undefined;
}

/**
 * Registers the hooks of a real-CLI fault suite: each test gets a new directory and must have the
 * CLI (or is skipped, or fails where it is required); its emulator is closed and its directory
 * removed afterwards (kept, and printed, with `KALEYRA_KEEP_FAILED=1` when the test failed).
 */
export function faultScratch(prefix: string): FaultScratch {
    const scratch: FaultScratch = { tmp: "", emulator: undefined };
    beforeEach(function () {
        requireCli(this);
        scratch.tmp = fs.mkdtempSync(path.join(os.tmpdir(), prefix));
    });
    afterEach(async function () {
        await scratch.emulator?.close();
        scratch.emulator = undefined;
        if (this.currentTest?.state === "failed" && process.env.KALEYRA_KEEP_FAILED) console.log(`      kept ${scratch.tmp}`);
        else if (scratch.tmp) fs.rmSync(scratch.tmp, { recursive: true, force: true });
    });
    return scratch;
}

/** Starts `pulumi up` of the declared profiles and resolves once `applied` PUTs have succeeded (within 2 minutes). */
export async function upUntilApplied(stack: ProfilesStack, emulator: RunningEmulator, applied: number): Promise<RunningCommand> {
    const run = stack.ws.startUp(stack.stack);
    await until(() => emulator.kaleyraRequests().filter((r) => r.status === 200).length >= applied, 120_000, `${applied} profiles applied`);
    return run;
}

/**
 * `n` new profiles declared on a stack in `scratch`, against an emulator (kept in `scratch`) that
 * answers each PUT after 300 ms, so an `up` has PUTs in flight long enough to be interrupted.
 */
export async function slowApplyStack(
    scratch: FaultScratch,
    n: number,
): Promise<{ specs: ProfileSpec[]; stack: ProfilesStack; emulator: RunningEmulator }> {
    const specs = makeProfiles(n);
    const emulator = await startEmulator({ numbers: specs.map((s) => s.args.waNumber), quiet: true, faults: { latencyMs: 300 } });
    scratch.emulator = emulator;
    const stack = await ProfilesStack.open(scratch.tmp, emulator, { "kaleyra:maxConcurrency": "8" });
    stack.declare(specs);
    return { specs, stack, emulator };
}
