import { strict as assert } from "node:assert";

import { backoffDelay, decideRetry, parseRetryAfter } from "../provider/engine/retry-timing";

describe("retry timing", () => {
    it("grows exponentially up to the cap, with full jitter", () => {
        const top = () => 0.999999;
        const ceilings = [1, 2, 3, 4, 5, 6, 7, 8].map((n) => backoffDelay(n, { baseMs: 500, maxMs: 20_000 }, top));
        assert.deepEqual(ceilings, [499, 999, 1999, 3999, 7999, 15999, 19999, 19999]);
        assert.equal(backoffDelay(3, { baseMs: 500, maxMs: 20_000 }, () => 0), 0);
    });

    it("parses Retry-After in seconds and as an HTTP date", () => {
        const now = Date.parse("2026-11-25T00:00:00Z");
        assert.equal(parseRetryAfter("3", now), 3000);
        assert.equal(parseRetryAfter("1.5", now), 1500);
        assert.equal(parseRetryAfter("Wed, 25 Nov 2026 00:00:07 GMT", now), 7000);
        assert.equal(parseRetryAfter("Tue, 24 Nov 2026 00:00:00 GMT", now), 0);
        assert.equal(parseRetryAfter("soon", now), undefined);
        assert.equal(parseRetryAfter(undefined, now), undefined);
        assert.equal(parseRetryAfter("", now), undefined);
        assert.equal(parseRetryAfter("9".repeat(400), now), undefined, "a Retry-After too large to represent is ignored");
    });

    const base = { attempts: 1, maxRetries: 3, elapsedMs: 0, budgetMs: 60_000, retryable: true };

    it("never retries what is not retryable", () => {
        assert.deepEqual(decideRetry({ ...base, retryable: false }), { retry: false, reason: "not retryable" });
    });

    it("stops after maxRetries retries", () => {
        assert.equal(decideRetry({ ...base, attempts: 3 }, undefined, () => 0).retry, true);
        const d = decideRetry({ ...base, attempts: 4 }, undefined, () => 0);
        assert.equal(d.retry, false);
        assert.match((d as { reason: string }).reason, /after 4 attempts/);
    });

    it("waits at least what Retry-After asks", () => {
        assert.deepEqual(decideRetry({ ...base, retryAfterMs: 4000 }, undefined, () => 0), { retry: true, delayMs: 4000 });
    });

    it("stops when the next wait would pass the time budget", () => {
        const d = decideRetry({ ...base, elapsedMs: 59_000, retryAfterMs: 5000 });
        assert.equal(d.retry, false);
        assert.match((d as { reason: string }).reason, /retry time budget/);
    });
});
