import { strict as assert } from "node:assert";
import { performance } from "node:perf_hooks";
import { FaultSettings, RunningEmulator, startEmulator } from "../../../provider/emulator";
import { parseCliArgs } from "../../../provider/emulator/cli-args";
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

/** Polls (every event-loop turn) until `condition` holds. */
async function until(condition: () => boolean): Promise<void> {
    while (!condition()) await new Promise((r) => setImmediate(r));
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

    describe("peakInFlight", () => {
        it("counts requests from arrival to answer: 5 at once, then 1 at a time", async () => {
            emulator.setFaults({ latencyMs: 200 });
            const arrived = (n: number) => until(() => emulator.kaleyraRequests().length >= n);
            const five = Promise.all(Array.from({ length: 5 }, () => put(emulator, body)));
            await arrived(5);
            assert.equal(emulator.peakInFlight(), 5);
            for (const r of await five) assert.equal(r.status, 200);
            emulator.clearRequests();
            assert.equal(emulator.peakInFlight(), 0);
            for (let i = 0; i < 3; i++) assert.equal((await put(emulator, body)).status, 200);
            assert.equal(emulator.peakInFlight(), 1);
        });

        it("a dropped request leaves at once; a hung one stays until its connection closes", async () => {
            emulator.failNext(1, "drop");
            await assert.rejects(put(emulator, body));
            emulator.failNext(1, "hang");
            const hung = put(emulator, body, { timeoutMs: 300 }).catch(() => "timed out");
            await until(() => emulator.kaleyraRequests().length === 2);
            // The drop has left; the hung request is still in flight alongside the next one.
            emulator.setFaults({ latencyMs: 100 });
            assert.equal((await put(emulator, body)).status, 200);
            assert.equal(emulator.peakInFlight(), 2);
            assert.equal(await hung, "timed out");
            // Once the client's timeout has closed the connection, nothing is open.
            await until(() => {
                emulator.clearRequests();
                return emulator.peakInFlight() === 0;
            });
            assert.equal((await put(emulator, body)).status, 200);
            assert.equal(emulator.peakInFlight(), 1);
        });
    });

    it("applies to Kaleyra's paths only, never the admin API", async () => {
        emulator.setFaults({ serverErrorProbability: 1 });
        const res = await fetch(`${emulator.url}/__emulator/numbers`);
        assert.equal(res.status, 200);
    });

    describe("echoApiKey", () => {
        const KEY = "Aecho0test0key0000000000000000042";
        let echoing: RunningEmulator;
        beforeEach(async () => {
            echoing = await startEmulator({ numbers: [NUMBER], apiKey: KEY, quiet: true });
        });
        afterEach(() => echoing.close());

        function errorMessage(text: string): string {
            return (JSON.parse(text) as { error: { message: string } }).error.message;
        }

        it("as a setting, echoes the key in the headers of every answer and in the message of every error", async () => {
            echoing.setFaults({ echoApiKey: true });
            const ok = await put(echoing, body);
            assert.equal(ok.status, 200);
            assert.equal(ok.text, SUCCESS_TEXT, "a success body is left as it is");
            assert.equal(ok.headers["x-echoed-api-key"], KEY);
            assert.equal(ok.headers["x-request-id"], `req-${KEY}`);

            const invalid = await put(echoing, { wa_number: NUMBER, display_image: "" });
            assert.equal(invalid.status, 400);
            assert.equal(errorMessage(invalid.text), `display_image cannot be empty (api-key: ${KEY})`);
            assert.equal(invalid.headers["x-echoed-api-key"], KEY);

            const wrongKey = await put(echoing, body, { apiKey: "Awrong0key" });
            assert.equal(wrongKey.status, 401);
            assert.equal(errorMessage(wrongKey.text), "Incorrect SID or API key. (api-key: Awrong0key)", "echoes what the request sent");

            echoing.failNext(1, { status: 503 });
            const unavailable = await put(echoing, body);
            assert.equal(unavailable.status, 503);
            assert.match(errorMessage(unavailable.text), new RegExp(`Please retry\\. \\(api-key: ${KEY}\\)$`));

            const noKey = await put(echoing, body, { apiKey: null });
            assert.equal(noKey.status, 401);
            assert.equal(noKey.headers["x-echoed-api-key"], undefined);
            assert.equal(errorMessage(noKey.text), "Incorrect SID or API key.");
        });

        it("on one scripted response: that response only, also for a text body and a custom envelope", async () => {
            echoing.failNext(1, { status: 502, body: "<html>Bad Gateway</html>", echoApiKey: true });
            echoing.failNext(1, { status: 429, body: { message: "slow down" }, headers: { "X-Request-Id": "r-1" }, echoApiKey: true });
            echoing.failNext(1, { status: 500 });
            const html = await put(echoing, body);
            assert.equal(html.text, `<html>Bad Gateway</html> (api-key: ${KEY})`);
            assert.equal(html.headers["x-echoed-api-key"], KEY);
            const custom = await put(echoing, body);
            assert.equal(custom.text, JSON.stringify({ message: `slow down (api-key: ${KEY})` }));
            assert.equal(custom.headers["x-request-id"], "r-1", "an X-Request-Id the script set is kept");
            const plain = await put(echoing, body);
            assert.ok(!plain.text.includes(KEY) && !JSON.stringify(plain.headers).includes(KEY), "the next response echoes nothing");
        });

        it("keeps the key out of the request log, draws nothing from the generator, and is off after reset", async () => {
            echoing.setFaults({ echoApiKey: true, serverErrorProbability: 0.5 });
            const echoed: number[] = [];
            for (let i = 0; i < 10; i++) echoed.push((await put(echoing, body)).status);
            assert.ok(!JSON.stringify(echoing.requests()).includes(KEY));
            assert.deepEqual(echoed, await statusSequence(1, { serverErrorProbability: 0.5 }, 10));
            await echoing.reset();
            assert.equal((await put(echoing, body)).headers["x-echoed-api-key"], undefined);
        });

        it("is turned on from the command line with --echo-api-key", () => {
            const command = parseCliArgs(["--echo-api-key", "--port", "0"]);
            assert.ok(command.kind === "run");
            assert.deepEqual(command.options.faults, { echoApiKey: true });
            const plain = parseCliArgs([]);
            assert.ok(plain.kind === "run");
            assert.deepEqual(plain.options.faults, {});
        });

        it("refuses a value that is not a boolean", () => {
            assert.throws(() => echoing.setFaults({ echoApiKey: "yes" as unknown as boolean }), /echoApiKey must be true or false/);
            assert.throws(() => echoing.failNext(1, { status: 500, echoApiKey: 1 as unknown as boolean }), /echoApiKey must be true or false/);
        });
    });
});
