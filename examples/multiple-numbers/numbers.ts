/**
 * Turns the stack's structured config into one set of resource arguments per number.
 *
 * Config (see Pulumi.dev.yaml):
 *
 *   defaults: { <field>: <value>, ... }            optional, shared by every number
 *   numbers:
 *     <name>: { number: "+91...", <field>: <value>, ... }
 *
 * `<name>` is the resource's name, so it must stay stable: renaming an entry makes Pulumi create
 * the new name and delete the old one from state. `<field>` is any of `PROFILE_FIELDS`. An entry's
 * own fields win over `defaults`.
 *
 * Pure: no Pulumi runtime, so it can be tested by calling it.
 */
import type { WhatsAppNumberProfileArgs } from "pulumi-kaleyra-whatsapp";

/** The profile fields an entry or `defaults` may set. */
export const PROFILE_FIELDS = [
    "about",
    "address",
    "businessDescription",
    "businessCategory",
    "contactEmail",
    "website",
    "displayImage",
    "incomingUrl",
] as const;

/** One profile field's name, e.g. `incomingUrl`. */
export type ProfileField = (typeof PROFILE_FIELDS)[number];

/** Values shared by every number (the `defaults` config object). */
export type ProfileDefaults = Partial<Record<ProfileField, string>>;

/** One number's entry in the `numbers` config object. */
export interface NumberEntry extends ProfileDefaults {
    /** The number, E.164, e.g. `+919876543220`. */
    number: string;
}

/** One resource to declare: its name and its arguments. */
export interface NumberProfile {
    readonly name: string;
    readonly args: WhatsAppNumberProfileArgs & { readonly waNumber: string } & ProfileDefaults;
}

const ALLOWED_ENTRY_KEYS: ReadonlySet<string> = new Set<string>(["number", ...PROFILE_FIELDS]);
const ALLOWED_DEFAULT_KEYS: ReadonlySet<string> = new Set<string>(PROFILE_FIELDS);

function isPlainObject(value: unknown): value is Record<string, unknown> {
    return typeof value === "object" && value !== null && !Array.isArray(value);
}

/** Checks that `obj` has only `allowed` keys, each a string; returns its problems. */
function checkFields(where: string, obj: Record<string, unknown>, allowed: ReadonlySet<string>): string[] {
    const problems: string[] = [];
    for (const [key, value] of Object.entries(obj)) {
        if (!allowed.has(key)) {
            problems.push(`${where}: unknown key '${key}' (allowed: ${[...allowed].join(", ")})`);
        } else if (typeof value !== "string") {
            const hint = typeof value === "number" ? ' (quote it in YAML: "+91...")' : "";
            problems.push(`${where}.${key}: must be a string, got ${JSON.stringify(value)}${hint}`);
        }
    }
    return problems;
}

/** The profile fields of `obj` that are strings. */
function pickFields(obj: Record<string, unknown>): ProfileDefaults {
    const fields: ProfileDefaults = {};
    for (const field of PROFILE_FIELDS) {
        const value = obj[field];
        if (typeof value === "string") fields[field] = value;
    }
    return fields;
}

/**
 * One `NumberProfile` per entry of `numbers`, in the config's order, each the merge of `defaults`
 * and the entry. Checks the shape only (unknown or mistyped keys, a missing or repeated number):
 * the values themselves — E.164, URLs, lengths, the category — are checked by the provider at
 * `pulumi preview`.
 * @throws Error listing every problem found, so one run shows them all.
 */
export function expandNumbers(numbers: unknown, defaults: unknown = {}): NumberProfile[] {
    const problems: string[] = [];
    let shared: Record<string, unknown> = {};
    if (!isPlainObject(defaults)) {
        problems.push("defaults: must be an object of profile fields");
    } else {
        shared = defaults;
        problems.push(...checkFields("defaults", defaults, ALLOWED_DEFAULT_KEYS));
    }
    if (!isPlainObject(numbers) || Object.keys(numbers).length === 0) {
        problems.push("numbers: must be an object with at least one entry, name → { number, ... }");
        throw new Error(`Invalid number config:\n  ${problems.join("\n  ")}`);
    }

    const seen = new Map<string, string>(); // number → the entry that declared it
    const result: NumberProfile[] = [];
    for (const [name, entry] of Object.entries(numbers)) {
        const where = `numbers.${name}`;
        if (!isPlainObject(entry)) {
            problems.push(`${where}: must be an object { number, ... }`);
            continue;
        }
        problems.push(...checkFields(where, entry, ALLOWED_ENTRY_KEYS));
        const number = entry.number;
        if (typeof number !== "string" || number.trim() === "") {
            if (number === undefined || typeof number === "string") problems.push(`${where}.number: required`);
            continue; // a number of the wrong type is reported by checkFields
        }
        const other = seen.get(number);
        if (other !== undefined) {
            problems.push(`${where}.number: ${number} is also numbers.${other}; one number, one entry`);
            continue;
        }
        seen.set(number, name);
        result.push({ name, args: { ...pickFields(shared), ...pickFields(entry), waNumber: number } });
    }
    if (problems.length > 0) {
        throw new Error(`Invalid number config:\n  ${problems.join("\n  ")}`);
    }
    return result;
}
