/**
 * The resource's lifecycle, once for each engine: the engine-side harness (tools/harness, always)
 * and the real Pulumi CLI (tools/cli, where one is found; required in CI). The fixture program
 * (tests/fixtures/lifecycle) runs against the Kaleyra emulator, and every claim is counted in the
 * emulator's request log: what preview, up, refresh and destroy send to Kaleyra, and what they
 * leave in state. Each test starts from a new, empty stack.
 *
 * The CLI-only features (`--diff`, `--replace`, `--expect-no-changes`, `stack export`, the
 * packed tarball, the root project and the examples) are in tests/cli.test.ts.
 */
import { strict as assert } from "node:assert";
import * as fs from "node:fs";
import * as os from "node:os";
import * as path from "node:path";

import { startEmulator, type RequestLogEntry, type RunningEmulator } from "../../provider/emulator";
import { harnessEngine, pulumiEngine, requireEngine, type Engine, type EngineRun, type EngineStack, type RecordedProfile } from "../helpers/engines";
import { fullProfile } from "../helpers/profiles";

const ROOT = path.resolve(__dirname, "..", "..");
const PROGRAM = path.join(__dirname, "..", "fixtures", "lifecycle", "index.ts");
const PROJECT = "lifecycle";
/** A distinctive API key: every test searches everything its stack left behind for it. */
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

function assertOk(r: EngineRun, what: string): void {
    assert.ok(r.ok, `${what} failed:\n${r.text}`);
}

/** name → op of the profile steps, sorted by name. */
function ops(r: EngineRun): [string, string][] {
    return r.steps.map((s): [string, string] => [s.name, s.op]).sort(([a], [b]) => a.localeCompare(b));
}

/** The recorded profile of that name (asserts it exists). */
function recorded(profiles: readonly RecordedProfile[], name: string): RecordedProfile {
    const found = profiles.find((p) => p.name === name);
    assert.ok(found, `no resource ${name} in state: ${JSON.stringify(profiles.map((p) => p.name))}`);
    return found;
}

const ENGINES: Engine[] = [harnessEngine, pulumiEngine(path.join(ROOT, "node_modules"))];

for (const engine of ENGINES) {
    describe(`lifecycle under ${engine.kind === "harness" ? "the engine-side harness" : "the real Pulumi CLI"}, against the emulator`, function () {
        this.timeout(engine.kind === "pulumi" ? 240_000 : 60_000);
        let emulator: RunningEmulator;
        let tmp: string;
        let stack: EngineStack;

        before(async function () {
            requireEngine(engine, this.currentTest?.ctx ?? this);
            emulator = await startEmulator({ apiKey: KEY, numbers: [A, B, C], quiet: true });
        });
        after(async () => {
            await emulator?.close();
        });
        beforeEach(async function () {
            requireEngine(engine, this);
            emulator.reset();
            emulator.setApiKey(KEY);
            tmp = fs.mkdtempSync(path.join(os.tmpdir(), `lifecycle-${engine.kind}-`));
            stack = await engine.open(PROGRAM, PROJECT, "dev", tmp);
            await stack.configure(
                // Fail fast: no test here expects a retry but the one that scripts it.
                { "kaleyra:endpoint": emulator.url, "kaleyra:sid": emulator.sid, "kaleyra:maxRetries": "0" },
                { "kaleyra:apiKey": KEY },
            );
        });
        afterEach(async function () {
            // Whatever the test did, its stack left the key nowhere: not in state, backups, logs, the
            // engine's events, the stack files or anything the engine printed.
            if (stack && this.currentTest?.state === "passed") {
                const texts = await stack.texts();
                assert.ok(texts.length > 0);
                for (const [what, text] of texts) assert.ok(!text.includes(KEY), `the API key is in ${what}`);
            }
            if (tmp) fs.rmSync(tmp, { recursive: true, force: true });
        });

        /** Sets `lifecycle:profiles` (and any other fixture config). */
        function program(profiles: Record<string, Args>, extra: Record<string, string> = {}): Promise<void> {
            return stack.configure({ "lifecycle:profiles": JSON.stringify(profiles), ...extra });
        }

        /** Requests to Kaleyra's paths since the last clear; every one must be a PUT. */
        function puts(): RequestLogEntry[] {
            const requests = emulator.kaleyraRequests();
            assert.ok(requests.every((r) => r.method === "PUT"), `unexpected methods: ${requests.map((r) => r.method).join(", ")}`);
            return requests;
        }

        /** `up` of these profiles, asserted successful, then the request log cleared. */
        async function applied(profiles: Record<string, Args>): Promise<RecordedProfile[]> {
            await program(profiles);
            assertOk(await stack.up(), "up");
            emulator.clearRequests();
            return stack.profiles();
        }

        it("preview of a new stack makes no PUT and plans a create per profile", async () => {
            await program({ a: FULL_A, b: FULL_B });
            const r = await stack.preview();
            assertOk(r, "preview");
            assert.equal(puts().length, 0);
            assert.deepEqual(ops(r), [["a", "create"], ["b", "create"]]);
            assert.ok(r.steps.every((s) => s.status === "planned"), JSON.stringify(r.steps));
            assert.deepEqual(await stack.profiles(), [], "preview records nothing");
            assert.deepEqual(emulator.profile(A), { wa_number: A }, "the emulator's profile is untouched");
        });

        it("up creates each profile with one PUT carrying every field; a second up makes no PUT and every step is same", async () => {
            await program({ a: FULL_A, b: FULL_B });
            const r = await stack.up();
            assertOk(r, "up");
            const bodies = puts().map((p) => p.body as Record<string, string>);
            assert.equal(bodies.length, 2);
            assert.deepEqual(bodies.find((b) => b.wa_number === A), kaleyra(FULL_A));
            assert.deepEqual(bodies.find((b) => b.wa_number === B), kaleyra(FULL_B));
            assert.deepEqual(ops(r), [["a", "create"], ["b", "create"]]);
            assert.deepEqual(emulator.profile(A), kaleyra(FULL_A));
            assert.deepEqual(emulator.profile(B), kaleyra(FULL_B));
            assert.deepEqual((await stack.outputs()).ids, { a: A, b: B });
            const state = await stack.profiles();
            assert.equal(recorded(state, "a").id, A);
            assert.deepEqual(recorded(state, "a").outputs, FULL_A);
            assert.deepEqual(recorded(state, "b").outputs, FULL_B);

            emulator.clearRequests();
            const again = await stack.up();
            assertOk(again, "second up");
            assert.equal(puts().length, 0);
            assert.deepEqual(ops(again), [["a", "same"], ["b", "same"]]);
            assert.deepEqual(await stack.profiles(), state);
        });

        it("one field edited: preview plans an update of that resource; up makes one PUT of wa_number and that field", async () => {
            await applied({ a: FULL_A, b: FULL_B });
            await program({ a: { ...FULL_A, about: "Open 24/7" }, b: FULL_B });
            const planned = await stack.preview();
            assertOk(planned, "preview");
            assert.deepEqual(ops(planned), [["a", "update"], ["b", "same"]]);
            assert.equal(puts().length, 0);
            const r = await stack.up();
            assertOk(r, "up");
            assert.deepEqual(puts().map((p) => p.body), [{ wa_number: A, about: "Open 24/7" }]);
            assert.deepEqual(ops(r), [["a", "update"], ["b", "same"]]);
            assert.deepEqual(emulator.profile(A), kaleyra({ ...FULL_A, about: "Open 24/7" }));
            assert.equal(recorded(await stack.profiles(), "a").outputs.about, "Open 24/7");
            assert.deepEqual((await stack.outputs()).abouts, { a: "Open 24/7", b: FULL_B.about });
        });

        it("a removed field: up makes no PUT, the field leaves the state, Kaleyra keeps its value; then nothing to do", async () => {
            await applied({ a: FULL_A });
            const { website: _website, ...withoutWebsite } = FULL_A;
            await program({ a: withoutWebsite });
            const r = await stack.up();
            assertOk(r, "up");
            assert.equal(puts().length, 0);
            assert.deepEqual(ops(r), [["a", "update"]], "an update that only forgets the field");
            const a = recorded(await stack.profiles(), "a");
            assert.equal("website" in a.outputs, false);
            assert.equal("website" in a.inputs, false);
            assert.deepEqual(a.outputs, withoutWebsite);
            assert.equal(emulator.profile(A)?.website, FULL_A.website);

            const again = await stack.up();
            assertOk(again, "second up");
            assert.equal(puts().length, 0);
            assert.deepEqual(ops(again), [["a", "same"]]);
        });

        it("a bad email fails preview naming the property and the fix, with no PUT", async () => {
            await program({ a: { ...FULL_A, contactEmail: "help at example.com" }, b: FULL_B });
            const r = await stack.preview();
            assert.equal(r.ok, false, "preview must fail");
            assert.match(r.text, /contactEmail/);
            // The reason says what is wrong and shows a valid address.
            assert.match(r.text, /contactEmail[^\n]*email[^\n]*help@example\.com/);
            assert.equal(puts().length, 0);
        });

        it("a bad value stops `pulumi up --yes` (preview first) before anything is applied, and leaves the state as it was", async () => {
            const before = await applied({ a: FULL_A, b: FULL_B });
            await program({ a: { ...FULL_A, businessCategory: "Hotel & Lodging" }, b: { ...FULL_B, about: "changed" } });
            // With --skip-preview the engine fails only `a` and may still apply `b` if its step was
            // already scheduled (see docs/harness.md); the preview of a plain `up --yes` stops both.
            const r = await stack.up({ withPreview: true });
            assert.equal(r.ok, false);
            assert.match(r.text, /businessCategory/);
            assert.equal(puts().length, 0, "not even b's valid change is applied");
            assert.deepEqual(await stack.profiles(), before);
        });

        it("an E962 from Kaleyra fails up with its code and message, leaves that resource's state unchanged, and the next up converges", async () => {
            const before = await applied({ a: FULL_A, b: FULL_B });
            const wanted: Record<"a" | "b", Args> = { a: { ...FULL_A, about: "New hours a" }, b: { ...FULL_B, about: "New hours b" } };
            await program(wanted);
            emulator.failNext(1, { status: 400, body: E962 });
            const r = await stack.up();
            assert.equal(r.ok, false);
            assert.match(r.text, /E962/);
            assert.match(r.text, /display_image cannot be empty/);
            // Whichever update got the scripted error (the first PUT) failed, alone. The other one is
            // applied when its step had started; the real engine may stop before starting it
            // (docs/harness.md, "Check failure with --skip-preview": the same scheduling), so there
            // it is applied (2 PUTs) or left for the next up (1 PUT). The harness starts both.
            const failed = r.steps.filter((s) => s.status === "failed");
            assert.equal(failed.length, 1, JSON.stringify(r.steps));
            const failedName = failed[0].name as "a" | "b";
            const otherName = failedName === "a" ? "b" : "a";
            const sent = puts().length;
            assert.ok(sent === 2 || (engine.kind === "pulumi" && sent === 1), `${sent} PUTs`);
            const otherApplied = sent === 2;
            const state = await stack.profiles();
            assert.deepEqual(recorded(state, failedName), recorded(before, failedName), "the failed resource's state is unchanged");
            if (otherApplied) assert.equal(recorded(state, otherName).outputs.about, wanted[otherName].about);
            else assert.deepEqual(recorded(state, otherName), recorded(before, otherName), "the update never started is not recorded");

            emulator.clearRequests();
            const again = await stack.up();
            assertOk(again, "second up");
            const retried: ("a" | "b")[] = otherApplied ? [failedName] : [failedName, otherName];
            const body = (name: "a" | "b") => ({ wa_number: wanted[name].waNumber, about: wanted[name].about });
            const byNumber = (x: { wa_number: string }, y: { wa_number: string }) => x.wa_number.localeCompare(y.wa_number);
            assert.deepEqual(puts().map((p) => p.body as { wa_number: string }).sort(byNumber), retried.map(body).sort(byNumber));
            for (const name of ["a", "b"] as const) {
                assert.deepEqual(recorded(await stack.profiles(), name).outputs, wanted[name]);
                assert.deepEqual(emulator.profile(wanted[name].waNumber), kaleyra(wanted[name]));
            }
        });

        it("an E413 from Kaleyra fails a create with its code and message, records nothing, and the next up creates it", async () => {
            await program({ a: FULL_A });
            emulator.failNext(1, { status: 400, body: E413 });
            const r = await stack.up();
            assert.equal(r.ok, false);
            assert.match(r.text, /E413/);
            assert.match(r.text, /wa_number field is required and cannot be empty/);
            assert.deepEqual(await stack.profiles(), []);
            assert.deepEqual(emulator.profile(A), { wa_number: A });

            emulator.clearRequests();
            assertOk(await stack.up(), "second up");
            assert.deepEqual(puts().map((p) => p.body), [kaleyra(FULL_A)]);
            assert.deepEqual(recorded(await stack.profiles(), "a").outputs, FULL_A);
        });

        it("a 429 then a 200: up succeeds after one retry, and the provider's retry line is in the output", async () => {
            await stack.configure({ "kaleyra:maxRetries": "2" });
            await program({ a: FULL_A });
            emulator.failNext(1, { status: 429, headers: { "retry-after": "0" }, body: { error: { code: "E429", message: "Too many requests" } } });
            const r = await stack.up();
            assertOk(r, "up");
            assert.equal(puts().length, 2, "the 429 and the retry");
            assert.match(r.text, /retry/i);
            assert.match(r.text, /429/);
            assert.deepEqual(emulator.profile(A), kaleyra(FULL_A));
        });

        it("refresh makes no PUT and keeps the state", async () => {
            const before = await applied({ a: FULL_A, b: FULL_B });
            const r = await stack.refresh(engine.kind === "pulumi" ? { expectNoChanges: true } : {});
            assertOk(r, "refresh");
            assert.equal(puts().length, 0);
            assert.deepEqual(await stack.profiles(), before);
        });

        it("a new waNumber replaces: the new number gets the full profile, the old one no call", async () => {
            await applied({ a: FULL_A });
            const oldProfile = emulator.profile(A);
            const moved = { ...FULL_A, waNumber: C };
            await program({ a: moved });
            const r = await stack.up();
            assertOk(r, "up");
            assert.deepEqual(ops(r), [["a", "replace"]]);
            assert.deepEqual(puts().map((p) => p.body), [kaleyra(moved)], "one PUT, to the new number, with every field");
            assert.deepEqual(emulator.profile(A), oldProfile, "the old number's profile is untouched");
            assert.deepEqual(emulator.profile(C), kaleyra(moved));
            assert.deepEqual((await stack.profiles()).map((p) => [p.name, p.id]), [["a", C]]);
            assert.deepEqual((await stack.outputs()).ids, { a: C });
        });

        it("destroy makes no PUT and empties the stack; the profiles stay on Kaleyra", async () => {
            await applied({ a: FULL_A, b: FULL_B });
            const before = emulator.profiles();
            const r = await stack.destroy();
            assertOk(r, "destroy");
            assert.equal(puts().length, 0);
            assert.deepEqual(ops(r), [["a", "delete"], ["b", "delete"]]);
            assert.deepEqual(await stack.profiles(), []);
            assert.deepEqual(emulator.profiles(), before);
        });

        it("key rotation: after the emulator's key and the stack's secret change, an update and the destroy of a resource created under the old key work", async () => {
            await applied({ a: FULL_A });
            const NEW_KEY = "Arotated0SECRET0key00000000000002";
            emulator.setApiKey(NEW_KEY);
            await stack.configure({}, { "kaleyra:apiKey": NEW_KEY });
            await program({ a: { ...FULL_A, about: "After rotation" } });
            const r = await stack.up();
            assertOk(r, "up after rotation");
            assert.deepEqual(puts().map((p) => [p.body, p.status]), [[{ wa_number: A, about: "After rotation" }, 200]]);
            assertOk(await stack.destroy(), "destroy after rotation");
            assert.deepEqual(await stack.profiles(), []);
            const texts = await stack.texts();
            for (const [what, text] of texts) assert.ok(!text.includes(NEW_KEY), `the new API key is in ${what}`);
        });

        it("a kaleyra:apiKey set as plain config is refused before anything is registered, saying how to store it", async () => {
            const plaintext = "Aplaintext0key0000000000000000009";
            await stack.configure({ "kaleyra:apiKey": plaintext });
            await program({ a: FULL_A });
            for (const r of [await stack.preview(), await stack.up()]) {
                assert.equal(r.ok, false);
                assert.match(r.text, /kaleyra:apiKey is set as plain stack config/);
                assert.match(r.text, /pulumi config set --secret kaleyra:apiKey/);
                assert.ok(!r.text.includes(plaintext), "the message does not repeat the key");
            }
            assert.equal(puts().length, 0);
            assert.deepEqual(await stack.profiles(), []);
        });

        it("a pulumi.secret() incomingUrl is recorded as a secret, and the PUT still carries it", async () => {
            await program({ a: FULL_A }, { "lifecycle:secretFields": JSON.stringify(["incomingUrl"]) });
            assertOk(await stack.up(), "up");
            assert.equal((puts()[0].body as Record<string, string>).incoming_url, FULL_A.incomingUrl);
            const a = recorded(await stack.profiles(), "a");
            assert.deepEqual(a.secretOutputs, ["incomingUrl"]);
            assert.equal(a.outputs.incomingUrl, FULL_A.incomingUrl);
        });

        it("an input unknown at preview (computed from another resource's id) previews, and up applies it", async () => {
            await program({ a: FULL_A, b: { waNumber: B, website: "https://example.com/b" } }, { "lifecycle:aboutFromId": JSON.stringify({ b: "a" }) });
            const planned = await stack.preview();
            assertOk(planned, "preview");
            assert.deepEqual(ops(planned), [["a", "create"], ["b", "create"]]);
            assert.equal(puts().length, 0);
            assertOk(await stack.up(), "up");
            const b = puts().find((p) => (p.body as Record<string, string>).wa_number === B);
            assert.deepEqual(b?.body, { wa_number: B, about: `Backup line for ${A}`, website: "https://example.com/b" });
        });
    });
}
