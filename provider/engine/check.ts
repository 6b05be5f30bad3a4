/**
 * `check`: validate and normalize a profile before anything is sent, so `pulumi preview` fails
 * early with a failure per property that names the fix. Pure and total: any input object gives
 * a result, never a throw.
 */

import { parsePhoneNumberFromString, validatePhoneNumberLength } from "libphonenumber-js/min";
import { z } from "zod";

import { BUSINESS_CATEGORIES, canonicalBusinessCategory, charLength, E164_PATTERN, FIELD_LIST, FIELD_NAMES, FieldSpec } from "../contract/fields";
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

const URL_PROTOCOLS = new Set(["http:", "https:"]);

function isHttpUrl(value: string): boolean {
    try {
        const url = new URL(value);
        return URL_PROTOCOLS.has(url.protocol) && url.hostname !== "";
    } catch {
        return false;
    }
}

const EMAIL = z.email();

function tooShortReason(spec: FieldSpec, value: string): string {
    if (value !== "") return `is ${charLength(value)} characters; Kaleyra needs at least ${spec.min}`;
    return spec.name === "displayImage"
        ? "cannot be empty (Kaleyra E962): give an image URL, or remove displayImage to leave the current image as it is"
        : `cannot be empty: give ${spec.description}, or remove ${spec.name} to leave Kaleyra's value as it is`;
}

/** The zod schema of one field, with messages that say what to write instead. */
function fieldSchema(spec: FieldSpec): z.ZodType<string> {
    const typed = z.string({ error: `must be a string: ${spec.description}` });
    const lengthChecked = typed
        .refine((v) => charLength(v) >= spec.min, {
            error: (issue) => tooShortReason(spec, String(issue.input)),
            abort: true,
        })
        .refine((v) => charLength(v) <= spec.max, {
            error: (issue) => `is ${charLength(String(issue.input))} characters; Kaleyra allows at most ${spec.max}: shorten it`,
            abort: true,
        });
    switch (spec.kind) {
        case "url":
            return lengthChecked.refine(isHttpUrl, {
                message: "must be an http:// or https:// URL, e.g. https://example.com/path",
            });
        case "email":
            return lengthChecked.refine((v) => EMAIL.safeParse(v).success, {
                message: "must be an email address, e.g. help@example.com",
            });
        case "category":
            return lengthChecked.refine((v) => canonicalBusinessCategory(v) !== undefined, {
                error: (issue) => categoryReason(String(issue.input)),
            });
        case "text":
            return lengthChecked;
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
    return `${quote(value)} is not one of Kaleyra's business categories${hint}: ${BUSINESS_CATEGORIES.join(", ")}`;
}

const FIELD_SCHEMAS: ReadonlyMap<string, z.ZodType<string>> = new Map(FIELD_LIST.map((spec) => [spec.name, fieldSchema(spec)]));

/** `+91 98765 43210` → `+919876543210`, when the text parses as a phone number. */
function suggestE164(value: string): string | undefined {
    if (value.length > 64) return undefined;
    const digits = value.trim().replace(/^00/, "+");
    for (const candidate of [digits, `+${digits}`]) {
        const parsed = parsePhoneNumberFromString(candidate);
        if (parsed?.isPossible()) return parsed.number;
    }
    return undefined;
}

function checkWaNumber(value: unknown): string | undefined {
    const example = "e.g. +919876543210";
    if (value === undefined || value === null || value === "") {
        return `is required: the WhatsApp number in E.164 form, ${example}`;
    }
    if (typeof value !== "string") return `must be a string: the WhatsApp number in E.164 form, ${example}`;
    if (!E164_PATTERN.test(value)) {
        const suggestion = suggestE164(value);
        return suggestion
            ? `${quote(value)} is not in E.164 form: write "${suggestion}"`
            : `${quote(value)} is not an E.164 number: a '+', the country code, then the number, digits only, at most 15 (${example})`;
    }
    const length = validatePhoneNumberLength(value);
    if (length === "INVALID_COUNTRY") return `${quote(value)} has no valid country code (${example})`;
    if (length !== undefined) {
        const what = length === "TOO_SHORT" ? "too short" : length === "TOO_LONG" ? "too long" : "not a possible length";
        return `${quote(value)} is ${what} for its country code: check the digits (${example})`;
    }
    return undefined;
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

/**
 * Validate and normalize a profile's inputs (`news`). Unknown values (preview of computed
 * inputs) are kept and not validated. `__provider` is ignored.
 */
export function checkProfile(news: Readonly<Record<string, unknown>>): ProfileCheck {
    const failures: CheckFailure[] = [];
    const inputs: Record<string, string> = {};
    const known = new Set<string>(["waNumber", ...FIELD_NAMES, PROVIDER_KEY]);

    for (const key of Object.keys(news)) {
        if (!known.has(key)) failures.push({ property: key, reason: describeUnknownKey(key) });
    }

    const waNumber = news.waNumber;
    if (waNumber === UNKNOWN) {
        inputs.waNumber = UNKNOWN;
    } else {
        const problem = checkWaNumber(waNumber);
        if (problem) failures.push({ property: "waNumber", reason: problem });
        else inputs.waNumber = waNumber as string;
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
        const result = FIELD_SCHEMAS.get(name)!.safeParse(value);
        if (!result.success) {
            failures.push({ property: name, reason: result.error.issues[0]?.message ?? "is not valid" });
            continue;
        }
        inputs[name] = name === "businessCategory" ? canonicalBusinessCategory(result.data)! : result.data;
    }
    if (managed === 0) {
        failures.push({
            property: "waNumber",
            reason: `a profile must set at least one field besides waNumber (${FIELD_NAMES.join(", ")}); Kaleyra rejects an update with nothing to change`,
        });
    }
    return { inputs: inputs as unknown as ProfileInputs, failures };
}
