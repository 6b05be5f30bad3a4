/**
 * Small formatting helpers for the Markdown report.
 */

/** A Markdown table: a header row, an alignment row, then the rows. Cells must not contain `|`. */
export function table(headers: readonly string[], rows: readonly (readonly string[])[], align?: readonly ("l" | "r")[]): string {
    const sep = headers.map((_, i) => ((align?.[i] ?? "l") === "r" ? "---:" : "---"));
    return [headers, sep, ...rows].map((cells) => `| ${cells.join(" | ")} |`).join("\n");
}

/** An integer with thousands separators. */
export function int(n: number): string {
    return Math.round(n).toLocaleString("en-US");
}

/** A byte count in decimal units: `2,574 B`, `48.8 kB`, `6.68 MB`. */
export function bytes(n: number): string {
    if (n < 10_000) return `${int(n)} B`;
    if (n < 1_000_000) return `${(n / 1000).toFixed(1)} kB`;
    return `${(n / 1_000_000).toFixed(2)} MB`;
}

/** Mebibytes, for memory. */
export function mib(n: number | undefined): string {
    return n === undefined ? "n/a" : `${(n / 2 ** 20).toFixed(0)} MiB`;
}

/** Milliseconds: `850 ms`, `3.42 s`. */
export function ms(n: number | undefined): string {
    if (n === undefined) return "n/a";
    return n < 1000 ? `${n.toFixed(0)} ms` : `${(n / 1000).toFixed(2)} s`;
}

/** A number with a fixed number of decimals. */
export function fixed(n: number | undefined, digits: number): string {
    return n === undefined ? "n/a" : n.toFixed(digits);
}

/** A ratio: `1.23×`. */
export function ratio(n: number): string {
    return `${n.toFixed(2)}×`;
}
