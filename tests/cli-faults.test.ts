/**
 * What a deploy pipeline meets, under the real Pulumi CLI against the emulator: `pulumi up` of a
 * few hundred new profiles killed (SIGKILL) or interrupted (SIGINT) while PUTs are in flight, and
 * Kaleyra going down mid-apply — each followed by the recovery a user runs (README, "When a
 * `pulumi up` is killed or interrupted"). The longer scenarios (bad minutes with 25% faults,
 * parallelism) are in `npm run bench` (bench/real-engine-faults.ts), their outcome in bench/RESULTS.md.
 *
 * The CLI runs in a process group of its own (tools/cli `start`), so a signal reaches it and
 * everything it started — the language host, the program, the dynamic-provider host — as a
 * terminal's Ctrl-C or a CI runner's kill does.
 */
import { strict as assert } from "node:assert";
import * as fs from "node:fs";
import * as os from "node:os";
import * as path from "node:path";

import { startEmulator, type RunningEmulator } from "../provider/emulator";
import { makeProfiles, type ProfileSpec } from "../tools/harness/fixtures/soak/profiles";
import { pulumiEngine, requireEngine } from "./helpers/engines";
import { CliSoakStack, countBy, kaleyraProfile, names, ROOT, until, waNumberOf } from "./helpers/cli-soak";

const ENGINE = pulumiEngine(path.join(ROOT, "node_modules"));

function assertConverged(emulator: RunningEmulator, specs: readonly ProfileSpec[]): void {
    const profiles = emulator.profiles();
    for (const spec of specs) assert.deepEqual(profiles[spec.args.waNumber], kaleyraProfile(spec.args), spec.name);
}

async function assertStateIsProgram(stack: CliSoakStack, specs: readonly ProfileSpec[]): Promise<void> {
    const state = await stack.exported();
    assert.deepEqual(state.pending, [], "pending operations left in state");
    const recorded = names(state.profiles);
    assert.equal(new Set(recorded).size, recorded.length, "a resource is recorded twice");
    assert.deepEqual([...recorded].sort(), specs.map((s) => s.name).sort(), "the state's resources are not the program's");
    for (const r of state.profiles) assert.ok(r.id && r.id.startsWith("+91987"), `${r.urn} has id ${r.id}`);
}

describe("under the real Pulumi CLI: killed, interrupted, and Kaleyra down mid-apply", function () {
    this.timeout(300_000);
    let tmp: string;
    let emulator: RunningEmulator | undefined;

    beforeEach(function () {
        requireEngine(ENGINE, this);
        tmp = fs.mkdtempSync(path.join(os.tmpdir(), "cli-faults-"));
    });
    afterEach(async function () {
        await emulator?.close();
        emulator = undefined;
        if (this.currentTest?.state === "failed" && process.env.KALEYRA_KEEP_FAILED) console.log(`      kept ${tmp}`);
        else fs.rmSync(tmp, { recursive: true, force: true });
    });

    it("SIGKILL mid-apply: cancel, refresh --clear-pending-creates, up converges with one PUT per profile not recorded", async function () {
        const N = 120;
        const specs = makeProfiles(N);
        emulator = await startEmulator({ numbers: specs.map((s) => s.args.waNumber), quiet: true, faults: { latencyMs: 300 } });
        const stack = await CliSoakStack.open(tmp, emulator, { "kaleyra:maxConcurrency": "8" });
        stack.declare(specs);

        const run = stack.ws.startUp(stack.stack);
        const em = emulator;
        await until(() => em.kaleyraRequests().filter((r) => r.status === 200).length >= 30, 120_000, "30 profiles applied");
        const tree = run.tree();
        const inFlight = em.kaleyraRequests().filter((r) => r.status === 0).length;
        run.signal("SIGKILL");
        const killed = await run.result;
        assert.equal(killed.code, null, "the CLI was killed by the signal");
        assert.ok(inFlight > 0, "PUTs were in flight when the CLI was killed");
        // The CLI, the language host, the program and the dynamic-provider host (with their launchers).
        assert.ok(tree.length >= 4, `the CLI's process tree: ${tree.join(", ")}`);
        await until(() => run.survivors().length === 0, 10_000, "the CLI and everything it started to be gone");
        // The emulator still answers the requests the dead provider host had sent.
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

    it("SIGINT mid-apply: stops non-zero, records what was applied, the next up PUTs only the rest", async function () {
        const N = 100;
        const specs = makeProfiles(N);
        emulator = await startEmulator({ numbers: specs.map((s) => s.args.waNumber), quiet: true, faults: { latencyMs: 300 } });
        const stack = await CliSoakStack.open(tmp, emulator, { "kaleyra:maxConcurrency": "8" });
        stack.declare(specs);

        const run = stack.ws.startUp(stack.stack);
        const em = emulator;
        await until(() => em.kaleyraRequests().filter((r) => r.status === 200).length >= 30, 120_000, "30 profiles applied");
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
        const dataFile = path.join(tmp, "emulator.json");
        emulator = await startEmulator({ numbers: specs.map((s) => s.args.waNumber), quiet: true, dataFile, faults: { latencyMs: 200 } });
        const port = Number(new URL(emulator.url).port);
        const stack = await CliSoakStack.open(tmp, emulator, {
            "kaleyra:maxConcurrency": "8",
            "kaleyra:maxRetries": "1",
            "kaleyra:timeoutMs": "2000",
            "kaleyra:retryTimeoutMs": "3000",
        });
        stack.declare(specs);

        const run = stack.ws.startUp(stack.stack);
        const em = emulator;
        await until(() => em.kaleyraRequests().filter((r) => r.status === 200).length >= 30, 120_000, "30 profiles applied");
        await em.close();
        emulator = undefined;
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

        emulator = await startEmulator({ port, quiet: true, dataFile });
        const again = await stack.ws.up(stack.stack);
        assert.equal(again.code, 0);
        const puts = emulator.kaleyraRequests();
        assert.equal(puts.length, N - applied, "PUTs in the next up = N - recorded");
        await assertStateIsProgram(stack, specs);
        assertConverged(emulator, specs);
        console.log(`      down after ${applied} recorded; ${failedSteps.length} failed steps; next up: ${puts.length} PUTs (${failed.durationMs} ms, ${again.durationMs} ms). e.g. ${errors[0]?.split("\n").find((l) => l.includes(endpoint))?.trim().slice(0, 200)}`);
    });
});
