/**
 * State from the past keeps working, under the real CLI. `tests/fixtures/state-0.1.0` is what
 * version 0.1.0 recorded after one `up` (its `__provider`, inputs, outputs and ids, and the
 * emulator's data file; see its README). As Pulumi's providertest does for provider upgrades, each
 * test `pulumi stack import`s that state into a stack of the same program, restores the emulator
 * from 0.1.0's data file, and runs today's package through preview, up, refresh and destroy,
 * counting every call to Kaleyra. 0.1.0 recorded runtime contract 1 (a serialized object); today's
 * resources record contract 2 (one line), so these also show both served side by side: the engine
 * records the program's new `__provider` as an input at once, and an output keeps 0.1.0's until
 * the resource is next created or updated, so Read and Delete run 0.1.0's text. Also the runtime's
 * refusal of a `__provider` written for another contract, through the engine's Read and Delete.
 */
import { strict as assert } from "node:assert";
import * as fs from "node:fs";
import * as os from "node:os";
import * as path from "node:path";

import { startEmulator, type RunningEmulator } from "../../provider/emulator";
import { PROVIDER_SHIM } from "../../provider/contract/shim";
import { assertOk, ops, requireCli, TestStack, type StackRun } from "../helpers/cli-stack";
import { checkpointOf, type RecordedState } from "../helpers/recorded-state";

const FIXTURE = path.join(__dirname, "..", "fixtures", "state-0.1.0");
const PROGRAM = path.join(__dirname, "..", "fixtures", "profile-program", "index.ts");
const KEY = "Aupgrade0SECRET0key0000000000beef";
const SUPPORT = "+919876543210";
const SALES = "+919876543211";

const OLD_STATE = JSON.parse(fs.readFileSync(path.join(FIXTURE, "state.json"), "utf8")) as RecordedState;
const PROFILES = JSON.parse(fs.readFileSync(path.join(FIXTURE, "profiles.json"), "utf8")) as Record<string, Record<string, string>>;
const FROM_V010 = JSON.parse(fs.readFileSync(path.join(FIXTURE, "emulator-data.json"), "utf8")) as { numbers: Record<string, Record<string, string>> };
const VERSION = (JSON.parse(fs.readFileSync(path.join(__dirname, "..", "..", "package.json"), "utf8")) as { version: string }).version;

/** The recorded resource of that name in 0.1.0's state. */
function oldResource(name: string): RecordedState["resources"][number] {
    const found = OLD_STATE.resources.find((r) => r.name === name);
    assert.ok(found, `no ${name} in the fixture`);
    return found;
}

/** The recorded values without `__provider`. */
function withoutProvider(values: Record<string, unknown>): Record<string, unknown> {
    const { __provider: _p, ...rest } = values;
    return rest;
}

describe("state written by 0.1.0 (tests/fixtures/state-0.1.0), imported and driven by today's package under the real CLI", function () {
    this.timeout(240_000);
    let emulator: RunningEmulator;
    let tmp: string;
    let stack: TestStack;

    before(async function () {
        const cli = requireCli(this);
        tmp = fs.mkdtempSync(path.join(os.tmpdir(), "kaleyra-state-010-"));
        stack = await TestStack.open(cli, { program: PROGRAM, project: OLD_STATE.project, stack: OLD_STATE.stack, dir: path.join(tmp, "stack") });
    });
    /** Each test: the emulator restored from 0.1.0's data file, pointed at by the stack's config. */
    beforeEach(async () => {
        const dataFile = path.join(tmp, "emulator.json");
        fs.copyFileSync(path.join(FIXTURE, "emulator-data.json"), dataFile);
        emulator = await startEmulator({ dataFile, apiKey: KEY, quiet: true });
        await stack.configure({ "kaleyra:sid": emulator.sid, "kaleyra:endpoint": emulator.url }, { "kaleyra:apiKey": KEY });
    });
    afterEach(async () => {
        await emulator?.close();
    });
    after(async function () {
        if (stack && this.currentTest?.state !== "failed") await stack.assertNowhere(KEY);
        if (tmp) fs.rmSync(tmp, { recursive: true, force: true });
    });

    /** The stack's state replaced by 0.1.0's (or `state`). */
    async function importRecorded(state: RecordedState = OLD_STATE): Promise<void> {
        await stack.ws.importStack(stack.stack, checkpointOf(state));
    }

    /** The program declares `profiles` for this command. */
    const program = (profiles: Record<string, object> = PROFILES) => ({ env: { PROFILES_JSON: JSON.stringify(profiles) } });

    /** Runs an operation that must succeed. */
    async function ok(operation: Promise<StackRun>, what: string): Promise<StackRun> {
        const r = await operation;
        assertOk(r, what);
        return r;
    }

    it("the unchanged program after the upgrade: preview and up are all `same` with no PUT; the inputs take the contract-2 __provider, the outputs keep 0.1.0's; refresh (Read with 0.1.0's __provider) keeps the state", async () => {
        await importRecorded();
        assert.deepEqual(Object.keys(emulator.profiles()), [SUPPORT, SALES]);
        for (const name of ["support", "sales"]) {
            for (const method of ["configure", "check", "diff", "create", "read", "update", "delete"]) {
                assert.ok(String(oldResource(name).outputs.__provider).includes(`require("pulumi-kaleyra-whatsapp/runtime").dispatch(1, this, "${method}"`), `no ${method} in 0.1.0's shim`);
            }
        }
        const previewed = await ok(stack.preview(program()), "preview");
        assert.deepEqual(ops(previewed), [["sales", "same"], ["support", "same"]]);

        const upped = await ok(stack.up(program()), "up");
        assert.deepEqual(ops(upped), [["sales", "same"], ["support", "same"]]);
        assert.equal(emulator.kaleyraRequests().length, 0, "no PUT for an unchanged profile");
        const after = await stack.profiles();
        for (const name of ["support", "sales"]) {
            const old = oldResource(name);
            const now = after.find((p) => p.name === name);
            assert.ok(now, `${name} left the state`);
            assert.deepEqual(now.outputs, withoutProvider(old.outputs), `${name}'s recorded outputs changed`);
            assert.deepEqual(now.inputs, withoutProvider(old.inputs), `${name}'s recorded inputs changed`);
            assert.equal(now.provider, PROVIDER_SHIM, "the engine records the program's __provider as the input");
            assert.equal(now.outputProvider, old.outputs.__provider, "a same step keeps the recorded outputs, 0.1.0's __provider included");
        }

        const refreshed = await ok(stack.refresh({ ...program(), expectNoChanges: true }), "refresh");
        assert.deepEqual(ops(refreshed), [["sales", "refresh"], ["support", "refresh"]]);
        assert.deepEqual(await stack.profiles(), after);
        assert.equal(emulator.kaleyraRequests().length, 0);
    });

    it("an edit after the upgrade makes the minimal PUT (wa_number and the changed field); refresh keeps it; destroy makes no call", async () => {
        await importRecorded();
        const edited = { ...PROFILES, support: { ...PROFILES.support, about: "Open 24/7, every day" } };
        const upped = await ok(stack.up(program(edited)), "up");
        assert.deepEqual(ops(upped), [["sales", "same"], ["support", "update"]]);
        assert.deepEqual(
            emulator.kaleyraRequests().map((e) => [e.method, e.body, e.status]),
            [["PUT", { wa_number: SUPPORT, about: "Open 24/7, every day" }, 200]],
        );
        assert.deepEqual(emulator.profile(SUPPORT), { ...FROM_V010.numbers[SUPPORT], about: "Open 24/7, every day" });
        assert.deepEqual(emulator.profile(SALES), FROM_V010.numbers[SALES]);
        const before = await stack.profiles();
        assert.deepEqual(before.find((p) => p.name === "support")?.outputs, edited.support);
        assert.equal(before.find((p) => p.name === "support")?.outputProvider, PROVIDER_SHIM, "the update recorded the contract-2 __provider as the output");
        assert.equal(before.find((p) => p.name === "sales")?.outputProvider, oldResource("sales").outputs.__provider, "an unchanged resource keeps 0.1.0's");

        const refreshed = await ok(stack.refresh({ ...program(edited), expectNoChanges: true }), "refresh");
        assert.deepEqual(ops(refreshed), [["sales", "refresh"], ["support", "refresh"]]);
        assert.deepEqual(await stack.profiles(), before);

        const destroyed = await ok(stack.destroy(program({})), "destroy");
        assert.deepEqual(ops(destroyed), [["sales", "delete"], ["support", "delete"]]);
        assert.deepEqual(await stack.profiles(), []);
        assert.equal(emulator.kaleyraRequests().length, 1, "refresh and destroy make no call");
        assert.equal(emulator.profile(SUPPORT)?.about, "Open 24/7, every day", "destroy leaves the profile on Kaleyra");
    });

    it("destroy straight from the 0.1.0 state (Delete runs 0.1.0's __provider) makes no call", async () => {
        await importRecorded();
        const destroyed = await ok(stack.destroy(program({})), "destroy");
        assert.deepEqual(ops(destroyed), [["sales", "delete"], ["support", "delete"]]);
        assert.deepEqual(await stack.profiles(), []);
        assert.equal(emulator.kaleyraRequests().length, 0);
    });

    it("a __provider written for another contract: Read and Delete fail with an error naming both contracts, the installed version and the fix; the state is kept", async () => {
        const future = structuredClone(OLD_STATE);
        const support = future.resources.find((r) => r.name === "support");
        assert.ok(support);
        for (const values of [support.inputs, support.outputs]) {
            values.__provider = String(values.__provider).replaceAll("dispatch(1, this,", "dispatch(99, this,");
        }
        await importRecorded(future);
        const before = await stack.profiles();
        assert.match(before.find((p) => p.name === "support")?.outputProvider ?? "", /dispatch\(99, this,/);

        const expected = [
            /provider contract 99/,
            new RegExp(`installed pulumi-kaleyra-whatsapp ${VERSION.replace(/\./g, "\\.")} serves contracts 1 and 2`),
            /npm install pulumi-kaleyra-whatsapp@latest/,
        ];
        const refreshed = await stack.refresh(program());
        assert.equal(refreshed.ok, false);
        for (const pattern of expected) assert.match(refreshed.text, pattern);
        assert.deepEqual(refreshed.steps.filter((s) => s.status === "failed").map((s) => s.name), ["support"]);
        assert.deepEqual(await stack.profiles(), before, "a refused refresh keeps the state");

        const destroyed = await stack.destroy(program({}));
        assert.equal(destroyed.ok, false);
        for (const pattern of expected) assert.match(destroyed.text, pattern);
        assert.ok((await stack.profiles()).some((p) => p.name === "support"), "a refused delete keeps the resource");
        assert.equal(emulator.kaleyraRequests().length, 0);
    });
});
