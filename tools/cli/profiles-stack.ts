/**
 * The profiles program (tools/programs/profiles: N `WhatsAppNumberProfile`s from a JSON file) as a
 * stack under the real Pulumi CLI, pointed at an emulator: shared by the end-to-end tests and the
 * bench's real-engine scenarios.
 */
import { strict as assert } from "node:assert";
import * as fs from "node:fs";
import * as path from "node:path";

import { FIELD_LIST } from "../../provider/contract/fields";
import type { NumberProfile, RequestLogEntry, RunningEmulator } from "../../provider/emulator";
import { PROFILES_FILE_ENV, writeProfiles, type ProfileArgs, type ProfileSpec } from "../programs/profiles/profiles";
import { urnName } from "./events";
import { findPulumi } from "./find";
import { CliWorkspace, type ExportedResource } from "./workspace";

/** The repository root. */
export const ROOT = path.resolve(__dirname, "..", "..");
/** The profiles program. */
export const PROFILES_PROGRAM = path.join(ROOT, "tools", "programs", "profiles", "index.ts");
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

/** A stack of the profiles program in a CLI workspace of its own. */
export class ProfilesStack {
    private constructor(
        readonly ws: CliWorkspace,
        readonly stack: string,
        private readonly profilesFile: string,
    ) {}

    /**
     * A new workspace in `dir` (made), stack `stack` selected, pointed at `emulator` with the
     * extra `kaleyra:*` settings.
     */
    static async open(dir: string, emulator: EmulatorRef, settings: Readonly<Record<string, string>> = {}, stack = "dev", env: Readonly<Record<string, string>> = {}, program = PROFILES_PROGRAM): Promise<ProfilesStack> {
        const cli = findPulumi();
        if (!cli.available) throw new Error(cli.reason);
        fs.mkdirSync(dir, { recursive: true });
        const profilesFile = path.join(dir, "profiles.json");
        writeProfiles(profilesFile, []);
        const ws = CliWorkspace.create({
            pulumi: cli.path,
            dir,
            layout: { kind: "program", program, projectName: "profiles", nodeModules: path.join(ROOT, "node_modules") },
            passphrase: "profiles-stack-only",
            transpileOnly: true,
            env: { [PROFILES_FILE_ENV]: profilesFile, ...env },
            timeoutMs: 600_000,
        });
        await ws.selectStack(stack);
        const s = new ProfilesStack(ws, stack, profilesFile);
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
export async function assertStateIsProgram(stack: ProfilesStack, specs: readonly ProfileSpec[]): Promise<void> {
    const state = await stack.exported();
    assert.deepEqual(state.pending, [], "pending operations left in state");
    const recorded = names(state.profiles);
    assert.equal(new Set(recorded).size, recorded.length, "a resource is recorded twice");
    assert.deepEqual([...recorded].sort(), specs.map((s) => s.name).sort(), "the state's resources are not the program's");
    for (const r of state.profiles) assert.ok(r.id && r.id.startsWith("+91987"), `${r.urn} has id ${r.id}`);
}
