/**
 * What a deploy pipeline meets, under the real Pulumi CLI against the emulator: `pulumi up` of
 * a hundred new profiles interrupted (SIGINT) while PUTs are in flight, and Kaleyra going down
 * mid-apply — each followed by the recovery a user runs (README, "When a `pulumi up` is killed or
 * interrupted"). The SIGKILL scenario is in tests/long/cli-kill.long.ts (`npm run test:long`): it
 * takes minutes and, in 1 of 5 runs here, the killed CLI left a checkpoint the next command could
 * not load (see its header). Bad minutes (25% faults) and parallelism are tests/cli-scale.test.ts
 * (60 and 30 profiles) and, with a few hundred, `npm run bench` (bench/real-engine-faults.ts), their
 * outcome in bench/RESULTS.md.
 *
 * The CLI runs in a process group of its own (tools/cli `start`), so a signal reaches it and
 * everything it started — the language host, the program, the dynamic-provider host — as a
 * terminal's Ctrl-C or a CI runner's kill does.
 */
import { strict as assert } from "node:assert";
import * as path from "node:path";

import { startEmulator } from "../../provider/emulator";
import { makeProfiles } from "../../tools/programs/profiles/profiles";
import { assertConverged, assertStateIsProgram, ProfilesStack, until, waNumberOf } from "../../tools/cli/profiles-stack";
import { faultScratch, slowApplyStack, upUntilApplied } from "../helpers/cli-soak";

describe("under the real Pulumi CLI: killed, interrupted, and Kaleyra down mid-apply", function () {
    this.timeout(300_000);
    const scratch = faultScratch("cli-faults-");

    it("SIGINT mid-apply: stops non-zero, records what was applied, the next up PUTs only the rest", async function () {
        const N = 100;
        const { specs, stack, emulator: em } = await slowApplyStack(scratch, N);

        const run = await upUntilApplied(stack, em, 30);
        // PUTs that arrive from now on are answered after 3 s, so the up cannot finish before the
        // signal lands, however busy the machine (under load it once finished all 100 first).
        em.setFaults({ latencyMs: 3_000 });
        // Ctrl-C signals the terminal's foreground process group: the CLI's. The engine starts its
        // plugins (language host, provider host) in groups of their own, so the CLI alone gets it.
        run.signal("SIGINT", false);
        const interrupted = await run.result;
        assert.ok(interrupted.code !== 0 && interrupted.code !== null, `exit code ${interrupted.code}:\n${interrupted.stdout.slice(-2000)}\n${interrupted.stderr}`);
        await until(() => run.survivors().length === 0, 20_000, "the CLI and everything it started to be gone");
        await until(() => em.kaleyraRequests().every((r) => r.status !== 0), 10_000, "the in-flight PUTs to be answered");

        const state = await stack.exported();
        assert.deepEqual(state.pending, [], "an interrupted up leaves no pending operation");
        const applied = state.profiles.length;
        const ok = em.kaleyraRequests().filter((r) => r.status === 200);
        const okNumbers = new Set(ok.map(waNumberOf));
        for (const r of state.profiles) assert.ok(okNumbers.has(r.id as string), `${r.id} recorded but not applied`);
        assert.ok(applied > 0 && applied < N, `${applied} applied`);

        em.clearRequests();
        em.setFaults({ latencyMs: 0 });
        const next = await stack.ws.up(stack.stack);
        assert.equal(next.code, 0);
        const puts = em.kaleyraRequests();
        assert.equal(puts.length, N - applied, "PUTs in the next up = N - applied");
        await assertStateIsProgram(stack, specs);
        assertConverged(em, specs);
        console.log(`      interrupted: ${applied} recorded (${ok.length} PUTs had succeeded), exit ${interrupted.code}; next up: ${puts.length} PUTs (interrupted after ${interrupted.durationMs} ms, next up ${next.durationMs} ms)`);
    });

    it("Kaleyra down mid-apply: failures name the endpoint, the rest are recorded, the next up converges", async function () {
        const N = 100;
        const specs = makeProfiles(N);
        const dataFile = path.join(scratch.tmp, "emulator.json");
        scratch.emulator = await startEmulator({ numbers: specs.map((s) => s.args.waNumber), quiet: true, dataFile, faults: { latencyMs: 200 } });
        const port = Number(new URL(scratch.emulator.url).port);
        const stack = await ProfilesStack.open(scratch.tmp, scratch.emulator, {
            "kaleyra:maxConcurrency": "8",
            "kaleyra:maxRetries": "1",
            "kaleyra:timeoutMs": "2000",
            "kaleyra:retryTimeoutMs": "3000",
        });
        stack.declare(specs);

        const em = scratch.emulator;
        const run = await upUntilApplied(stack, em, 30);
        await em.close();
        scratch.emulator = undefined;
        const failed = await run.result;
        assert.notEqual(failed.code, 0);
        const state = await stack.exported();
        assert.deepEqual(state.pending, []);
        const applied = state.profiles.length;
        assert.ok(applied >= 30 && applied < N, `${applied} recorded`);
        const failedSteps = failed.events.steps.filter((s) => s.status === "failed");
        assert.ok(failedSteps.length > 0, "no failed step");
        const errors = failed.events.diagnostics.filter((d) => d.severity === "error").map((d) => d.message);
        assert.ok(errors.length > 0);
        const endpoint = `127.0.0.1:${port}`;
        assert.ok(
            errors.filter((m) => /num-\d+|urn:/.test(m) || m.includes("kaleyra")).some((m) => m.includes(endpoint)),
            `no error names ${endpoint}:\n${errors.slice(0, 5).join("\n")}`,
        );

        scratch.emulator = await startEmulator({ port, quiet: true, dataFile });
        const again = await stack.ws.up(stack.stack);
        assert.equal(again.code, 0);
        const puts = scratch.emulator.kaleyraRequests();
        assert.equal(puts.length, N - applied, "PUTs in the next up = N - recorded");
        await assertStateIsProgram(stack, specs);
        assertConverged(scratch.emulator, specs);
        console.log(`      down after ${applied} recorded; ${failedSteps.length} failed steps; next up: ${puts.length} PUTs (${failed.durationMs} ms, ${again.durationMs} ms). e.g. ${errors[0]?.split("\n").find((l) => l.includes(endpoint))?.trim().slice(0, 200)}`);
    });
});
