/**
 * Reads a stack's config from its `Pulumi.<stack>.yaml`, so the demo and the tests follow the
 * repository's stack files instead of repeating their values.
 *
 * Only the shape these files use is supported: a top-level `config:` map of flat `key: value`
 * entries (plain, single- or double-quoted scalars), with comments and blank lines. Anything else
 * under `config:` — a nested map, a list, a `secure:` value, a multi-line string — is an error
 * naming the line, never silently misread. No YAML library is installed, and none is needed for
 * this.
 */
import * as fs from "fs";
import * as path from "path";

/** A stack's config: namespaced keys (`kaleyra:sid`) → string values. */
export type StackConfigValues = Record<string, string>;

/** Removes a trailing ` # comment` from an unquoted scalar. */
function stripComment(text: string): string {
    const hash = text.search(/\s#/);
    return (hash >= 0 ? text.slice(0, hash) : text).trim();
}

/** The value of one scalar: quotes removed (with YAML's escapes for the quoted forms). */
function scalar(raw: string, where: string): string {
    const text = raw.trim();
    if (text.startsWith('"')) {
        const end = text.lastIndexOf('"');
        if (end <= 0 || stripComment(text.slice(end + 1)) !== "") throw new Error(`${where}: unterminated double-quoted value`);
        return JSON.parse(text.slice(0, end + 1)) as string;
    }
    if (text.startsWith("'")) {
        const end = text.lastIndexOf("'");
        if (end <= 0 || stripComment(text.slice(end + 1)) !== "") throw new Error(`${where}: unterminated single-quoted value`);
        return text.slice(1, end).replace(/''/g, "'");
    }
    const value = stripComment(text);
    if (value === "" || /^[|>[{&*!]/.test(value)) {
        throw new Error(`${where}: only flat "key: value" entries are supported under config:`);
    }
    return value;
}

/**
 * Parses the `config:` section of a stack file's text.
 * @param text the YAML text of a `Pulumi.<stack>.yaml`.
 * @param source a name for error messages (the file's path).
 * @throws Error naming the line when the section holds something other than flat scalars.
 */
export function parseStackConfig(text: string, source = "stack file"): StackConfigValues {
    const values: StackConfigValues = {};
    let inConfig = false;
    const lines = text.split(/\r?\n/);
    for (const [index, line] of lines.entries()) {
        const where = `${source}:${index + 1}`;
        if (/^\s*(#.*)?$/.test(line)) continue;
        const indented = /^\s/.test(line);
        if (!indented) {
            inConfig = /^config:\s*(#.*)?$/.test(line);
            continue;
        }
        if (!inConfig) continue;
        // A plain key may hold ":" (kaleyra:sid); the separator is the first ":" followed by a space or the end.
        const entry = line.trim();
        const colon = entry.search(/:(\s|$)/);
        if (colon <= 0 || entry.startsWith("-") || entry.startsWith("#")) {
            throw new Error(`${where}: expected "key: value" under config:`);
        }
        const key = scalar(entry.slice(0, colon), where);
        const rest = entry.slice(colon + 1).trim();
        if (rest === "" || rest.startsWith("#")) {
            throw new Error(`${where}: ${key} has no value (nested maps and lists are not supported)`);
        }
        values[key] = scalar(rest, where);
    }
    return values;
}

/**
 * Reads `Pulumi.<stack>.yaml` from a project directory.
 * @param projectDir the directory holding `Pulumi.yaml` and the stack files.
 * @param stack the stack name, e.g. `dev`.
 */
export function readStackConfig(projectDir: string, stack: string): StackConfigValues {
    const file = path.join(projectDir, `Pulumi.${stack}.yaml`);
    return parseStackConfig(fs.readFileSync(file, "utf8"), file);
}

/** The project's name, from the `name:` line of `Pulumi.yaml`. */
export function readProjectName(projectDir: string): string {
    const file = path.join(projectDir, "Pulumi.yaml");
    const line = fs
        .readFileSync(file, "utf8")
        .split(/\r?\n/)
        .find((l) => /^name:/.test(l));
    if (line === undefined) throw new Error(`${file}: no name:`);
    return scalar(line.slice("name:".length), file);
}
