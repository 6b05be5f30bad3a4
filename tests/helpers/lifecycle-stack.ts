/**
 * One stack of the lifecycle fixture program (tests/fixtures/lifecycle: its profiles are one stack
 * config value) under the real CLI against the emulator, shared by the tests of one file as the
 * steps of a story: each starts from the profiles the previous step left (`profiles`, ensured by
 * `converge`, which runs an `up` only when the stack holds something else — so a test also runs
 * alone, with `--grep`). After the file, everything the stack printed or left on disk is searched
 * for the API key.
 */
import { strict as assert } from "node:assert";
import * as fs from "node:fs";
import * as os from "node:os";
import * as path from "node:path";

import { startEmulator, type RequestLogEntry, type RunningEmulator } from "../../provider/emulator";
import { assertOk, requireCli, TestStack, type RecordedProfile, type StackRun } from "./cli-stack";
import { fullProfile } from "./profiles";

/** The fixture program. */
const PROGRAM = path.join(__dirname, "..", "fixtures", "lifecycle", "index.ts");

/** The numbers the emulator holds. */
export const A = "+919876543210";
export const B = "+919876543211";
export const C = "+919876543212";
export const D = "+919876543213";
export const E = "+919876543214";

/** Resource arguments as the fixture program passes them on (plain strings). */
export type Args = Record<string, string>;
/** The fixture's profiles: resource name → arguments. */
export type Profiles = Record<string, Args>;

/** A full profile on A, and a second one on B. */
export const FULL_A: Args = { ...fullProfile({ waNumber: A, incomingUrl: "https://hooks.example.com/wa/a" }) };
export const FULL_B: Args = { ...FULL_A, waNumber: B, about: "Sales, 10-7", incomingUrl: "https://hooks.example.com/wa/b" };

/** Kaleyra's keys, written out here (not taken from the provider) so the tests check the provider's table. */
const KALEYRA_KEYS: Record<string, string> = {
    waNumber: "wa_number",
    about: "about",
    address: "address",
    businessDescription: "business_description",
    businessCategory: "business_category",
    contactEmail: "contact_email",
    website: "website",
    displayImage: "display_image",
    incomingUrl: "incoming_url",
};

/** `args` with Kaleyra's snake_case keys: a full PUT body, or a profile as the emulator holds it. */
export function kaleyra(args: Args): Record<string, string> {
    return Object.fromEntries(Object.entries(args).map(([k, v]) => [KALEYRA_KEYS[k], v]));
}

/** The recorded profile of that name (asserts it exists). */
export function recorded(profiles: readonly RecordedProfile[], name: string): RecordedProfile {
    const found = profiles.find((p) => p.name === name);
    assert.ok(found, `no resource ${name} in state: ${JSON.stringify(profiles.map((p) => p.name))}`);
    return found;
}

/** What the stack's state is compared by: name → recorded outputs. */
export function outputsByName(profiles: readonly RecordedProfile[]): Profiles {
    return Object.fromEntries(profiles.map((p) => [p.name, p.outputs as Args]));
}

/** The story's stack and what its steps use. Filled in by the `before` hook. */
export interface LifecycleStack {
    readonly emulator: RunningEmulator;
    readonly stack: TestStack;
    /** The profiles the stack holds after the last step. */
    profiles: Profiles;
    /** Sets `lifecycle:profiles` (and any other fixture config). */
    program(profiles: Profiles, extra?: Record<string, string>): Promise<void>;
    /** Requests to Kaleyra's paths since the last clear; every one must be a PUT. */
    puts(): RequestLogEntry[];
    /** The step's starting point: the stack holds exactly `profiles` (default: the last step's); the request log cleared. */
    converge(profiles?: Profiles): Promise<RecordedProfile[]>;
    /** An `up` of `profiles` that must succeed; its PUTs are then the request log. */
    up(profiles: Profiles): Promise<StackRun>;
}

/**
 * Registers the hooks of a story file in the current `describe` and returns its stack (usable
 * from the first test on): a new emulator with A–E holding `key`, a stack pointed at it with
 * `kaleyra:maxRetries` 0 (no step expects a retry but the one that scripts it), holding `start`.
 */
export function lifecycleStack(project: string, key: string, start: Profiles = {}): LifecycleStack {
    let tmp = "";
    const story = { profiles: start } as LifecycleStack & { emulator: RunningEmulator; stack: TestStack };

    story.program = (profiles, extra = {}) => story.stack.configure({ "lifecycle:profiles": JSON.stringify(profiles), ...extra });
    story.puts = () => {
        const requests = story.emulator.kaleyraRequests();
        assert.ok(requests.every((r) => r.method === "PUT"), `unexpected methods: ${requests.map((r) => r.method).join(", ")}`);
        return requests;
    };
    story.converge = async (profiles = story.profiles) => {
        let state = await story.stack.profiles();
        if (JSON.stringify(outputsByName(state)) !== JSON.stringify(profiles) || state.some((p) => p.secretOutputs.length > 0)) {
            await story.program(profiles, { "lifecycle:secretFields": "[]", "lifecycle:aboutFromId": "{}" });
            assertOk(await story.stack.up(), "converging up");
            state = await story.stack.profiles();
        }
        story.profiles = profiles;
        story.emulator.clearRequests();
        return state;
    };
    story.up = async (profiles) => {
        await story.program(profiles);
        const r = await story.stack.up();
        assertOk(r, "up");
        story.profiles = profiles;
        return r;
    };

    before(async function () {
        const cli = requireCli(this);
        story.emulator = await startEmulator({ apiKey: key, numbers: [A, B, C, D, E], quiet: true });
        tmp = fs.mkdtempSync(path.join(os.tmpdir(), `${project}-`));
        story.stack = await TestStack.open(cli, { program: PROGRAM, project, dir: tmp });
        await story.stack.configure(
            { "kaleyra:endpoint": story.emulator.url, "kaleyra:sid": story.emulator.sid, "kaleyra:maxRetries": "0", "lifecycle:profiles": "{}" },
            { "kaleyra:apiKey": key },
        );
        if (Object.keys(start).length > 0) await story.converge(start);
    });
    beforeEach(() => story.emulator?.clearRequests());
    after(async function () {
        // Whatever the steps did, the key is nowhere: not in state, backups, logs, the engine's
        // events, the stack files or anything the engine printed.
        if (story.stack && this.currentTest?.state !== "failed") await story.stack.assertNowhere(key);
        await story.emulator?.close();
        if (tmp) fs.rmSync(tmp, { recursive: true, force: true });
    });
    return story;
}
