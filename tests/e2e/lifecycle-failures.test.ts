/**
 * What fails, and what a failure leaves, under the real Pulumi CLI against the emulator: check's
 * failures in preview and in `up --yes`, Kaleyra's E962 on an update and E413 on a create, a 429
 * retried, and a plaintext API key refused — each leaving the recorded state as it was, and the
 * next `up` converging. One story on one stack (tests/helpers/lifecycle-stack.ts).
 */
import { strict as assert } from "node:assert";

import { assertOk } from "../helpers/cli-stack";
import { A, B, D, E, FULL_A, FULL_B, kaleyra, lifecycleStack, outputsByName, recorded, type Profiles } from "../helpers/lifecycle-stack";

const KEY = "Afailures0SECRET0key0c0ffee5ba11a8";
/** Kaleyra's documented E962 error envelope. */
const E962 = {
    error: { code: "E962", type: "VALIDATION_ERROR", parameter: "display_image", message: "display_image cannot be empty", reference: "" },
};
/** Kaleyra's documented E413 error envelope. */
const E413 = {
    error: { code: "E413", type: "VALIDATION_ERROR", parameter: "wa_number", message: "wa_number field is required and cannot be empty.", reference: "" },
};

describe("failures under the real Pulumi CLI, against the emulator", function () {
    this.timeout(240_000);
    const s = lifecycleStack("lifecycle-failures", KEY, { a: FULL_A, b: FULL_B });

    it("a bad email fails preview naming the property and the fix, with no PUT", async () => {
        await s.converge();
        const { a, b } = s.profiles;
        await s.program({ a: { ...a, contactEmail: "help at example.com" }, b });
        const r = await s.stack.preview();
        assert.equal(r.ok, false, "preview must fail");
        // The reason says what is wrong and shows a valid address.
        assert.match(r.text, /contactEmail[^\n]*email[^\n]*help@example\.com/);
        assert.equal(s.puts().length, 0);
    });

    it("a bad value stops `pulumi up --yes` (preview first) before anything is applied, and leaves the state as it was", async () => {
        const before = await s.converge();
        const { a, b } = s.profiles;
        await s.program({ a: { ...a, businessCategory: "Hotel & Lodging" }, b: { ...b, about: "changed" } });
        // With --skip-preview the engine fails only `a` and may still apply `b` if its step had
        // already started; the preview of a plain `up --yes` stops both.
        const r = await s.stack.up({ withPreview: true });
        assert.equal(r.ok, false);
        assert.match(r.text, /businessCategory/);
        assert.equal(s.puts().length, 0, "not even b's valid change is applied");
        assert.deepEqual(await s.stack.profiles(), before);
    });

    it("an E962 from Kaleyra fails up with its code and message, leaves that resource's state unchanged, and the next up converges", async () => {
        const before = await s.converge();
        const wanted: Profiles = { a: { ...s.profiles.a, about: "New hours a" }, b: { ...s.profiles.b, about: "New hours b" } };
        await s.program(wanted);
        s.emulator.failNext(1, { status: 400, body: E962 });
        // One step at a time: the first update gets the scripted error, and the engine starts no
        // step after a failure, so the other update is left for the next up. (In parallel, the
        // other update may or may not have started when the first fails.) Which of the two goes
        // first is the SDK's registration order, which the program does not fix.
        const r = await s.stack.up({ parallel: 1 });
        assert.equal(r.ok, false);
        assert.match(r.text, /E962/);
        assert.match(r.text, /display_image cannot be empty/);
        assert.equal(r.steps.length, 1, JSON.stringify(r.steps));
        const [{ name: failedName, op, status }] = r.steps;
        assert.deepEqual([op, status], ["update", "failed"]);
        assert.deepEqual(s.puts().map((p) => [p.status, (p.body as Record<string, string>).wa_number]), [[400, wanted[failedName].waNumber]], "one PUT, the failed one");
        assert.deepEqual(await s.stack.profiles(), before, "neither resource's state changed");

        s.emulator.clearRequests();
        const again = await s.stack.up({ parallel: 1 });
        assertOk(again, "second up");
        s.profiles = wanted;
        const byNumber = (x: Record<string, string>, y: Record<string, string>) => x.wa_number.localeCompare(y.wa_number);
        assert.deepEqual(
            s.puts().map((p) => p.body as Record<string, string>).sort(byNumber),
            [
                { wa_number: A, about: "New hours a" },
                { wa_number: B, about: "New hours b" },
            ],
        );
        assert.deepEqual(outputsByName(await s.stack.profiles()), wanted);
        assert.equal(s.emulator.profile(A)?.about, "New hours a");
        assert.equal(s.emulator.profile(B)?.about, "New hours b");
    });

    it("a 429 then a 200: up succeeds after one retry, and the provider's retry line is in the output", async () => {
        await s.converge();
        const { a, b } = s.profiles;
        await s.stack.configure({ "kaleyra:maxRetries": "2" });
        try {
            s.emulator.failNext(1, { status: 429, headers: { "retry-after": "0" }, body: { error: { code: "E429", message: "Too many requests" } } });
            const r = await s.up({ a: { ...a, about: "After a 429" }, b });
            assert.deepEqual(s.puts().map((p) => p.status), [429, 200], "the 429 and the retry");
            assert.match(r.text, /kaleyra: attempt 1 failed \(.*429.*\); retrying in/);
            assert.equal(s.emulator.profile(A)?.about, "After a 429");
        } finally {
            await s.stack.configure({ "kaleyra:maxRetries": "0" });
        }
    });

    it("an E413 from Kaleyra fails a create with its code and message, records nothing, and the next up creates it", async () => {
        await s.converge();
        const before = s.emulator.profile(D);
        const wanted = { ...s.profiles, d: { waNumber: D, about: "Created after an E413" } };
        await s.program(wanted);
        s.emulator.failNext(1, { status: 400, body: E413 });
        const r = await s.stack.up();
        assert.equal(r.ok, false);
        assert.match(r.text, /E413/);
        assert.match(r.text, /wa_number field is required and cannot be empty/);
        assert.equal((await s.stack.profiles()).some((p) => p.name === "d"), false, "the failed create is not recorded");
        assert.deepEqual(s.emulator.profile(D), before);

        s.emulator.clearRequests();
        await s.up(wanted);
        assert.deepEqual(s.puts().map((p) => p.body), [kaleyra(wanted.d)]);
        assert.deepEqual(recorded(await s.stack.profiles(), "d").outputs, wanted.d);
    });

    it("a kaleyra:apiKey set as plain config is refused before anything is registered, saying how to store it", async () => {
        const before = await s.converge();
        const plaintext = "Aplaintext0key0000000000000000009";
        await s.stack.configure({ "kaleyra:apiKey": plaintext });
        try {
            await s.program({ ...s.profiles, extra: { waNumber: E, about: "Never applied" } });
            for (const r of [await s.stack.preview(), await s.stack.up()]) {
                assert.equal(r.ok, false);
                assert.match(r.text, /kaleyra:apiKey is set as plain stack config/);
                assert.match(r.text, /pulumi config set --secret kaleyra:apiKey/);
                assert.ok(!r.text.includes(plaintext), "the message does not repeat the key");
            }
            assert.equal(s.puts().length, 0);
            assert.deepEqual(await s.stack.profiles(), before);
        } finally {
            await s.stack.configure({}, { "kaleyra:apiKey": KEY });
            await s.program(s.profiles);
        }
    });
});
