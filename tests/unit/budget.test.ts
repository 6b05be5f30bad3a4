/**
 * The retry budget is a hard bound, in real time against a real local server: no operation
 * outlives `kaleyra:retryTimeoutMs`. The exact timings are on a fake clock in
 * retry-timing.test.ts; here the bounds are wide (the machine may be busy), and they are bounds,
 * not measurements: what matters is that 3 s does not become 30 s.
 */

import { strict as assert } from "node:assert";

import { KaleyraClient } from "../../provider/engine/client";
import { KaleyraSettings } from "../../provider/engine/config";
import { KaleyraError, KaleyraNetworkError, KaleyraRateLimitError } from "../../provider/engine/errors";
import { KaleyraProfileProvider } from "../../provider/engine/provider";
import type { ProfileInputs } from "../../provider/contract/types";
import { ScriptedServer, startScriptedServer } from "../helpers/scripted-server";

const KEY = "Abudget-test-key-71c0d9e3a54f28b6";
const BODY = { wa_number: "+919876543210", about: "Open 9-6" };

let sidCounter = 0;
function settings(endpoint: string, overrides: Partial<KaleyraSettings> = {}): KaleyraSettings {
    return { sid: `HXBUDGET${++sidCounter}`, apiKey: KEY, endpoint, timeoutMs: 30_000, maxRetries: 4, retryTimeoutMs: 3000, maxConcurrency: 8, ...overrides };
}

async function timed(p: Promise<unknown>): Promise<{ ms: number; error: KaleyraError }> {
    const started = Date.now();
    try {
        await p;
    } catch (error) {
        assert.ok(error instanceof KaleyraError, String(error));
        assert.ok(!String(error.stack).includes(KEY));
        return { ms: Date.now() - started, error };
    }
    assert.fail("expected a rejection");
}

describe("the retry budget bounds every operation (real time, real server)", function () {
    this.timeout(20_000);
    let server: ScriptedServer;
    beforeEach(async () => (server = await startScriptedServer()));
    afterEach(async () => server.close());

    it("an update against a server that never answers fails in about kaleyra:retryTimeoutMs (3 s), not kaleyra:timeoutMs (30 s)", async () => {
        server.fallback = { hang: true };
        const provider = new KaleyraProfileProvider({
            env: {
                KALEYRA_SID: `HXBUDGET${++sidCounter}`,
                KALEYRA_API_KEY: KEY,
                KALEYRA_ENDPOINT: server.url,
                KALEYRA_RETRY_TIMEOUT_MS: "3000",
                KALEYRA_TIMEOUT_MS: "30000",
            },
            log: () => undefined,
        });
        const { ms, error } = await timed(provider.create({ waNumber: BODY.wa_number, about: BODY.about } as ProfileInputs));
        assert.ok(ms > 2500 && ms < 4500, `took ${ms} ms`);
        assert.ok(error instanceof KaleyraNetworkError);
        assert.equal(error.errno, "ETIMEDOUT");
        assert.match(error.message, /did not answer PUT \/v1\/\w+\/whatsapp\/number within \d+ ms, what was left of the retry time budget \(kaleyra:retryTimeoutMs 3000\)/);
        assert.equal(server.received.length, 1);
    });

    it("a 429 whose Retry-After is longer than the budget fails at once with Kaleyra's code and message", async () => {
        server.reply({ status: 429, body: { error: { code: "WA429", type: "RATE_LIMIT_ERROR", message: "Too many requests. Retry after 60 seconds." } }, headers: { "retry-after": "60" } });
        const { ms, error } = await timed(new KaleyraClient(settings(server.url)).updateNumber(BODY));
        assert.ok(ms < 1500, `took ${ms} ms`);
        assert.ok(error instanceof KaleyraRateLimitError);
        assert.deepEqual([error.status, error.code, error.kaleyraMessage, error.retryAfterMs, error.attempts], [429, "WA429", "Too many requests. Retry after 60 seconds.", 60_000, 1]);
        assert.match(error.message, /^Kaleyra is rate limiting requests: WA429 RATE_LIMIT_ERROR — Too many requests\. Retry after 60 seconds\. \(HTTP 429\) — gave up after 1 attempt in \d+ ms: Retry-After asks for 60\.0 s, more than the [\d.]+ s left/);
        assert.equal(server.received.length, 1);
    });

    it("time queued behind the pacing gate counts: a request that never gets a slot fails within its budget, unsent", async () => {
        server.fallback = { hang: true };
        const s = settings(server.url, { maxConcurrency: 1 });
        const holder = timed(new KaleyraClient({ ...s, retryTimeoutMs: 2000 }).updateNumber(BODY));
        while (server.received.length < 1) await new Promise((r) => setTimeout(r, 5));
        const { ms, error } = await timed(new KaleyraClient({ ...s, retryTimeoutMs: 1000 }).updateNumber({ ...BODY, about: "queued" }));
        assert.ok(ms > 700 && ms < 1900, `took ${ms} ms`);
        assert.match(error.message, /was never sent: no request slot came free before the retry time budget \(kaleyra:retryTimeoutMs 1000\) ran out/);
        const first = await holder;
        assert.ok(first.ms < 3500, `the holder took ${first.ms} ms`);
        assert.equal(server.received.length, 1, "the queued request reached the server");
    });
});
