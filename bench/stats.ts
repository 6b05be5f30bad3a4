/** Small statistics for repeated measurements. */

/** The median of `values` (the mean of the middle two for an even count); `NaN` when empty. */
export function median(values: readonly number[]): number {
    if (values.length === 0) return NaN;
    const sorted = [...values].sort((a, b) => a - b);
    const mid = Math.floor(sorted.length / 2);
    return sorted.length % 2 === 1 ? sorted[mid] : (sorted[mid - 1] + sorted[mid]) / 2;
}

/** `a / b`, or `NaN` when `b` is 0 or either is not finite. */
export function ratioOf(a: number, b: number): number {
    return Number.isFinite(a) && Number.isFinite(b) && b !== 0 ? a / b : NaN;
}
