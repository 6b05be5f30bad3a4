/**
 * The retry policy, as pure functions (the model is ky's): how long to wait before the next
 * attempt, what a `Retry-After` header asks for, how long the next attempt may run, how long a
 * rate limit pauses the account, and whether to retry at all. Every decision of the retry loop is
 * made here, in one place (the model is stripe-node's `_shouldRetry`); the client only carries
 * them out. No I/O and no clock of its own: the caller passes the time, so it is tested directly.
 *
 * One operation has one budget, `kaleyra:retryTimeoutMs`, that bounds all of it: time queued
 * behind the account's pacing gate, every attempt (each attempt's timeout is clipped to what is
 * left), and every wait between attempts. A wait longer than what is left ends the operation at
 * once with the last answer.
 */

/** The backoff curve. */
export interface BackoffOptions {
    /** Delay before the first retry, before jitter, in ms. */
    readonly baseMs: number;
    /** Cap on any single computed delay, in ms. */
    readonly maxMs: number;
}

/** The default curve: 500 ms, 1 s, 2 s, 4 s … capped at 20 s, with full jitter. */
export const DEFAULT_BACKOFF: BackoffOptions = { baseMs: 500, maxMs: 20_000 };

/**
 * Exponential backoff with full jitter ("AWS full jitter"): a uniform delay in
 * `[0, min(maxMs, baseMs × 2^(retry-1))]`.
 * @param retry 1 for the first retry, 2 for the second, …
 * @param random a source of uniform numbers in [0, 1); `Math.random` by default.
 */
export function backoffDelay(retry: number, options: BackoffOptions = DEFAULT_BACKOFF, random: () => number = Math.random): number {
    const ceiling = Math.min(options.maxMs, options.baseMs * 2 ** Math.max(0, retry - 1));
    return Math.floor(random() * ceiling);
}

/**
 * Parse `Retry-After`: delta-seconds (`"3"`, `"1.5"`) or an HTTP date.
 * @returns the wait in ms (never negative), or `undefined` when absent or unparseable.
 */
export function parseRetryAfter(header: string | undefined, now: number = Date.now()): number | undefined {
    if (header === undefined) return undefined;
    const value = header.trim();
    if (value === "") return undefined;
    const ms = /^\d+(\.\d+)?$/.test(value) ? Math.round(Number(value) * 1000) : Date.parse(value) - now;
    return Number.isFinite(ms) ? Math.max(0, ms) : undefined;
}

/** `1.5 s`, `250 ms`: a duration for a message. */
export function formatMs(ms: number): string {
    return ms < 1000 ? `${Math.max(0, Math.round(ms))} ms` : `${(ms / 1000).toFixed(1)} s`;
}

/** The time budget of one operation. */
export interface Budget {
    /** When the operation started (ms since the epoch). */
    readonly startedAt: number;
    /** `kaleyra:retryTimeoutMs`: the most the whole operation may take, in ms. */
    readonly budgetMs: number;
}

/** When the budget runs out (ms since the epoch). */
export function deadlineOf(budget: Budget): number {
    return budget.startedAt + budget.budgetMs;
}

/** What is left of the budget at `now`, in ms (never negative). */
export function remainingMs(budget: Budget, now: number): number {
    return Math.max(0, deadlineOf(budget) - now);
}

/** What the next attempt may do: run for `timeoutMs`, or not run at all because nothing is left. */
export type AttemptPlan =
    | {
          readonly send: true;
          /** The attempt's timeout: `kaleyra:timeoutMs`, or what is left of the budget if that is less. */
          readonly timeoutMs: number;
          /** Whether the budget, not `kaleyra:timeoutMs`, set the timeout. */
          readonly clipped: boolean;
      }
    | { readonly send: false };

/** An attempt's timeout: the per-request timeout, clipped to what is left of the budget. */
export function planAttempt(timeoutMs: number, budget: Budget, now: number): AttemptPlan {
    const left = remainingMs(budget, now);
    if (left <= 0) return { send: false };
    return left < timeoutMs ? { send: true, timeoutMs: left, clipped: true } : { send: true, timeoutMs, clipped: false };
}

/**
 * How long a rate limit pauses the whole account (every request to that endpoint and SID): the
 * server's `Retry-After`, or the base backoff when it gives none, never beyond one operation's
 * budget. A request's own backoff is decided by {@link decideRetry}, not imposed on the account.
 */
export function accountPauseMs(retryAfterMs: number | undefined, backoff: BackoffOptions, budgetMs: number): number {
    return Math.min(retryAfterMs ?? backoff.baseMs, budgetMs);
}

/** Why the loop stopped. */
export type StopKind =
    /** The failure is not of a retryable kind. */
    | "not-retryable"
    /** `kaleyra:maxRetries` retries were made. */
    | "max-retries"
    /** The server's `Retry-After` is longer than what is left of the budget. */
    | "retry-after"
    /** The jittered backoff is longer than what is left of the budget. */
    | "budget"
    /** Nothing is left of the budget. */
    | "expired";

/** What the policy decides after a failed attempt. */
export type RetryDecision =
    | { readonly retry: true; readonly delayMs: number }
    | { readonly retry: false; readonly kind: StopKind; readonly reason: string };

/** Inputs to {@link decideRetry}. */
export interface RetryState {
    /** Attempts made so far, including the one that just failed. */
    readonly attempts: number;
    /** Retries allowed after the first attempt. */
    readonly maxRetries: number;
    /** Time already spent on this operation, in ms. */
    readonly elapsedMs: number;
    /** Total time allowed for the operation, in ms. */
    readonly budgetMs: number;
    /** Whether the failure is of a retryable kind. */
    readonly retryable: boolean;
    /** What the server asked for via `Retry-After`, in ms, if anything. */
    readonly retryAfterMs?: number;
}

/**
 * The whole retry decision: retry only retryable failures, at most `maxRetries` times, never
 * beyond the time budget; wait for the larger of the server's `Retry-After` and the jittered
 * backoff. A `Retry-After` longer than what is left ends the operation at once (waiting part of
 * it would only earn another 429), as does a backoff that would leave nothing for the attempt.
 * The reason is written for the end of the final error's message.
 */
export function decideRetry(state: RetryState, backoff: BackoffOptions = DEFAULT_BACKOFF, random: () => number = Math.random): RetryDecision {
    const stop = (kind: StopKind, reason: string): RetryDecision => ({ retry: false, kind, reason });
    if (!state.retryable) return stop("not-retryable", "the last answer is not one to retry");
    const left = Math.max(0, state.budgetMs - state.elapsedMs);
    const budget = `kaleyra:retryTimeoutMs ${state.budgetMs}`;
    if (left <= 0) return stop("expired", `the retry time budget (${budget}) ran out`);
    if (state.attempts > state.maxRetries) return stop("max-retries", `kaleyra:maxRetries is ${state.maxRetries}`);
    if (state.retryAfterMs !== undefined && state.retryAfterMs >= left) {
        return stop("retry-after", `Retry-After asks for ${formatMs(state.retryAfterMs)}, more than the ${formatMs(left)} left of the retry time budget (${budget})`);
    }
    const delayMs = Math.max(state.retryAfterMs ?? 0, backoffDelay(state.attempts, backoff, random));
    if (delayMs >= left) {
        return stop("budget", `the next wait (${formatMs(delayMs)}) would pass the retry time budget (${budget})`);
    }
    return { retry: true, delayMs };
}

/**
 * The note the final error gets: how many attempts, over how long, and why it stopped. Nothing
 * for an answer that was not retried on the first attempt (its message says all).
 */
export function outcomeNote(decision: Extract<RetryDecision, { retry: false }>, attempts: number, elapsedMs: number): string {
    if (decision.kind === "not-retryable" && attempts === 1) return "";
    return ` — gave up after ${attempts} attempt${attempts === 1 ? "" : "s"} in ${formatMs(elapsedMs)}: ${decision.reason}`;
}

/**
 * Why a request that never got through the account's gate stopped: no slot came free within the
 * budget, or a rate-limit pause in force outlasts it.
 */
export function waitNote(waitingFor: "slot" | "pause", pauseLeftMs: number, budgetMs: number): string {
    return waitingFor === "pause"
        ? `this account's requests are paused for another ${formatMs(pauseLeftMs)} after a rate limit, past the retry time budget (kaleyra:retryTimeoutMs ${budgetMs})`
        : `no request slot came free before the retry time budget (kaleyra:retryTimeoutMs ${budgetMs}) ran out; kaleyra:maxConcurrency requests to this account were in flight`;
}
