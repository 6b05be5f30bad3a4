/**
 * docs/emulator.md says what the code does: its tables (errors, CLI flags, admin API) hold
 * exactly the rows the code has — a row missing from the docs, a row the code no longer has, or
 * one row standing for two all fail — and every fault setting is named.
 */
import { strict as assert } from "node:assert";
import * as fs from "node:fs";
import * as path from "node:path";

import { ERRORS, type ErrorSpec } from "../../../provider/emulator";
import { ADMIN_ENDPOINTS } from "../../../provider/emulator/admin";
import { HELP_TEXT } from "../../../provider/emulator/cli-args";
import { normalizeFaults } from "../../../provider/emulator/faults";

const DOC = fs.readFileSync(path.resolve(__dirname, "..", "..", "..", "docs", "emulator.md"), "utf8");

/** The rows of the markdown table whose header row starts with `| <firstHeader> |`, as trimmed cells. */
function tableRows(doc: string, firstHeader: string): string[][] {
    const lines = doc.split("\n");
    const start = lines.findIndex((l) => l.startsWith(`| ${firstHeader} |`));
    assert.ok(start >= 0, `docs/emulator.md has no table headed "${firstHeader}"`);
    assert.match(lines[start + 1] ?? "", /^\|[-| ]+\|$/, `the "${firstHeader}" table has no separator row`);
    const rows: string[][] = [];
    for (const line of lines.slice(start + 2)) {
        if (!line.startsWith("|")) break;
        rows.push(line.slice(1, -1).split(" | ").map((c) => c.trim()));
    }
    return rows;
}

/** Elements of `a` not in `b`. */
function missing(a: Iterable<string>, b: Iterable<string>): string[] {
    const bs = new Set(b);
    return [...new Set(a)].filter((x) => !bs.has(x));
}

/** A documented error row. */
interface DocErrorRow {
    status: string;
    code: string;
    type: string;
    parameter: string;
    message: string;
    line: string;
}

/** The message a row shows: its first `code span`, or the whole cell. */
function shownMessage(cell: string): string {
    return /`([^`]*)`/.exec(cell)?.[1] ?? cell;
}

/** Could this documented row be this table entry? */
function describes(row: DocErrorRow, name: string, spec: ErrorSpec): boolean {
    const status = spec.status === 0 ? "scripted" : String(spec.status);
    if (row.status !== status || row.code !== spec.code || row.type !== spec.type) return false;
    // The parameter as sent, or (for entries that name the offending field or key) a description of it.
    const parameter = row.parameter === '`""`' ? "" : row.parameter.replace(/`/g, "");
    if (parameter !== spec.parameter && !(spec.parameter === "" && /^the /.test(parameter))) return false;
    // The message as sent; placeholders ({detail}, {parameter}) stand for any text.
    const template = spec.message
        .split(/\{(?:detail|parameter)\}/)
        .map((part) => part.replace(/[.*+?^${}()|[\]\\]/g, "\\$&"))
        .join(".*");
    const matches = new RegExp(`^${template}$`, "s").test(row.message);
    assert.ok(name.length > 0);
    return matches;
}

/**
 * Pairs table entries with documented rows one to one (maximum bipartite matching), so that two
 * entries alike cannot both be "found" in one row.
 */
function pair(entries: [string, ErrorSpec][], rows: DocErrorRow[]): Map<number, number> {
    const rowOf = new Map<number, number>(); // entry → row
    const entryOf = new Map<number, number>(); // row → entry
    const tryEntry = (e: number, seen: Set<number>): boolean => {
        for (let r = 0; r < rows.length; r++) {
            if (seen.has(r) || !describes(rows[r], entries[e][0], entries[e][1])) continue;
            seen.add(r);
            const holder = entryOf.get(r);
            if (holder === undefined || tryEntry(holder, seen)) {
                rowOf.set(e, r);
                entryOf.set(r, e);
                return true;
            }
        }
        return false;
    };
    for (let e = 0; e < entries.length; e++) tryEntry(e, new Set());
    return rowOf;
}

describe("emulator: docs/emulator.md", () => {
    it("the error table has exactly one row per entry of ERRORS, and no other", () => {
        const rows: DocErrorRow[] = tableRows(DOC, "HTTP").map((cells) => {
            assert.equal(cells.length, 7, `an error row without 7 cells: ${cells.join(" | ")}`);
            const [status, code, type, parameter, message] = cells;
            return { status, code, type, parameter, message: shownMessage(message), line: cells.join(" | ") };
        });
        const entries = Object.entries(ERRORS) as [string, ErrorSpec][];
        const paired = pair(entries, rows);
        const undocumented = entries.filter((_, e) => !paired.has(e)).map(([name, s]) => `${name} (${s.status} ${s.code} ${s.type}: ${s.message})`);
        const pairedRows = new Set(paired.values());
        const stray = rows.filter((_, r) => !pairedRows.has(r)).map((r) => r.line);
        assert.deepEqual(undocumented, [], `entries of ERRORS with no row of their own in the docs' error table:\n${undocumented.join("\n")}`);
        assert.deepEqual(stray, [], `rows of the docs' error table that are no entry of ERRORS:\n${stray.join("\n")}`);
        if (entries.some(([, s]) => s.assumption)) assert.ok(DOC.includes("ASSUMPTION"));
    });

    it("the flag table lists exactly the flags of --help", () => {
        const help = [...HELP_TEXT.matchAll(/^ {2}(?:(-[a-z]), )?(--[a-z-]+)/gm)].flatMap((m) => (m[1] ? [m[1], m[2]] : [m[2]]));
        assert.ok(help.length > 10, `only ${help.length} flags found in HELP_TEXT`);
        const documented = tableRows(DOC, "flag").flatMap((cells) => [...cells[0].matchAll(/`(--?[a-z-]+)/g)].map((m) => m[1]));
        assert.deepEqual(missing(help, documented), [], "flags of --help missing from the docs' flag table");
        assert.deepEqual(missing(documented, help), [], "flags in the docs' flag table that --help does not have");
        assert.equal(documented.length, new Set(documented).size, "a flag has two rows");
    });

    it("the admin API table lists exactly the admin endpoints", () => {
        const normalize = (p: string): string => p.replace(/<[^>]*>/g, "<>");
        const code = ADMIN_ENDPOINTS.map((e) => `${e.method} ${normalize(e.path)}`);
        const documented = tableRows(DOC, "method and path").map((cells) => {
            const m = /^`([A-Z]+) (\/.+)`$/.exec(cells[0]);
            assert.ok(m, `an admin row that is not "\`METHOD /path\`": ${cells[0]}`);
            return `${m[1]} ${normalize(m[2])}`;
        });
        assert.deepEqual(missing(code, documented), [], "admin endpoints missing from the docs' admin table");
        assert.deepEqual(missing(documented, code), [], "rows of the docs' admin table that the admin API does not serve");
        assert.equal(documented.length, new Set(documented).size, "an endpoint has two rows");
    });

    it("the fault settings table lists exactly the settings, with their defaults and flags", () => {
        const defaults = normalizeFaults({});
        const rows = tableRows(DOC, "setting");
        const documented = rows.map((cells) => cells[0].replace(/`/g, ""));
        assert.deepEqual(missing(Object.keys(defaults), documented), [], "fault settings missing from the docs' settings table");
        assert.deepEqual(missing(documented, Object.keys(defaults)), [], "rows of the docs' settings table that are no fault setting");
        assert.equal(documented.length, new Set(documented).size, "a setting has two rows");
        for (const [setting, flag, value] of rows) {
            const key = setting.replace(/`/g, "") as keyof typeof defaults;
            assert.equal(value, `\`${String(defaults[key])}\``, `the documented default of ${key}`);
            const name = flag.replace(/`/g, "");
            assert.ok(new RegExp(`^ {2}${name}\\b`, "m").test(HELP_TEXT), `${key}'s flag ${name} is not in --help`);
        }
    });
});
