/**
 * The soak fixture program (tools/harness/fixtures/soak: N `WhatsAppNumberProfile`s from a JSON
 * file) under the real Pulumi CLI, against an emulator: shared by tests/cli-faults.test.ts and the
 * bench's real-engine scenarios (bench/real-engine*.ts).
 */
import { strict as assert } from "node:assert";
import * as fs from "node:fs";
import * as os from "node:os";
import * as path from "node:path";

import { FIELD_LIST } from "../../provider/contract/fields";
import { startEmulator, type NumberProfile, type RequestLogEntry, type RunningEmulator } from "../../provider/emulator";
import { findPulumi, urnName } from "../../tools/cli";
import { pulumiEngine, requireEngine } from "./engines";
import { CliWorkspace, type ExportedResource, type RunningCommand } from "../../tools/cli/workspace";
import { makeProfiles, PROFILES_FILE_ENV, writeProfiles, type ProfileArgs, type ProfileSpec } from "../../tools/harness/fixtures/soak/profiles";

/** The repository root. */
export const ROOT = path.resolve(__dirname, "..", "..");
/** The fixture program. */
export const SOAK_PROGRAM = path.join(ROOT, "tools", "harness", "fixtures", "soak", "index.ts");
/** The profile resources' type. */
export const PROFILE_TYPE = "pulumi-nodejs:dynamic/kaleyra:WhatsAppNumberProfile";

/** What the emulator needs to be told about to receive the stack's PUTs. */
export interface EmulatorRef {
    readonly url: string;
    readonly sid: string;
    readonly apiKey: string;
}

/** The state as `pulumi stack export` has it: the profiles and the pending operations. */
export interface ExportedState {
    /** Profile resources (not marked for deletion), in state order. */
    readonly profiles: ExportedResource[];
    /** `pending_operations`: the resource's URN and the kind (`creating`, `updating`, …). */
    readonly pending: { readonly urn: string; readonly type: string }[];
}

/** A stack of the soak program in a CLI workspace of its own. */
export class CliSoakStack {
    private constructor(
        readonly ws: CliWorkspace,
        readonly stack: string,
        private readonly profilesFile: string,
    ) {}

    /**
     * A new workspace in `dir` (made), stack `stack` selected, pointed at `emulator` with the
     * extra `kaleyra:*` settings.
     */
    static async open(dir: string, emulator: EmulatorRef, settings: Readonly<Record<string, string>> = {}, stack = "dev", env: Readonly<Record<string, string>> = {}, program = SOAK_PROGRAM): Promise<CliSoakStack> {
        const cli = findPulumi();
        if (!cli.available) throw new Error(cli.reason);
        fs.mkdirSync(dir, { recursive: true });
        const profilesFile = path.join(dir, "profiles.json");
        writeProfiles(profilesFile, []);
        const ws = CliWorkspace.create({
            pulumi: cli.path,
            dir,
            layout: { kind: "program", program, projectName: "soak", nodeModules: path.join(ROOT, "node_modules") },
            passphrase: "cli-soak-only",
            transpileOnly: true,
            env: { [PROFILES_FILE_ENV]: profilesFile, ...env },
            timeoutMs: 600_000,
        });
        await ws.selectStack(stack);
        const s = new CliSoakStack(ws, stack, profilesFile);
        await s.point(emulator, settings);
        return s;
    }

    /** Points the stack at `emulator` (and sets `settings`). */
    async point(emulator: EmulatorRef, settings: Readonly<Record<string, string>> = {}): Promise<void> {
        await this.ws.setConfig(this.stack, { "kaleyra:endpoint": emulator.url, "kaleyra:sid": emulator.sid, ...settings }, { "kaleyra:apiKey": emulator.apiKey });
    }

    /** The program declares these profiles from the next command on. */
    declare(specs: readonly ProfileSpec[]): void {
        writeProfiles(this.profilesFile, specs);
    }

    /** The profiles and pending operations in the stack's state. */
    async exported(): Promise<ExportedState> {
        const exported = JSON.parse(await this.ws.exportStack(this.stack)) as {
            deployment?: { resources?: ExportedResource[]; pending_operations?: { resource: { urn: string }; type: string }[] };
        };
        return {
            profiles: (exported.deployment?.resources ?? []).filter((r) => r.type === PROFILE_TYPE && !r.delete),
            pending: (exported.deployment?.pending_operations ?? []).map((p) => ({ urn: p.resource.urn, type: p.type })),
        };
    }
}

/** A profile in Kaleyra's snake_case, as the emulator stores it. */
export function kaleyraProfile(args: ProfileArgs): NumberProfile {
    const profile: Record<string, string> = { wa_number: args.waNumber };
    for (const field of FIELD_LIST) {
        const value = args[field.name];
        if (value !== undefined) profile[field.key] = value;
    }
    return profile as unknown as NumberProfile;
}

/** The `wa_number` of a logged PUT. */
export function waNumberOf(entry: RequestLogEntry): string {
    const body = entry.body as { wa_number?: unknown };
    return typeof body.wa_number === "string" ? body.wa_number : "";
}

/** How many items share each key. */
export function countBy<T>(items: readonly T[], key: (item: T) => string): Map<string, number> {
    const counts = new Map<string, number>();
    for (const item of items) counts.set(key(item), (counts.get(key(item)) ?? 0) + 1);
    return counts;
}

/** The names of the recorded profiles. */
export function names(resources: readonly ExportedResource[]): string[] {
    return resources.map((r) => urnName(r.urn));
}

/** Resolves after `ms`. */
export function sleep(ms: number): Promise<void> {
    return new Promise((resolve) => setTimeout(resolve, ms));
}

/** Polls `condition` every 20 ms until it holds; throws after `timeoutMs`. */
export async function until(condition: () => boolean, timeoutMs: number, what: string): Promise<void> {
    const deadline = Date.now() + timeoutMs;
    while (!condition()) {
        if (Date.now() > deadline) throw new Error(`timed out after ${timeoutMs} ms waiting for ${what}`);
        await sleep(20);
    }
}

/** The emulator holds exactly each spec's profile. */
export function assertConverged(emulator: RunningEmulator, specs: readonly ProfileSpec[]): void {
    const profiles = emulator.profiles();
    for (const spec of specs) assert.deepEqual(profiles[spec.args.waNumber], kaleyraProfile(spec.args), spec.name);
}

/** The stack's state is the program: no pending operation, every resource once, real ids. */
export async function assertStateIsProgram(stack: CliSoakStack, specs: readonly ProfileSpec[]): Promise<void> {
    const state = await stack.exported();
    assert.deepEqual(state.pending, [], "pending operations left in state");
    const recorded = names(state.profiles);
    assert.equal(new Set(recorded).size, recorded.length, "a resource is recorded twice");
    assert.deepEqual([...recorded].sort(), specs.map((s) => s.name).sort(), "the state's resources are not the program's");
    for (const r of state.profiles) assert.ok(r.id && r.id.startsWith("+91987"), `${r.urn} has id ${r.id}`);
}

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
    const engine = pulumiEngine(path.join(ROOT, "node_modules"));
    const scratch: FaultScratch = { tmp: "", emulator: undefined };
    beforeEach(function () {
        requireEngine(engine, this);
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
export async function upUntilApplied(stack: CliSoakStack, emulator: RunningEmulator, applied: number): Promise<RunningCommand> {
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
): Promise<{ specs: ProfileSpec[]; stack: CliSoakStack; emulator: RunningEmulator }> {
    const specs = makeProfiles(n);
    const emulator = await startEmulator({ numbers: specs.map((s) => s.args.waNumber), quiet: true, faults: { latencyMs: 300 } });
    scratch.emulator = emulator;
    const stack = await CliSoakStack.open(scratch.tmp, emulator, { "kaleyra:maxConcurrency": "8" });
    stack.declare(specs);
    return { specs, stack, emulator };
}
