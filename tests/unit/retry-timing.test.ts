/**
 * The retry policy (retry-timing.ts), pure, and the retry loop that carries it out
 * (`retrying` in retry.ts) under sinon's fake clock: backoff, Retry-After, the time budget and
 * time queued at the account's gate, to the millisecond and without waiting. The same behaviour
 * against a real server, in real time, is in budget.test.ts.
 */

import { strict as assert } from "node:assert";

import * as sinon from "sinon";

import { FailureFactory, retrying, RetryPolicy } from "../../provider/engine/retry";
import {
    KaleyraError,
    KaleyraNetworkError,
    KaleyraRateLimitError,
    KaleyraServerError,
    KaleyraUnexpectedResponseError,
    KaleyraValidationError,
} from "../../provider/engine/errors";
import { gateFor } from "../../provider/engine/limiter";
import {
    accountPauseMs,
    backoffDelay,
    decideRetry,
    DEFAULT_BACKOFF,
    outcomeNote,
    parseRetryAfter,
    planAttempt,
    RetryDecision,
} from "../../provider/engine/retry-timing";

describe("retry timing (pure)", () => {
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

    it("clips an attempt's timeout to what is left of the budget, and sends nothing when nothing is left", () => {
        const budget = { startedAt: 1000, budgetMs: 3000 };
        assert.deepEqual(planAttempt(30_000, budget, 1000), { send: true, timeoutMs: 3000, clipped: true });
        assert.deepEqual(planAttempt(30_000, budget, 3500), { send: true, timeoutMs: 500, clipped: true });
        assert.deepEqual(planAttempt(2000, budget, 1000), { send: true, timeoutMs: 2000, clipped: false });
        assert.deepEqual(planAttempt(2000, budget, 4000), { send: false });
        assert.deepEqual(planAttempt(2000, budget, 9000), { send: false });
    });

    it("pauses the account for Retry-After, or the base backoff, never beyond one budget", () => {
        assert.equal(accountPauseMs(4000, DEFAULT_BACKOFF, 60_000), 4000);
        assert.equal(accountPauseMs(undefined, DEFAULT_BACKOFF, 60_000), 500);
        assert.equal(accountPauseMs(600_000, DEFAULT_BACKOFF, 3000), 3000);
    });

    const base = { attempts: 1, maxRetries: 3, elapsedMs: 0, budgetMs: 60_000, retryable: true };
    const stopped = (d: RetryDecision) => {
        assert.equal(d.retry, false, JSON.stringify(d));
        return d as Extract<RetryDecision, { retry: false }>;
    };

    it("never retries what is not retryable", () => {
        assert.equal(stopped(decideRetry({ ...base, retryable: false })).kind, "not-retryable");
    });

    it("stops after maxRetries retries", () => {
        assert.equal(decideRetry({ ...base, attempts: 3 }, undefined, () => 0).retry, true);
        const d = stopped(decideRetry({ ...base, attempts: 4 }, undefined, () => 0));
        assert.deepEqual([d.kind, d.reason], ["max-retries", "kaleyra:maxRetries is 3"]);
    });

    it("waits at least what Retry-After asks", () => {
        assert.deepEqual(decideRetry({ ...base, retryAfterMs: 4000 }, undefined, () => 0), { retry: true, delayMs: 4000 });
    });

    it("stops at once when Retry-After is longer than what is left of the budget", () => {
        const d = stopped(decideRetry({ ...base, elapsedMs: 57_000, retryAfterMs: 5000 }, undefined, () => 0));
        assert.equal(d.kind, "retry-after");
        assert.equal(d.reason, "Retry-After asks for 5.0 s, more than the 3.0 s left of the retry time budget (kaleyra:retryTimeoutMs 60000)");
        assert.equal(stopped(decideRetry({ ...base, attempts: 1, budgetMs: 3000, retryAfterMs: 60_000 })).kind, "retry-after", "even on the first attempt");
    });

    it("stops when the jittered backoff would pass the budget, or nothing is left", () => {
        const d = stopped(decideRetry({ ...base, attempts: 3, elapsedMs: 59_000 }, undefined, () => 0.9));
        assert.equal(d.kind, "budget");
        assert.match(d.reason, /^the next wait \(1\.8 s\) would pass the retry time budget/);
        assert.equal(stopped(decideRetry({ ...base, elapsedMs: 60_000 })).kind, "expired");
    });

    it("writes the final note: nothing for a first answer not to retry, else attempts, time and reason", () => {
        const notRetryable = stopped(decideRetry({ ...base, retryable: false }));
        assert.equal(outcomeNote(notRetryable, 1, 10), "");
        assert.equal(outcomeNote(notRetryable, 2, 1500), " — gave up after 2 attempts in 1.5 s: the last answer is not one to retry");
        assert.equal(outcomeNote(stopped(decideRetry({ ...base, elapsedMs: 60_000 })), 1, 60_000), " — gave up after 1 attempt in 60.0 s: the retry time budget (kaleyra:retryTimeoutMs 60000) ran out");
    });
});

describe("the retry loop on a fake clock (sinon): backoff, budget and queueing, exactly", () => {
    const T0 = 1_700_000_000_000;
    let clock: sinon.SinonFakeTimers;
    let gateCounter = 0;
    beforeEach(() => (clock = sinon.useFakeTimers({ now: T0, toFake: ["setTimeout", "clearTimeout", "Date"] })));
    afterEach(() => clock.restore());

    /** A fresh gate (its own account) with `concurrency` slots. */
    const freshGate = (concurrency: number) => gateFor("https://fake.invalid", `HXFAKE${++gateCounter}`, concurrency);
    const failures: FailureFactory = {
        waited: (e) => new KaleyraNetworkError(`never sent: ${e.waitingFor}`, { errno: "ETIMEDOUT", secrets: [] }),
        unexpected: (caught) => new KaleyraUnexpectedResponseError(String(caught), { secrets: [] }),
    };
    const now = () => Date.now() - T0;
    const later = (ms: number) => new Promise<void>((resolve) => setTimeout(resolve, ms));

    /** What an attempt saw: when it started (ms after T0), and its timeout. */
    interface Seen {
        at: number;
        timeoutMs: number;
        clipped: boolean;
    }

    /** An attempt that records itself and then behaves as `act` says. */
    function recorder<T>(act: (n: number, timeoutMs: number) => Promise<T>) {
        const seen: Seen[] = [];
        const attempt = async (timeoutMs: number, clipped: boolean) => {
            seen.push({ at: now(), timeoutMs, clipped });
            return act(seen.length, timeoutMs);
        };
        return { seen, attempt };
    }

    /** Never answers: fails with a timeout once its timeout has run out, like the client's. */
    const hangs = async (_n: number, timeoutMs: number): Promise<never> => {
        await later(timeoutMs);
        throw new KaleyraNetworkError(`no answer within ${timeoutMs} ms`, { errno: "ETIMEDOUT", secrets: [] });
    };
    const unavailable = () => new KaleyraServerError("Kaleyra failed on its side (HTTP 503)", { status: 503, secrets: [] });
    const limited = (retryAfterMs: number) =>
        new KaleyraRateLimitError("Kaleyra is rate limiting requests: WA429 — Too many requests (HTTP 429)", { status: 429, code: "WA429", retryAfterMs, secrets: [] });

    /** Run the loop, recording when it settled (ms after T0) and how. */
    function run<T>(attempt: (timeoutMs: number, clipped: boolean) => Promise<T>, policy: Partial<RetryPolicy>, gate = freshGate(8)) {
        const outcome: { at?: number; value?: { value: T; attempts: number }; error?: KaleyraError } = {};
        const done = retrying(attempt, gate, { timeoutMs: 30_000, maxRetries: 4, retryTimeoutMs: 120_000, ...policy }, failures).then(
            (value) => Object.assign(outcome, { at: now(), value }),
            (error: KaleyraError) => Object.assign(outcome, { at: now(), error }),
        );
        return { outcome, done };
    }

    it("backs off 250 ms, 500 ms, 1 s, 2 s between attempts (jitter fixed at ½)", async () => {
        const { seen, attempt } = recorder(async (n) => {
            if (n < 5) throw unavailable();
            return "ok";
        });
        const { outcome, done } = run(attempt, { random: () => 0.5 });
        await clock.runAllAsync();
        await done;
        assert.deepEqual(seen.map((s) => s.at), [0, 250, 750, 1750, 3750]);
        assert.deepEqual(outcome.value, { value: "ok", attempts: 5 });
    });

    it("clips a hung attempt to the budget: with retryTimeoutMs 3000 and timeoutMs 30000, it ends at 3000 ms", async () => {
        const { seen, attempt } = recorder(hangs);
        const { outcome, done } = run(attempt, { retryTimeoutMs: 3000, timeoutMs: 30_000, random: () => 0 });
        await clock.tickAsync(2999);
        assert.equal(outcome.at, undefined, "settled before the budget ran out");
        await clock.tickAsync(1);
        await done;
        assert.equal(outcome.at, 3000);
        assert.deepEqual(seen, [{ at: 0, timeoutMs: 3000, clipped: true }]);
        assert.match(String(outcome.error?.message), /gave up after 1 attempt in 3\.0 s: the retry time budget \(kaleyra:retryTimeoutMs 3000\) ran out$/);
    });

    it("gives every attempt kaleyra:timeoutMs until the budget is short, then what is left", async () => {
        const { seen, attempt } = recorder(hangs);
        const { outcome, done } = run(attempt, { retryTimeoutMs: 10_000, timeoutMs: 4000, random: () => 0 });
        await clock.runAllAsync();
        await done;
        assert.deepEqual(seen, [
            { at: 0, timeoutMs: 4000, clipped: false },
            { at: 4000, timeoutMs: 4000, clipped: false },
            { at: 8000, timeoutMs: 2000, clipped: true },
        ]);
        assert.equal(outcome.at, 10_000);
        assert.equal(outcome.error?.attempts, 3);
    });

    it("ends at once, with the server's 429, when Retry-After is longer than what is left", async () => {
        const answer = limited(60_000);
        const { seen, attempt } = recorder(async () => {
            throw answer;
        });
        const { outcome, done } = run(attempt, { retryTimeoutMs: 3000 });
        await clock.tickAsync(0);
        await done;
        assert.equal(outcome.at, 0);
        assert.equal(seen.length, 1);
        assert.equal(outcome.error, answer, "the error is the server's answer");
        assert.equal(outcome.error?.code, "WA429");
        assert.match(answer.message, /\(HTTP 429\) — gave up after 1 attempt in 0 ms: Retry-After asks for 60\.0 s, more than the 3\.0 s left/);
    });

    it("waits a Retry-After that fits in the budget, to the millisecond", async () => {
        const { seen, attempt } = recorder(async (n) => {
            if (n === 1) throw limited(2000);
            return "ok";
        });
        const { outcome, done } = run(attempt, { retryTimeoutMs: 3000, random: () => 0 });
        await clock.runAllAsync();
        await done;
        assert.deepEqual(seen.map((s) => s.at), [0, 2000]);
        assert.equal(seen[1].timeoutMs, 1000, "the second attempt has what is left");
        assert.equal(outcome.value?.attempts, 2);
    });

    it("counts time queued behind the gate: a request that gets no slot in its budget fails then, unsent", async () => {
        const gate = freshGate(1);
        const holder = recorder(hangs);
        const first = run(holder.attempt, { retryTimeoutMs: 5000, timeoutMs: 5000, maxRetries: 0 }, gate);
        const queued = recorder(async () => "never");
        const second = run(queued.attempt, { retryTimeoutMs: 2000 }, gate);
        await clock.tickAsync(1999);
        assert.equal(second.outcome.at, undefined);
        await clock.tickAsync(1);
        assert.equal(second.outcome.at, 2000);
        assert.equal(queued.seen.length, 0, "the queued request was sent");
        assert.match(String(second.outcome.error?.message), /^never sent: slot/);
        await clock.runAllAsync();
        await Promise.all([first.done, second.done]);
        assert.equal(first.outcome.at, 5000);
        assert.equal(gate.active + gate.pending, 0, "the abandoned request kept its place");
    });

    it("counts a rate-limit pause: a request fails at once if the pause outlasts its budget, else starts when it ends", async () => {
        const gate = freshGate(8);
        const limitedOnce = recorder(async (n) => {
            if (n === 1) throw limited(5000);
            return "ok";
        });
        const a = run(limitedOnce.attempt, { retryTimeoutMs: 10_000, random: () => 0 }, gate);
        await clock.tickAsync(100);
        const short = recorder(async () => "ok");
        const b = run(short.attempt, { retryTimeoutMs: 3000 }, gate);
        const long = recorder(async () => "ok");
        const c = run(long.attempt, { retryTimeoutMs: 10_000 }, gate);
        await clock.tickAsync(0);
        assert.equal(b.outcome.at, 100, "a request whose budget ends inside the account's pause did not fail at once");
        assert.match(String(b.outcome.error?.message), /^never sent: pause/);
        await clock.runAllAsync();
        await Promise.all([a.done, b.done, c.done]);
        assert.deepEqual(limitedOnce.seen.map((s) => s.at), [0, 5000]);
        assert.deepEqual(long.seen.map((s) => s.at), [5000], "another request to the account did not wait out the pause exactly");
        assert.equal(short.seen.length, 0);
    });

    it("ends with the last server answer when the retry cannot get a slot in time", async () => {
        const gate = freshGate(1);
        const flaky = recorder(async (n) => {
            if (n === 1) {
                await later(100);
                throw unavailable();
            }
            return "ok";
        });
        const op = run(flaky.attempt, { retryTimeoutMs: 1000, random: () => 0 }, gate);
        await clock.tickAsync(50);
        const holder = run(recorder(hangs).attempt, { retryTimeoutMs: 5000, timeoutMs: 5000, maxRetries: 0 }, gate); // queued first
        await clock.tickAsync(950);
        await op.done;
        assert.equal(op.outcome.at, 1000);
        assert.ok(op.outcome.error instanceof KaleyraServerError, "the 503 is what the user sees");
        assert.equal(op.outcome.error.attempts, 1);
        assert.match(op.outcome.error.message, /\(HTTP 503\) — gave up after 1 attempt in 1\.0 s: no request slot came free before the retry time budget/);
        await clock.runAllAsync();
        await holder.done;
    });

    it("does not retry what is not retryable, whatever the budget", async () => {
        const { seen, attempt } = recorder(async () => {
            throw new KaleyraValidationError("Kaleyra rejected about", { status: 400, secrets: [] });
        });
        const { outcome, done } = run(attempt, {});
        await clock.runAllAsync();
        await done;
        assert.equal(seen.length, 1);
        assert.equal(outcome.error?.message, "Kaleyra rejected about");
    });
});
