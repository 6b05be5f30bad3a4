/**
 * `pulumi up` of 120 new profiles SIGKILLed (CLI, language host, program and dynamic-provider
 * host, as a CI runner's kill does) while PUTs are in flight, then the recovery the README gives:
 * `pulumi cancel`, `pulumi refresh --clear-pending-creates`, `pulumi up`.
 *
 * Not part of `npm test`: it takes minutes, and in 1 of 5 runs on a heavily loaded machine a
 * command after the kill failed with `failed to load checkpoint: EOF` — most likely the file
 * backend's `<stack>.json.attrs` sidecar, rewritten in place on every checkpoint and left empty by
 * a kill mid-write (README, "When a `pulumi up` is killed or interrupted", has the finding and the
 * step that clears it). Run it with `npm run test:long`.
 */
import { strict as assert } from "node:assert";

import { assertConverged, assertStateIsProgram, countBy, until, waNumberOf } from "../../tools/cli/profiles-stack";
import { faultScratch, slowApplyStack, upUntilApplied } from "../helpers/cli-soak";

describe("under the real Pulumi CLI: killed mid-apply", function () {
    this.timeout(600_000);
    const scratch = faultScratch("cli-kill-");

    it("SIGKILL mid-apply: cancel, refresh --clear-pending-creates, up converges with one PUT per profile not recorded", async function () {
        const N = 120;
        const { specs, stack, emulator: em } = await slowApplyStack(scratch, N);

        const run = await upUntilApplied(stack, em, 30);
        const tree = run.tree();
        const inFlight = em.kaleyraRequests().filter((r) => r.status === 0).length;
        run.signal("SIGKILL");
        const killed = await run.result;
        assert.equal(killed.code, null, "the CLI was killed by the signal");
        assert.ok(inFlight > 0, "PUTs were in flight when the CLI was killed");
        // The CLI, the language host, the program and the dynamic-provider host (with their launchers).
        assert.ok(tree.length >= 4, `the CLI's process tree: ${tree.join(", ")}`);
        await until(() => run.survivors().length === 0, 10_000, "the CLI and everything it started to be gone");
        // The scratch.emulator still answers the requests the dead provider host had sent.
        await until(() => em.kaleyraRequests().every((r) => r.status !== 0), 10_000, "the in-flight PUTs to be answered");

        const before = await stack.exported();
        const killPhase = em.kaleyraRequests();
        const putNumbers = new Set(killPhase.filter((r) => r.status === 200).map(waNumberOf));
        const recorded = new Set(before.profiles.map((r) => r.id));
        const pending = new Set(before.pending.map((p) => p.urn.split("::").pop()));
        assert.ok(before.pending.length > 0 && before.pending.every((p) => p.type === "creating"), JSON.stringify(before.pending));
        for (const id of recorded) assert.ok(putNumbers.has(id as string), `${id} is recorded but was never applied`);
        for (const n of putNumbers) {
            const name = specs.find((s) => s.args.waNumber === n)?.name ?? "";
            assert.ok(recorded.has(n) || pending.has(name), `${n} was applied but is neither recorded nor pending`);
        }

        // The lock the killed CLI left stops the next command until `pulumi cancel` removes it.
        const locked = await stack.ws.up(stack.stack, { allowFailure: true });
        assert.notEqual(locked.code, 0);
        assert.match(`${locked.stdout}${locked.stderr}`, /locked/);
        await stack.ws.run(["cancel", "--yes", "--stack", stack.stack]);
        // Refresh drops the interrupted creates (the provider's read keeps the recorded state and makes no call).
        em.clearRequests();
        await stack.ws.refresh(stack.stack, { flags: ["--clear-pending-creates"] });
        const refreshed = await stack.exported();
        assert.deepEqual(refreshed.pending, []);
        assert.equal(refreshed.profiles.length, recorded.size);
        assert.equal(em.kaleyraRequests().length, 0, "refresh made calls");

        em.setFaults({ latencyMs: 0 });
        const upped = await stack.ws.up(stack.stack);
        assert.equal(upped.code, 0);
        const recovery = em.kaleyraRequests();
        assert.equal(recovery.length, N - recorded.size, "PUTs in the recovery up = profiles not recorded");
        assert.ok(recovery.every((r) => r.status === 200 && !recorded.has(waNumberOf(r))));
        await assertStateIsProgram(stack, specs);
        assertConverged(em, specs);
        // Per number: one successful PUT, two for the creates that were in flight when killed.
        const perNumber = countBy([...killPhase, ...recovery].filter((r) => r.status === 200), waNumberOf);
        for (const spec of specs) {
            const expected = pending.has(spec.name) && putNumbers.has(spec.args.waNumber) ? 2 : 1;
            assert.equal(perNumber.get(spec.args.waNumber), expected, `${spec.name}: ${perNumber.get(spec.args.waNumber)} PUTs`);
        }
        console.log(`      killed with ${inFlight} PUTs in flight: ${recorded.size} recorded, ${before.pending.length} pending creates; recovery up: ${recovery.length} PUTs (kill after ${killed.durationMs} ms, recovery up ${upped.durationMs} ms)`);
    });
});
