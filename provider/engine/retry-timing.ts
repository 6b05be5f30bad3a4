/**
 * Retry timing, as pure functions: how long to wait before the next attempt, and what a
 * `Retry-After` header asks for. No I/O and no clock of its own, so it is tested directly.
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

/** What the policy decides after a failed attempt. */
export type RetryDecision = { readonly retry: true; readonly delayMs: number } | { readonly retry: false; readonly reason: string };

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
 * The whole retry policy in one place: retry only retryable failures, at most `maxRetries`
 * times, never beyond the time budget; wait for the larger of the server's `Retry-After`
 * and the jittered backoff.
 */
export function decideRetry(state: RetryState, backoff: BackoffOptions = DEFAULT_BACKOFF, random: () => number = Math.random): RetryDecision {
    if (!state.retryable) return { retry: false, reason: "not retryable" };
    if (state.attempts > state.maxRetries) return { retry: false, reason: `gave up after ${state.attempts} attempts` };
    const delayMs = Math.max(state.retryAfterMs ?? 0, backoffDelay(state.attempts, backoff, random));
    if (state.elapsedMs + delayMs > state.budgetMs) {
        return { retry: false, reason: `gave up after ${state.attempts} attempts: the next wait would pass the retry time budget` };
    }
    return { retry: true, delayMs };
}
