import { strict as assert } from "node:assert";
import { RequestLogEntry, RunningEmulator, startEmulator } from "../../../provider/emulator";
import { NUMBER, SAMPLE_BODY, admin, json, put, request } from "./helpers";

describe("emulator: admin API", () => {
    let emulator: RunningEmulator;

    before(async () => {
        emulator = await startEmulator({ numbers: [NUMBER], quiet: true });
    });
    after(() => emulator.close());
    beforeEach(() => {
        emulator.reset();
    });

    it("GET /__emulator/numbers/<number> returns the profile with snake_case keys", async () => {
        await put(emulator, SAMPLE_BODY);
        const res = await admin(emulator, "GET", `numbers/${encodeURIComponent(NUMBER)}`);
        assert.equal(res.status, 200);
        assert.match(String(res.headers["content-type"]), /^application\/json/);
        assert.deepEqual(json(res), SAMPLE_BODY);
    });

    it("GET /__emulator/numbers/<number> answers 404 for a number not registered", async () => {
        const res = await admin(emulator, "GET", `numbers/${encodeURIComponent("+15550002222")}`);
        assert.equal(res.status, 404);
        assert.equal((json(res) as { error: { code: string } }).error.code, "E404");
    });

    it("GET /__emulator/numbers lists every registered number", async () => {
        await put(emulator, { wa_number: NUMBER, about: "listed" });
        const res = await admin(emulator, "GET", "numbers");
        assert.equal(res.status, 200);
        assert.deepEqual(json(res), emulator.profiles());
        assert.deepEqual((json(res) as Record<string, unknown>)[NUMBER], { wa_number: NUMBER, about: "listed" });
    });

    it("POST /__emulator/numbers registers a number (201), and again is a no-op (200)", async () => {
        const n = "+4915112345678";
        const first = await admin(emulator, "POST", "numbers", { wa_number: n });
        assert.equal(first.status, 201);
        assert.deepEqual(json(first), { wa_number: n });
        assert.equal((await put(emulator, { wa_number: n, about: "registered" })).status, 200);
        const again = await admin(emulator, "POST", "numbers", { wa_number: n });
        assert.equal(again.status, 200);
        assert.deepEqual(json(again), { wa_number: n, about: "registered" });
    });

    for (const body of [{ wa_number: "12345" }, { number: NUMBER }, "not json", [NUMBER]]) {
        it(`POST /__emulator/numbers rejects ${JSON.stringify(body)} with 400`, async () => {
            const before = emulator.profiles();
            const res = await admin(emulator, "POST", "numbers", body);
            assert.equal(res.status, 400);
            assert.equal((json(res) as { error: { code: string } }).error.code, "EMU400");
            assert.deepEqual(emulator.profiles(), before);
        });
    }

    it("GET /__emulator/requests returns the log; DELETE clears it", async () => {
        await put(emulator, { wa_number: NUMBER, about: "logged" });
        await request(`${emulator.url}/nowhere`);
        const res = await admin(emulator, "GET", "requests");
        const log = json(res) as RequestLogEntry[];
        assert.equal(log.length, 2);
        assert.equal(log[0].method, "PUT");
        assert.equal(log[0].path, `/v1/${emulator.sid}/whatsapp/number`);
        assert.deepEqual(log[0].body, { wa_number: NUMBER, about: "logged" });
        assert.equal(log[0].status, 200);
        assert.ok(!Number.isNaN(Date.parse(log[0].at)));
        assert.equal(log[1].status, 404);
        assert.deepEqual(emulator.kaleyraRequests().map((e) => e.path), [`/v1/${emulator.sid}/whatsapp/number`]);

        assert.equal((await admin(emulator, "DELETE", "requests")).status, 204);
        assert.deepEqual(emulator.requests(), []);
    });

    it("logs raw text for a body that is not JSON", async () => {
        await put(emulator, "{oops");
        assert.equal(emulator.requests()[0].body, "{oops");
        assert.equal(emulator.requests()[0].status, 400);
    });

    it("does not log admin requests", async () => {
        await admin(emulator, "GET", "numbers");
        await admin(emulator, "GET", "requests");
        assert.deepEqual(emulator.requests(), []);
    });

    it("returns copies: changing what it returns changes nothing", async () => {
        await put(emulator, { wa_number: NUMBER, about: "original" });
        const p = emulator.profile(NUMBER);
        if (p) p.about = "mutated";
        emulator.requests()[0].status = 999;
        assert.equal(emulator.profile(NUMBER)?.about, "original");
        assert.equal(emulator.requests()[0].status, 200);
    });

    it("POST /__emulator/reset empties profiles, clears the log and turns faults off", async () => {
        await put(emulator, { wa_number: NUMBER, about: "before reset" });
        emulator.setFaults({ rateLimitProbability: 1 });
        emulator.failNext(3, { status: 500 });
        assert.equal((await admin(emulator, "POST", "reset")).status, 204);
        assert.deepEqual(emulator.profile(NUMBER), { wa_number: NUMBER });
        assert.deepEqual(emulator.requests(), []);
        assert.equal((await put(emulator, { wa_number: NUMBER, about: "after reset" })).status, 200);
    });

    it("PUT /__emulator/faults sets faults and GET reads them back", async () => {
        const res = await admin(emulator, "PUT", "faults", { rateLimitProbability: 1, retryAfterSeconds: 9 });
        assert.equal(res.status, 200);
        assert.deepEqual((json(res) as { settings: Record<string, number> }).settings, {
            rateLimitProbability: 1, serverErrorProbability: 0, dropProbability: 0, hangProbability: 0, retryAfterSeconds: 9, latencyMs: 0, echoApiKey: false,
        });
        const limited = await put(emulator, { wa_number: NUMBER, about: "x" });
        assert.equal(limited.status, 429);
        assert.equal(limited.headers["retry-after"], "9");
        assert.equal((await admin(emulator, "PUT", "faults", {})).status, 200);
        assert.equal((await put(emulator, { wa_number: NUMBER, about: "x" })).status, 200);
    });

    it("PUT /__emulator/faults turns echoApiKey on, alone or on one scripted response", async () => {
        const on = await admin(emulator, "PUT", "faults", { echoApiKey: true });
        assert.equal(on.status, 200);
        assert.equal((json(on) as { settings: { echoApiKey: boolean } }).settings.echoApiKey, true);
        assert.equal((await put(emulator, { wa_number: NUMBER, about: "x" })).headers["x-echoed-api-key"], emulator.apiKey);
        await admin(emulator, "PUT", "faults", {});
        const scripted = await admin(emulator, "PUT", "faults", { failNext: { count: 1, response: { status: 400, echoApiKey: true } } });
        assert.equal(scripted.status, 200);
        const res = await put(emulator, { wa_number: NUMBER, about: "x" });
        assert.equal(res.status, 400);
        assert.ok((json(res) as { error: { message: string } }).error.message.endsWith(`(api-key: ${emulator.apiKey})`));
        assert.equal((await put(emulator, { wa_number: NUMBER, about: "x" })).headers["x-echoed-api-key"], undefined);
    });

    it("PUT /__emulator/faults with failNext fails exactly the next N requests", async () => {
        const res = await admin(emulator, "PUT", "faults", { failNext: { count: 2, response: { status: 503 } } });
        assert.equal(res.status, 200);
        assert.equal((json(res) as { pending: number }).pending, 2);
        const statuses: number[] = [];
        for (let i = 0; i < 3; i++) statuses.push((await put(emulator, { wa_number: NUMBER, about: `n${i}` })).status);
        assert.deepEqual(statuses, [503, 503, 200]);
    });

    for (const body of [
        { rateLimitProbability: 2 },
        { dropProbability: -0.1 },
        { rateLimitProbability: 0.6, serverErrorProbability: 0.6 },
        { latencyMs: "slow" },
        { chaos: 1 },
        { failNext: { count: 1, response: { status: 42 } } },
        { failNext: { count: 1, response: "explode" } },
        { failNext: { count: 1, response: "drop" }, latencyMs: 5 },
        { echoApiKey: "yes" },
        { failNext: { count: 1, response: { status: 500, echoApiKey: "yes" } } },
    ]) {
        it(`PUT /__emulator/faults rejects ${JSON.stringify(body)} with 400 and keeps the settings`, async () => {
            const res = await admin(emulator, "PUT", "faults", body);
            assert.equal(res.status, 400, res.text);
            const state = json(await admin(emulator, "GET", "faults")) as { pending: number; settings: Record<string, number> };
            assert.equal(state.pending, 0);
            assert.equal(state.settings.rateLimitProbability, 0);
        });
    }

    it("GET /__emulator/info tells the SID, key and numbers", async () => {
        const info = json(await admin(emulator, "GET", "info")) as { numbers: string[] };
        assert.deepEqual(info, { sid: emulator.sid, api_key: emulator.apiKey, numbers: Object.keys(emulator.profiles()) });
        assert.ok(info.numbers.includes(NUMBER));
    });

    it("answers unknown admin paths with 404 and wrong methods with 405", async () => {
        assert.equal((await admin(emulator, "GET", "nope")).status, 404);
        const res = await admin(emulator, "POST", "requests");
        assert.equal(res.status, 405);
        assert.equal(res.headers.allow, "GET, DELETE");
    });

    it("needs no api-key, and is never faulted", async () => {
        emulator.setFaults({ dropProbability: 1 });
        emulator.failNext(5, { status: 500 });
        assert.equal((await admin(emulator, "GET", "numbers")).status, 200);
        assert.equal((json(await admin(emulator, "GET", "faults")) as { pending: number }).pending, 5);
    });
});
