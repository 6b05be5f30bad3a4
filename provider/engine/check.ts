/**
 * `check`: validate and normalize a profile before anything is sent, so `pulumi preview` fails
 * early with a failure per property that names the fix. The verdicts are the shared rules'
 * (provider/contract/rules.ts), which the emulator uses too; this module adds the wording a
 * program needs (property names, "did you mean", the E.164 spelling of a number). Pure and total:
 * any input object gives a result, never a throw.
 */

import { parsePhoneNumberFromString } from "libphonenumber-js/min";

import { BUSINESS_CATEGORIES, FIELD_LIST, FIELD_NAMES, FieldSpec } from "../contract/fields";
import { checkFieldValue, checkWaNumberValue, RuleFailure } from "../contract/rules";
import { ProfileInputs } from "../contract/types";

/** The engine's placeholder for a value not known until apply (`pulumi preview` of a computed input). */
export const UNKNOWN = "04da6b54-80e4-46f7-96ec-b56ff0331ba9";

/** The property the dynamic-provider host adds to every resource's inputs. */
export const PROVIDER_KEY = "__provider";

/** One problem with one property, as the engine shows it. */
export interface CheckFailure {
    /** The program's property name, e.g. `contactEmail`. */
    readonly property: string;
    /** What is wrong and how to fix it. */
    readonly reason: string;
}

/** The outcome of {@link checkProfile}. */
export interface ProfileCheck {
    /** Normalized inputs (canonical category, only set fields); unknowns kept as they are. */
    readonly inputs: ProfileInputs;
    /** Every problem found; empty when the profile is valid. */
    readonly failures: CheckFailure[];
}

/**
 * The reason shown for a field the shared rules rejected: the rule's own reason, with the
 * program's wording for what only a program can do (leave the argument out) and a "did you mean"
 * for a category. The verdict is the rule's; this only words it.
 */
function fieldReason(spec: FieldSpec, failure: RuleFailure, value: unknown): string {
    switch (failure.code) {
        case "empty":
        case "blank": {
            const what = failure.code === "empty" ? "cannot be empty" : "cannot be only whitespace";
            return spec.name === "displayImage"
                ? `${what} (Kaleyra E962): give an image URL, or remove displayImage to leave the current image as it is`
                : `${what}: give ${spec.description}, or remove ${spec.name} to leave Kaleyra's value as it is`;
        }
        case "unknown-category":
            return categoryReason(String(value));
        default:
            return failure.reason;
    }
}

/** A value quoted for a message, clipped so a huge input cannot flood the output. */
function quote(value: string): string {
    const chars = [...value];
    return JSON.stringify(chars.length > 40 ? `${chars.slice(0, 40).join("")}…` : value);
}

function categoryReason(value: string): string {
    const near = nearestCategory(value);
    const hint = near ? `; did you mean "${near}"? The categories are` : ". The categories are";
    return `${quote(value)} is not one of Kaleyra's business categories${hint}: ${BUSINESS_CATEGORIES.join("; ")}`;
}

/** `+91 98765 43210` → `+919876543210`, when the text parses as a phone number the rule accepts. */
function suggestE164(value: string): string | undefined {
    if (value.length > 64) return undefined;
    const digits = value.trim().replace(/^00/, "+");
    for (const candidate of [digits, `+${digits}`]) {
        const parsed = parsePhoneNumberFromString(candidate);
        if (parsed?.isPossible() && parsed.number !== value && checkWaNumberValue(parsed.number).ok) return parsed.number;
    }
    return undefined;
}

/**
 * The reason for a rejected `waNumber`: the shared rule decides; libphonenumber-js only adds a
 * hint, the E.164 spelling of what was written when it can tell.
 */
function waNumberReason(failure: RuleFailure, value: unknown): string {
    if (typeof value !== "string" || failure.code === "required" || failure.code === "empty" || failure.code === "blank") return failure.reason;
    const suggestion = suggestE164(value);
    return suggestion ? `${quote(value)} is not in E.164 form: write "${suggestion}"` : `${quote(value)} ${failure.reason}`;
}

/** For an unknown property: the field it was probably meant to be. */
function suggestProperty(key: string): string | undefined {
    const squash = (s: string) => s.toLowerCase().replace(/[^a-z]/g, "");
    const target = squash(key);
    const names = ["waNumber", ...FIELD_NAMES];
    return names.find((n) => squash(n) === target) ?? names.find((n) => editDistance(squash(n), target) <= 2);
}

function nearestCategory(value: string): string | undefined {
    const target = value.trim().toLowerCase();
    return BUSINESS_CATEGORIES.find((c) => editDistance(c.toLowerCase(), target) <= 3 || c.toLowerCase().startsWith(target.slice(0, 5)));
}

/** Levenshtein distance, bounded to short strings (property and category names). */
function editDistance(a: string, b: string): number {
    if (a.length > 64 || b.length > 64) return Infinity;
    let prev = Array.from({ length: b.length + 1 }, (_, i) => i);
    for (let i = 1; i <= a.length; i++) {
        const row = [i];
        for (let j = 1; j <= b.length; j++) {
            row[j] = Math.min(prev[j] + 1, row[j - 1] + 1, prev[j - 1] + (a[i - 1] === b[j - 1] ? 0 : 1));
        }
        prev = row;
    }
    return prev[b.length];
}

function describeUnknownKey(key: string): string {
    const near = suggestProperty(key);
    return `is not a property of WhatsAppNumberProfile${near ? `; did you mean ${near}?` : ""} (properties: waNumber, ${FIELD_NAMES.join(", ")})`;
}

const FIELD_BY_NAME: ReadonlyMap<string, FieldSpec> = new Map(FIELD_LIST.map((spec) => [spec.name, spec]));

/**
 * Validate and normalize a profile's inputs (`news`) by the shared field rules
 * (provider/contract/rules.ts) — the same verdicts the emulator gives. Unknown values (preview of
 * computed inputs) are kept and not validated; a field that is `undefined` or `null` is not set
 * (not managed). `__provider` is ignored.
 */
export function checkProfile(news: Readonly<Record<string, unknown>>): ProfileCheck {
    const failures: CheckFailure[] = [];
    const inputs: Record<string, string> = {};
    const known = new Set<string>(["waNumber", ...FIELD_NAMES, PROVIDER_KEY]);

    for (const key of Object.keys(news)) {
        if (!known.has(key)) failures.push({ property: key, reason: describeUnknownKey(key) });
    }

    const waNumber = Object.prototype.hasOwnProperty.call(news, "waNumber") ? news.waNumber : undefined;
    if (waNumber === UNKNOWN) {
        inputs.waNumber = UNKNOWN;
    } else {
        const verdict = checkWaNumberValue(waNumber);
        if (verdict.ok) inputs.waNumber = verdict.value;
        else failures.push({ property: "waNumber", reason: waNumberReason(verdict, waNumber) });
    }

    let managed = 0;
    for (const name of FIELD_NAMES) {
        const value = Object.prototype.hasOwnProperty.call(news, name) ? news[name] : undefined;
        if (value === undefined || value === null) continue;
        managed++;
        if (value === UNKNOWN) {
            inputs[name] = UNKNOWN;
            continue;
        }
        const spec = FIELD_BY_NAME.get(name)!;
        const verdict = checkFieldValue(spec, value);
        if (verdict.ok) inputs[name] = verdict.value;
        else failures.push({ property: name, reason: fieldReason(spec, verdict, value) });
    }
    if (managed === 0) {
        failures.push({
            property: "waNumber",
            reason: `a profile must set at least one field besides waNumber (${FIELD_NAMES.join(", ")}); Kaleyra rejects an update with nothing to change`,
        });
    }
    return { inputs: inputs as unknown as ProfileInputs, failures };
}
