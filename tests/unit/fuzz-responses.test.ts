/**
 * Property-based tests of what the provider does with whatever a server sends back: every
 * response becomes a success or a typed `KaleyraError` with a clear, bounded message, never a
 * crash, never the API key. First pure (`interpretResponse`, thousands of runs), then the real
 * client against a scripted HTTP server on 127.0.0.1 (statuses, bodies, headers, drops, hangs,
 * drips, invalid HTTP written to the raw socket).
 *
 * Runs are seeded (FUZZ_SEED overrides) so a failure is repeatable; fast-check prints the seed
 * and the counterexample path when a property fails.
 */

import { strict as assert } from "node:assert";
import * as http from "node:http";
import { inspect } from "node:util";

import fc from "fast-check";

import { KaleyraClient } from "../../provider/engine/client";
import { KaleyraSettings } from "../../provider/engine/config";
import { KaleyraAuthenticationError, KaleyraError, KaleyraNotFoundError, KaleyraRateLimitError, KaleyraServerError, KaleyraUnexpectedResponseError, KaleyraValidationError, RequestTarget } from "../../provider/engine/errors";
import { interpretResponse, RawResponse, UpdateSuccess } from "../../provider/engine/responses";
import { RawReply, Reply, ScriptedServer, startScriptedServer } from "../helpers/scripted-server";

const SEED = Number(process.env.FUZZ_SEED ?? 0x6b616c);
const runs = (numRuns: number): fc.Parameters<unknown> => ({ numRuns, seed: SEED });

/** The longest error message a person should have to read, whatever the server sent. */
const MAX_MESSAGE = 2500;
const RETRYABLE = new Set([429, 500, 502, 503, 504]);
const TARGET: RequestTarget = { method: "PUT", endpoint: "https://api.in.kaleyra.io", path: "/v1/HXFUZZ/whatsapp/number" };

/** Stands for the API key inside generated text; replaced by the run's key. */
const K = "\uf8ff";

/** The request's secrets as the client passes them, for the pure runs. */
const secretsFor = (key: string): readonly string[] => [key];

/** Everything an error exposes, as text: message, stack, own fields, hidden ones, JSON. */
function everything(e: unknown): string {
    let json: string;
    try {
        json = JSON.stringify(e) ?? "";
    } catch (caught) {
        json = String(caught);
    }
    return [String(e), (e as Error)?.stack, json, inspect(e, { showHidden: true, depth: 10 })].join("\n");
}

function show(text: unknown): string {
    const s = typeof text === "string" ? text : inspect(text, { depth: 4 });
    return s.length > 400 ? `${s.slice(0, 400)}…` : s;
}

function isObject(v: unknown): v is Record<string, unknown> {
    return typeof v === "object" && v !== null && !Array.isArray(v);
}

function parse(body: string): unknown {
    try {
        return JSON.parse(body);
    } catch {
        return undefined;
    }
}

/**
 * The contract, written out independently of responses.ts: a success is a 2xx whose body is a
 * JSON object with no error code (`error.code`, or `code` at top level when `error` is not an
 * object), a code being a number or a string that is not blank.
 */
function shouldSucceed(status: number, body: string): boolean {
    if (!(status >= 200 && status < 300)) return false;
    const parsed = parse(body);
    if (!isObject(parsed)) return false;
    const source = isObject(parsed.error) ? parsed.error : parsed;
    const code = source.code;
    return !((typeof code === "string" && code.trim() !== "") || typeof code === "number");
}

/** The class an error must have for a status the documentation names. */
function expectedClass(status: number): ReadonlyArray<new (...args: never[]) => KaleyraError> {
    // Below 300, an error envelope is a rejection of the request whatever the status.
    if (status < 300) return [KaleyraValidationError, KaleyraUnexpectedResponseError];
    if (status === 400 || status === 422) return [KaleyraValidationError];
    if (status === 401 || status === 403) return [KaleyraAuthenticationError];
    if (status === 404) return [KaleyraNotFoundError];
    if (status === 429) return [KaleyraRateLimitError];
    if (status >= 500 && status < 600) return [KaleyraServerError];
    return [KaleyraUnexpectedResponseError];
}

/** What must hold of any error the provider hands out. */
function assertCleanError(e: unknown, key: string): asserts e is KaleyraError {
    assert.ok(e instanceof KaleyraError, `not a KaleyraError: ${show(e)}`);
    assert.notEqual(e.constructor, KaleyraError, "a bare KaleyraError instead of a subclass");
    assert.equal(e.name, e.constructor.name);
    assert.equal(typeof e.message, "string");
    assert.ok(e.message.trim().length > 0, "empty message");
    assert.ok(e.message.length <= MAX_MESSAGE, `message is ${e.message.length} characters: ${show(e.message)}`);
    const all = everything(e);
    assert.ok(!all.includes(key), `the API key leaked: ${show(all.slice(Math.max(0, all.indexOf(key) - 200), all.indexOf(key) + 200))}`);
    assert.equal(typeof e.retryable, "boolean");
}

function assertCleanSuccess(result: UpdateSuccess, key: string): void {
    assert.ok(result.status >= 200 && result.status < 300, `success with status ${result.status}`);
    assert.ok(!everything(result).includes(key), "the API key leaked into a success");
    for (const text of [result.message, result.requestId]) {
        if (text !== undefined) assert.ok(typeof text === "string" && text.length <= 301, `unbounded text in a success: ${show(text)}`);
    }
}

// ---------------------------------------------------------------------------------------------
// Arbitraries
// ---------------------------------------------------------------------------------------------

/** API keys shaped like Kaleyra's (an `A` and 32 hex digits) and a few other plausible shapes. */
const apiKey = fc.oneof(fc.stringMatching(/^A[0-9a-f]{32}$/), fc.stringMatching(/^[A-Za-z0-9_-]{20,48}$/).filter((k) => /[0-9]/.test(k) && /[A-Za-z]/.test(k)));

const NASTY_UNITS = ["\0", "\u202e", "\u200f", "\ud800", "\udfff", "😀", "👨‍👩‍👧", "\ufeff", "\n", "\r\n", "\t", "\u2028", " ", "<", ">", "</", '"', "\\", "{", "}", "[", "]", ":", ",", "a", "é", "日本", "مرحبا", K];
const nasty = fc.string({ unit: fc.constantFrom(...NASTY_UNITS), maxLength: 60 });

/** Any text, with the key (K) now and then. */
const text: fc.Arbitrary<string> = fc.oneof(
    { arbitrary: fc.string(), weight: 3 },
    { arbitrary: fc.string({ unit: "binary", maxLength: 40 }), weight: 2 },
    { arbitrary: nasty, weight: 3 },
    { arbitrary: fc.tuple(fc.string({ maxLength: 20 }), fc.string({ maxLength: 20 })).map(([a, b]) => `${a}${K}${b}`), weight: 3 },
    { arbitrary: fc.constantFrom(K, `${K}${K}`, `key=${K}`, `Bearer ${K}`, "", " ", "\n\t ", "x".repeat(400), `${"y".repeat(295)}${K}`), weight: 2 },
);

/** What an envelope field might hold: text, numbers, anything. */
const fieldValue: fc.Arbitrary<unknown> = fc.oneof(
    { arbitrary: text, weight: 6 },
    { arbitrary: fc.constantFrom("E962", "E413", "RBC001", "WA401", "WA429", "WA500", "VALIDATION_ERROR", "display_image", "wa_number", "about", "website"), weight: 4 },
    { arbitrary: fc.oneof(fc.integer(), fc.double({ noNaN: true, noDefaultInfinity: true }), fc.constantFrom(0, -0, 1e21)), weight: 2 },
    { arbitrary: fc.constantFrom<unknown>(null, true, false, [], {}, [K], { nested: K }), weight: 2 },
    { arbitrary: fc.jsonValue({ maxDepth: 2 }), weight: 1 },
);

const ENVELOPE_KEYS = ["code", "type", "parameter", "message", "reference"];
const envelopeFields = fc.dictionary(fc.oneof(fc.constantFrom(...ENVELOPE_KEYS), fc.string({ maxLength: 8 })), fieldValue, { maxKeys: 7 });

/** Kaleyra's envelopes, real and mangled, as JSON values. */
const envelope: fc.Arbitrary<unknown> = fc.oneof(
    envelopeFields.map((error) => ({ error })),
    envelopeFields,
    fc.tuple(envelopeFields, fieldValue).map(([error, status]) => ({ status, message: "x", data: [], error })),
    fc.constant({ status: 200, message: "WA Phone number update successfully.", data: [], error: {} }),
    fc.tuple(text, fieldValue).map(([message, status]) => ({ status, message, data: [], error: {} })),
    fc.tuple(fieldValue, fieldValue).map(([error, code]) => ({ error, code })),
);

const htmlPage = fc
    .tuple(text, text, text)
    .map(([title, heading, para]) => `<!DOCTYPE html>\n<html><head><title>${title}</title></head><body><h1>${heading}</h1><p>${para}</p><!-- ${K} --></body></html>`);

/** Huge bodies, none with the dense unclosed '<' that responses.ts cannot yet handle (see the skipped test). */
const HUGE = 200_000;
const hugeBody = fc.constantFrom(
    "x".repeat(HUGE) + K,
    `${K} `.repeat(HUGE / 34),
    JSON.stringify({ error: { code: "E1", message: `${"m".repeat(HUGE)}${K}` } }),
    JSON.stringify({ status: 200, message: `${K}${" ".repeat(HUGE)}x` }),
    `<html><body>${"<p>text</p>".repeat(HUGE / 11)}${K}</body></html>`,
    " ".repeat(HUGE),
    `<${"a".repeat(HUGE)}`,
    "[".repeat(HUGE / 2) + "]".repeat(HUGE / 2),
    "{".repeat(HUGE),
    JSON.stringify({ error: { code: "\n".repeat(HUGE), message: "\t".repeat(HUGE) } }),
);

const body: fc.Arbitrary<string> = fc.oneof(
    { arbitrary: envelope.map((v) => JSON.stringify(v)), weight: 8 },
    { arbitrary: fc.tuple(envelope, fc.nat()).map(([v, n]) => JSON.stringify(v).slice(0, n % (JSON.stringify(v).length + 1))), weight: 3 },
    { arbitrary: fc.jsonValue({ maxDepth: 3 }).map((v) => JSON.stringify(v)), weight: 2 },
    { arbitrary: htmlPage, weight: 2 },
    { arbitrary: text, weight: 2 },
    { arbitrary: fc.constantFrom("", " ", "\r\n", "null", "[]", "{}", '{"error":null}', '{"error":{}}', `<?xml version="1.0"?><error>${K}</error>`), weight: 2 },
    { arbitrary: hugeBody, weight: 1 },
);

const status: fc.Arbitrary<number> = fc.oneof(
    { arbitrary: fc.integer({ min: 100, max: 599 }), weight: 8 },
    { arbitrary: fc.constantFrom(200, 201, 202, 204, 299, 400, 401, 403, 404, 409, 422, 429, 500, 501, 502, 503, 504, 520), weight: 8 },
    { arbitrary: fc.constantFrom(0, -1, 1, 99, 199, 300, 600, 999, 1000, 200.5, 429.1, 503.9, NaN, Infinity, -Infinity, 2 ** 53, 1e21), weight: 2 },
);

const retryAfter = fc.oneof(
    fc.constantFrom("0", "1", "1.5", "-1", "1e3", "0x10", "Infinity", "NaN", "", "   ", "abc", "1".repeat(400), "9".repeat(20), " 3 ", "3, 4"),
    fc.constantFrom("Wed, 21 Oct 2015 07:28:00 GMT", "Fri, 31 Dec 9999 23:59:59 GMT", "Thu, 01 Jan 1970 00:00:00 GMT", "2030-01-01", "tomorrow"),
    fc.nat().map(String),
    text,
);

const HEADER_NAMES = ["x-request-id", "x-kaleyra-request-id", "x-amzn-requestid", "retry-after", "content-type", "set-cookie", "www-authenticate", "__proto__", "constructor"];

/** Response headers as the client hands them to interpretResponse: lower-case names, string or undefined values. */
const headers = fc
    .tuple(
        fc.array(fc.tuple(fc.oneof(fc.constantFrom(...HEADER_NAMES), fc.string({ maxLength: 12 })), fc.option(text, { nil: undefined })), { maxLength: 6 }),
        fc.option(retryAfter, { nil: undefined }),
        fc.option(fc.oneof(text, fc.constant(K)), { nil: undefined }),
    )
    .map(([pairs, ra, id]) => {
        const h: Record<string, string | undefined> = {};
        const put = (k: string, v: string | undefined) => Object.defineProperty(h, k.toLowerCase(), { value: v, enumerable: true, configurable: true, writable: true });
        for (const [k, v] of pairs) put(k, v);
        if (ra !== undefined) put("retry-after", ra);
        if (id !== undefined) put("x-request-id", id);
        return h;
    });

const withKey = (s: string, key: string) => s.split(K).join(key);

// ---------------------------------------------------------------------------------------------
// Pure
// ---------------------------------------------------------------------------------------------

/** Call interpretResponse and check everything that must hold of the outcome. */
function checkInterpretation(raw: RawResponse, key: string): UpdateSuccess | KaleyraError {
    let result: UpdateSuccess;
    try {
        result = interpretResponse(raw, TARGET, secretsFor(key));
    } catch (e) {
        assertCleanError(e, key);
        assert.ok(!shouldSucceed(raw.status, raw.body), `a 2xx JSON object without an error code was rejected: ${show(e.message)}`);
        assert.equal(e.retryable, RETRYABLE.has(raw.status), `retryable is ${e.retryable} for HTTP ${raw.status}`);
        assert.ok(
            expectedClass(raw.status).some((c) => e instanceof c),
            `HTTP ${raw.status} gave ${e.name}; expected ${expectedClass(raw.status).map((c) => c.name).join(" or ")}`,
        );
        assert.equal(e.status, raw.status);
        assert.ok(e.message.includes(`HTTP ${raw.status}`), `the message does not name the status: ${show(e.message)}`);
        if (e instanceof KaleyraRateLimitError && e.retryAfterMs !== undefined) {
            assert.ok(typeof e.retryAfterMs === "number" && !Number.isNaN(e.retryAfterMs) && e.retryAfterMs >= 0, `retryAfterMs ${e.retryAfterMs}`);
        }
        return e;
    }
    assert.ok(shouldSucceed(raw.status, raw.body), `HTTP ${raw.status} with ${show(raw.body)} was taken as a success`);
    assertCleanSuccess(result, key);
    assert.equal(result.status, raw.status);
    return result;
}

describe("responses (property-based, pure)", function () {
    this.timeout(60_000);

    it("turns any response into a success or a clean, typed error (5000 runs)", () => {
        fc.assert(
            fc.property(apiKey, status, headers, body, (key, st, hs, b) => {
                const raw: RawResponse = {
                    status: st,
                    headers: Object.fromEntries(Object.entries(hs).map(([k, v]) => [k, v === undefined ? undefined : withKey(v, key)])),
                    body: withKey(b, key),
                };
                checkInterpretation(raw, key);
            }),
            runs(5000),
        );
    });

    it("accepts every 2xx JSON object without an error code, keeping Kaleyra's message redacted (2000 runs)", () => {
        const success = fc.record(
            { status: fieldValue, message: fc.oneof(text, fieldValue), data: fieldValue, error: fc.oneof(fc.constant({}), envelopeFields.map((e) => ({ ...e, code: undefined }))) },
            { requiredKeys: [] },
        );
        fc.assert(
            fc.property(apiKey, fc.integer({ min: 200, max: 299 }), headers, success, (key, st, hs, envelope) => {
                const b = withKey(JSON.stringify(envelope), key);
                const hsKeyed = Object.fromEntries(Object.entries(hs).map(([k, v]) => [k, v === undefined ? undefined : withKey(v, key)]));
                const result = checkInterpretation({ status: st, headers: hsKeyed, body: b }, key);
                assert.ok(!(result instanceof KaleyraError), `rejected: ${show(result)}`);
                const message = (JSON.parse(b) as { message?: unknown }).message;
                if (typeof message === "string" && message.trim() !== "" && message.length < 200 && !/\s/.test(message) && !message.includes(key)) {
                    assert.equal(result.message, message);
                }
            }),
            runs(2000),
        );
    });

    it("names the parameter and keeps every field of an error envelope redacted (2000 runs)", () => {
        const code = fc.oneof(fc.constantFrom("E962", "E413", "RBC001", "WA401"), fc.stringMatching(/^[A-Z]{1,4}[0-9]{1,4}$/), fc.constant(K));
        fc.assert(
            fc.property(apiKey, fc.constantFrom(200, 400, 401, 403, 404, 422, 429, 500, 503), code, fieldValue, fieldValue, fc.boolean(), (key, st, c, parameter, message, nested) => {
                const fields = { code: c, type: "VALIDATION_ERROR", parameter, message, reference: K };
                const b = withKey(JSON.stringify(nested ? { error: fields } : fields), key);
                const e = checkInterpretation({ status: st, headers: { "x-request-id": key }, body: b }, key);
                assert.ok(e instanceof KaleyraError, "an error envelope was taken as a success");
                assert.equal(e.code, c === K ? "[REDACTED]" : c);
                assert.equal(e.requestId, "[REDACTED]");
                for (const field of [e.code, e.type, e.parameter, e.kaleyraMessage, e.reference, e.requestId]) {
                    if (field !== undefined) assert.ok(field.length <= 301 && !field.includes(key), `unbounded or unredacted field: ${show(field)}`);
                }
            }),
            runs(2000),
        );
    });

    it("returns for adversarial long bodies and headers, with bounded messages", () => {
        const key = "A0123456789abcdef0123456789abcdef";
        const bodies = [
            " ".repeat(1_000_000),
            `<a${" ".repeat(1_000_000)}`,
            `<${"a".repeat(1_000_000)}`,
            "{".repeat(500_000),
            "[".repeat(500_000),
            `${"[".repeat(50_000)}${"]".repeat(50_000)}`,
            '"'.repeat(1_000_000),
            "\\".repeat(1_000_000),
            key.repeat(30_000),
            `{"error":{"code":"${"\\u0041".repeat(100_000)}","message":"${key.repeat(10_000)}"}}`,
            `${"\n".repeat(500_000)}${key}`,
            "😀".repeat(300_000),
            "\ud800".repeat(500_000),
        ];
        const headerSets: Array<Record<string, string>> = [
            {},
            { "retry-after": "1".repeat(100_000), "x-request-id": key.repeat(10_000) },
            { "retry-after": " ".repeat(100_000), "x-request-id": " \n".repeat(50_000) },
            { "retry-after": `${"1".repeat(50_000)}.${"1".repeat(50_000)}`, "x-amzn-requestid": "x".repeat(100_000) },
        ];
        for (const b of bodies) {
            for (const st of [200, 400, 401, 404, 429, 503, 302]) {
                for (const hs of headerSets) checkInterpretation({ status: st, headers: hs, body: b }, key);
            }
        }
    });

    // Regression: describeText once ran `/<[^>]*>/g` over the whole body, which backtracks
    // quadratically on many '<' and no '>' (a 1 MB body blocked the event loop for minutes).
    // It now redacts, then scans only the body's head.
    it("strips tags from a body of unclosed '<' without quadratic backtracking", function () {
        this.timeout(10_000);
        const key = "A0123456789abcdef0123456789abcdef";
        checkInterpretation({ status: 200, headers: {}, body: `<html>${"<".repeat(150_000)}` }, key);
        checkInterpretation({ status: 503, headers: {}, body: "<a ".repeat(50_000) }, key);
    });
});

// ---------------------------------------------------------------------------------------------
// Real HTTP
// ---------------------------------------------------------------------------------------------

const KEY = "A7f3c9e21b04d4e58a6c0f1d2e3b4a5c6";
const UPDATE = { wa_number: "+919876543210", about: "Open 9-6" } as const;
let sidCounter = 0;

function settings(endpoint: string, overrides: Partial<KaleyraSettings> = {}): KaleyraSettings {
    return { sid: `HXFUZZ${++sidCounter}X`, apiKey: KEY, endpoint, timeoutMs: 200, maxRetries: 0, retryTimeoutMs: 600, maxConcurrency: 4, ...overrides };
}

/** A header name Node will send and that does not change message framing. */
const headerName = fc.oneof(
    fc.constantFrom("x-request-id", "x-kaleyra-request-id", "x-amzn-requestid", "retry-after", "content-type", "set-cookie", "www-authenticate", "location", "x-key"),
    fc.stringMatching(/^[a-z][a-z0-9-]{0,15}$/).filter((n) => !["content-length", "transfer-encoding", "connection", "content-encoding", "keep-alive", "upgrade", "trailer"].includes(n)),
);
/** A header value Node will send: visible ASCII and Latin-1, the key now and then. */
const headerValue = fc.oneof(
    fc.string({ unit: fc.constantFrom(..."abcXYZ019 -_.,;:=/()é\t"), maxLength: 40 }).map((s) => s.trim()),
    fc.constantFrom(K, `${K}-req`, "1", "0", "1.5", "1".repeat(400), "Fri, 31 Dec 9999 23:59:59 GMT", "Wed, 21 Oct 2015 07:28:00 GMT", "-1", "abc"),
);
const httpHeaders = fc.dictionary(headerName, headerValue, { maxKeys: 4, noNullPrototype: true });

/** Bodies for real responses: as the pure ones, but at most 100 kB. */
const httpBody = fc.oneof(
    { arbitrary: envelope.map((v) => JSON.stringify(v)), weight: 8 },
    { arbitrary: fc.tuple(envelope, fc.nat()).map(([v, n]) => JSON.stringify(v).slice(0, n % (JSON.stringify(v).length + 1))), weight: 3 },
    { arbitrary: htmlPage, weight: 2 },
    { arbitrary: text, weight: 2 },
    { arbitrary: fc.constantFrom("", "[]", "{}", `${"z".repeat(100_000)}${K}`, JSON.stringify({ error: { code: "E1", message: `${K}${"q".repeat(50_000)}` } })), weight: 1 },
);

const CRLF = "\r\n";

/** Raw socket replies: invalid or unusual HTTP. */
const rawReply: fc.Arbitrary<RawReply> = fc
    .tuple(
        fc.oneof(
            // Odd status lines.
            fc.tuple(fc.constantFrom("000", "099", "1000", "abc", "2OO", "", "-1", "600", "200 ", "999"), text).map(
                ([st, reason]) => `HTTP/1.1 ${st} ${reason.replace(/[\r\n]/g, "")}${CRLF}content-length: 2${CRLF}${CRLF}{}`,
            ),
            // A Content-Length larger than the body, then the connection ends.
            fc.tuple(fc.constantFrom(200, 400, 503), httpBody, fc.integer({ min: 1, max: 10_000 })).map(
                ([st, b, extra]) => `HTTP/1.1 ${st} X${CRLF}content-type: application/json${CRLF}content-length: ${Buffer.byteLength(b) + extra}${CRLF}${CRLF}${b}`,
            ),
            // Broken framing.
            fc.constantFrom(
                `HTTP/1.1 200 OK${CRLF}content-length: 5${CRLF}content-length: 6${CRLF}${CRLF}{}`,
                `HTTP/1.1 200 OK${CRLF}content-length: -1${CRLF}${CRLF}{}`,
                `HTTP/1.1 200 OK${CRLF}content-length: abc${CRLF}${CRLF}{}`,
                `HTTP/1.1 200 OK${CRLF}content-length: 99999999999999999999${CRLF}${CRLF}{}`,
                `HTTP/1.1 200 OK${CRLF}transfer-encoding: chunked${CRLF}${CRLF}zz${CRLF}{}${CRLF}0${CRLF}${CRLF}`,
                `HTTP/1.1 200 OK${CRLF}transfer-encoding: chunked${CRLF}${CRLF}ffff${CRLF}{"status":200}`,
                `HTTP/1.1 200 OK${CRLF}transfer-encoding: chunked${CRLF}content-length: 2${CRLF}${CRLF}2${CRLF}{}${CRLF}0${CRLF}${CRLF}`,
                `HTTP/1.1 200 OK${CRLF}content-encoding: gzip${CRLF}content-length: 12${CRLF}${CRLF}not gzip ${K}`,
                `HTTP/1.1 200 OK${CRLF}content-encoding: br${CRLF}content-length: 8${CRLF}${CRLF}garbage!`,
                `HTTP/1.1 200 OK${CRLF}content-encoding: deflate${CRLF}${CRLF}garbage ${K}`,
                `HTTP/1.1 101 Switching Protocols${CRLF}upgrade: websocket${CRLF}connection: upgrade${CRLF}${CRLF}`,
                `HTTP/1.1 100 Continue${CRLF}${CRLF}`,
                `HTTP/1.1 103 Early Hints${CRLF}link: </x>${CRLF}${CRLF}HTTP/1.1 200 OK${CRLF}content-length: 15${CRLF}${CRLF}{"status":200}`,
                `HTTP/1.1 200 OK${CRLF}x-request-id: ${K}\u0000\u007f${CRLF}content-length: 2${CRLF}${CRLF}{}`,
                `HTTP/1.1 200 OK${CRLF}no colon here ${K}${CRLF}${CRLF}{}`,
                `HTTP/1.1 200 OK${CRLF}x-request-id: a${CRLF} folded ${K}${CRLF}content-length: 2${CRLF}${CRLF}{}`,
                `HTTP/1.1 429 ${K}${CRLF}retry-after: ${"9".repeat(400)}${CRLF}content-length: 0${CRLF}${CRLF}`,
                `HTTP/1.1 400 Bad${CRLF}x-request-id: ${K}${CRLF}content-length: 60${CRLF}${CRLF}${JSON.stringify({ error: { code: "E1", message: K } }).padEnd(60)}`,
                `HTTP/2 200${CRLF}${CRLF}{}`,
                `{"status":200,"message":"no status line ${K}"}`,
                `${CRLF}${CRLF}${CRLF}`,
            ),
            // Garbage, text or bytes.
            text.map((t) => `${t}${CRLF}${CRLF}`),
            fc.uint8Array({ minLength: 1, maxLength: 200 }).map((bytes) => Buffer.from(bytes).toString("latin1")),
        ),
        fc.constantFrom<RawReply["then"]>("end", "end", "destroy", "keep"),
        fc.option(fc.integer({ min: 1, max: 5 }), { nil: undefined }),
        fc.integer({ min: 1, max: 4 }),
    )
    .map(([raw, then, everyMs, pieces]) => {
        // Split the bytes into pieces (written one every `everyMs`, when set).
        const bytes = Buffer.from(withKey(raw, KEY), "latin1");
        const size = Math.ceil(bytes.length / pieces) || 1;
        const chunks: Buffer[] = [];
        for (let i = 0; i < bytes.length; i += size) chunks.push(bytes.subarray(i, i + size));
        return { raw: chunks, then, everyMs };
    });

/** One server behaviour, as a reply plus what the test expects of a well-formed response. */
interface Scenario {
    readonly reply: Reply;
    /** Status and body for the contract's oracle, when the reply is a well-formed HTTP response. */
    readonly wellFormed?: { readonly status: number; readonly body: string };
    readonly maxRetries: number;
    readonly maxResponseBytes?: number;
    readonly maxConcurrency: number;
}

const structured = fc
    .tuple(fc.oneof(fc.integer({ min: 200, max: 599 }), fc.constantFrom(200, 201, 204, 304, 400, 401, 403, 404, 422, 429, 500, 502, 503, 504)), httpBody, httpHeaders, fc.option(fc.integer({ min: 1, max: 20 }), { nil: undefined }))
    .map(([st, b, hs, delayMs]): { reply: Reply; wellFormed: { status: number; body: string } } => {
        const bodyText = withKey(b, KEY);
        const hsKeyed = Object.fromEntries(Object.entries(hs).map(([k, v]) => [k, withKey(v, KEY)]));
        // Node sends no body with 204 and 304.
        const received = st === 204 || st === 304 ? "" : bodyText;
        return { reply: { status: st, body: bodyText, headers: hsKeyed, delayMs }, wellFormed: { status: st, body: received } };
    });

const scenario: fc.Arbitrary<Scenario> = fc
    .tuple(
        fc.oneof(
            { arbitrary: structured, weight: 12 },
            { arbitrary: fc.constantFrom<Reply>({ drop: true }, { hang: true }).map((reply) => ({ reply })), weight: 2 },
            {
                arbitrary: fc
                    .tuple(fc.oneof(fc.constant('{"status":200,"message":"ok"}'), text.map((t) => withKey(t, KEY)).filter((t) => t.length > 0 && t.length < 30)), fc.integer({ min: 1, max: 15 }), fc.constantFrom(200, 400, 503))
                    .map(([drip, everyMs, st]) => ({ reply: { drip, everyMs, status: st } as Reply })),
                weight: 2,
            },
            { arbitrary: rawReply.map((reply) => ({ reply: reply as Reply })), weight: 6 },
        ),
        fc.constantFrom(0, 0, 1, 2),
        fc.option(fc.constantFrom(64, 1000, 20_000), { nil: undefined, freq: 4 }),
        fc.integer({ min: 1, max: 4 }),
    )
    .map(([{ reply, wellFormed }, maxRetries, maxResponseBytes, maxConcurrency]: [{ reply: Reply; wellFormed?: { status: number; body: string } }, number, number | undefined, number]) => ({
        reply,
        wellFormed,
        maxRetries,
        maxResponseBytes,
        maxConcurrency,
    }));

function describeReply(reply: Reply): string {
    if ("raw" in reply) {
        const chunks = Array.isArray(reply.raw) ? reply.raw : [reply.raw as string | Buffer];
        return show({ raw: Buffer.concat(chunks.map((c: string | Buffer) => Buffer.from(c))).toString("latin1"), then: reply.then, everyMs: reply.everyMs });
    }
    return show(reply);
}

describe("client against generated server replies (property-based, real HTTP on 127.0.0.1)", function () {
    this.timeout(60_000);

    let server: ScriptedServer;
    const unhandled: unknown[] = [];
    const onUnhandled = (reason: unknown) => void unhandled.push(reason);

    before(async () => {
        process.on("unhandledRejection", onUnhandled);
        server = await startScriptedServer();
    });
    after(async () => {
        process.off("unhandledRejection", onUnhandled);
        await server.close();
    });

    /**
     * Start from fresh connections: drop the server's sockets and the idle ones the client's
     * (global, keep-alive) agent holds for this server, so no run inherits a connection a raw
     * reply left half-closed (reusing one is a genuine ECONNRESET, not the reply under test).
     */
    async function freshConnections(): Promise<void> {
        server.disconnect();
        const prefix = `${new URL(server.url).host}:`;
        for (const [name, free] of Object.entries(http.globalAgent.freeSockets)) {
            if (name.startsWith(prefix)) for (const socket of free ?? []) socket.destroy();
        }
        for (let i = 0; i < 3; i++) await new Promise((resolve) => setImmediate(resolve));
    }

    /** Run one scenario and check the outcome; the fallback answers every attempt the same way. */
    async function play(s: Scenario): Promise<void> {
        await freshConnections();
        server.fallback = s.reply;
        const config = settings(server.url, { maxRetries: s.maxRetries, maxConcurrency: s.maxConcurrency });
        const client = new KaleyraClient(config, { backoff: { baseMs: 1, maxMs: 2 }, maxResponseBytes: s.maxResponseBytes });
        const path = `/v1/${config.sid}/whatsapp/number`;
        let outcome: { ok: true; result: Awaited<ReturnType<KaleyraClient["updateNumber"]>> } | { ok: false; error: unknown };
        try {
            outcome = { ok: true, result: await client.updateNumber(UPDATE) };
        } catch (error) {
            outcome = { ok: false, error };
        }
        const context = `reply ${describeReply(s.reply)}, maxRetries ${s.maxRetries}, maxResponseBytes ${s.maxResponseBytes}`;
        const sent = server.received.filter((r) => r.path === path).length;
        if (outcome.ok) {
            assertCleanSuccess(outcome.result, KEY);
            assert.ok(outcome.result.attempts >= 1 && outcome.result.attempts <= s.maxRetries + 1, `${outcome.result.attempts} attempts (${context})`);
            assert.equal(sent, outcome.result.attempts, `server saw ${sent} requests for ${outcome.result.attempts} attempts (${context})`);
        } else {
            const e = outcome.error;
            try {
                assertCleanError(e, KEY);
            } catch (failure) {
                (failure as Error).message += ` (${context})`;
                throw failure;
            }
            assert.ok(e.attempts >= 1 && e.attempts <= s.maxRetries + 1, `${e.attempts} attempts (${context})`);
            assert.equal(sent, e.attempts, `server saw ${sent} requests for ${e.attempts} attempts (${context})`);
        }
        const limit = s.maxResponseBytes ?? 1_000_000;
        if (s.wellFormed && Buffer.byteLength(s.wellFormed.body) <= limit) {
            // A well-formed response within the size limit: the contract decides the outcome.
            const { status: st, body: b } = s.wellFormed;
            assert.equal(outcome.ok, shouldSucceed(st, b), `HTTP ${st}: expected ${shouldSucceed(st, b) ? "a success" : "an error"} (${context}); got ${show(outcome.ok ? outcome.result : outcome.error)}`);
            if (outcome.ok) assert.equal(outcome.result.status, st);
            else {
                const e = outcome.error as KaleyraError;
                assert.equal(e.status, st, `${context}: ${show(e)}`);
                assert.equal(e.retryable, RETRYABLE.has(st));
                assert.ok(expectedClass(st).some((c) => e instanceof c), `HTTP ${st} gave ${e.name} (${context})`);
            }
        }
    }

    it("settles every request with a success or a clean KaleyraError (250 runs)", async () => {
        await fc.assert(fc.asyncProperty(scenario, play), runs(250));
    });

    it("settles each raw-socket behaviour with a clean KaleyraError or a success (every template, each ending)", async () => {
        const samples = fc.sample(rawReply, { numRuns: 60, seed: SEED });
        for (const reply of samples) await play({ reply, maxRetries: 0, maxConcurrency: 4 });
        for (const reply of [{ drop: true }, { hang: true }] as Reply[]) await play({ reply, maxRetries: 1, maxConcurrency: 1 });
    });

    // Regression: a 429 that was not retried paused the account's gate for the whole
    // Retry-After, unbounded (309+ digits parse to Infinity, a year-9999 date to ~2.5e14 ms),
    // so every later request in the process waited forever. Pauses are now bounded by
    // kaleyra:retryTimeoutMs (and MAX_PAUSE_MS), and a non-finite Retry-After is ignored.
    it("does not freeze an account's later requests after a 429 with an absurd Retry-After", async function () {
        this.timeout(10_000);
        for (const retryAfter of ["9".repeat(400), "Fri, 31 Dec 9999 23:59:59 GMT"]) {
            const config = settings(server.url, { maxRetries: 0, retryTimeoutMs: 500, timeoutMs: 1000 });
            server.fallback = { status: 429, body: { error: { code: "WA429", message: "slow down" } }, headers: { "retry-after": retryAfter } };
            const first = await new KaleyraClient(config).updateNumber(UPDATE).catch((e: unknown) => e);
            assert.ok(first instanceof KaleyraRateLimitError);
            server.fallback = { status: 200, body: { status: 200, message: "ok" } };
            // The same account, a moment later: must settle (a success, or a rate-limit error).
            const second = await new KaleyraClient(config).updateNumber(UPDATE).then(
                (r) => r,
                (e: unknown) => e,
            );
            assert.ok(!(second instanceof Error) || second instanceof KaleyraError, show(second));
        }
    });

    it("left no unhandled promise rejections", async () => {
        await new Promise((resolve) => setTimeout(resolve, 50));
        assert.deepEqual(unhandled.map((r) => show(r)), []);
    });
});
