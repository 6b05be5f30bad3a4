/**
 * Every kind of transport failure, produced for real through axios, Node and the tunnel agent
 * (transport-failures.ts recognises them by class, by the attempt's deadline and by Node's error
 * codes, never by message text): a body over the limit, a proxy refusing the tunnel, an
 * untrusted certificate, a reset connection, a timeout. An upgrade of axios that changes how one
 * of these surfaces fails here. Then the mapping itself, fed each kind with a message that says
 * nothing (or lies), and a scan of the sources for library message text.
 */

import { strict as assert } from "node:assert";
import * as fs from "node:fs";
import * as path from "node:path";

import { AxiosError } from "axios";

import { KaleyraClient } from "../../provider/engine/client";
import { KaleyraSettings, resolveSettings } from "../../provider/engine/config";
import { KaleyraError, KaleyraNetworkError, KaleyraUnexpectedResponseError } from "../../provider/engine/errors";
import { ResponseTooLargeError } from "../../provider/engine/response-body";
import { AttemptContext, transportFailure } from "../../provider/engine/transport-failures";
import { ProxyTunnelRefusedError } from "../../provider/engine/tunnel";
import { rejection as rejectionWithout } from "../helpers/error-text";
import { startProxy } from "../helpers/proxy";
import { ScriptedServer, startScriptedServer } from "../helpers/scripted-server";
import { makeTestPki, type TestPki } from "../helpers/tls";

const KEY = "Atransport-failure-key-71c4e08d2b";
const BODY = { wa_number: "+919876543210", about: "Open 9-6" };
/** No proxy from the machine running the tests: every proxy variable blank. */
const NO_PROXY_ENV = Object.fromEntries(["https_proxy", "http_proxy", "all_proxy", "no_proxy"].flatMap((name) => [[name, ""], [name.toUpperCase(), ""]]));

let sidCounter = 0;
/** Settings for `endpoint` as the host resolves them, no retries unless `env` says otherwise. */
const settings = (endpoint: string, env: Record<string, string> = {}): KaleyraSettings =>
    resolveSettings(undefined, { ...NO_PROXY_ENV, KALEYRA_SID: `HXFAIL${++sidCounter}`, KALEYRA_API_KEY: KEY, KALEYRA_ENDPOINT: endpoint, KALEYRA_MAX_RETRIES: "0", KALEYRA_TIMEOUT_MS: "3000", ...env });

const rejection = (p: Promise<unknown>): Promise<KaleyraError> => rejectionWithout(p, KEY);

describe("transport failures, each kind for real (axios, Node, the tunnel agent)", function () {
    this.timeout(20_000);
    let pki: TestPki;
    let server: ScriptedServer;
    before(() => (pki = makeTestPki()));
    after(() => pki?.cleanup());
    beforeEach(async () => (server = await startScriptedServer()));
    afterEach(async () => server.close());

    it("a body over the limit, sent chunked, is refused as it streams in", async () => {
        server.reply({ raw: ["HTTP/1.1 200 OK\r\nContent-Type: application/json\r\nTransfer-Encoding: chunked\r\n\r\n", ...Array.from({ length: 40 }, () => `1000\r\n${"x".repeat(4096)}\r\n`), "0\r\n\r\n"] });
        const e = await rejection(new KaleyraClient(settings(server.url), { maxResponseBytes: 50_000 }).updateNumber(BODY));
        assert.ok(e instanceof KaleyraUnexpectedResponseError, String(e));
        assert.equal(e.message, `Unexpected answer from ${server.url}: the response body was larger than 50000 bytes.`);
        assert.equal(e.retryable, false);
    });

    it("a body over the limit by its Content-Length is refused unread", async () => {
        server.reply({ status: 200, body: JSON.stringify({ junk: "x".repeat(60_000) }) });
        const e = await rejection(new KaleyraClient(settings(server.url), { maxResponseBytes: 50_000 }).updateNumber(BODY));
        assert.ok(e instanceof KaleyraUnexpectedResponseError, String(e));
        assert.match(e.message, /larger than 50000 bytes/);
    });

    it("a proxy refusing the tunnel: EPROXY with the proxy's status, a 4xx not retried", async () => {
        const tls = await startScriptedServer({ tls: { key: pki.key, cert: pki.cert } });
        const proxy = await startProxy();
        try {
            proxy.behaviour = { status: 407 };
            const e = await rejection(new KaleyraClient(settings(tls.url, { HTTPS_PROXY: proxy.url, KALEYRA_MAX_RETRIES: "2" }), { ca: pki.ca }).updateNumber(BODY));
            assert.ok(e instanceof KaleyraNetworkError, String(e));
            assert.deepEqual([e.errno, e.status, e.retryable, e.attempts], ["EPROXY", 407, false, 1]);
            proxy.behaviour = { status: 502 };
            const bad = await rejection(new KaleyraClient(settings(tls.url, { HTTPS_PROXY: proxy.url, KALEYRA_MAX_RETRIES: "1" }), { ca: pki.ca, backoff: { baseMs: 1, maxMs: 1 } }).updateNumber(BODY));
            assert.deepEqual([(bad as KaleyraNetworkError).errno, bad.status, bad.attempts], ["EPROXY", 502, 2], "a proxy's 5xx is retried");
        } finally {
            await proxy.close();
            await tls.close();
        }
    });

    it("a TLS failure (a certificate nobody vouches for): its code, no retry", async () => {
        const tls = await startScriptedServer({ tls: { key: pki.key, cert: pki.cert } });
        try {
            const e = await rejection(new KaleyraClient(settings(tls.url, { KALEYRA_MAX_RETRIES: "3" })).updateNumber(BODY));
            assert.ok(e instanceof KaleyraNetworkError, String(e));
            assert.match(e.errno, /^(UNABLE_TO_VERIFY_LEAF_SIGNATURE|SELF_SIGNED_CERT_IN_CHAIN|DEPTH_ZERO_SELF_SIGNED_CERT|UNABLE_TO_GET_ISSUER_CERT_LOCALLY)$/);
            assert.deepEqual([e.retryable, e.attempts], [false, 1]);
            assert.match(e.message, /TLS certificate is not trusted .*NODE_EXTRA_CA_CERTS/);
        } finally {
            await tls.close();
        }
    });

    it("a reset connection: ECONNRESET, retried", async () => {
        server.reply({ drop: true }, { drop: true });
        const e = await rejection(new KaleyraClient(settings(server.url, { KALEYRA_MAX_RETRIES: "1" }), { backoff: { baseMs: 1, maxMs: 1 } }).updateNumber(BODY));
        assert.ok(e instanceof KaleyraNetworkError, String(e));
        assert.deepEqual([e.errno, e.retryable, e.attempts], ["ECONNRESET", true, 2]);
        assert.match(e.message, /ECONNRESET connection dropped before a response\. Check kaleyra:endpoint/);
    });

    it("a reset in the middle of the body: ECONNRESET too", async () => {
        server.reply({ raw: ["HTTP/1.1 200 OK\r\nContent-Type: application/json\r\nContent-Length: 500\r\n\r\n", '{"status":'], then: "destroy" });
        const e = await rejection(new KaleyraClient(settings(server.url)).updateNumber(BODY));
        assert.ok(e instanceof KaleyraNetworkError, String(e));
        assert.equal(e.errno, "ECONNRESET");
    });

    it("a timeout, before the answer and in the middle of the body: ETIMEDOUT naming the setting", async () => {
        server.reply({ hang: true }, { raw: ["HTTP/1.1 200 OK\r\nContent-Length: 500\r\n\r\n", "{"], then: "keep" });
        for (let i = 0; i < 2; i++) {
            const e = await rejection(new KaleyraClient(settings(server.url, { KALEYRA_TIMEOUT_MS: "300" })).updateNumber(BODY));
            assert.ok(e instanceof KaleyraNetworkError, String(e));
            assert.deepEqual([e.errno, e.retryable], ["ETIMEDOUT", true]);
            assert.match(e.message, /did not answer PUT \/v1\/\w+\/whatsapp\/number within 300 ms \(kaleyra:timeoutMs\)\. — gave up after 1 attempt/);
        }
    });
});

describe("the failure mapping reads classes, deadlines and codes, not messages", () => {
    const context = (over: Partial<AttemptContext> = {}): AttemptContext => ({
        target: { method: "PUT", endpoint: "https://api.in.kaleyra.io", path: "/v1/HX1/whatsapp/number" },
        secrets: [KEY],
        requestHeaders: { "api-key": KEY },
        timeoutMs: 1000,
        clipped: false,
        retryTimeoutMs: 5000,
        timedOut: false,
        ...over,
    });
    const proxy = { url: new URL("http://proxy.corp:3128"), display: "http://proxy.corp:3128", from: "HTTPS_PROXY", secrets: [] };
    /** What axios throws for a failure under it: its own message, the original as `cause`. */
    const wrapped = (cause: Error, message = "something went wrong") => Object.assign(new AxiosError(message, (cause as { code?: string }).code), { cause });
    const withCode = (code: string) => Object.assign(new Error("reworded by a future release"), { code });

    it("each kind, whatever the messages say", () => {
        const big = transportFailure(wrapped(new ResponseTooLargeError(10), "maxContentLength size of 10 exceeded? no: reworded"), context());
        assert.ok(big instanceof KaleyraUnexpectedResponseError);
        const refused = transportFailure(wrapped(new ProxyTunnelRefusedError(407, "api.in.kaleyra.io:443"), "Bad response: 200"), context({ proxy }));
        assert.deepEqual([(refused as KaleyraNetworkError).errno, refused.status, refused.retryable], ["EPROXY", 407, false]);
        const tls = transportFailure(wrapped(withCode("CERT_HAS_EXPIRED")), context());
        assert.deepEqual([(tls as KaleyraNetworkError).errno, tls.retryable], ["CERT_HAS_EXPIRED", false]);
        const reset = transportFailure(wrapped(withCode("ECONNRESET")), context());
        assert.deepEqual([(reset as KaleyraNetworkError).errno, reset.retryable], ["ECONNRESET", true]);
        const late = transportFailure(wrapped(withCode("ERR_CANCELED")), context({ timedOut: true }));
        assert.deepEqual([(late as KaleyraNetworkError).errno, late.retryable], ["ETIMEDOUT", true]);
        const unknown = transportFailure(new Error("no code at all"), context());
        assert.equal((unknown as KaleyraNetworkError).errno, "EUNKNOWN");
        for (const e of [big, refused, tls, reset, late, unknown]) assert.ok(!e.message.includes(KEY));
    });

    it("no source file matches an axios or hpagent message", () => {
        const root = path.resolve(__dirname, "..", "..", "provider");
        const files = fs.readdirSync(root, { recursive: true, encoding: "utf8" }).filter((f) => f.endsWith(".ts"));
        assert.ok(files.length > 30, "the scan found the sources");
        for (const file of files) {
            const text = fs.readFileSync(path.join(root, file), "utf8");
            for (const phrase of ["maxContentLength size", "Bad response", "stream has been aborted", "ms exceeded", "socket hang up", "Proxy timeout"]) {
                assert.ok(!text.includes(phrase), `${file} mentions the library message "${phrase}"`);
            }
        }
    });
});
