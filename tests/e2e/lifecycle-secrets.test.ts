/**
 * Secrets and computed inputs under the real Pulumi CLI against the emulator: a `pulumi.secret()`
 * field recorded as a secret (and an invalid one never echoed), an input unknown at preview, and
 * the API key rotated, then every resource destroyed under the new key. One story on one stack
 * (tests/helpers/lifecycle-stack.ts).
 */
import { strict as assert } from "node:assert";

import { assertOk, ops, PROFILE_TYPE } from "../helpers/cli-stack";
import { D, E, FULL_A, FULL_B, lifecycleStack, recorded, type Profiles } from "../helpers/lifecycle-stack";

describe("secrets, computed inputs and key rotation under the real Pulumi CLI, against the emulator", function () {
    this.timeout(240_000);
    const s = lifecycleStack("lifecycle-secrets", "Asecrets0SECRET0key00c0ffee5ba11a9", { a: FULL_A, b: FULL_B });

    it("a pulumi.secret() incomingUrl is recorded as a secret, encrypted in the export, and the PUT still carries it; an invalid one is not echoed", async () => {
        await s.converge();
        const { a, b } = s.profiles;
        const url = "https://hooks.example.com/wa/very-secret-token-1234";
        const wanted = { a: { ...a, incomingUrl: url }, b };
        // The profiles themselves go in as secret config: plain config is recorded in plaintext (as
        // the default pulumi-nodejs provider's inputs), which would put the URL in the state.
        await s.stack.configure({ "lifecycle:secretFields": JSON.stringify(["incomingUrl"]) }, { "lifecycle:profiles": JSON.stringify(wanted) });
        try {
            assertOk(await s.stack.up(), "up");
            assert.deepEqual(s.puts().map((p) => p.body), [{ wa_number: a.waNumber, incoming_url: url }]);
            const recordedA = recorded(await s.stack.profiles(), "a");
            assert.deepEqual(recordedA.secretOutputs, ["incomingUrl"]);
            assert.equal(recordedA.outputs.incomingUrl, url);
            const exported = await s.stack.ws.exportStack(s.stack.stack);
            assert.ok(!exported.includes("very-secret-token-1234"), "the secret URL is in plaintext in the export");
            assert.match(exported, /"incomingUrl": \{\s*"4dabf18193072939515e22adb298388d": "1b47061264138c4ac30d75fd1eb44270",\s*"ciphertext"/);

            await s.stack.configure({}, { "lifecycle:profiles": JSON.stringify({ a: { ...a, incomingUrl: "ftp://hooks.example.com/secret-bad-token-5678" }, b }) });
            const failed = await s.stack.preview();
            assert.equal(failed.ok, false);
            assert.match(failed.text, /incomingUrl/);
            // Not in the output, the state or the backend; the event logs are left out, as they carry
            // the SDK's debug lines with every output (see TestStack.texts).
            await s.stack.assertNowhere("secret-bad-token-5678", "the invalid secret URL", false);
            await s.stack.assertNowhere("very-secret-token-1234", "the secret URL", false);
        } finally {
            // Back to plain config, and to a profile without secrets.
            await s.program(s.profiles, { "lifecycle:secretFields": "[]" });
            assertOk(await s.stack.up(), "up without the secret");
        }
    });

    it("an input unknown at preview (computed from a new resource's id) previews, and up applies it", async () => {
        await s.converge();
        const wanted = { ...s.profiles, d: { waNumber: D, about: "Primary" }, e: { waNumber: E, website: "https://example.com/e" } };
        await s.program(wanted, { "lifecycle:aboutFromId": JSON.stringify({ e: "d" }) });
        try {
            const planned = await s.stack.preview();
            assertOk(planned, "preview");
            assert.deepEqual(ops(planned), [["a", "same"], ["b", "same"], ["d", "create"], ["e", "create"]]);
            assert.equal(s.puts().length, 0);
            assertOk(await s.stack.up(), "up");
            const e = s.puts().find((p) => (p.body as Record<string, string>).wa_number === E);
            assert.deepEqual(e?.body, { wa_number: E, about: `Backup line for ${D}`, website: "https://example.com/e" });
        } finally {
            await s.program(s.profiles, { "lifecycle:aboutFromId": "{}" });
        }
    });

    it("key rotation: after the emulator's key and the stack's secret change, an update and the destroy of resources created under the old key work; destroy makes no PUT and leaves the profiles on Kaleyra", async () => {
        await s.converge();
        const NEW_KEY = "Arotated0SECRET0key00000000000002";
        s.emulator.setApiKey(NEW_KEY);
        await s.stack.configure({}, { "kaleyra:apiKey": NEW_KEY });
        const wanted: Profiles = { ...s.profiles, a: { ...s.profiles.a, about: "After rotation" } };
        await s.up(wanted);
        assert.deepEqual(s.puts().map((p) => [p.body, p.status]), [[{ wa_number: wanted.a.waNumber, about: "After rotation" }, 200]]);

        s.emulator.clearRequests();
        const onKaleyra = s.emulator.profiles();
        const r = await s.stack.destroy();
        assertOk(r, "destroy after rotation");
        s.profiles = {};
        assert.equal(s.puts().length, 0);
        assert.deepEqual(
            ops(r),
            Object.keys(wanted)
                .sort()
                .map((name) => [name, "delete"]),
        );
        assert.deepEqual(await s.stack.profiles(), []);
        assert.deepEqual(s.emulator.profiles(), onKaleyra, "the profiles stay on Kaleyra");
        await s.stack.assertNowhere(NEW_KEY, "the new API key");
        assert.equal((await s.stack.ws.resources(s.stack.stack)).filter((x) => x.type === PROFILE_TYPE).length, 0);
    });
});
