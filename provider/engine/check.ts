/**
 * `check`: validate and normalize a profile before anything is sent, so `pulumi preview` fails
 * early with a failure per property that names the fix. The verdicts are the shared rules'
 * (provider/contract/rules.ts), which the emulator uses too, and the words are the catalogue's
 * (provider/contract/messages.ts, the program's wording); this module adds only the hints the
 * contract cannot compute without a library ("did you mean", the E.164 spelling of a number).
 * Pure and total: any input object gives a result, never a throw.
 */

import type * as PhoneNumbers from "libphonenumber-js/min";

import { BUSINESS_CATEGORIES, FIELD_LIST, FIELD_NAMES, FieldSpec } from "../contract/fields";
import { failureReason, Hint, PROFILE_MESSAGES, RuleCode, RuleFailure } from "../contract/messages";
import { PROVIDER_KEY } from "../contract/shim";
import { checkFieldValue, checkWaNumberValue } from "../contract/rules";
import { ProfileInputs } from "../contract/types";

/** The engine's placeholder for a value not known until apply (`pulumi preview` of a computed input). */
export const UNKNOWN = "04da6b54-80e4-46f7-96ec-b56ff0331ba9";

/** One problem with one property, as the engine shows it. */
export interface CheckFailure {
    /** The program's property name, e.g. `contactEmail`. */
    readonly property: string;
    /** What is wrong and how to fix it. */
    readonly reason: string;
    /** The rule's code, for a value the field rules rejected (the emulator reports the same one). */
    readonly code?: RuleCode;
}

/** The outcome of {@link checkProfile}. */
export interface ProfileCheck {
    /** Normalized inputs (canonical category, only set fields); unknowns kept as they are. */
    readonly inputs: ProfileInputs;
    /** Every problem found; empty when the profile is valid. */
    readonly failures: CheckFailure[];
}

let phoneNumbers: typeof PhoneNumbers | undefined;

/**
 * libphonenumber-js (73 modules, 20–30 ms of CPU to load), loaded by the first rejected `waNumber`:
 * the hint is its only use, so a host whose numbers are all valid never loads it.
 */
function phoneNumberLibrary(): typeof PhoneNumbers {
    return (phoneNumbers ??= require("libphonenumber-js/min") as typeof PhoneNumbers);
}

/** `+91 98765 43210` → `+919876543210`, when the text parses as a phone number the rule accepts. */
function suggestE164(value: string): string | undefined {
    if (value.length > 64) return undefined;
    const { parsePhoneNumberFromString } = phoneNumberLibrary();
    const digits = value.trim().replace(/^00/, "+");
    for (const candidate of [digits, `+${digits}`]) {
        const parsed = parsePhoneNumberFromString(candidate);
        if (parsed?.isPossible() && parsed.number !== value && checkWaNumberValue(parsed.number).ok) return parsed.number;
    }
    return undefined;
}

/** What the engine adds to a rule's failure: a nearby category, or the E.164 spelling of a number. */
function hintFor(failure: RuleFailure): Hint {
    if (failure.value === undefined) return {};
    if (failure.code === "unknown-category") return { category: nearestCategory(failure.value) };
    if (failure.name === "waNumber") return { e164: suggestE164(failure.value) };
    return {};
}

/** A rule's failure as check reports it: the catalogue's program wording, with the engine's hint. */
function reported(property: string, failure: RuleFailure): CheckFailure {
    return { property, reason: failureReason(failure, "program", hintFor(failure)), code: failure.code };
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
        if (!known.has(key)) failures.push({ property: key, reason: PROFILE_MESSAGES.unknownProperty(suggestProperty(key)) });
    }

    const waNumber = Object.prototype.hasOwnProperty.call(news, "waNumber") ? news.waNumber : undefined;
    if (waNumber === UNKNOWN) {
        inputs.waNumber = UNKNOWN;
    } else {
        const verdict = checkWaNumberValue(waNumber);
        if (verdict.ok) inputs.waNumber = verdict.value;
        else failures.push(reported("waNumber", verdict));
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
        else failures.push(reported(name, verdict));
    }
    if (managed === 0) {
        failures.push({ property: "waNumber", reason: PROFILE_MESSAGES.nothingToUpdate() });
    }
    return { inputs: inputs as unknown as ProfileInputs, failures };
}
