/**
 * The retry loop (the model is stripe-node's `RequestSender`): it carries out, under the account's
 * gate (limiter.ts), what the policy in retry-timing.ts decides, and makes no decision of its own.
 * One operation has one budget: time queued at the gate, every attempt and every wait count.
 */

import { KaleyraError, KaleyraRateLimitError } from "./errors";
import { Gate, GateDeadlineError } from "./limiter";
import { accountPauseMs, BackoffOptions, decideRetry, DEFAULT_BACKOFF, deadlineOf, formatMs, outcomeNote, planAttempt, waitNote } from "./retry-timing";
import { sleep } from "./sleep";

/** A retry about to happen, for logs. */
export interface RetryEvent {
    /** The attempt that failed (1-based). */
    readonly attempt: number;
    /** The wait before the next attempt, in ms. */
    readonly delayMs: number;
    /** The failure, already redacted. */
    readonly error: KaleyraError;
}

/** The limits one operation runs under. */
export interface RetryPolicy {
    /** Per-attempt timeout (`kaleyra:timeoutMs`), in ms; clipped to what is left of the budget. */
    readonly timeoutMs: number;
    /** Retries after the first attempt (`kaleyra:maxRetries`). */
    readonly maxRetries: number;
    /** The whole operation's budget (`kaleyra:retryTimeoutMs`), in ms: queueing, attempts and waits. */
    readonly retryTimeoutMs: number;
    /** The backoff curve. */
    readonly backoff?: BackoffOptions;
    /** Uniform random numbers in [0, 1), for jitter. */
    readonly random?: () => number;
    /** Called before each retry. */
    readonly onRetry?: (event: RetryEvent) => void;
}

/** Turns what is not a KaleyraError into one: a failure to get through the gate, or a bug. */
export interface FailureFactory {
    /** The first attempt never got through the gate within the budget. */
    waited(error: GateDeadlineError): KaleyraError;
    /** An unforeseen throw. */
    unexpected(caught: unknown): KaleyraError;
}

/**
 * Run `attempt` under the account's gate until it succeeds or the policy (retry-timing.ts) says
 * stop; no decision is made here. Each attempt gets the per-request timeout clipped to what is
 * left of the budget; time queued at the gate counts; a rate limit pauses the whole account.
 * @returns the value and the number of attempts made.
 * @throws KaleyraError, noting attempts and why it stopped.
 */
export async function retrying<T>(
    attempt: (timeoutMs: number, clipped: boolean) => Promise<T>,
    gate: Gate,
    policy: RetryPolicy,
    failures: FailureFactory,
): Promise<{ value: T; attempts: number }> {
    const backoff = policy.backoff ?? DEFAULT_BACKOFF;
    const budget = { startedAt: Date.now(), budgetMs: policy.retryTimeoutMs };
    let last: KaleyraError | undefined;
    for (let attempts = 1; ; attempts++) {
        let error: KaleyraError;
        try {
            const value = await gate.run(async () => {
                const plan = planAttempt(policy.timeoutMs, budget, Date.now());
                if (!plan.send) throw new GateDeadlineError("slot", Date.now() - budget.startedAt);
                try {
                    return await attempt(plan.timeoutMs, plan.clipped);
                } catch (caught) {
                    // Pause the account before the slot is released, so no queued request slips through.
                    if (caught instanceof KaleyraRateLimitError) gate.pause(accountPauseMs(caught.retryAfterMs, backoff, policy.retryTimeoutMs));
                    throw caught;
                }
            }, deadlineOf(budget));
            return { value, attempts };
        } catch (caught) {
            if (caught instanceof GateDeadlineError) {
                // This attempt was never sent: end with the last answer, if there was one.
                const note = waitNote(caught.waitingFor, caught.pauseLeftMs, policy.retryTimeoutMs);
                if (!last) throw failures.waited(caught);
                const sent = attempts - 1;
                throw last.gaveUp(sent, ` — gave up after ${sent} attempt${sent === 1 ? "" : "s"} in ${formatMs(Date.now() - budget.startedAt)}: ${note}`);
            }
            error = caught instanceof KaleyraError ? caught : failures.unexpected(caught);
        }
        const elapsedMs = Date.now() - budget.startedAt;
        const decision = decideRetry(
            {
                attempts,
                maxRetries: policy.maxRetries,
                elapsedMs,
                budgetMs: policy.retryTimeoutMs,
                retryable: error.retryable,
                retryAfterMs: error instanceof KaleyraRateLimitError ? error.retryAfterMs : undefined,
            },
            backoff,
            policy.random,
        );
        if (!decision.retry) throw error.gaveUp(attempts, outcomeNote(decision, attempts, elapsedMs));
        policy.onRetry?.({ attempt: attempts, delayMs: decision.delayMs, error });
        last = error;
        await sleep(decision.delayMs);
    }
}
