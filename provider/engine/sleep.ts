/** Waiting, for the retry loop (retry.ts) and the account's gate (limiter.ts): the one `sleep`. */

/** Resolves after `ms` milliseconds (on the global timers, so sinon's fake clock drives it in tests). */
export function sleep(ms: number): Promise<void> {
    return new Promise<void>((resolve) => setTimeout(resolve, ms));
}
