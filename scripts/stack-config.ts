/**
 * Reads a stack's config from its `Pulumi.<stack>.yaml` (parsed with js-yaml), so the demo and the
 * tests follow the repository's stack files instead of repeating their values.
 *
 * Values come out as Pulumi hands them to a program:
 * - a scalar as its text, exactly as written (`+919876543210`, `4010`, `true` and `in` stay
 *   strings; quotes are removed), which is what `config.get()` returns;
 * - a map or a list (structured config, e.g. examples/multiple-numbers) as JSON with YAML's
 *   types (numbers, booleans, null), which is what `config.getObject()` parses;
 * - a key without a namespace gets the project's name, as Pulumi does.
 *
 * A `secure:` value is an error: it is ciphertext only the Pulumi CLI can decrypt. So is any YAML
 * the Pulumi CLI would not read as a stack file; messages name the file (and the line, for syntax
 * errors).
 */
import * as fs from "node:fs";
import * as path from "node:path";

import * as yaml from "js-yaml";

/** A stack's config: namespaced keys (`kaleyra:sid`) → string values (JSON for structured values). */
export type StackConfigValues = Record<string, string>;

function isMap(value: unknown): value is Record<string, unknown> {
    return typeof value === "object" && value !== null && !Array.isArray(value);
}

/** Parse YAML text with a schema; a syntax error names the file, line and column. */
function load(text: string, source: string, schema: yaml.Schema): unknown {
    try {
        return yaml.load(text, { filename: source, schema, json: false });
    } catch (e) {
        if (e instanceof yaml.YAMLException) {
            const where = e.mark ? `${source}:${e.mark.line + 1}:${e.mark.column + 1}` : source;
            throw new Error(`${where}: not valid YAML: ${e.reason}`, { cause: e });
        }
        throw e;
    }
}

/** The `config:` map of a parsed stack file (`{}` when there is none or it is empty). */
function configSection(document: unknown, source: string): Record<string, unknown> {
    if (document === undefined || document === null) return {};
    if (!isMap(document)) throw new Error(`${source}: expected a stack file (a map with a config: key) at the top level`);
    const config = document.config;
    if (config === undefined || config === null) return {};
    if (!isMap(config)) throw new Error(`${source}: config: must be a map of "key: value" entries`);
    return config;
}

/**
 * Parses the `config:` section of a stack file's text.
 * @param text the YAML text of a `Pulumi.<stack>.yaml`.
 * @param source a name for error messages (the file's path).
 * @param project the project's name, for keys without a namespace (they are an error without it).
 * @throws Error naming the file (and line) on invalid YAML, a `secure:` value, an empty value, or a
 *   key without a namespace when no project is given.
 */
export function parseStackConfig(text: string, source = "stack file", project?: string): StackConfigValues {
    // Twice: the failsafe schema keeps every scalar's text as written (what Pulumi passes for a
    // plain value); the core schema gives structured values their JSON types.
    const asText = configSection(load(text, source, yaml.FAILSAFE_SCHEMA), source);
    const typed = configSection(load(text, source, yaml.CORE_SCHEMA), source);
    const values: StackConfigValues = {};
    for (const [rawKey, value] of Object.entries(asText)) {
        let key = rawKey;
        if (!key.includes(":")) {
            if (project === undefined) throw new Error(`${source}: config key "${key}" has no namespace (write "<project>:${key}")`);
            key = `${project}:${key}`;
        }
        if (typeof value === "string") {
            values[key] = value;
        } else if (value === null || value === undefined) {
            throw new Error(`${source}: config key "${rawKey}" has no value`);
        } else if (isMap(value) && Object.keys(value).length === 1 && "secure" in value) {
            throw new Error(
                `${source}: config key "${rawKey}" is a secret (secure:), encrypted for the Pulumi CLI; this reader cannot decrypt it — set it through the environment instead`,
            );
        } else {
            values[key] = JSON.stringify(typed[rawKey]);
        }
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
    const project = fs.existsSync(path.join(projectDir, "Pulumi.yaml")) ? readProjectName(projectDir) : undefined;
    return parseStackConfig(fs.readFileSync(file, "utf8"), file, project);
}

/** The project's name, from `name:` in `Pulumi.yaml`. */
export function readProjectName(projectDir: string): string {
    const file = path.join(projectDir, "Pulumi.yaml");
    const document = load(fs.readFileSync(file, "utf8"), file, yaml.FAILSAFE_SCHEMA);
    const name = isMap(document) ? document.name : undefined;
    if (typeof name !== "string" || name.trim() === "") throw new Error(`${file}: no name:`);
    return name;
}
