import { strict as assert } from "assert";
import { performance } from "perf_hooks";
import { FaultSettings, RunningEmulator, startEmulator } from "../../provider/emulator";
import { NUMBER, SUCCESS_TEXT, TimeoutError, json, put } from "./helpers";

const body = { wa_number: NUMBER, about: "fault test" };

async function statusSequence(seed: number, faults: FaultSettings, count: number): Promise<number[]> {
    const emulator = await startEmulator({ numbers: [NUMBER], seed, faults, quiet: true });
    try {
        const out: number[] = [];
        for (let i = 0; i < count; i++) out.push((await put(emulator, body)).status);
        return out;
    } finally {
        await emulator.close();
    }
}

describe("emulator: faults", () => {
    let emulator: RunningEmulator;

    beforeEach(async () => {
        emulator = await startEmulator({ numbers: [NUMBER], quiet: true });
    });
    afterEach(() => emulator.close());

    describe("seeded random faults", () => {
        const faults = { rateLimitProbability: 0.25, serverErrorProbability: 0.25 };

        it("repeat for the same seed, and differ for another", async () => {
            const a = await statusSequence(42, faults, 40);
            const b = await statusSequence(42, faults, 40);
            const c = await statusSequence(7, faults, 40);
            assert.deepEqual(a, b);
            assert.notDeepEqual(a, c);
            // The seeded sequence is fixed, so this cannot flake; it shows every outcome occurs.
            for (const status of [200, 429, 500, 502, 503]) assert.ok(a.includes(status), `no ${status} in ${a.join(",")}`);
        });

        it("repeat after reset (the generator is re-seeded)", async () => {
            emulator.setFaults(faults);
            const first: number[] = [];
            for (let i = 0; i < 20; i++) first.push((await put(emulator, body)).status);
            emulator.reset();
            emulator.setFaults(faults);
            const second: number[] = [];
            for (let i = 0; i < 20; i++) second.push((await put(emulator, body)).status);
            assert.deepEqual(second, first);
        });

        it("at probability 1 always fire, at 0 never", async () => {
            emulator.setFaults({ serverErrorProbability: 1 });
            for (let i = 0; i < 10; i++) assert.ok([500, 502, 503].includes((await put(emulator, body)).status));
            emulator.setFaults({});
            for (let i = 0; i < 10; i++) assert.equal((await put(emulator, body)).status, 200);
        });

        it("send 5xx in the envelope", async () => {
            emulator.setFaults({ serverErrorProbability: 1 });
            const res = await put(emulator, body);
            const error = (json(res) as { error: { code: string; type: string; reference: string } }).error;
            assert.equal(error.code, `WA${res.status}`);
            assert.equal(error.reference, "");
        });

        it("refuse out-of-range settings", () => {
            assert.throws(() => emulator.setFaults({ rateLimitProbability: 1.5 }), RangeError);
            assert.throws(() => emulator.setFaults({ latencyMs: -1 }), RangeError);
            assert.throws(() => emulator.setFaults({ dropProbability: 0.7, hangProbability: 0.7 }), RangeError);
        });
    });

    describe("429", () => {
        it("comes with Retry-After (default 1) and the envelope", async () => {
            emulator.setFaults({ rateLimitProbability: 1 });
            const res = await put(emulator, body);
            assert.equal(res.status, 429);
            assert.equal(res.headers["retry-after"], "1");
            assert.deepEqual(json(res), {
                error: { code: "WA429", type: "RATE_LIMIT_ERROR", parameter: "", message: "Too many requests. Retry after 1 seconds.", reference: "" },
            });
        });

        it("uses the configured Retry-After", async () => {
            emulator.setFaults({ rateLimitProbability: 1, retryAfterSeconds: 30 });
            assert.equal((await put(emulator, body)).headers["retry-after"], "30");
        });

        it("from failNext gets Retry-After unless the script sets one", async () => {
            emulator.failNext(1, { status: 429 });
            emulator.failNext(1, { status: 429, headers: { "Retry-After": "5" } });
            assert.equal((await put(emulator, body)).headers["retry-after"], "1");
            assert.equal((await put(emulator, body)).headers["retry-after"], "5");
        });
    });

    describe("failNext", () => {
        it("fails exactly the next N requests, then the endpoint works again", async () => {
            emulator.failNext(3, { status: 500 });
            const statuses: number[] = [];
            for (let i = 0; i < 5; i++) statuses.push((await put(emulator, body)).status);
            assert.deepEqual(statuses, [500, 500, 500, 200, 200]);
        });

        it("queues scripts in order", async () => {
            emulator.failNext(1, { status: 502 });
            emulator.failNext(2, { status: 429 });
            const statuses: number[] = [];
            for (let i = 0; i < 4; i++) statuses.push((await put(emulator, body)).status);
            assert.deepEqual(statuses, [502, 429, 429, 200]);
        });

        it("sends a scripted body and headers as given", async () => {
            emulator.failNext(1, { status: 502, body: "<html>Bad Gateway</html>", headers: { "X-Edge": "yes" } });
            emulator.failNext(1, { status: 400, body: { custom: true } });
            const html = await put(emulator, body);
            assert.equal(html.status, 502);
            assert.equal(html.text, "<html>Bad Gateway</html>");
            assert.equal(html.headers["x-edge"], "yes");
            assert.match(String(html.headers["content-type"]), /^text\/plain/);
            const custom = await put(emulator, body);
            assert.equal(custom.text, '{"custom":true}');
        });

        it("changes no state, and logs the scripted status", async () => {
            emulator.failNext(1, { status: 500 });
            assert.equal((await put(emulator, { wa_number: NUMBER, about: "must not stick" })).status, 500);
            assert.deepEqual(emulator.profile(NUMBER), { wa_number: NUMBER });
            assert.deepEqual(emulator.kaleyraRequests().map((e) => e.status), [500]);
        });

        it("runs before random faults", async () => {
            emulator.setFaults({ rateLimitProbability: 1 });
            emulator.failNext(1, { status: 503 });
            assert.equal((await put(emulator, body)).status, 503);
            assert.equal((await put(emulator, body)).status, 429);
        });

        it("refuses a bad script", () => {
            assert.throws(() => emulator.failNext(1, { status: 99 }), RangeError);
            assert.throws(() => emulator.failNext(-1, { status: 500 }), RangeError);
        });
    });

    describe("drop", () => {
        it("closes the connection without a response (socket hang up), changing nothing", async () => {
            emulator.failNext(1, "drop");
            await assert.rejects(put(emulator, body), (e: NodeJS.ErrnoException) => {
                assert.equal(e.code, "ECONNRESET");
                assert.match(e.message, /socket hang up/);
                return true;
            });
            assert.deepEqual(emulator.profile(NUMBER), { wa_number: NUMBER });
            assert.equal(emulator.kaleyraRequests()[0].status, 0);
            assert.equal((await put(emulator, body)).text, SUCCESS_TEXT);
        });

        it("fires at probability 1", async () => {
            emulator.setFaults({ dropProbability: 1 });
            await assert.rejects(put(emulator, body), /socket hang up/);
        });
    });

    describe("hang", () => {
        it("never answers: the client times out, and nothing changes", async () => {
            emulator.failNext(1, "hang");
            await assert.rejects(put(emulator, body, { timeoutMs: 200 }), TimeoutError);
            assert.deepEqual(emulator.profile(NUMBER), { wa_number: NUMBER });
            assert.equal(emulator.kaleyraRequests()[0].status, 0);
            assert.equal((await put(emulator, body)).status, 200);
        });

        it("does not keep close() from finishing; the hung request fails", async () => {
            emulator.setFaults({ hangProbability: 1 });
            const hung = put(emulator, body);
            const settled = hung.then(
                () => "answered",
                () => "failed",
            );
            // Wait until the request has arrived, so close() really has a hung request to end.
            while (emulator.kaleyraRequests().length === 0) await new Promise((r) => setImmediate(r));
            await emulator.close();
            assert.equal(await settled, "failed");
        });
    });

    describe("latency", () => {
        it("delays each Kaleyra request by at least latencyMs", async () => {
            emulator.setFaults({ latencyMs: 150 });
            const start = performance.now();
            assert.equal((await put(emulator, body)).status, 200);
            // Timers may fire a hair early relative to performance.now(); allow 5 ms.
            assert.ok(performance.now() - start >= 145, `answered after ${performance.now() - start} ms`);
        });

        it("does not keep close() from finishing", async () => {
            emulator.setFaults({ latencyMs: 60_000 });
            const pending = put(emulator, body).then(
                () => "answered",
                () => "failed",
            );
            while (emulator.kaleyraRequests().length === 0) await new Promise((r) => setImmediate(r));
            await emulator.close();
            assert.equal(await pending, "failed");
        });
    });

    it("applies to Kaleyra's paths only, never the admin API", async () => {
        emulator.setFaults({ serverErrorProbability: 1 });
        const res = await fetch(`${emulator.url}/__emulator/numbers`);
        assert.equal(res.status, 200);
    });
});
