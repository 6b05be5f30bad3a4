/**
 * The resource's lifecycle under the real Pulumi CLI, against the emulator: what preview, up,
 * refresh and destroy send to Kaleyra (counted in the emulator's request log) and leave in state
 * (`pulumi stack export`), on one stack of the fixture program (tests/fixtures/lifecycle), whose
 * profiles are one stack config value.
 *
 * The tests are the steps of one story on that stack, as a user's stack lives: each starts from
 * the profiles the previous one left (`PROFILES`, ensured by `converge`, which only runs an `up`
 * when the stack holds something else — so a test also runs alone, with `--grep`). The engine's
 * output and everything the stack left on disk are searched for the API key at the end.
 */
import { strict as assert } from "node:assert";
import * as fs from "node:fs";
import * as os from "node:os";
import * as path from "node:path";

import { startEmulator, type RequestLogEntry, type RunningEmulator } from "../../provider/emulator";
import { assertOk, ops, PROFILE_TYPE, requireCli, TestStack, type RecordedProfile, type StackRun } from "../helpers/cli-stack";
import { fullProfile } from "../helpers/profiles";

const PROGRAM = path.join(__dirname, "..", "fixtures", "lifecycle", "index.ts");
/** A distinctive API key: everything the stack left behind is searched for it. */
const KEY = "Alifecycle0SECRET0key0c0ffee5ba11ad7";
const A = "+919876543210";
const B = "+919876543211";
const C = "+919876543212";
const D = "+919876543213";
const E = "+919876543214";

/** Resource arguments as the fixture program passes them on (plain strings). */
type Args = Record<string, string>;
type Profiles = Record<string, Args>;

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

/** The recorded profile of that name (asserts it exists). */
function recorded(profiles: readonly RecordedProfile[], name: string): RecordedProfile {
    const found = profiles.find((p) => p.name === name);
    assert.ok(found, `no resource ${name} in state: ${JSON.stringify(profiles.map((p) => p.name))}`);
    return found;
}

/** What the stack's state and Kaleyra's profiles are compared by: name → recorded outputs. */
function outputsByName(profiles: readonly RecordedProfile[]): Profiles {
    return Object.fromEntries(profiles.map((p) => [p.name, p.outputs as Args]));
}

describe("lifecycle under the real Pulumi CLI, against the emulator", function () {
    this.timeout(240_000);
    let emulator: RunningEmulator;
    let tmp: string;
    let stack: TestStack;
    /** The profiles the stack holds after the last step. */
    let PROFILES: Profiles = {};

    before(async function () {
        const cli = requireCli(this);
        emulator = await startEmulator({ apiKey: KEY, numbers: [A, B, C, D, E], quiet: true });
        tmp = fs.mkdtempSync(path.join(os.tmpdir(), "lifecycle-"));
        stack = await TestStack.open(cli, { program: PROGRAM, project: "lifecycle", dir: tmp });
        // Fail fast: no step expects a retry but the one that scripts it.
        await stack.configure({ "kaleyra:endpoint": emulator.url, "kaleyra:sid": emulator.sid, "kaleyra:maxRetries": "0", "lifecycle:profiles": "{}" }, { "kaleyra:apiKey": KEY });
    });
    beforeEach(() => emulator?.clearRequests());
    after(async function () {
        // Whatever the steps did, the key is nowhere: not in state, backups, logs, the engine's
        // events, the stack files or anything the engine printed.
        if (stack && this.currentTest?.state !== "failed") await stack.assertNowhere(KEY);
        await emulator?.close();
        if (tmp) fs.rmSync(tmp, { recursive: true, force: true });
    });

    /** Sets `lifecycle:profiles` (and any other fixture config). */
    function program(profiles: Profiles, extra: Record<string, string> = {}): Promise<void> {
        return stack.configure({ "lifecycle:profiles": JSON.stringify(profiles), ...extra });
    }

    /** Requests to Kaleyra's paths since the last clear; every one must be a PUT. */
    function puts(): RequestLogEntry[] {
        const requests = emulator.kaleyraRequests();
        assert.ok(requests.every((r) => r.method === "PUT"), `unexpected methods: ${requests.map((r) => r.method).join(", ")}`);
        return requests;
    }

    /**
     * The step's starting point: the stack holds exactly `profiles` (an `up` only when it holds
     * something else, e.g. when an earlier step failed or the test runs alone); the request log cleared.
     */
    async function converge(profiles: Profiles = PROFILES): Promise<RecordedProfile[]> {
        let state = await stack.profiles();
        if (JSON.stringify(outputsByName(state)) !== JSON.stringify(profiles) || state.some((p) => p.secretOutputs.length > 0)) {
            await program(profiles, { "lifecycle:secretFields": "[]", "lifecycle:aboutFromId": "{}" });
            assertOk(await stack.up(), "converging up");
            state = await stack.profiles();
        }
        PROFILES = profiles;
        emulator.clearRequests();
        return state;
    }

    /** An `up` that must succeed; its PUTs are then the request log. */
    async function up(profiles: Profiles): Promise<StackRun> {
        await program(profiles);
        const r = await stack.up();
        assertOk(r, "up");
        PROFILES = profiles;
        return r;
    }

    it("preview of a new stack makes no PUT and plans a create per profile", async () => {
        await converge({});
        const before = emulator.profiles();
        await program({ a: FULL_A, b: FULL_B });
        const r = await stack.preview();
        assertOk(r, "preview");
        assert.equal(puts().length, 0);
        assert.deepEqual(ops(r), [["a", "create"], ["b", "create"]]);
        assert.ok(r.steps.every((s) => s.status === "planned"), JSON.stringify(r.steps));
        assert.deepEqual(await stack.profiles(), [], "preview records nothing");
        assert.deepEqual(emulator.profiles(), before, "the emulator's profiles are untouched");
    });

    it("up creates each profile with one PUT carrying every field; a second up makes no PUT and every step is same", async () => {
        await converge({});
        const r = await up({ a: FULL_A, b: FULL_B });
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
        assert.match(recorded(state, "a").provider, /require\("pulumi-kaleyra-whatsapp\/runtime"\)\.dispatch\(1, this, "create"/);

        emulator.clearRequests();
        const again = await stack.up();
        assertOk(again, "second up");
        assert.equal(puts().length, 0);
        assert.deepEqual(ops(again), [["a", "same"], ["b", "same"]]);
        assert.deepEqual(await stack.profiles(), state);
    });

    it("one field edited: preview --diff shows that property of that resource; up makes one PUT of wa_number and that field", async () => {
        await converge();
        const { a, b } = PROFILES;
        const edited = { a: { ...a, about: "Open 24/7" }, b };
        await program(edited);
        const planned = await stack.preview({ diff: true });
        assertOk(planned, "preview");
        assert.deepEqual(ops(planned), [["a", "update"], ["b", "same"]]);
        assert.match(planned.text, new RegExp(`~ about\\s*: "${a.about}" => "Open 24/7"`));
        assert.doesNotMatch(planned.text, /~ (website|address|incomingUrl)/);
        assert.equal(puts().length, 0);
        const r = await up(edited);
        assert.deepEqual(puts().map((p) => p.body), [{ wa_number: A, about: "Open 24/7" }]);
        assert.deepEqual(ops(r), [["a", "update"], ["b", "same"]]);
        assert.deepEqual(emulator.profile(A), kaleyra(edited.a));
        assert.equal(recorded(await stack.profiles(), "a").outputs.about, "Open 24/7");
        assert.deepEqual((await stack.outputs()).abouts, { a: "Open 24/7", b: b.about });
    });

    it("a removed field: up makes no PUT, the field leaves the state, Kaleyra keeps its value; then nothing to do", async () => {
        await converge();
        const { a, b } = PROFILES;
        const { website, ...withoutWebsite } = a;
        assert.ok(website);
        const r = await up({ a: withoutWebsite, b });
        assert.equal(puts().length, 0);
        assert.deepEqual(ops(r), [["a", "update"], ["b", "same"]], "an update that only forgets the field");
        const recordedA = recorded(await stack.profiles(), "a");
        assert.equal("website" in recordedA.outputs, false);
        assert.equal("website" in recordedA.inputs, false);
        assert.deepEqual(recordedA.outputs, withoutWebsite);
        assert.equal(emulator.profile(A)?.website, website);

        const again = await stack.up();
        assertOk(again, "second up");
        assert.equal(puts().length, 0);
        assert.deepEqual(ops(again), [["a", "same"], ["b", "same"]]);
    });

    it("a bad email fails preview naming the property and the fix, with no PUT", async () => {
        await converge();
        const { a, b } = PROFILES;
        await program({ a: { ...a, contactEmail: "help at example.com" }, b });
        const r = await stack.preview();
        assert.equal(r.ok, false, "preview must fail");
        // The reason says what is wrong and shows a valid address.
        assert.match(r.text, /contactEmail[^\n]*email[^\n]*help@example\.com/);
        assert.equal(puts().length, 0);
    });

    it("a bad value stops `pulumi up --yes` (preview first) before anything is applied, and leaves the state as it was", async () => {
        const before = await converge();
        const { a, b } = PROFILES;
        await program({ a: { ...a, businessCategory: "Hotel & Lodging" }, b: { ...b, about: "changed" } });
        // With --skip-preview the engine fails only `a` and may still apply `b` if its step had
        // already started; the preview of a plain `up --yes` stops both.
        const r = await stack.up({ withPreview: true });
        assert.equal(r.ok, false);
        assert.match(r.text, /businessCategory/);
        assert.equal(puts().length, 0, "not even b's valid change is applied");
        assert.deepEqual(await stack.profiles(), before);
    });

    it("an E962 from Kaleyra fails up with its code and message, leaves that resource's state unchanged, and the next up converges", async () => {
        const before = await converge();
        const wanted: Profiles = { a: { ...PROFILES.a, about: "New hours a" }, b: { ...PROFILES.b, about: "New hours b" } };
        await program(wanted);
        emulator.failNext(1, { status: 400, body: E962 });
        // One step at a time: the first update gets the scripted error, and the engine starts no
        // step after a failure, so the other update is left for the next up. (In parallel, the
        // other update may or may not have started when the first fails.) Which of the two goes
        // first is the SDK's registration order, which the program does not fix.
        const r = await stack.up({ parallel: 1 });
        assert.equal(r.ok, false);
        assert.match(r.text, /E962/);
        assert.match(r.text, /display_image cannot be empty/);
        assert.equal(r.steps.length, 1, JSON.stringify(r.steps));
        const [{ name: failedName, op, status }] = r.steps;
        assert.deepEqual([op, status], ["update", "failed"]);
        assert.deepEqual(puts().map((p) => [p.status, (p.body as Record<string, string>).wa_number]), [[400, wanted[failedName].waNumber]], "one PUT, the failed one");
        assert.deepEqual(await stack.profiles(), before, "neither resource's state changed");

        emulator.clearRequests();
        const again = await stack.up({ parallel: 1 });
        assertOk(again, "second up");
        PROFILES = wanted;
        const byNumber = (x: Record<string, string>, y: Record<string, string>) => x.wa_number.localeCompare(y.wa_number);
        assert.deepEqual(
            puts().map((p) => p.body as Record<string, string>).sort(byNumber),
            [
                { wa_number: A, about: "New hours a" },
                { wa_number: B, about: "New hours b" },
            ],
        );
        assert.deepEqual(outputsByName(await stack.profiles()), wanted);
        assert.equal(emulator.profile(A)?.about, "New hours a");
        assert.equal(emulator.profile(B)?.about, "New hours b");
    });

    it("a 429 then a 200: up succeeds after one retry, and the provider's retry line is in the output", async () => {
        await converge();
        const { a, b } = PROFILES;
        await stack.configure({ "kaleyra:maxRetries": "2" });
        try {
            emulator.failNext(1, { status: 429, headers: { "retry-after": "0" }, body: { error: { code: "E429", message: "Too many requests" } } });
            const r = await up({ a: { ...a, about: "After a 429" }, b });
            assert.deepEqual(puts().map((p) => p.status), [429, 200], "the 429 and the retry");
            assert.match(r.text, /kaleyra: attempt 1 failed \(.*429.*\); retrying in/);
            assert.equal(emulator.profile(A)?.about, "After a 429");
        } finally {
            await stack.configure({ "kaleyra:maxRetries": "0" });
        }
    });

    it("refresh makes no PUT and keeps the state (--expect-no-changes)", async () => {
        const before = await converge();
        const r = await stack.refresh({ expectNoChanges: true });
        assertOk(r, "refresh");
        assert.equal(puts().length, 0);
        assert.deepEqual(await stack.profiles(), before);
    });

    it("up --replace <urn> sends every field again to the same number", async () => {
        await converge();
        const r = await stack.up({ replace: ["a"] });
        assertOk(r, "up --replace");
        assert.deepEqual(ops(r), [["a", "replace"], ["b", "same"]]);
        assert.deepEqual(puts().map((p) => p.body), [kaleyra(PROFILES.a)]);
    });

    it("a new waNumber replaces: the new number gets the full profile, the old one no call", async () => {
        await converge();
        const { a, b } = PROFILES;
        const oldProfile = emulator.profile(A);
        const moved = { ...a, waNumber: C };
        const r = await up({ a: moved, b });
        assert.deepEqual(ops(r), [["a", "replace"], ["b", "same"]]);
        assert.deepEqual(puts().map((p) => p.body), [kaleyra(moved)], "one PUT, to the new number, with every field");
        assert.deepEqual(emulator.profile(A), oldProfile, "the old number's profile is untouched");
        assert.deepEqual(emulator.profile(C), kaleyra(moved));
        assert.deepEqual((await stack.profiles()).map((p) => [p.name, p.id]), [["a", C], ["b", B]]);
        assert.deepEqual((await stack.outputs()).ids, { a: C, b: B });
    });

    it("a pulumi.secret() incomingUrl is recorded as a secret, encrypted in the export, and the PUT still carries it; an invalid one is not echoed", async () => {
        await converge();
        const { a, b } = PROFILES;
        const url = "https://hooks.example.com/wa/very-secret-token-1234";
        const wanted = { a: { ...a, incomingUrl: url }, b };
        // The profiles themselves go in as secret config: plain config is recorded in plaintext (as
        // the default pulumi-nodejs provider's inputs), which would put the URL in the state.
        await stack.configure({ "lifecycle:secretFields": JSON.stringify(["incomingUrl"]) }, { "lifecycle:profiles": JSON.stringify(wanted) });
        try {
            assertOk(await stack.up(), "up");
            assert.deepEqual(puts().map((p) => p.body), [{ wa_number: a.waNumber, incoming_url: url }]);
            const recordedA = recorded(await stack.profiles(), "a");
            assert.deepEqual(recordedA.secretOutputs, ["incomingUrl"]);
            assert.equal(recordedA.outputs.incomingUrl, url);
            const exported = await stack.ws.exportStack(stack.stack);
            assert.ok(!exported.includes("very-secret-token-1234"), "the secret URL is in plaintext in the export");
            assert.match(exported, /"incomingUrl": \{\s*"4dabf18193072939515e22adb298388d": "1b47061264138c4ac30d75fd1eb44270",\s*"ciphertext"/);

            await stack.configure({}, { "lifecycle:profiles": JSON.stringify({ a: { ...a, incomingUrl: "ftp://hooks.example.com/secret-bad-token-5678" }, b }) });
            const failed = await stack.preview();
            assert.equal(failed.ok, false);
            assert.match(failed.text, /incomingUrl/);
            // Not in the output, the state or the backend; the event logs are left out, as they carry
            // the SDK's debug lines with every output (see TestStack.texts).
            await stack.assertNowhere("secret-bad-token-5678", "the invalid secret URL", false);
            await stack.assertNowhere("very-secret-token-1234", "the secret URL", false);
        } finally {
            // Back to plain config, and to a profile without secrets.
            await program(PROFILES, { "lifecycle:secretFields": "[]" });
            assertOk(await stack.up(), "up without the secret");
        }
    });

    it("an input unknown at preview (computed from a new resource's id) previews, and up applies it", async () => {
        await converge();
        const wanted = { ...PROFILES, d: { waNumber: D, about: "Primary" }, e: { waNumber: E, website: "https://example.com/e" } };
        await program(wanted, { "lifecycle:aboutFromId": JSON.stringify({ e: "d" }) });
        try {
            const planned = await stack.preview();
            assertOk(planned, "preview");
            assert.deepEqual(ops(planned), [["a", "same"], ["b", "same"], ["d", "create"], ["e", "create"]]);
            assert.equal(puts().length, 0);
            assertOk(await stack.up(), "up");
            const e = puts().find((p) => (p.body as Record<string, string>).wa_number === E);
            assert.deepEqual(e?.body, { wa_number: E, about: `Backup line for ${D}`, website: "https://example.com/e" });
        } finally {
            await program(PROFILES, { "lifecycle:aboutFromId": "{}" });
        }
    });

    it("an E413 from Kaleyra fails a create with its code and message, records nothing, and the next up creates it", async () => {
        await converge();
        const before = emulator.profile(D);
        const wanted = { ...PROFILES, d: { waNumber: D, about: "Created after an E413" } };
        await program(wanted);
        emulator.failNext(1, { status: 400, body: E413 });
        const r = await stack.up();
        assert.equal(r.ok, false);
        assert.match(r.text, /E413/);
        assert.match(r.text, /wa_number field is required and cannot be empty/);
        assert.equal((await stack.profiles()).some((p) => p.name === "d"), false, "the failed create is not recorded");
        assert.deepEqual(emulator.profile(D), before);

        emulator.clearRequests();
        await up(wanted);
        assert.deepEqual(puts().map((p) => p.body), [kaleyra(wanted.d)]);
        assert.deepEqual(recorded(await stack.profiles(), "d").outputs, wanted.d);
    });

    it("a kaleyra:apiKey set as plain config is refused before anything is registered, saying how to store it", async () => {
        const before = await converge();
        const plaintext = "Aplaintext0key0000000000000000009";
        await stack.configure({ "kaleyra:apiKey": plaintext });
        try {
            await program({ ...PROFILES, extra: { waNumber: E, about: "Never applied" } });
            for (const r of [await stack.preview(), await stack.up()]) {
                assert.equal(r.ok, false);
                assert.match(r.text, /kaleyra:apiKey is set as plain stack config/);
                assert.match(r.text, /pulumi config set --secret kaleyra:apiKey/);
                assert.ok(!r.text.includes(plaintext), "the message does not repeat the key");
            }
            assert.equal(puts().length, 0);
            assert.deepEqual(await stack.profiles(), before);
        } finally {
            await stack.configure({}, { "kaleyra:apiKey": KEY });
            await program(PROFILES);
        }
    });

    it("key rotation: after the emulator's key and the stack's secret change, an update and the destroy of resources created under the old key work; destroy makes no PUT and leaves the profiles on Kaleyra", async () => {
        await converge();
        const NEW_KEY = "Arotated0SECRET0key00000000000002";
        emulator.setApiKey(NEW_KEY);
        await stack.configure({}, { "kaleyra:apiKey": NEW_KEY });
        const wanted: Profiles = { ...PROFILES, a: { ...PROFILES.a, about: "After rotation" } };
        await up(wanted);
        assert.deepEqual(puts().map((p) => [p.body, p.status]), [[{ wa_number: wanted.a.waNumber, about: "After rotation" }, 200]]);

        emulator.clearRequests();
        const onKaleyra = emulator.profiles();
        const r = await stack.destroy();
        assertOk(r, "destroy after rotation");
        PROFILES = {};
        assert.equal(puts().length, 0);
        assert.deepEqual(
            ops(r),
            Object.keys(wanted)
                .sort()
                .map((name) => [name, "delete"]),
        );
        assert.deepEqual(await stack.profiles(), []);
        assert.deepEqual(emulator.profiles(), onKaleyra, "the profiles stay on Kaleyra");
        await stack.assertNowhere(NEW_KEY, "the new API key");
        assert.equal((await stack.ws.resources(stack.stack)).filter((x) => x.type === PROFILE_TYPE).length, 0);
    });
});
