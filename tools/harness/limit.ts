/**
 * A small concurrency limiter: at most `n` of the functions given to it run at once.
 */

/** Runs a function under the limit and resolves with its result. */
export type Limiter = <T>(fn: () => Promise<T>) => Promise<T>;

/** Creates a limiter allowing `n` concurrent runs (`n` < 1 or not finite means unbounded). */
export function createLimiter(n: number): Limiter {
    const max = Number.isFinite(n) && n >= 1 ? Math.floor(n) : Number.POSITIVE_INFINITY;
    let active = 0;
    const queue: (() => void)[] = [];
    const release = (): void => {
        active--;
        const next = queue.shift();
        if (next) {
            next();
        }
    };
    return <T>(fn: () => Promise<T>): Promise<T> =>
        new Promise<T>((resolve, reject) => {
            const start = (): void => {
                active++;
                fn().then(resolve, reject).finally(release);
            };
            if (active < max) {
                start();
            } else {
                queue.push(start);
            }
        });
}
