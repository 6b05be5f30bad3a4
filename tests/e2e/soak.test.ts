/**
 * Soak: a few hundred profiles applied through the real dynamic-provider host (tools/harness) to
 * the emulator with faults on — 429s, 5xx, dropped and hung connections, latency — and checks that
 * everything converges with no PUT beyond the ones needed plus one retry per faulted request.
 *
 * Random 429s carry `Retry-After: 0`: every 429 pauses the whole account for at least the jittered
 * backoff, and the emulator can only send whole seconds, so 10% of 429s at 1 s each would take the
 * first `up` alone to ~25–30 s. One scripted 429 with `Retry-After: 1` at the start checks that the
 * server's wait is honoured by every request to the account.
 */
import { strict as assert } from "node:assert";
import * as fs from "node:fs";
import * as os from "node:os";
import * as path from "node:path";

import { NumberProfile, RequestLogEntry, RunningEmulator, startEmulator } from "../../provider/emulator";
import { FIELD_LIST } from "../../provider/contract/fields";
import { makeProfiles, numberAt, PROFILES_FILE_ENV, ProfileArgs, ProfileSpec, writeProfiles } from "../../tools/programs/profiles/profiles";
import { JsonObject, OperationResult, readState, ResourceState, StackRef, StackState, up } from "../../tools/harness";

const N = 300;
const FIXTURE_DIR = path.join(__dirname, "..", "..", "tools", "harness", "fixtures", "soak");
const FAULTS = {
    rateLimitProbability: 0.1,
    retryAfterSeconds: 0,
    serverErrorProbability: 0.1,
    dropProbability: 0.05,
    hangProbability: 0.01,
    latencyMs: 10,
};
/** The scripted first answer: a 429 asking the whole account to wait a second. */
const FIRST_RETRY_AFTER_MS = 1000;
const MAX_CONCURRENCY = 16;

/** A profile in Kaleyra's snake_case, as the emulator stores it. */
function kaleyraProfile(args: ProfileArgs): NumberProfile {
    const profile: Record<string, string> = { wa_number: args.waNumber };
    for (const field of FIELD_LIST) {
        const value = args[field.name];
        if (value !== undefined) profile[field.key] = value;
    }
    return profile as unknown as NumberProfile;
}

/** A recorded property map without the serialized provider. */
function withoutProvider(props: JsonObject): JsonObject {
    const { __provider: _provider, ...rest } = props;
    return rest;
}

function waNumberOf(entry: RequestLogEntry): string {
    const body = entry.body as { wa_number?: unknown };
    assert.equal(typeof body.wa_number, "string", `request without wa_number: ${JSON.stringify(entry.body)}`);
    return body.wa_number as string;
}

function countBy<T>(items: readonly T[], key: (item: T) => string): Record<string, number> {
    const counts: Record<string, number> = {};
    for (const item of items) counts[key(item)] = (counts[key(item)] ?? 0) + 1;
    return counts;
}

describe(`soak: ${N} profiles through the provider host against a faulty emulator`, function () {
    this.timeout(60_000);

    let emulator: RunningEmulator;
    let tmp: string;
    let stack: StackRef;
    let specs: ProfileSpec[];
    let first: OperationResult;
    let firstRequests: RequestLogEntry[];

    before(async function () {
        specs = makeProfiles(N);
        emulator = await startEmulator({ numbers: specs.map((s) => s.args.waNumber), seed: 20_240_601, quiet: true, faults: FAULTS });
        emulator.failNext(1, { status: 429, headers: { "Retry-After": String(FIRST_RETRY_AFTER_MS / 1000) } });
        tmp = fs.mkdtempSync(path.join(os.tmpdir(), "kaleyra-soak-"));
        const profilesFile = path.join(tmp, "profiles.json");
        writeProfiles(profilesFile, specs);
        stack = {
            projectDir: FIXTURE_DIR,
            program: path.join(FIXTURE_DIR, "index.ts"),
            project: "soak",
            stack: "soak",
            stateFile: path.join(tmp, "state.json"),
            config: {
                "kaleyra:sid": emulator.sid,
                "kaleyra:apiKey": { secret: emulator.apiKey },
                "kaleyra:endpoint": emulator.url,
                "kaleyra:maxRetries": "8",
                "kaleyra:maxConcurrency": String(MAX_CONCURRENCY),
                "kaleyra:timeoutMs": "2000",
                "kaleyra:retryTimeoutMs": "45000",
            },
            env: { [PROFILES_FILE_ENV]: profilesFile },
        };
        first = await up(stack, { parallel: 32, timeoutMs: 50_000 });
        firstRequests = emulator.kaleyraRequests();
    });

    after(async function () {
        await emulator?.close();
        if (tmp) fs.rmSync(tmp, { recursive: true, force: true });
    });

    it("converges: every resource created, no errors", function () {
        assert.deepEqual(first.errors, [], first.hostLog.slice(-4000));
        assert.deepEqual(first.checkFailures, []);
        assert.ok(first.ok);
        assert.equal(first.summary.create, N);
        assert.equal(first.grpcCalls.Create, N);
        assert.equal(first.grpcCalls.Update, 0);
        assert.ok(first.steps.every((s) => s.op === "create" && s.status === "done"));
    });

    it("leaves the emulator holding exactly the desired profile of every number", function () {
        const profiles = emulator.profiles();
        assert.equal(Object.keys(profiles).length, N);
        for (const spec of specs) assert.deepEqual(profiles[spec.args.waNumber], kaleyraProfile(spec.args), spec.name);
    });

    it("makes exactly N successful PUTs, plus one retry per faulted request and nothing more", function () {
        const statuses = countBy(firstRequests, (r) => String(r.status));
        const faulted = firstRequests.filter((r) => r.status !== 200);
        const ok = firstRequests.filter((r) => r.status === 200);
        // The faults really happened (seeded: the same every run), in every kind.
        assert.ok((statuses["429"] ?? 0) >= 20, `429s: ${JSON.stringify(statuses)}`);
        assert.ok((statuses["500"] ?? 0) + (statuses["502"] ?? 0) + (statuses["503"] ?? 0) >= 20, `5xx: ${JSON.stringify(statuses)}`);
        assert.ok((statuses["0"] ?? 0) >= 5, `drops and hangs: ${JSON.stringify(statuses)}`);
        assert.ok(Object.keys(statuses).every((s) => ["0", "200", "429", "500", "502", "503"].includes(s)), JSON.stringify(statuses));

        assert.ok(firstRequests.every((r) => r.method === "PUT" && r.path === `/v1/${emulator.sid}/whatsapp/number`));
        assert.equal(ok.length, N, `successful PUTs: ${JSON.stringify(statuses)}`);
        assert.equal(firstRequests.length, N + faulted.length);

        // Per number: the faulted attempts, then exactly one success, which is the last request for it.
        const byNumber = new Map<string, RequestLogEntry[]>();
        for (const r of firstRequests) byNumber.set(waNumberOf(r), [...(byNumber.get(waNumberOf(r)) ?? []), r]);
        assert.deepEqual([...byNumber.keys()].sort(), specs.map((s) => s.args.waNumber).sort());
        for (const [number, requests] of byNumber) {
            const statusList = requests.map((r) => r.status);
            assert.equal(statusList.filter((s) => s === 200).length, 1, `${number}: ${statusList.join(",")}`);
            assert.equal(statusList[statusList.length - 1], 200, `${number}: ${statusList.join(",")}`);
        }

        // The client saw every fault and retried it once: one retry line in the host log per faulted request.
        const retries = first.hostLog.match(/kaleyra: attempt \d+ failed/g) ?? [];
        assert.equal(retries.length, faulted.length);
        assert.ok(!first.hostLog.includes(emulator.apiKey), "the API key appeared in the host log");
    });

    it("honours Retry-After for the whole account: nothing new is sent until it has passed", function () {
        const [rateLimited] = firstRequests;
        assert.equal(rateLimited.status, 429);
        const t429 = Date.parse(rateLimited.at);
        // Only requests already sent when the 429 came back may arrive during the pause: one per other slot,
        // MAX_CONCURRENCY - 1 (the pause is set before the 429's own slot is released). Without any pause,
        // hundreds would arrive (each request takes ~latencyMs).
        const during = firstRequests.slice(1).filter((r) => Date.parse(r.at) < t429 + FIRST_RETRY_AFTER_MS - 10);
        assert.ok(
            during.length <= MAX_CONCURRENCY - 1,
            `${during.length} requests arrived during the ${FIRST_RETRY_AFTER_MS} ms Retry-After pause that began at ${rateLimited.at}`,
        );
        const next = firstRequests.find((r) => !during.includes(r) && r !== rateLimited);
        assert.ok(next && Date.parse(next.at) >= t429 + FIRST_RETRY_AFTER_MS - 10, `first request after the pause: ${next?.at}`);
    });

    it("records exactly what was applied in the state file", function () {
        const state = readState(stack.stateFile);
        assert.deepEqual(state, JSON.parse(JSON.stringify(first.state)), "the state file is the state the operation reported");
        assert.equal(state.resources.length, N);
        const byName = new Map(state.resources.map((r) => [r.name, r]));
        const providers = new Set<unknown>();
        for (const spec of specs) {
            const res = byName.get(spec.name);
            assert.ok(res, `${spec.name} missing from state`);
            assert.equal(res.id, spec.args.waNumber);
            assert.deepEqual(withoutProvider(res.outputs), { ...spec.args }, `${spec.name} outputs`);
            assert.deepEqual(withoutProvider(res.inputs), { ...spec.args }, `${spec.name} inputs`);
            providers.add(res.inputs.__provider);
            providers.add(res.outputs.__provider);
        }
        assert.equal(providers.size, 1, "every resource records the same serialized provider");
    });

    it("a second up, faults still on, changes nothing and makes no PUT", async function () {
        const stateBefore = fs.readFileSync(stack.stateFile, "utf8");
        const again = await up(stack, { parallel: 32, timeoutMs: 30_000 });
        assert.deepEqual(again.errors, []);
        assert.ok(again.ok);
        assert.equal(again.summary.same, N);
        assert.equal(again.grpcCalls.Create, 0);
        assert.equal(again.grpcCalls.Update, 0);
        assert.equal(again.grpcCalls.Diff, N);
        assert.equal(emulator.kaleyraRequests().length, firstRequests.length, "PUTs made by the no-op up");
        const byUrn = (resources: ResourceState[]) => new Map(resources.map((r) => [r.urn, r]));
        assert.deepEqual(byUrn(readState(stack.stateFile).resources), byUrn((JSON.parse(stateBefore) as StackState).resources));
        assert.ok(numberAt(N - 1) in emulator.profiles());
    });
});
