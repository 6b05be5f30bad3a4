import { strict as assert } from "node:assert";
import { inspect } from "node:util";

import { KaleyraClient, KaleyraClientOptions } from "../../provider/engine/client";
import { KaleyraSettings } from "../../provider/engine/config";
import { KaleyraAuthenticationError, KaleyraError, KaleyraNetworkError, KaleyraNotFoundError, KaleyraRateLimitError, KaleyraServerError, KaleyraUnexpectedResponseError, KaleyraValidationError } from "../../provider/engine/errors";
import { ScriptedServer, startScriptedServer } from "../helpers/scripted-server";
import { rejection as rejectionWithout } from "../helpers/error-text";

const KEY = "Aclient-test-key-5f0c2a9e77d14b8c93";
const E962 = { error: { code: "E962", type: "VALIDATION_ERROR", parameter: "display_image", message: "display_image cannot be empty", reference: "" } };
const E413 = { error: { code: "E413", type: "VALIDATION_ERROR", parameter: "wa_number", message: "wa_number field is required and cannot be empty.", reference: "" } };
const BODY = { wa_number: "+919876543210", about: "Open 9-6" };
const FAST: KaleyraClientOptions = { backoff: { baseMs: 5, maxMs: 20 } };

let sidCounter = 0;
/** Settings with a fresh SID, so each test gets its own process-wide gate. */
function settings(endpoint: string, overrides: Partial<KaleyraSettings> = {}): KaleyraSettings {
    return { sid: `HXTEST${++sidCounter}`, apiKey: KEY, endpoint, timeoutMs: 2000, maxRetries: 3, retryTimeoutMs: 30_000, maxConcurrency: 8, ...overrides };
}

/** The KaleyraError `p` rejects with; the API key is in none of its text. */
function rejection(p: Promise<unknown>): Promise<KaleyraError> {
    return rejectionWithout(p, KEY);
}

describe("Kaleyra client (real HTTP on 127.0.0.1)", () => {
    let server: ScriptedServer;
    beforeEach(async () => (server = await startScriptedServer()));
    afterEach(async () => server.close());

    it("sends the contract's request: PUT /v1/<sid>/whatsapp/number, api-key and JSON content type", async () => {
        const s = settings(server.url);
        const result = await new KaleyraClient(s).updateNumber(BODY);
        assert.deepEqual(result, { status: 200, message: "WA Phone number update successfully.", requestId: undefined, attempts: 1 });
        const [req] = server.received;
        assert.equal(req.method, "PUT");
        assert.equal(req.path, `/v1/${s.sid}/whatsapp/number`);
        assert.equal(req.headers["api-key"], KEY);
        assert.equal(req.headers["content-type"], "application/json");
        assert.deepEqual(JSON.parse(req.body), BODY);
    });

    it("honours a base path in the endpoint", async () => {
        const s = settings(`${server.url}/kaleyra`);
        await new KaleyraClient(s).updateNumber(BODY);
        assert.equal(server.received[0].path, `/kaleyra/v1/${s.sid}/whatsapp/number`);
    });

    it("turns E962 into a validation error naming the parameter and the property, without retrying", async () => {
        server.reply({ status: 400, body: E962, headers: { "x-request-id": "req-1" } });
        const e = await rejection(new KaleyraClient(settings(server.url), FAST).updateNumber(BODY));
        assert.ok(e instanceof KaleyraValidationError);
        assert.equal(e.message, "Kaleyra rejected display_image (displayImage): E962 VALIDATION_ERROR — display_image cannot be empty (HTTP 400, request req-1)");
        assert.deepEqual([e.status, e.code, e.type, e.parameter, e.kaleyraMessage, e.requestId, e.attempts], [400, "E962", "VALIDATION_ERROR", "display_image", "display_image cannot be empty", "req-1", 1]);
        assert.equal(server.received.length, 1);
    });

    it("turns E413 into a validation error about wa_number (waNumber)", async () => {
        server.reply({ status: 400, body: E413 });
        const e = await rejection(new KaleyraClient(settings(server.url), FAST).updateNumber(BODY));
        assert.ok(e instanceof KaleyraValidationError);
        assert.match(e.message, /^Kaleyra rejected wa_number \(waNumber\): E413 VALIDATION_ERROR — wa_number field is required and cannot be empty\./);
    });

    it("treats a 200 that carries an error code as a rejection", async () => {
        server.reply({ status: 200, body: E962 });
        const e = await rejection(new KaleyraClient(settings(server.url)).updateNumber(BODY));
        assert.ok(e instanceof KaleyraValidationError);
        assert.equal(e.code, "E962");
    });

    it("turns 401 RBC001 into an authentication error that says which settings to check", async () => {
        server.reply({ status: 401, body: { error: { code: "RBC001", message: "Incorrect SID or API key" } } });
        const e = await rejection(new KaleyraClient(settings(server.url), FAST).updateNumber(BODY));
        assert.ok(e instanceof KaleyraAuthenticationError);
        assert.match(e.message, /RBC001 — Incorrect SID or API key \(HTTP 401\)\. Check kaleyra:sid and kaleyra:apiKey \(or KALEYRA_SID and KALEYRA_API_KEY\)/);
        assert.equal(server.received.length, 1, "auth errors are not retried");
    });

    it("turns 401 WA401 into an authentication error about the number", async () => {
        server.reply({ status: 401, body: { error: { code: "WA401", message: "phone number not present" } } });
        const e = await rejection(new KaleyraClient(settings(server.url)).updateNumber(BODY));
        assert.match(e.message, /not registered on this account: check waNumber and kaleyra:sid/);
    });

    it("turns 404 into a not-found error that points at SID and endpoint", async () => {
        server.reply({ status: 404, body: "Not Found" });
        const e = await rejection(new KaleyraClient(settings(server.url)).updateNumber(BODY));
        assert.ok(e instanceof KaleyraNotFoundError);
        assert.match(e.message, /Check kaleyra:sid and kaleyra:region or kaleyra:endpoint/);
    });

    it("retries 429 after Retry-After and succeeds", async () => {
        server.reply({ status: 429, body: { error: { code: "WA429", message: "slow down" } }, headers: { "retry-after": "1" } });
        const started = Date.now();
        const result = await new KaleyraClient(settings(server.url), FAST).updateNumber(BODY);
        assert.equal(result.attempts, 2);
        assert.ok(Date.now() - started >= 950, "waited for Retry-After");
        assert.equal(server.received.length, 2);
    });

    it("gives up on a lasting 429 with a rate-limit error that keeps Retry-After", async () => {
        server.fallback = { status: 429, body: { error: { code: "WA429", message: "too many requests" } }, headers: { "retry-after": "0" } };
        const e = await rejection(new KaleyraClient(settings(server.url, { maxRetries: 1 }), FAST).updateNumber(BODY));
        assert.ok(e instanceof KaleyraRateLimitError);
        assert.equal(e.retryAfterMs, 0);
        assert.equal(e.attempts, 2);
        assert.match(e.message, /rate limiting requests: WA429 — too many requests \(HTTP 429\) — gave up after 2 attempts/);
    });

    for (const status of [500, 502, 503, 504]) {
        it(`retries ${status} and succeeds`, async () => {
            server.reply({ status, body: { error: { code: "WA500", message: "internal" } } }, { status, body: "" });
            const result = await new KaleyraClient(settings(server.url), FAST).updateNumber(BODY);
            assert.equal(result.attempts, 3);
        });
    }

    it("gives up after maxRetries, saying how many attempts and the last response", async () => {
        server.fallback = { status: 503, body: "<html><body><h1>503 Service Unavailable</h1></body></html>" };
        const e = await rejection(new KaleyraClient(settings(server.url, { maxRetries: 2 }), FAST).updateNumber(BODY));
        assert.ok(e instanceof KaleyraServerError);
        assert.equal(e.attempts, 3);
        assert.equal(server.received.length, 3);
        assert.match(e.message, /an HTML\/XML page: "503 Service Unavailable" \(HTTP 503\) — gave up after 3 attempts/);
    });

    it("does not retry 501 or other unexpected statuses", async () => {
        server.reply({ status: 501, body: "" });
        assert.ok((await rejection(new KaleyraClient(settings(server.url), FAST).updateNumber(BODY))) instanceof KaleyraServerError);
        server.reply({ status: 302, body: "", headers: { location: "http://elsewhere.invalid/" } });
        assert.ok((await rejection(new KaleyraClient(settings(server.url), FAST).updateNumber(BODY))) instanceof KaleyraUnexpectedResponseError);
        assert.equal(server.received.length, 2);
    });

    for (const [name, body] of [["malformed JSON", '{"status":200,'], ["an empty body", ""], ["an HTML page", "<html>proxy login</html>"], ["a JSON array", "[]"]]) {
        it(`rejects a 200 with ${name} as an unexpected response`, async () => {
            server.reply({ status: 200, body });
            const e = await rejection(new KaleyraClient(settings(server.url)).updateNumber(BODY));
            assert.ok(e instanceof KaleyraUnexpectedResponseError, inspect(e));
            assert.match(e.message, /Unexpected answer from http:\/\/127\.0\.0\.1/);
        });
    }

    it("refuses a huge body instead of buffering it", async () => {
        server.reply({ status: 200, body: JSON.stringify({ junk: "x".repeat(2_000_000) }) });
        const e = await rejection(new KaleyraClient(settings(server.url), { maxResponseBytes: 100_000 }).updateNumber(BODY));
        assert.ok(e instanceof KaleyraUnexpectedResponseError);
        assert.match(e.message, /larger than 100000 bytes/);
    });

    it("retries a dropped connection", async () => {
        server.reply({ drop: true });
        const result = await new KaleyraClient(settings(server.url), FAST).updateNumber(BODY);
        assert.equal(result.attempts, 2);
    });

    it("times out a request that never answers, naming the setting", async () => {
        server.fallback = { hang: true };
        const e = await rejection(new KaleyraClient(settings(server.url, { timeoutMs: 200, maxRetries: 1 }), FAST).updateNumber(BODY));
        assert.ok(e instanceof KaleyraNetworkError);
        assert.equal(e.errno, "ETIMEDOUT");
        assert.match(e.message, /did not answer PUT \/v1\/\w+\/whatsapp\/number within 200 ms \(kaleyra:timeoutMs\).*gave up after 2 attempts/);
    });

    it("times out a body that drips in too slowly", async () => {
        server.fallback = { drip: JSON.stringify({ status: 200, message: "ok" }), everyMs: 50 };
        const e = await rejection(new KaleyraClient(settings(server.url, { timeoutMs: 300, maxRetries: 0 })).updateNumber(BODY));
        assert.ok(e instanceof KaleyraNetworkError);
        assert.equal(e.errno, "ETIMEDOUT");
    });

    it("names the endpoint when nothing listens there", async () => {
        const url = server.url;
        await server.close();
        const e = await rejection(new KaleyraClient(settings(url, { maxRetries: 1 }), FAST).updateNumber(BODY));
        assert.ok(e instanceof KaleyraNetworkError);
        assert.match(e.message, new RegExp(`Could not reach Kaleyra at ${url.replace(/\./g, "\\.")} .*ECONNREFUSED connection refused`));
        server = await startScriptedServer();
    });

    it("redacts the key when the server echoes it back", async () => {
        server.reply({ status: 400, body: { error: { code: "E1", type: "VALIDATION_ERROR", parameter: "about", message: `bad key ${KEY} for you` } }, headers: { "x-request-id": KEY } });
        const e = await rejection(new KaleyraClient(settings(server.url)).updateNumber(BODY));
        assert.match(e.message, /bad key \[REDACTED\] for you/);
    });

    it("keeps at most maxConcurrency requests in flight per account", async () => {
        server.fallback = { status: 200, body: { status: 200 }, delayMs: 30 };
        const s = settings(server.url, { maxConcurrency: 3 });
        // Twelve resources of one account, each with its own client, as the engine runs them.
        await Promise.all(Array.from({ length: 12 }, () => new KaleyraClient(s).updateNumber(BODY)));
        assert.equal(server.received.length, 12);
        assert.equal(server.peakInFlight, 3);
    });

    it("lets no queued request through while the account is paused", async () => {
        const s = settings(server.url, { maxConcurrency: 1 });
        server.reply({ status: 429, body: "", headers: { "retry-after": "1" } });
        // Two resources of one account with one slot: the second waits for the first's slot.
        await Promise.all([new KaleyraClient(s, FAST).updateNumber(BODY), new KaleyraClient(s, FAST).updateNumber({ ...BODY, about: "second" })]);
        const [limited, ...rest] = server.received;
        assert.equal(rest.length, 2);
        for (const r of rest) assert.ok(r.at - limited.at >= 950, `a request arrived ${r.at - limited.at} ms into a 1 s pause`);
    });

    it("does not hold the account for a request's own backoff when Retry-After is 0", async () => {
        const s = settings(server.url, { maxConcurrency: 2 });
        server.reply({ status: 429, body: "", headers: { "retry-after": "0" } });
        const slowBackoff: KaleyraClientOptions = { backoff: { baseMs: 2000, maxMs: 2000 }, random: () => 0.99 };
        const limited = new KaleyraClient(s, slowBackoff).updateNumber(BODY); // retries after ~2 s
        while (server.received.length < 1) await new Promise((r) => setTimeout(r, 5));
        await new Promise((r) => setTimeout(r, 20));
        const other = Date.now();
        await new KaleyraClient(s, FAST).updateNumber(BODY);
        assert.ok(Date.now() - other < 1000, "another resource waited for the first one's backoff");
        await limited;
    });

    it("slows every request to the account when one is rate limited", async () => {
        const s = settings(server.url, { maxConcurrency: 4 });
        server.reply({ status: 429, body: "", headers: { "retry-after": "1" } });
        const first = new KaleyraClient(s, FAST).updateNumber(BODY);
        while (server.received.length < 1) await new Promise((r) => setTimeout(r, 5));
        await new Promise((r) => setTimeout(r, 50));
        const pausedAt = Date.now();
        await new KaleyraClient(s, FAST).updateNumber(BODY); // another resource, same account
        assert.ok(Date.now() - pausedAt >= 800, "the second request did not wait for the pause");
        await first;
    });
});
