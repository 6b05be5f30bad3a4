/**
 * The resource's lifecycle as the engine drives it: the fixture program (tests/fixtures/lifecycle)
 * runs under the engine-side harness (tools/harness: the real SDK dynamic-provider host over gRPC,
 * a state file per stack) against the Kaleyra emulator. Every claim is counted in the emulator's
 * request log: what preview, up, refresh and destroy send to Kaleyra, and what they leave in state.
 */
import { strict as assert } from "assert";
import * as fs from "fs";
import * as os from "os";
import * as path from "path";

import { startEmulator, type RequestLogEntry, type RunningEmulator } from "../provider/emulator";
import { destroy, preview, readState, refresh, up, type OperationResult, type ResourceState, type StackRef, type StackState } from "../tools/harness";
import { fullProfile } from "./helpers/profiles";
import { operationTexts } from "./helpers/leaks";

const FIXTURE_DIR = path.join(__dirname, "fixtures", "lifecycle");
const PROJECT = "lifecycle";
/** A distinctive API key: the last test searches every artifact for it. */
const KEY = "Alifecycle0SECRET0key0c0ffee5ba11ad7";
const A = "+919876543210";
const B = "+919876543211";
const C = "+919876543212";

/** Resource arguments as the fixture program passes them on (plain strings). */
type Args = Record<string, string>;

const FULL_A: Args = { ...fullProfile({ waNumber: A, incomingUrl: "https://hooks.example.com/wa/a" }) };
const FULL_B: Args = { ...FULL_A, waNumber: B, about: "Sales, 10-7", incomingUrl: "https://hooks.example.com/wa/b" };

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
function kaleyra(args: Args): Record<string, string> {
    return Object.fromEntries(Object.entries(args).map(([k, v]) => [KALEYRA_KEYS[k], v]));
}

/** Kaleyra's documented E962 error envelope. */
const E962 = {
    error: { code: "E962", type: "VALIDATION_ERROR", parameter: "display_image", message: "display_image cannot be empty", reference: "" },
};
/** Kaleyra's documented E413 error envelope. */
const E413 = {
    error: { code: "E413", type: "VALIDATION_ERROR", parameter: "wa_number", message: "wa_number field is required and cannot be empty.", reference: "" },
};

function assertOk(r: OperationResult): void {
    assert.ok(r.ok, `${r.operation} failed: ${JSON.stringify(r.errors)} ${JSON.stringify(r.checkFailures)}\n${r.programLog}\n${r.hostLog}`);
}

/** The recorded resource of that name (asserts it exists). */
function resource(state: StackState, name: string): ResourceState {
    const found = state.resources.find((r) => r.name === name);
    assert.ok(found, `no resource ${name} in state: ${JSON.stringify(state.resources.map((r) => r.name))}`);
    return found;
}

/** A value as it reads back from a state file (no `undefined` members). */
function json<T>(value: T): T {
    return JSON.parse(JSON.stringify(value)) as T;
}

/** Recorded inputs or outputs without `__provider`. */
function props(values: Record<string, unknown>): Record<string, unknown> {
    const { __provider: _provider, ...rest } = values;
    return rest;
}

describe("lifecycle through the engine-side harness, against the emulator", function () {
    this.timeout(60_000);
    let emulator: RunningEmulator;
    let tmp: string;
    let stateFile: string;
    /** Every operation result of this file, for the final leak search. */
    const results: OperationResult[] = [];
    /** Every state file written by this file, for the final leak search. */
    const stateFiles: string[] = [];

    before(async () => {
        emulator = await startEmulator({ apiKey: KEY, numbers: [A, B, C], quiet: true });
    });
    after(async () => {
        await emulator.close();
        for (const file of stateFiles) fs.rmSync(path.dirname(file), { recursive: true, force: true });
    });
    beforeEach(() => {
        emulator.reset();
        tmp = fs.mkdtempSync(path.join(os.tmpdir(), "lifecycle-"));
        stateFile = path.join(tmp, "dev.json");
        stateFiles.push(stateFile);
    });

    /** The dev stack of the fixture program with these profiles (name → arguments). */
    function stack(profiles: Record<string, Args>, apiKey = KEY): StackRef {
        return {
            projectDir: FIXTURE_DIR,
            program: path.join(FIXTURE_DIR, "index.ts"),
            project: PROJECT,
            stack: "dev",
            config: {
                "kaleyra:endpoint": emulator.url,
                "kaleyra:sid": emulator.sid,
                "kaleyra:apiKey": { secret: apiKey },
                // Fail fast: no test here expects a retry.
                "kaleyra:maxRetries": "0",
                "lifecycle:profiles": JSON.stringify(profiles),
            },
            stateFile,
        };
    }

    type Op = (s: StackRef) => Promise<OperationResult>;
    async function run(op: Op, s: StackRef): Promise<OperationResult> {
        const r = await op(s);
        results.push(r);
        return r;
    }

    /** Requests to Kaleyra's paths since the last clear; every one must be a PUT. */
    function puts(): RequestLogEntry[] {
        const requests = emulator.kaleyraRequests();
        assert.ok(requests.every((r) => r.method === "PUT"), `unexpected methods: ${requests.map((r) => r.method).join(", ")}`);
        return requests;
    }

    /** `up`, asserted successful, then the request log cleared: the starting point of most tests. */
    async function applied(profiles: Record<string, Args>): Promise<OperationResult> {
        const r = await run(up, stack(profiles));
        assertOk(r);
        emulator.clearRequests();
        return r;
    }

    it("preview makes no PUT, plans a create per profile and writes no state", async () => {
        const r = await run(preview, stack({ a: FULL_A, b: FULL_B }));
        assertOk(r);
        assert.equal(puts().length, 0);
        assert.equal(r.summary.create, 2);
        assert.deepEqual(r.steps.map((s) => [s.name, s.op, s.status]).sort(), [["a", "create", "planned"], ["b", "create", "planned"]]);
        assert.deepEqual([r.grpcCalls.Create, r.grpcCalls.Update, r.grpcCalls.Delete], [0, 0, 0]);
        assert.equal(fs.existsSync(stateFile), false);
        assert.deepEqual(emulator.profile(A), { wa_number: A }, "the emulator's profile is untouched");
    });

    it("up creates each profile with one PUT carrying every field", async () => {
        const r = await run(up, stack({ a: FULL_A, b: FULL_B }));
        assertOk(r);
        const bodies = puts().map((p) => p.body as Record<string, string>);
        assert.equal(bodies.length, 2);
        assert.deepEqual(bodies.find((b) => b.wa_number === A), kaleyra(FULL_A));
        assert.deepEqual(bodies.find((b) => b.wa_number === B), kaleyra(FULL_B));
        assert.equal(r.summary.create, 2);
        assert.deepEqual(emulator.profile(A), kaleyra(FULL_A));
        assert.deepEqual(emulator.profile(B), kaleyra(FULL_B));
        assert.deepEqual(r.outputs.ids, { a: A, b: B });
        const state = readState(stateFile);
        assert.equal(resource(state, "a").id, A);
        assert.deepEqual(props(resource(state, "a").outputs), FULL_A);
        assert.deepEqual(props(resource(state, "b").outputs), FULL_B);
    });

    it("a second up with no change makes no PUT and no Create or Update call", async () => {
        const first = await applied({ a: FULL_A, b: FULL_B });
        const r = await run(up, stack({ a: FULL_A, b: FULL_B }));
        assertOk(r);
        assert.equal(puts().length, 0);
        assert.deepEqual([r.grpcCalls.Create, r.grpcCalls.Update, r.grpcCalls.Delete], [0, 0, 0]);
        assert.equal(r.summary.same, 2);
        assert.deepEqual(r.state.resources, first.state.resources);
    });

    it("changing about makes one PUT carrying only wa_number and about", async () => {
        await applied({ a: FULL_A, b: FULL_B });
        const r = await run(up, stack({ a: { ...FULL_A, about: "Open 24/7" }, b: FULL_B }));
        assertOk(r);
        assert.deepEqual(puts().map((p) => p.body), [{ wa_number: A, about: "Open 24/7" }]);
        assert.deepEqual([r.summary.update, r.summary.same], [1, 1]);
        assert.deepEqual(emulator.profile(A), kaleyra({ ...FULL_A, about: "Open 24/7" }));
        assert.equal(resource(r.state, "a").outputs.about, "Open 24/7");
        assert.deepEqual(r.outputs.abouts, { a: "Open 24/7", b: FULL_B.about });
    });

    it("changing waNumber replaces: the new number gets the full profile, the old one is left as it was and leaves the state", async () => {
        await applied({ a: FULL_A });
        const oldProfile = emulator.profile(A);
        const moved = { ...FULL_A, waNumber: C };
        const r = await run(up, stack({ a: moved }));
        assertOk(r);
        assert.deepEqual(puts().map((p) => p.body), [kaleyra(moved)], "one PUT, to the new number, with every field");
        assert.deepEqual(emulator.profile(A), oldProfile, "the old number's profile is untouched");
        assert.deepEqual(emulator.profile(C), kaleyra(moved));
        const replace = r.steps.find((s) => s.op === "replace");
        assert.ok(replace, JSON.stringify(r.steps));
        assert.deepEqual(replace.replaces, ["waNumber"]);
        assert.equal(r.summary["delete-replaced"], 1, "the old resource was deleted (a no-op delete)");
        assert.deepEqual(r.state.resources.map((s) => [s.name, s.id, s.delete ?? false]), [["a", C, false]]);
        assert.deepEqual(r.outputs.ids, { a: C });
    });

    it("destroy makes no call and empties the state; the profiles stay", async () => {
        await applied({ a: FULL_A, b: FULL_B });
        const before = emulator.profiles();
        const r = await run(destroy, stack({ a: FULL_A, b: FULL_B }));
        assertOk(r);
        assert.equal(puts().length, 0);
        assert.equal(r.summary.delete, 2);
        assert.deepEqual(readState(stateFile).resources, []);
        assert.deepEqual(emulator.profiles(), before);
    });

    it("a check failure stops preview, naming each bad property, with no PUT", async () => {
        const bad = { ...FULL_A, displayImage: "", businessCategory: "Hotel & Lodging" };
        const r = await run(preview, stack({ a: bad, b: FULL_B }));
        assert.equal(r.ok, false);
        assert.deepEqual(r.checkFailures.map((f) => [f.name, f.property]).sort(), [["a", "businessCategory"], ["a", "displayImage"]]);
        const image = r.checkFailures.find((f) => f.property === "displayImage");
        assert.match(image?.reason ?? "", /E962/);
        assert.equal(puts().length, 0);
    });

    it("a check failure stops up before anything is applied and leaves the state as it was", async () => {
        const first = await applied({ a: FULL_A, b: FULL_B });
        const r = await run(up, stack({ a: { ...FULL_A, businessCategory: "Hotel & Lodging" }, b: { ...FULL_B, about: "changed" } }));
        assert.equal(r.ok, false);
        assert.deepEqual(r.checkFailures.map((f) => [f.name, f.property]), [["a", "businessCategory"]]);
        assert.equal(puts().length, 0, "not even b's valid change is applied");
        assert.deepEqual([r.grpcCalls.Create, r.grpcCalls.Update], [0, 0]);
        assert.deepEqual(readState(stateFile).resources, json(first.state.resources));
    });

    it("an E962 from Kaleyra fails up for that resource, leaves its recorded state unchanged, and the next up converges", async () => {
        const first = await applied({ a: FULL_A, b: FULL_B });
        const wanted: Record<"a" | "b", Args> = { a: { ...FULL_A, about: "New hours a" }, b: { ...FULL_B, about: "New hours b" } };
        emulator.failNext(1, { status: 400, body: E962 });
        const r = await run(up, stack(wanted));
        assert.equal(r.ok, false);
        assert.equal(puts().length, 2);
        // Both updates run concurrently; whichever got the scripted error failed, alone.
        const failed = r.steps.filter((s) => s.status === "failed");
        const done = r.steps.filter((s) => s.status === "done");
        assert.equal(failed.length, 1, JSON.stringify(r.steps));
        assert.equal(done.length, 1, JSON.stringify(r.steps));
        assert.match(failed[0].error ?? "", /E962/);
        assert.match(failed[0].error ?? "", /display_image cannot be empty/);
        assert.ok(r.errors.some((e) => e.includes("E962") && e.includes("display_image cannot be empty")), JSON.stringify(r.errors));
        const failedName = failed[0].name as "a" | "b";
        const doneName = done[0].name as "a" | "b";
        const state = readState(stateFile);
        assert.deepEqual(resource(state, failedName), json(resource(first.state, failedName)), "the failed resource's state is unchanged");
        assert.equal(resource(state, doneName).outputs.about, wanted[doneName].about);
        const failedNumber = wanted[failedName].waNumber;
        assert.equal(emulator.profile(failedNumber)?.about, first.state.resources.find((x) => x.name === failedName)?.outputs.about);

        emulator.clearRequests();
        const again = await run(up, stack(wanted));
        assertOk(again);
        assert.deepEqual(puts().map((p) => p.body), [{ wa_number: failedNumber, about: wanted[failedName].about }]);
        for (const name of ["a", "b"] as const) {
            assert.deepEqual(props(resource(again.state, name).outputs), wanted[name]);
            assert.deepEqual(emulator.profile(wanted[name].waNumber), kaleyra(wanted[name]));
        }
    });

    it("an E413 from Kaleyra fails a create, records nothing, and the next up creates it", async () => {
        emulator.failNext(1, { status: 400, body: E413 });
        const r = await run(up, stack({ a: FULL_A }));
        assert.equal(r.ok, false);
        assert.ok(r.errors.some((e) => e.includes("E413")), JSON.stringify(r.errors));
        assert.deepEqual(readState(stateFile).resources, []);
        assert.deepEqual(emulator.profile(A), { wa_number: A });

        emulator.clearRequests();
        const again = await run(up, stack({ a: FULL_A }));
        assertOk(again);
        assert.deepEqual(puts().map((p) => p.body), [kaleyra(FULL_A)]);
        assert.deepEqual(props(resource(again.state, "a").outputs), FULL_A);
    });

    it("a removed field: the next up makes no PUT, the field leaves the state, Kaleyra keeps its value", async () => {
        await applied({ a: FULL_A });
        const { website: _website, ...withoutWebsite } = FULL_A;
        const r = await run(up, stack({ a: withoutWebsite }));
        assertOk(r);
        assert.equal(puts().length, 0);
        assert.equal(r.summary.update, 1, "an update that only forgets the field");
        const recorded = resource(r.state, "a");
        assert.equal("website" in recorded.outputs, false);
        assert.equal("website" in recorded.inputs, false);
        assert.deepEqual(props(recorded.outputs), withoutWebsite);
        assert.equal(emulator.profile(A)?.website, FULL_A.website);

        const again = await run(up, stack({ a: withoutWebsite }));
        assertOk(again);
        assert.equal(puts().length, 0);
        assert.equal(again.summary.same, 1, "and then nothing to do");
    });

    it("refresh makes no PUT and keeps the state", async () => {
        const first = await applied({ a: FULL_A, b: FULL_B });
        const r = await run(refresh, stack({ a: FULL_A, b: FULL_B }));
        assertOk(r);
        assert.equal(puts().length, 0);
        assert.equal(r.summary.same, 2);
        assert.deepEqual(readState(stateFile).resources, json(first.state.resources));
    });

    it("the API key appears nowhere: state files, __provider, outputs, host and program logs, errors", async () => {
        // Its own create, failed updates (Kaleyra's E962, a wrong key) and destroy, on top of every
        // operation the tests above ran (preview, check failures, replace, refresh, ...).
        await run(up, stack({ a: FULL_A }));
        emulator.failNext(1, { status: 400, body: E962 });
        await run(up, stack({ a: { ...FULL_A, about: "E962 path" } }));
        await run(up, stack({ a: { ...FULL_A, about: "wrong key path" } }, "Anot0the0right0key"));
        await run(destroy, stack({ a: FULL_A }));
        assert.ok(results.length >= 4);
        assert.ok(results.some((r) => !r.ok) && results.some((r) => r.ok));

        const providers = new Set<string>();
        for (const r of results) {
            const where = `${r.operation} (${r.durationMs} ms)`;
            for (const [what, text] of operationTexts(r)) {
                assert.ok(!text.includes(KEY), `the API key is in the ${what} of ${where}`);
            }
            for (const res of r.state.resources) {
                for (const p of [res.inputs.__provider, res.outputs.__provider]) if (typeof p === "string") providers.add(p);
            }
        }
        for (const file of stateFiles.filter((f) => fs.existsSync(f))) {
            assert.ok(!fs.readFileSync(file, "utf8").includes(KEY), `the API key is in ${file}`);
        }
        assert.ok(providers.size > 0, "some __provider was recorded");
        for (const p of providers) assert.ok(!p.includes(KEY), "the API key is in a __provider");
        assert.equal(
            emulator.requests().every((r) => !JSON.stringify(r).includes(KEY)),
            true,
            "the emulator's log redacts the api-key header",
        );
    });
});
