/**
 * The HTTP path behind a proxy, for real: a local proxy (CONNECT tunnels and absolute-form
 * forwarding, tests/helpers/proxy.ts) in front of a local TLS server whose certificate a
 * throwaway CA signed (tests/helpers/tls.ts). In process: the client trusts the CA through its
 * `ca` option (tests/e2e/proxy.test.ts runs `pulumi up` behind the same proxy, trusting it through
 * `NODE_EXTRA_CA_CERTS`, as a pipeline behind a TLS-inspecting proxy would).
 * The proxy settings always come from an environment, through resolveSettings, as in the host.
 */

import { strict as assert } from "node:assert";
import * as net from "node:net";

import { KaleyraClient } from "../../provider/engine/client";
import { resolveSettings } from "../../provider/engine/config";
import { KaleyraError, KaleyraNetworkError } from "../../provider/engine/errors";
import { startProxy, type TestProxy } from "../helpers/proxy";
import { ScriptedServer, startScriptedServer } from "../helpers/scripted-server";
import { makeTestPki, type TestPki } from "../helpers/tls";
import { everything, rejection as rejectionWithout } from "../helpers/error-text";

const KEY = "Aproxy-test-key-3c9e51d0b27a4f66e1";
const BODY = { wa_number: "+919876543210", about: "Open 9-6" };
/** An environment with no proxy settings inherited from the machine running the tests. */
const CLEAN = { https_proxy: "", HTTPS_PROXY: "", http_proxy: "", HTTP_PROXY: "", all_proxy: "", ALL_PROXY: "", no_proxy: "", NO_PROXY: "" };

let sidCounter = 0;
/** Settings for `endpoint` as the provider resolves them from this environment. */
function settingsFrom(endpoint: string, env: Record<string, string>, extra: Record<string, string> = {}) {
    return resolveSettings(undefined, {
        ...CLEAN,
        KALEYRA_SID: `HXPROXY${++sidCounter}`,
        KALEYRA_API_KEY: KEY,
        KALEYRA_ENDPOINT: endpoint,
        KALEYRA_MAX_RETRIES: "0",
        KALEYRA_TIMEOUT_MS: "5000",
        ...env,
        ...extra,
    });
}

/** The KaleyraError `p` rejects with; the API key is in none of its text. */
function rejection(p: Promise<unknown>): Promise<KaleyraError> {
    return rejectionWithout(p, KEY);
}

/** A port nothing listens on (bound, then released). */
async function closedPort(): Promise<number> {
    const server = net.createServer();
    await new Promise<void>((resolve) => server.listen(0, "127.0.0.1", () => resolve()));
    const port = (server.address() as net.AddressInfo).port;
    await new Promise<void>((resolve) => server.close(() => resolve()));
    return port;
}

describe("behind a proxy (a real local proxy in front of a real TLS server)", function () {
    this.timeout(30_000);
    let pki: TestPki;
    let server: ScriptedServer;
    let proxy: TestProxy;

    before(() => (pki = makeTestPki()));
    after(() => pki?.cleanup());
    beforeEach(async () => {
        server = await startScriptedServer({ tls: { key: pki.key, cert: pki.cert } });
        proxy = await startProxy();
    });
    afterEach(async () => {
        await proxy.close();
        await server.close();
    });

    it("sends an https update through the HTTPS_PROXY CONNECT tunnel, and keeps the tunnel for the next request", async () => {
        const s = settingsFrom(server.url, { HTTPS_PROXY: proxy.url });
        const client = new KaleyraClient(s, { ca: pki.ca });
        await client.updateNumber(BODY);
        await client.updateNumber({ ...BODY, about: "second" });
        const host = new URL(server.url).host;
        assert.deepEqual(proxy.tunnels, [host], "one CONNECT to the endpoint's host:port, reused (keep-alive)");
        assert.deepEqual(proxy.forwarded, []);
        assert.equal(server.received.length, 2);
        assert.equal(server.received[0].headers["api-key"], KEY, "the request arrived whole, inside TLS");
        assert.ok(!JSON.stringify(proxy.connectHeaders).includes(KEY), "the proxy saw the API key");
    });

    it("lets the lower-case https_proxy win over HTTPS_PROXY, as curl does", async () => {
        const nowhere = `http://127.0.0.1:${await closedPort()}`;
        const s = settingsFrom(server.url, { https_proxy: proxy.url, HTTPS_PROXY: nowhere });
        await new KaleyraClient(s, { ca: pki.ca }).updateNumber(BODY);
        assert.equal(proxy.tunnels.length, 1);
    });

    it("goes direct to an endpoint listed in NO_PROXY: the proxy sees nothing", async () => {
        for (const noProxy of ["127.0.0.1", "example.com, 127.0.0.0/8", `127.0.0.1:${new URL(server.url).port}`, "*"]) {
            const s = settingsFrom(server.url, { HTTPS_PROXY: proxy.url, NO_PROXY: noProxy });
            assert.equal(s.proxy, undefined, noProxy);
            await new KaleyraClient(s, { ca: pki.ca }).updateNumber(BODY);
        }
        assert.deepEqual(proxy.tunnels, []);
        assert.equal(server.received.length, 4);
    });

    it("still uses the proxy when NO_PROXY lists the host with another port", async () => {
        const s = settingsFrom(server.url, { HTTPS_PROXY: proxy.url, NO_PROXY: "127.0.0.1:1" });
        await new KaleyraClient(s, { ca: pki.ca }).updateNumber(BODY);
        assert.equal(proxy.tunnels.length, 1);
    });

    it("sends an http update through HTTP_PROXY in absolute form, without a tunnel", async () => {
        const plain = await startScriptedServer();
        try {
            const s = settingsFrom(plain.url, { HTTP_PROXY: proxy.url, HTTPS_PROXY: `http://127.0.0.1:${await closedPort()}` });
            await new KaleyraClient(s).updateNumber(BODY);
            assert.deepEqual(proxy.forwarded, [`PUT ${plain.url}/v1/${s.sid}/whatsapp/number`]);
            assert.deepEqual(proxy.tunnels, []);
            assert.equal(plain.received.length, 1);
            assert.equal(plain.received[0].headers["api-key"], KEY);
        } finally {
            await plain.close();
        }
    });

    it("authenticates to the proxy with the URL's credentials, percent-decoded, for tunnels and forwarding", async () => {
        const guarded = await startProxy({ credentials: "svc-deploy:p@ss word" });
        const plain = await startScriptedServer();
        try {
            const url = `http://svc-deploy:p%40ss%20word@127.0.0.1:${guarded.port}`;
            await new KaleyraClient(settingsFrom(server.url, { HTTPS_PROXY: url }), { ca: pki.ca }).updateNumber(BODY);
            await new KaleyraClient(settingsFrom(plain.url, { HTTP_PROXY: url })).updateNumber(BODY);
            assert.equal(guarded.tunnels.length, 1);
            assert.equal(guarded.forwarded.length, 1);
            assert.equal(server.received.length + plain.received.length, 2);
            assert.equal(server.received[0].headers["proxy-authorization"], undefined, "the proxy's credentials went past the proxy");
        } finally {
            await guarded.close();
            await plain.close();
        }
    });

    it("names the proxy, never its credentials, when nothing listens there", async () => {
        const port = await closedPort();
        const s = settingsFrom(server.url, { HTTPS_PROXY: `http://svc-deploy:Hunter2-proxy-secret@127.0.0.1:${port}` }, { KALEYRA_MAX_RETRIES: "1" });
        const e = await rejection(new KaleyraClient(s, { ca: pki.ca, backoff: { baseMs: 5, maxMs: 10 } }).updateNumber(BODY));
        assert.ok(e instanceof KaleyraNetworkError);
        assert.equal(e.errno, "ECONNREFUSED");
        assert.equal(e.attempts, 2, "a proxy that is down is retried like any refused connection");
        assert.match(
            e.message,
            new RegExp(`^Could not reach Kaleyra at https://127\\.0\\.0\\.1:\\d+ \\(PUT /v1/\\w+/whatsapp/number\\) through the proxy http://127\\.0\\.0\\.1:${port} \\(from HTTPS_PROXY\\): ECONNREFUSED connection refused\\. Check HTTPS_PROXY and NO_PROXY`),
        );
        for (const secret of ["Hunter2-proxy-secret", "svc-deploy"]) assert.ok(!everything(e).includes(secret), `${secret} leaked into the error`);
    });

    it("names the proxy when it drops the CONNECT", async () => {
        proxy.behaviour = "drop";
        const s = settingsFrom(server.url, { HTTPS_PROXY: proxy.url });
        const e = await rejection(new KaleyraClient(s, { ca: pki.ca }).updateNumber(BODY));
        assert.ok(e instanceof KaleyraNetworkError);
        assert.match(e.message, new RegExp(`through the proxy ${proxy.url.replace(/\./g, "\\.")} \\(from HTTPS_PROXY\\): ECONNRESET`));
        assert.equal(proxy.tunnels.length, 1);
        assert.equal(server.received.length, 0);
    });

    it("does not retry a proxy that refuses the tunnel with a 4xx, and says what to fix", async () => {
        const guarded = await startProxy({ credentials: "svc:right" });
        try {
            const s = settingsFrom(server.url, { HTTPS_PROXY: `http://svc:wrong-password-x@127.0.0.1:${guarded.port}` }, { KALEYRA_MAX_RETRIES: "3" });
            const e = await rejection(new KaleyraClient(s, { ca: pki.ca }).updateNumber(BODY));
            assert.ok(e instanceof KaleyraNetworkError);
            assert.deepEqual([e.errno, e.status, e.attempts, e.retryable], ["EPROXY", 407, 1, false]);
            assert.match(e.message, /^The proxy http:\/\/127\.0\.0\.1:\d+ \(from HTTPS_PROXY\) refused to open a tunnel to 127\.0\.0\.1:\d+ for PUT .*: HTTP 407\. The proxy wants credentials/);
            assert.ok(!everything(e).includes("wrong-password-x"));
        } finally {
            await guarded.close();
        }
        proxy.behaviour = { status: 403 };
        const e = await rejection(new KaleyraClient(settingsFrom(server.url, { HTTPS_PROXY: proxy.url }, { KALEYRA_MAX_RETRIES: "3" }), { ca: pki.ca }).updateNumber(BODY));
        assert.deepEqual([(e as KaleyraNetworkError).errno, e.status, e.attempts], ["EPROXY", 403, 1]);
        assert.match(e.message, /HTTP 403\. Check HTTPS_PROXY and NO_PROXY, and that the proxy allows CONNECT to 127\.0\.0\.1:\d+\./);
    });

    it("fails at once, with a hint, when the endpoint's certificate is not trusted", async () => {
        const s = settingsFrom(server.url, { HTTPS_PROXY: proxy.url }, { KALEYRA_MAX_RETRIES: "3" });
        const e = await rejection(new KaleyraClient(s).updateNumber(BODY));
        assert.ok(e instanceof KaleyraNetworkError);
        assert.equal(e.attempts, 1, "an untrusted certificate is not retried");
        assert.match(e.message, /TLS certificate is not trusted .*NODE_EXTRA_CA_CERTS/);
    });

    it("rejects a proxy variable that is not an http(s) URL, naming the variable and not the password", () => {
        assert.throws(() => settingsFrom(server.url, { ALL_PROXY: "socks5://u:sekrit-pw@127.0.0.1:1080" }), (e: Error) => {
            assert.match(e.message, /^ALL_PROXY is socks5:\/\/127\.0\.0\.1:1080: only http:\/\/ and https:\/\/ proxies are supported/);
            assert.ok(!everything(e).includes("sekrit-pw"));
            return true;
        });
        assert.throws(() => settingsFrom(server.url, { HTTPS_PROXY: "http://u:sekrit-pw@[bad" }), (e: Error) => {
            assert.match(e.message, /^HTTPS_PROXY must be a proxy URL such as http:\/\/proxy\.example\.com:3128; got "http:\/\/\[REDACTED\]@\[bad"\./);
            assert.ok(!everything(e).includes("sekrit-pw"));
            return true;
        });
    });
});
