/**
 * Which proxy the environment names for a URL (proxy-env.ts): the variables and their
 * precedence, and `NO_PROXY` by curl's rules. Pure; the real proxy is in proxy.test.ts.
 */

import { strict as assert } from "node:assert";

import { KaleyraConfigError } from "../../provider/engine/errors";
import { matchesNoProxy, proxyFor } from "../../provider/engine/proxy-env";

const P = "http://proxy.corp:3128";
const route = (url: string, env: Record<string, string>) => {
    const r = proxyFor(new URL(url), env);
    return r ? `${r.display} from ${r.from}` : "direct";
};

describe("proxy from the environment (curl's rules)", () => {
    it("takes the target scheme's variable, lower case first, then ALL_PROXY", () => {
        const https = "https://api.in.kaleyra.io";
        assert.equal(route(https, {}), "direct");
        assert.equal(route(https, { HTTPS_PROXY: P }), "http://proxy.corp:3128 from HTTPS_PROXY");
        assert.equal(route(https, { https_proxy: "http://lower:1", HTTPS_PROXY: "http://upper:2" }), "http://lower:1 from https_proxy");
        assert.equal(route(https, { https_proxy: "  ", HTTPS_PROXY: "http://upper:2" }), "http://upper:2 from HTTPS_PROXY", "blank counts as unset");
        assert.equal(route(https, { HTTP_PROXY: P }), "direct", "an https target never uses HTTP_PROXY");
        assert.equal(route(https, { ALL_PROXY: "http://all:9" }), "http://all:9 from ALL_PROXY");
        assert.equal(route(https, { all_proxy: "http://all:8", HTTPS_PROXY: P }), "http://proxy.corp:3128 from HTTPS_PROXY");
        assert.equal(route("http://127.0.0.1:4010", { HTTP_PROXY: P, HTTPS_PROXY: "http://other:1" }), "http://proxy.corp:3128 from HTTP_PROXY");
        assert.equal(route("http://127.0.0.1:4010", { http_proxy: "http://lower:1", HTTP_PROXY: P }), "http://lower:1 from http_proxy");
    });

    it("reads a proxy without a scheme as http://, and the scheme's default port", () => {
        assert.equal(route("https://api.in.kaleyra.io", { HTTPS_PROXY: "proxy.corp:3128" }), "http://proxy.corp:3128 from HTTPS_PROXY");
        const r = proxyFor(new URL("https://api.in.kaleyra.io"), { HTTPS_PROXY: "https://proxy.corp" });
        assert.equal(r?.url.protocol, "https:");
        assert.equal(r?.display, "https://proxy.corp");
    });

    it("shows a proxy without its credentials, and lists them for redaction", () => {
        const r = proxyFor(new URL("https://api.in.kaleyra.io"), { HTTPS_PROXY: "http://svc%40corp:p%40ss-w0rd@proxy.corp:3128/ignored" });
        assert.equal(r?.display, "http://proxy.corp:3128");
        assert.deepEqual(new Set(r?.secrets), new Set(["p%40ss-w0rd", "p@ss-w0rd", "svc@corp:p@ss-w0rd", "svc%40corp:p%40ss-w0rd"]));
    });

    it("refuses what is not an http(s) proxy URL, naming the variable, never the password", () => {
        for (const [env, message] of [
            [{ ALL_PROXY: "socks5://u:pw-secret@127.0.0.1:1080" }, /^ALL_PROXY is socks5:\/\/127\.0\.0\.1:1080: only http:\/\/ and https:\/\/ proxies are supported/],
            [{ HTTPS_PROXY: "http://u:pw-secret@[::1" }, /^HTTPS_PROXY must be a proxy URL .*got "http:\/\/\[REDACTED\]@\[::1"/],
            [{ https_proxy: "u:pw-secret@[::1" }, /^https_proxy must be a proxy URL .*got "\[REDACTED\]@\[::1"/],
        ] as const) {
            assert.throws(
                () => proxyFor(new URL("https://api.in.kaleyra.io"), env),
                (e: Error) => e instanceof KaleyraConfigError && message.test(e.message) && !e.message.includes("pw-secret"),
            );
        }
    });

    it("sends everything direct with NO_PROXY=*, whichever case, lower case first", () => {
        assert.equal(route("https://api.in.kaleyra.io", { HTTPS_PROXY: P, NO_PROXY: "*" }), "direct");
        assert.equal(route("https://api.in.kaleyra.io", { HTTPS_PROXY: P, no_proxy: "*" }), "direct");
        assert.equal(route("https://api.in.kaleyra.io", { HTTPS_PROXY: P, no_proxy: "example.com", NO_PROXY: "*" }), "http://proxy.corp:3128 from HTTPS_PROXY");
    });

    const cases: ReadonlyArray<[target: string, noProxy: string, direct: boolean]> = [
        // names: the host itself and every host under it, at a label boundary
        ["https://api.in.kaleyra.io", "kaleyra.io", true],
        ["https://kaleyra.io", "kaleyra.io", true],
        ["https://api.in.kaleyra.io", ".kaleyra.io", true],
        ["https://kaleyra.io", ".kaleyra.io", true],
        ["https://api.in.kaleyra.io", "*.kaleyra.io", true],
        ["https://api.in.kaleyra.io", "in.kaleyra.io", true],
        ["https://api.in.kaleyra.io", "eu.kaleyra.io", false],
        ["https://notkaleyra.io", "kaleyra.io", false],
        ["https://kaleyra.io.evil.example", "kaleyra.io", false],
        ["https://API.IN.Kaleyra.IO", "kaleyra.io.", true],
        ["https://api.in.kaleyra.io.", "KALEYRA.IO", true],
        // lists
        ["https://api.in.kaleyra.io", "localhost, 127.0.0.1,kaleyra.io", true],
        ["https://api.in.kaleyra.io", "localhost 127.0.0.1\tkaleyra.io", true],
        ["https://api.in.kaleyra.io", ",,", false],
        ["https://api.in.kaleyra.io", "example.com,*", true],
        // ports
        ["https://api.in.kaleyra.io", "kaleyra.io:443", true],
        ["https://api.in.kaleyra.io", "kaleyra.io:8443", false],
        ["http://127.0.0.1:4010", "127.0.0.1:4010", true],
        ["http://127.0.0.1:4010", "127.0.0.1:4011", false],
        ["http://localhost:4010", "localhost:80", false],
        ["http://localhost", "localhost:80", true],
        // IP addresses and ranges; names never match addresses by suffix
        ["http://127.0.0.1:4010", "127.0.0.1", true],
        ["http://127.0.0.1:4010", "127.0.0.0/8", true],
        ["http://10.1.2.3", "10.0.0.0/8", true],
        ["http://11.1.2.3", "10.0.0.0/8", false],
        ["http://10.0.0.1", "0.0.1", false],
        ["http://10.0.0.1", "10.0.0.0/33", false],
        ["http://[::1]:4010", "::1", true],
        ["http://[::1]:4010", "[::1]:4010", true],
        ["http://[::1]:4010", "[::1]:4011", false],
        ["http://[0:0:0:0:0:0:0:1]", "::1", true],
        ["http://[fd00::5]", "fd00::/8", true],
        ["http://[fe80::5]", "fd00::/8", false],
        ["http://127.0.0.1:4010", "::1", false],
        // curl gives localhost no special case
        ["http://127.0.0.1:4010", "localhost", false],
        ["http://localhost:4010", "127.0.0.1", false],
    ];
    for (const [target, noProxy, direct] of cases) {
        it(`NO_PROXY=${JSON.stringify(noProxy)}: ${target} goes ${direct ? "direct" : "through the proxy"}`, () => {
            assert.equal(matchesNoProxy(new URL(target), noProxy), direct);
        });
    }
});
