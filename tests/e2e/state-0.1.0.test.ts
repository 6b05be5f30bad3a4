/**
 * State from the past keeps working. `tests/fixtures/state-0.1.0` is what version 0.1.0 wrote
 * after one `up` (its `__provider`, recorded inputs and outputs, and the emulator's data file; see
 * its README for how it was made). Here the current build takes over that stack through the
 * engine-side harness — Pulumi's real dynamic-provider host, loading the recorded `__provider` —
 * against the emulator restored from 0.1.0's data file: Diff (preview and up), Update, Read
 * (refresh) and Delete (destroy), counting every call to Kaleyra. And the runtime's refusal of a
 * `__provider` written for another contract, directly and through the host.
 */
import { strict as assert } from "node:assert";
import * as fs from "node:fs";
import * as os from "node:os";
import * as path from "node:path";

import { startEmulator, type RunningEmulator } from "../../provider/emulator";
import { RUNTIME_CONTRACT } from "../../provider/engine/runtime";
import { collect, destroy, preview, readState, refresh, up, writeState, type OperationResult, type StackRef, type StackState } from "../../tools/harness";
import { operationTexts } from "../helpers/leaks";

const FIXTURE = path.join(__dirname, "..", "fixtures", "state-0.1.0");
const PROJECT_DIR = path.join(__dirname, "..", "fixtures", "profile-program");
const KEY = "Aupgrade0SECRET0key0000000000beef";
const SUPPORT = "+919876543210";
const SALES = "+919876543211";

const OLD_STATE = JSON.parse(fs.readFileSync(path.join(FIXTURE, "state.json"), "utf8")) as StackState;
const PROFILES = JSON.parse(fs.readFileSync(path.join(FIXTURE, "profiles.json"), "utf8")) as Record<string, Record<string, string>>;
const VERSION = (JSON.parse(fs.readFileSync(path.join(__dirname, "..", "..", "package.json"), "utf8")) as { version: string }).version;

/** The recorded resource of that name in a state. */
function resource(state: StackState, name: string): StackState["resources"][number] {
    const found = state.resources.find((r) => r.name === name);
    assert.ok(found, `no ${name} in state`);
    return found;
}

/** name → op, sorted by name. */
function ops(r: OperationResult): [string, string][] {
    return r.steps.map((s): [string, string] => [s.name, s.op]).sort(([a], [b]) => a.localeCompare(b));
}

describe("state written by 0.1.0 (tests/fixtures/state-0.1.0), driven through the provider host by the current build", function () {
    this.timeout(300_000);
    let emulator: RunningEmulator;
    let tmp: string;
    let stateFile: string;

    beforeEach(async () => {
        tmp = fs.mkdtempSync(path.join(os.tmpdir(), "kaleyra-state-010-"));
        stateFile = path.join(tmp, "state.json");
        fs.copyFileSync(path.join(FIXTURE, "state.json"), stateFile);
        const dataFile = path.join(tmp, "emulator.json");
        fs.copyFileSync(path.join(FIXTURE, "emulator-data.json"), dataFile);
        emulator = await startEmulator({ dataFile, apiKey: KEY, quiet: true });
    });
    afterEach(async () => {
        await emulator.close();
        fs.rmSync(tmp, { recursive: true, force: true });
    });

    function stack(profiles: Record<string, object> = PROFILES): StackRef {
        return {
            projectDir: PROJECT_DIR,
            program: path.join(PROJECT_DIR, "index.ts"),
            project: OLD_STATE.project,
            stack: OLD_STATE.stack,
            config: { "kaleyra:sid": emulator.sid, "kaleyra:apiKey": { secret: KEY }, "kaleyra:endpoint": emulator.url },
            stateFile,
            env: { PROFILES_JSON: JSON.stringify(profiles) },
        };
    }

    /** Run an operation; it must succeed, and leave the key nowhere. */
    async function ok(operation: Promise<OperationResult>): Promise<OperationResult> {
        const r = await operation;
        assert.ok(r.ok, r.errors.join("\n"));
        for (const [where, text] of operationTexts(r, stateFile)) assert.ok(!text.includes(KEY), `the API key is in ${where}`);
        return r;
    }

    it("the fixture is 0.1.0's: a shim dispatching contract 1 to pulumi-kaleyra-whatsapp/runtime, the same text the current build serializes", async () => {
        assert.deepEqual(OLD_STATE.resources.map((r) => r.name).sort(), ["sales", "support"]);
        assert.deepEqual(Object.keys(emulator.profiles()), [SUPPORT, SALES]);
        const collected = await collect(stack());
        assert.ok(collected.ok, collected.error);
        for (const old of OLD_STATE.resources) {
            const shim = String(old.inputs.__provider);
            assert.equal(old.outputs.__provider, shim);
            for (const method of ["configure", "check", "diff", "create", "read", "update", "delete"]) {
                assert.ok(shim.includes(`require("pulumi-kaleyra-whatsapp/runtime").dispatch(1, this, "${method}"`), `no ${method} in the shim`);
            }
            const current = collected.registrations.find((r) => r.name === old.name);
            assert.ok(current, `the program no longer declares ${old.name}`);
            assert.equal(current.inputs.__provider, shim, "the shim's serialized text changed since 0.1.0: every upgrade would now rewrite __provider");
        }
    });

    it("the unchanged program after the upgrade: no diff — preview and up are all `same`, with no PUT; refresh (Read with 0.1.0's __provider) keeps the state", async () => {
        const previewed = await ok(preview(stack()));
        assert.deepEqual(ops(previewed), [["sales", "same"], ["support", "same"]]);
        assert.equal(previewed.grpcCalls.Diff, 2);

        const upped = await ok(up(stack()));
        assert.deepEqual(ops(upped), [["sales", "same"], ["support", "same"]]);
        assert.equal(upped.grpcCalls.Diff, 2);
        assert.deepEqual([upped.grpcCalls.Create, upped.grpcCalls.Update, upped.grpcCalls.Delete], [0, 0, 0]);
        assert.equal(emulator.kaleyraRequests().length, 0, "no PUT for an unchanged profile");
        const after = readState(stateFile);
        for (const name of ["support", "sales"]) {
            assert.deepEqual(resource(after, name).outputs, resource(OLD_STATE, name).outputs, `${name}'s recorded outputs changed`);
            assert.deepEqual(resource(after, name).inputs, resource(OLD_STATE, name).inputs, `${name}'s recorded inputs changed`);
        }

        const refreshed = await ok(refresh(stack()));
        assert.equal(refreshed.grpcCalls.Read, 2);
        assert.deepEqual(ops(refreshed), [["sales", "same"], ["support", "same"]]);
        assert.deepEqual(readState(stateFile).resources, after.resources);
        assert.equal(emulator.kaleyraRequests().length, 0);
    });

    it("an edit after the upgrade makes the minimal PUT (wa_number and the changed field); refresh keeps it; destroy makes no call", async () => {
        const edited = { ...PROFILES, support: { ...PROFILES.support, about: "Open 24/7, every day" } };
        const upped = await ok(up(stack(edited)));
        assert.deepEqual(ops(upped), [["sales", "same"], ["support", "update"]]);
        assert.deepEqual(
            emulator.kaleyraRequests().map((e) => [e.method, e.body, e.status]),
            [["PUT", { wa_number: SUPPORT, about: "Open 24/7, every day" }, 200]],
        );
        const fromV010 = JSON.parse(fs.readFileSync(path.join(FIXTURE, "emulator-data.json"), "utf8")) as { numbers: Record<string, object> };
        assert.deepEqual(emulator.profile(SUPPORT), { ...fromV010.numbers[SUPPORT], about: "Open 24/7, every day" });
        assert.deepEqual(emulator.profile(SALES), fromV010.numbers[SALES]);
        const { __provider: _p, ...supportOutputs } = resource(readState(stateFile), "support").outputs;
        assert.deepEqual(supportOutputs, edited.support);

        const before = readState(stateFile);
        const refreshed = await ok(refresh(stack(edited)));
        assert.deepEqual(ops(refreshed), [["sales", "same"], ["support", "same"]]);
        assert.deepEqual(readState(stateFile).resources, before.resources);

        const destroyed = await ok(destroy(stack({})));
        assert.equal(destroyed.grpcCalls.Delete, 2);
        assert.deepEqual(readState(stateFile).resources, []);
        assert.equal(emulator.kaleyraRequests().length, 1, "refresh and destroy make no call");
        assert.equal(emulator.profile(SUPPORT)?.about, "Open 24/7, every day", "destroy leaves the profile on Kaleyra");
    });

    it("destroy straight from the 0.1.0 state (Delete runs 0.1.0's __provider) makes no call", async () => {
        const destroyed = await ok(destroy(stack({})));
        assert.equal(destroyed.grpcCalls.Delete, 2);
        assert.deepEqual(ops(destroyed), [["sales", "delete"], ["support", "delete"]]);
        assert.deepEqual(readState(stateFile).resources, []);
        assert.equal(emulator.kaleyraRequests().length, 0);
    });

    it("a __provider written for another contract: Read and Delete fail with an error naming both contracts, the installed version and the fix; the state is kept", async () => {
        const future = structuredClone(OLD_STATE);
        const support = resource(future, "support");
        for (const values of [support.inputs, support.outputs]) {
            values.__provider = String(values.__provider).replaceAll("dispatch(1, this,", "dispatch(99, this,");
        }
        writeState(stateFile, future);

        const expected = [
            /provider contract 99/,
            new RegExp(`installed pulumi-kaleyra-whatsapp ${VERSION.replace(/\./g, "\\.")} speaks contract ${RUNTIME_CONTRACT}`),
            /npm install pulumi-kaleyra-whatsapp@latest/,
        ];
        const refreshed = await refresh(stack());
        assert.equal(refreshed.ok, false);
        const refreshError = refreshed.errors.join("\n");
        for (const pattern of expected) assert.match(refreshError, pattern);
        assert.deepEqual(readState(stateFile).resources.map((r) => r.name).sort(), ["sales", "support"]);
        assert.deepEqual(resource(readState(stateFile), "support"), support, "the refused resource's state is untouched");

        const destroyed = await destroy(stack({}));
        assert.equal(destroyed.ok, false);
        for (const pattern of expected) assert.match(destroyed.errors.join("\n"), pattern);
        assert.deepEqual(resource(readState(stateFile), "support"), support, "a refused delete keeps the resource");
        assert.equal(emulator.kaleyraRequests().length, 0);
    });
});
