/** Output formatting for `npm run demo`: aligned columns, profiles, counts. */
import * as path from "node:path";

/** `1 PUT`, `3 PUTs`. */
export function count(n: number, word: string): string {
    return `${n} ${word}${n === 1 ? "" : "s"}`;
}

/** A column layout: each column's width, and which are right-aligned. */
export interface Columns {
    /** Width of each column. */
    readonly widths: readonly number[];
    /** Indexes of right-aligned (numeric) columns. */
    readonly right?: readonly number[];
}

/** The widths that fit every given row. */
export function fit(rows: readonly (readonly string[])[], right: readonly number[] = []): Columns {
    const widths: number[] = [];
    for (const row of rows) row.forEach((cell, i) => (widths[i] = Math.max(widths[i] ?? 0, [...cell].length)));
    return { widths, right };
}

/** One row laid out in `columns`, two spaces between columns, no trailing spaces. */
export function row(cells: readonly string[], columns: Columns, indent = "  "): string {
    const text = cells
        .map((cell, i) => {
            const width = columns.widths[i] ?? 0;
            if (i === cells.length - 1 && !columns.right?.includes(i)) return cell;
            return columns.right?.includes(i) ? cell.padStart(width) : cell.padEnd(width);
        })
        .join("  ");
    return `${indent}${text}`.trimEnd();
}

/** A path for the user: relative to the current directory when it is inside it. */
export function showPath(p: string): string {
    const rel = path.relative(process.cwd(), p);
    return rel !== "" && !rel.startsWith("..") && !path.isAbsolute(rel) ? rel : p;
}

/** Seconds with one decimal: `4.2 s`. */
export function seconds(ms: number): string {
    return `${(ms / 1000).toFixed(1)} s`;
}

/** One number's profile, labelled for display. */
export interface LabelledProfile {
    /** E.g. `+919876543210  dev`. */
    readonly label: string;
    /** Kaleyra's keys → values (without `wa_number`). */
    readonly fields: Readonly<Record<string, string | undefined>>;
}

/**
 * Several profiles, compactly: the fields every profile holds with the same value once, then
 * each profile's own fields (a field set on some profiles only shows as `(not set)` on the others).
 */
export function profilesSummary(profiles: readonly LabelledProfile[], order: readonly string[]): string[] {
    const keys = [...new Set([...order, ...profiles.flatMap((p) => Object.keys(p.fields))])].filter((k) =>
        profiles.some((p) => p.fields[k] !== undefined),
    );
    const shared = keys.filter((k) => profiles.every((p) => p.fields[k] !== undefined && p.fields[k] === profiles[0].fields[k]));
    const own = keys.filter((k) => !shared.includes(k));
    const width = (ks: readonly string[]): number => Math.max(0, ...ks.map((k) => k.length));
    const labelWidth = Math.max(0, ...profiles.map((p) => p.label.length));
    const lines: string[] = [];
    if (shared.length > 0 && profiles.length > 1) {
        lines.push(`  the same on all ${profiles.length} numbers:`);
        for (const k of shared) lines.push(`    ${k.padEnd(width(shared))}  ${profiles[0].fields[k]}`);
        lines.push("  and each its own:");
    }
    const ownKeys = profiles.length > 1 ? own : keys;
    for (const p of profiles) {
        if (ownKeys.length === 0 || keys.every((k) => p.fields[k] === undefined)) {
            lines.push(`    ${p.label.padEnd(labelWidth)}  ${keys.every((k) => p.fields[k] === undefined) ? "(no profile fields set)" : ""}`.trimEnd());
            continue;
        }
        ownKeys.forEach((k, i) => {
            const label = i === 0 ? p.label : "";
            lines.push(`    ${label.padEnd(labelWidth)}  ${k.padEnd(width(ownKeys))}  ${p.fields[k] ?? "(not set)"}`.trimEnd());
        });
    }
    return lines;
}
