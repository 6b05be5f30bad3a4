/**
 * A tiny seeded pseudo-random generator (mulberry32), so fault sequences repeat run to run.
 * Not for anything secret.
 */

/** A generator of numbers in [0, 1). */
export type Random = () => number;

/** Make a mulberry32 generator from a 32-bit seed (other numbers are truncated to 32 bits). */
export function mulberry32(seed: number): Random {
    let state = seed >>> 0;
    return () => {
        state = (state + 0x6d2b79f5) >>> 0;
        let t = state;
        t = Math.imul(t ^ (t >>> 15), t | 1);
        t ^= t + Math.imul(t ^ (t >>> 7), t | 61);
        return ((t ^ (t >>> 14)) >>> 0) / 4294967296;
    };
}
