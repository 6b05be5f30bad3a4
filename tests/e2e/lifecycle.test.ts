/**
 * A profile's lifecycle under the real Pulumi CLI, against the emulator: what preview, up, refresh
 * and destroy send to Kaleyra (counted in the emulator's request log) and leave in state
 * (`pulumi stack export`), as the steps of one story on one stack of the lifecycle fixture
 * (tests/helpers/lifecycle-stack.ts). Failures are lifecycle-failures.test.ts's; secrets, computed
 * inputs and key rotation lifecycle-secrets.test.ts's.
 */
import { strict as assert } from "node:assert";

import { PROVIDER_SHIM } from "../../provider/contract/shim";
import { assertOk, ops } from "../helpers/cli-stack";
import { A, B, C, FULL_A, FULL_B, kaleyra, lifecycleStack, recorded } from "../helpers/lifecycle-stack";

describe("the lifecycle of profiles under the real Pulumi CLI, against the emulator", function () {
    this.timeout(240_000);
    const s = lifecycleStack("lifecycle", "Alifecycle0SECRET0key0c0ffee5ba11ad7");

    it("preview of a new stack makes no PUT and plans a create per profile", async () => {
        await s.converge({});
        const before = s.emulator.profiles();
        await s.program({ a: FULL_A, b: FULL_B });
        const r = await s.stack.preview();
        assertOk(r, "preview");
        assert.equal(s.puts().length, 0);
        assert.deepEqual(ops(r), [["a", "create"], ["b", "create"]]);
        assert.ok(r.steps.every((s) => s.status === "planned"), JSON.stringify(r.steps));
        assert.deepEqual(await s.stack.profiles(), [], "preview records nothing");
        assert.deepEqual(s.emulator.profiles(), before, "the emulator's profiles are untouched");
    });

    it("up creates each profile with one PUT carrying every field; a second up makes no PUT and every step is same", async () => {
        await s.converge({});
        const r = await s.up({ a: FULL_A, b: FULL_B });
        const bodies = s.puts().map((p) => p.body as Record<string, string>);
        assert.equal(bodies.length, 2);
        assert.deepEqual(bodies.find((b) => b.wa_number === A), kaleyra(FULL_A));
        assert.deepEqual(bodies.find((b) => b.wa_number === B), kaleyra(FULL_B));
        assert.deepEqual(ops(r), [["a", "create"], ["b", "create"]]);
        assert.deepEqual(s.emulator.profile(A), kaleyra(FULL_A));
        assert.deepEqual(s.emulator.profile(B), kaleyra(FULL_B));
        assert.deepEqual((await s.stack.outputs()).ids, { a: A, b: B });
        const state = await s.stack.profiles();
        assert.equal(recorded(state, "a").id, A);
        assert.deepEqual(recorded(state, "a").outputs, FULL_A);
        assert.deepEqual(recorded(state, "b").outputs, FULL_B);
        assert.equal(recorded(state, "a").provider, PROVIDER_SHIM, "__provider is the one-line contract-2 shim");
        assert.equal(recorded(state, "a").outputProvider, PROVIDER_SHIM);
        // The helpers read state from the file backend's checkpoint: it is what `pulumi stack export` prints.
        const exported = JSON.parse(await s.stack.ws.exportStack(s.stack.stack)) as { deployment: { resources: unknown[] } };
        assert.equal(exported.deployment.resources.length, 4, "the stack, the dynamic provider and a and b");
        assert.deepEqual(await s.stack.ws.resources(s.stack.stack), exported.deployment.resources);

        s.emulator.clearRequests();
        const again = await s.stack.up();
        assertOk(again, "second up");
        assert.equal(s.puts().length, 0);
        assert.deepEqual(ops(again), [["a", "same"], ["b", "same"]]);
        assert.deepEqual(await s.stack.profiles(), state);
    });

    it("one field edited: preview --diff shows that property of that resource; up makes one PUT of wa_number and that field", async () => {
        await s.converge();
        const { a, b } = s.profiles;
        const edited = { a: { ...a, about: "Open 24/7" }, b };
        await s.program(edited);
        const planned = await s.stack.preview({ diff: true });
        assertOk(planned, "preview");
        assert.deepEqual(ops(planned), [["a", "update"], ["b", "same"]]);
        assert.match(planned.text, new RegExp(`~ about\\s*: "${a.about}" => "Open 24/7"`));
        assert.doesNotMatch(planned.text, /~ (website|address|incomingUrl)/);
        assert.equal(s.puts().length, 0);
        const r = await s.up(edited);
        assert.deepEqual(s.puts().map((p) => p.body), [{ wa_number: A, about: "Open 24/7" }]);
        assert.deepEqual(ops(r), [["a", "update"], ["b", "same"]]);
        assert.deepEqual(s.emulator.profile(A), kaleyra(edited.a));
        assert.equal(recorded(await s.stack.profiles(), "a").outputs.about, "Open 24/7");
        assert.deepEqual((await s.stack.outputs()).abouts, { a: "Open 24/7", b: b.about });
    });

    it("a removed field: up makes no PUT, the field leaves the state, Kaleyra keeps its value; then nothing to do", async () => {
        await s.converge();
        const { a, b } = s.profiles;
        const { website, ...withoutWebsite } = a;
        assert.ok(website);
        const r = await s.up({ a: withoutWebsite, b });
        assert.equal(s.puts().length, 0);
        assert.deepEqual(ops(r), [["a", "update"], ["b", "same"]], "an update that only forgets the field");
        const recordedA = recorded(await s.stack.profiles(), "a");
        assert.equal("website" in recordedA.outputs, false);
        assert.equal("website" in recordedA.inputs, false);
        assert.deepEqual(recordedA.outputs, withoutWebsite);
        assert.equal(s.emulator.profile(A)?.website, website);

        const again = await s.stack.up();
        assertOk(again, "second up");
        assert.equal(s.puts().length, 0);
        assert.deepEqual(ops(again), [["a", "same"], ["b", "same"]]);
    });

    it("refresh makes no PUT and keeps the state (--expect-no-changes)", async () => {
        const before = await s.converge();
        const r = await s.stack.refresh({ expectNoChanges: true });
        assertOk(r, "refresh");
        assert.equal(s.puts().length, 0);
        assert.deepEqual(await s.stack.profiles(), before);
    });

    it("up --replace <urn> sends every field again to the same number", async () => {
        await s.converge();
        const r = await s.stack.up({ replace: ["a"] });
        assertOk(r, "up --replace");
        assert.deepEqual(ops(r), [["a", "replace"], ["b", "same"]]);
        assert.deepEqual(s.puts().map((p) => p.body), [kaleyra(s.profiles.a)]);
    });

    it("a new waNumber replaces: the new number gets the full profile, the old one no call", async () => {
        await s.converge();
        const { a, b } = s.profiles;
        const oldProfile = s.emulator.profile(A);
        const moved = { ...a, waNumber: C };
        const r = await s.up({ a: moved, b });
        assert.deepEqual(ops(r), [["a", "replace"], ["b", "same"]]);
        assert.deepEqual(s.puts().map((p) => p.body), [kaleyra(moved)], "one PUT, to the new number, with every field");
        assert.deepEqual(s.emulator.profile(A), oldProfile, "the old number's profile is untouched");
        assert.deepEqual(s.emulator.profile(C), kaleyra(moved));
        assert.deepEqual((await s.stack.profiles()).map((p) => [p.name, p.id]), [["a", C], ["b", B]]);
        assert.deepEqual((await s.stack.outputs()).ids, { a: C, b: B });
    });

    it("destroy makes no PUT and empties the stack; the profiles stay on Kaleyra", async () => {
        await s.converge();
        const onKaleyra = s.emulator.profiles();
        const r = await s.stack.destroy();
        assertOk(r, "destroy");
        s.profiles = {};
        assert.equal(s.puts().length, 0);
        assert.deepEqual(ops(r), [["a", "delete"], ["b", "delete"]]);
        assert.deepEqual(await s.stack.profiles(), []);
        assert.deepEqual(s.emulator.profiles(), onKaleyra, "the profiles stay on Kaleyra");
    });
});
