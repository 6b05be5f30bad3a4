import { strict as assert } from "node:assert";

import { checkSettings, DEFAULTS, resolveSettings } from "../../provider/engine/config";
import { KaleyraConfigError } from "../../provider/engine/errors";

const KEY = "Azz-secret-config-key-0000000000003";

/** A config source like the dynamic provider's `req.config`. */
const config = (values: Record<string, string>) => ({ get: (key: string) => values[key] });

function configError(fn: () => unknown): KaleyraConfigError {
    try {
        fn();
    } catch (e) {
        assert.ok(e instanceof KaleyraConfigError, `expected KaleyraConfigError, got ${e}`);
        return e;
    }
    assert.fail("expected a KaleyraConfigError");
}

describe("config resolution", () => {
    it("reads stack config and defaults to the in region", () => {
        const s = resolveSettings(config({ "kaleyra:sid": "HX1", "kaleyra:apiKey": KEY }), {});
        assert.equal(s.sid, "HX1");
        assert.equal(s.apiKey, KEY);
        assert.equal(s.region, "in");
        assert.equal(s.endpoint, "https://api.in.kaleyra.io");
        assert.equal(s.timeoutMs, DEFAULTS.timeoutMs);
        assert.equal(s.maxRetries, DEFAULTS.maxRetries);
        assert.equal(s.maxConcurrency, DEFAULTS.maxConcurrency);
    });

    it("falls back to KALEYRA_* environment variables", () => {
        const s = resolveSettings(config({}), { KALEYRA_SID: "HX2", KALEYRA_API_KEY: KEY, KALEYRA_REGION: "EU", KALEYRA_TIMEOUT_MS: "5000" });
        assert.deepEqual([s.sid, s.apiKey, s.endpoint, s.timeoutMs], ["HX2", KEY, "https://api.eu.kaleyra.io", 5000]);
    });

    it("prefers stack config over the environment", () => {
        const s = resolveSettings(config({ "kaleyra:sid": "FROM_CONFIG", "kaleyra:apiKey": KEY }), { KALEYRA_SID: "FROM_ENV", KALEYRA_API_KEY: "other" });
        assert.equal(s.sid, "FROM_CONFIG");
        assert.equal(s.apiKey, KEY);
    });

    it("maps every region to its origin", () => {
        for (const [region, origin] of [["in", "https://api.in.kaleyra.io"], ["ap", "https://api.ap.kaleyra.io"], ["eu", "https://api.eu.kaleyra.io"], ["na", "https://api.na.kaleyra.io"]]) {
            assert.equal(resolveSettings(config({ "kaleyra:sid": "HX", "kaleyra:apiKey": KEY, "kaleyra:region": region }), {}).endpoint, origin);
        }
    });

    it("lets endpoint override the region, without a trailing slash", () => {
        const s = resolveSettings(config({ "kaleyra:sid": "HX", "kaleyra:apiKey": KEY, "kaleyra:region": "eu", "kaleyra:endpoint": "http://127.0.0.1:4010/" }), {});
        assert.equal(s.endpoint, "http://127.0.0.1:4010");
        assert.equal(s.region, undefined);
    });

    it("names the config keys and env vars of missing credentials", () => {
        const e = configError(() => resolveSettings(config({}), {}));
        assert.match(e.message, /kaleyra:sid \(or KALEYRA_SID\)/);
        assert.match(e.message, /kaleyra:apiKey \(or KALEYRA_API_KEY\)/);
        const onlyKey = configError(() => resolveSettings(config({ "kaleyra:sid": "HX" }), {}));
        assert.doesNotMatch(onlyKey.message, /kaleyra:sid/);
        assert.match(onlyKey.message, /kaleyra:apiKey/);
    });

    it("rejects a bad region, endpoint, SID or number setting by name, without printing the key", () => {
        const base = { "kaleyra:sid": "HX", "kaleyra:apiKey": KEY };
        const cases: [Record<string, string>, RegExp][] = [
            [{ "kaleyra:region": "mars" }, /kaleyra:region.*one of in, ap, eu, na/],
            [{ "kaleyra:endpoint": "ftp://x" }, /kaleyra:endpoint.*http or https/],
            [{ "kaleyra:endpoint": "not a url" }, /kaleyra:endpoint.*http\(s\) URL/],
            [{ "kaleyra:endpoint": "https://user:pw@x.example" }, /without credentials/],
            [{ "kaleyra:sid": "HX/../x" }, /kaleyra:sid.*letters, digits/],
            [{ "kaleyra:timeoutMs": "soon" }, /kaleyra:timeoutMs.*whole number/],
            [{ "kaleyra:maxRetries": "-1" }, /kaleyra:maxRetries/],
            [{ "kaleyra:maxConcurrency": "0" }, /kaleyra:maxConcurrency/],
        ];
        for (const [extra, pattern] of cases) {
            const e = configError(() => resolveSettings(config({ ...base, ...extra }), {}));
            assert.match(e.message, pattern);
            assert.ok(!e.message.includes(KEY), "the key leaked into a config error");
        }
    });

    it("treats blank values as unset", () => {
        const s = resolveSettings(config({ "kaleyra:sid": "  ", "kaleyra:apiKey": KEY }), { KALEYRA_SID: "HXENV" });
        assert.equal(s.sid, "HXENV");
    });

    it("names the setting each error is about in `setting`, not only in its text", () => {
        const base = { "kaleyra:sid": "HX1", "kaleyra:apiKey": KEY };
        const cases: [Record<string, string>, Record<string, string>, string][] = [
            [{ "kaleyra:region": "mars" }, {}, "region"],
            [{ "kaleyra:endpoint": "ftp://x.example.com" }, {}, "endpoint"],
            [{ "kaleyra:sid": "HX 1" }, {}, "sid"],
            [{ "kaleyra:timeoutMs": "0" }, {}, "timeoutMs"],
            [{ "kaleyra:maxRetries": "x" }, {}, "maxRetries"],
            [{ "kaleyra:retryTimeoutMs": "-5" }, {}, "retryTimeoutMs"],
            [{ "kaleyra:maxConcurrency": "1000" }, {}, "maxConcurrency"],
            [{}, { HTTPS_PROXY: "socks5://127.0.0.1:1080" }, "proxy"],
        ];
        for (const [extra, env, setting] of cases) {
            assert.equal(configError(() => resolveSettings(config({ ...base, ...extra }), env)).setting, setting, JSON.stringify(extra));
            assert.equal(checkSettings(config({ ...base, ...extra }), env)?.setting, setting, `checkSettings: ${JSON.stringify(extra)}`);
        }
        assert.equal(configError(() => resolveSettings(config({ "kaleyra:apiKey": KEY }), {})).setting, "sid");
        assert.equal(configError(() => resolveSettings(config({ "kaleyra:sid": "HX1" }), {})).setting, "apiKey");
    });

    it("checkSettings needs no credentials, and finds nothing wrong with good settings", () => {
        assert.equal(checkSettings(config({}), {}), undefined);
        assert.equal(checkSettings(config({ "kaleyra:region": "eu", "kaleyra:maxRetries": "2" }), {}), undefined);
    });

    it("takes no region from Object.prototype: constructor, __proto__ and toString are not regions", () => {
        for (const region of ["constructor", "__proto__", "toString", "hasOwnProperty"]) {
            const e = configError(() => resolveSettings(config({ "kaleyra:sid": "HX1", "kaleyra:apiKey": KEY, "kaleyra:region": region }), {}));
            assert.equal(e.setting, "region");
            assert.match(e.message, /must be one of in, ap, eu, na/);
        }
    });
});
