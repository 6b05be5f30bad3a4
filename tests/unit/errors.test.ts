/**
 * Redaction in one place: an error is built with its request's secrets (or headers) and redacts
 * every string it keeps, whoever builds it and whatever the server sent. Each class, given the
 * API key in the server's message, body, headers, request id, the target and the message itself,
 * must show no byte of it: not in `message`, `stack`, `String()`, `JSON.stringify` or
 * `util.inspect` (hidden properties included).
 */

import { strict as assert } from "node:assert";
import { inspect } from "node:util";

import { KaleyraAuthenticationError, KaleyraConfigError, KaleyraError, KaleyraErrorDetails, KaleyraNetworkError, KaleyraNotFoundError, KaleyraRateLimitError, KaleyraServerError, KaleyraUnexpectedResponseError, KaleyraValidationError, RequestTarget } from "../../provider/engine/errors";
import { REDACTED, Redaction } from "../../provider/engine/redaction";
import { interpretResponse } from "../../provider/engine/responses";

const KEY = "Aerrors-test-key-9d1f0c7b2e6a4835";
const TARGET: RequestTarget = { method: "PUT", endpoint: "https://api.in.kaleyra.io", path: `/v1/HX1/whatsapp/number?echo=${KEY}` };

/** Everything an error exposes, as text. */
function everything(e: Error): string {
    return [String(e), e.message, e.stack, JSON.stringify(e), inspect(e, { depth: 10, showHidden: true }), inspect(e, { depth: 10 })].join("\n");
}

/** The key's fragments that must not survive either: its first and last 12 characters. */
function assertNoKey(e: Error, key = KEY): void {
    const text = everything(e);
    for (const piece of [key, key.slice(0, 12), key.slice(-12)]) {
        assert.ok(!text.includes(piece), `${e.name} shows ${JSON.stringify(piece)}:\n${text.slice(0, 3000)}`);
    }
}

/** Details with the key everywhere a server (or a careless caller) could put it. */
function keyed(redactWith: Pick<KaleyraErrorDetails, "secrets" | "requestHeaders">): KaleyraErrorDetails {
    return {
        ...redactWith,
        code: `E${KEY}`,
        type: `VALIDATION_ERROR ${KEY}`,
        parameter: KEY,
        message: `invalid api-key ${KEY}, encoded ${encodeURIComponent(KEY)}`,
        reference: KEY,
        status: 400,
        requestId: `req-${KEY}`,
        target: TARGET,
        responseHeaders: { "x-request-id": KEY, "api-key": KEY, [`x-${KEY}`]: "1", "www-authenticate": `Basic ${Buffer.from(KEY).toString("base64")}` },
        // JSON, with the key written with an escape (`\u0041…`) as a server may.
        responseBody: JSON.stringify({ error: { message: `bad key ${KEY}`, echo: [KEY, KEY] } }).replace(`key ${KEY}`, `key \\u0041${KEY.slice(1)}`),
    };
}

const CLASSES: ReadonlyArray<[string, (message: string, details: KaleyraErrorDetails) => KaleyraError]> = [
    ["KaleyraError", (m, d) => new KaleyraError(m, d)],
    ["KaleyraValidationError", (m, d) => new KaleyraValidationError(m, d)],
    ["KaleyraAuthenticationError", (m, d) => new KaleyraAuthenticationError(m, d)],
    ["KaleyraNotFoundError", (m, d) => new KaleyraNotFoundError(m, d)],
    ["KaleyraRateLimitError", (m, d) => new KaleyraRateLimitError(m, { ...d, retryAfterMs: 1000 })],
    ["KaleyraServerError", (m, d) => new KaleyraServerError(m, d)],
    ["KaleyraNetworkError", (m, d) => new KaleyraNetworkError(m, { ...d, errno: `E${KEY}` })],
    ["KaleyraUnexpectedResponseError", (m, d) => new KaleyraUnexpectedResponseError(m, d)],
];

describe("errors redact themselves where they are made", () => {
    for (const [name, make] of CLASSES) {
        it(`${name}: no byte of the key, given as a secret, anywhere it shows`, () => {
            const e = make(`Kaleyra said: ${KEY} (and ${JSON.stringify(KEY)})`, keyed({ secrets: [KEY] }));
            assertNoKey(e);
            assert.ok(e instanceof KaleyraError && e.name === name);
            assert.match(e.message, /^Kaleyra said: \[REDACTED\]/);
            assert.equal(e.kaleyraMessage, `invalid api-key ${REDACTED}, encoded ${REDACTED}`);
            assert.equal(e.responseHeaders?.["api-key"], REDACTED);
        });

        it(`${name}: no byte of the key, given only in the request's headers`, () => {
            const e = make(`echo ${KEY}`, keyed({ secrets: [], requestHeaders: { "api-key": KEY, "Content-Type": "application/json" } }));
            assertNoKey(e);
        });
    }

    it("KaleyraConfigError: no byte of a secret it is given", () => {
        const e = new KaleyraConfigError(`HTTPS_PROXY has ${KEY}`, "proxy", [KEY]);
        assertNoKey(e);
    });

    it("keeps redacting what is added when an operation gives up", () => {
        const e = new KaleyraServerError("Kaleyra failed on its side", { secrets: [KEY], status: 503 });
        e.gaveUp(3, ` — gave up after 3 attempts: ${KEY}`);
        assertNoKey(e);
        assert.equal(e.attempts, 3);
        assert.match(String(e.stack), /^KaleyraServerError: Kaleyra failed on its side — gave up after 3 attempts: \[REDACTED\]\n/);
    });

    it("redacts proxy credentials sent as a Proxy-Authorization header, in every form", () => {
        const basic = Buffer.from("svc:Proxy-Pass-77").toString("base64");
        const e = new KaleyraNetworkError(`proxy said ${basic} / svc:Proxy-Pass-77 / Proxy-Pass-77`, {
            secrets: [],
            requestHeaders: { "Proxy-Authorization": `Basic ${basic}` },
            errno: "EPROXY",
        });
        assert.equal(e.message, `proxy said ${REDACTED} / ${REDACTED} / ${REDACTED}`);
        assert.ok(!everything(e).includes(basic));
    });

    it("never cuts a secret in half when clipping server text", () => {
        const r = new Redaction([KEY]);
        for (let at = 280; at <= 300; at++) {
            const text = `${"x".repeat(at)}${KEY}${"y".repeat(100)}`;
            const snippet = r.snippet(text);
            assert.ok(!snippet.includes(KEY.slice(0, 6)), `a fragment of the key survived at offset ${at}: ${snippet.slice(-30)}`);
        }
    });

    it("interpretResponse: no fragment of the key in the error, wherever the server put it", () => {
        for (const at of [0, 150, 290, 295, 299, 4090]) {
            const message = `${"m".repeat(at)}${KEY} and more`;
            for (const body of [JSON.stringify({ error: { code: "E1", message } }), `<html>${message}</html>`, message]) {
                let caught: unknown;
                try {
                    interpretResponse({ status: 400, headers: { "x-request-id": `${"r".repeat(295)}${KEY}` }, body }, TARGET, [KEY]);
                } catch (e) {
                    caught = e;
                }
                assert.ok(caught instanceof KaleyraError);
                assertNoKey(caught);
            }
        }
    });

    it("a secret the server wrote with JSON escapes is redacted from the kept body too", () => {
        const escaped = JSON.stringify({ error: { code: "E1", message: KEY } }).replace(KEY, [...KEY].map((c) => `\\u${c.charCodeAt(0).toString(16).padStart(4, "0")}`).join(""));
        let caught: unknown;
        try {
            interpretResponse({ status: 401, headers: {}, body: escaped }, TARGET, [KEY]);
        } catch (e) {
            caught = e;
        }
        assert.ok(caught instanceof KaleyraAuthenticationError);
        assertNoKey(caught);
        assert.equal(caught.responseBody, JSON.stringify({ error: { code: "E1", message: REDACTED } }));
    });
});
