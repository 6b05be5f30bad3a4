/**
 * Validation of an update body, as Kaleyra (and Meta behind it) would reject it. Pure: it
 * decides, it changes nothing. The first failure wins, in this order: wa_number, unknown keys
 * (body order), the editable fields (contract order), "nothing to update".
 */
import {
    E164_PATTERN,
    FIELD_LIST,
    FieldSpec,
    ProfileFieldKey,
    WA_NUMBER_KEY,
    BUSINESS_CATEGORIES,
    charLength,
    fieldByKey,
    matchBusinessCategory,
} from "../contract/fields";
import { EmulatorError, emulatorError } from "./errors";

/** The outcome of {@link validateUpdate}. */
export type ValidationResult =
    | { ok: true; waNumber: string; updates: Partial<Record<ProfileFieldKey, string>> }
    | { ok: false; error: EmulatorError };

/** Misspellings the contract's own prose uses, mapped to the real keys (for a helpful message). */
const KNOWN_MISSPELLINGS: Readonly<Record<string, string>> = {
    business_catregory: "business_category",
    incomming_url: "incoming_url",
};

const EMAIL_PATTERN = /^[^\s@]+@[^\s@.]+(\.[^\s@.]+)+$/;

function isBlank(value: unknown): boolean {
    return value === undefined || value === null || (typeof value === "string" && value.trim() === "");
}

/** True for an absolute http:// or https:// URL with a host and no whitespace. */
export function isHttpUrl(value: string): boolean {
    if (/\s/.test(value)) return false;
    try {
        const url = new URL(value);
        return (url.protocol === "http:" || url.protocol === "https:") && url.hostname !== "";
    } catch {
        return false;
    }
}

/** True for a plausible email address (`local@domain.tld`, no spaces). */
export function isEmail(value: string): boolean {
    return EMAIL_PATTERN.test(value);
}

function invalid(parameter: string, detail: string): ValidationResult {
    return { ok: false, error: emulatorError("invalidField", { parameter, detail }) };
}

/** Check one editable field's value; `undefined` when it is acceptable. */
function checkField(spec: FieldSpec, value: unknown): ValidationResult | undefined {
    const key = spec.key;
    if (key === "display_image" && isBlank(value)) {
        return { ok: false, error: emulatorError("displayImageEmpty") };
    }
    if (typeof value !== "string") return invalid(key, `${key} must be a string.`);
    const length = charLength(value);
    if (length < spec.min) {
        return invalid(key, spec.min === 1 ? `${key} cannot be empty.` : `${key} must be at least ${spec.min} characters.`);
    }
    if (length > spec.max) return invalid(key, `${key} must be at most ${spec.max} characters.`);
    switch (spec.kind) {
        case "url":
            return isHttpUrl(value) ? undefined : invalid(key, `${key} must be an http:// or https:// URL.`);
        case "email":
            return isEmail(value) ? undefined : invalid(key, `${key} must be a valid email address.`);
        case "category":
            return matchBusinessCategory(value) !== undefined
                ? undefined
                : invalid(key, `${key} must be one of: ${BUSINESS_CATEGORIES.join("; ")}.`);
        case "text":
            return undefined;
    }
}

/**
 * Validate a parsed JSON object as an update request.
 * @returns the number and the fields to set (values exactly as sent), or the error to send.
 */
export function validateUpdate(body: Readonly<Record<string, unknown>>): ValidationResult {
    const waNumber = body[WA_NUMBER_KEY];
    if (isBlank(waNumber)) return { ok: false, error: emulatorError("waNumberRequired") };
    if (typeof waNumber !== "string") return invalid(WA_NUMBER_KEY, `${WA_NUMBER_KEY} must be a string in E.164 format.`);
    if (!E164_PATTERN.test(waNumber)) {
        return invalid(WA_NUMBER_KEY, `${WA_NUMBER_KEY} must be in E.164 format (+, country code, at most 15 digits).`);
    }

    for (const key of Object.keys(body)) {
        if (key === WA_NUMBER_KEY || fieldByKey(key)) continue;
        const suggestion = KNOWN_MISSPELLINGS[key];
        return {
            ok: false,
            error: emulatorError("unknownParameter", {
                parameter: key,
                detail: suggestion ? ` Did you mean ${suggestion}?` : "",
            }),
        };
    }

    const updates: Partial<Record<ProfileFieldKey, string>> = {};
    for (const spec of FIELD_LIST) {
        if (!Object.prototype.hasOwnProperty.call(body, spec.key)) continue;
        const value = body[spec.key];
        const failure = checkField(spec, value);
        if (failure) return failure;
        if (typeof value === "string") updates[spec.key] = value;
    }
    if (Object.keys(updates).length === 0) return { ok: false, error: emulatorError("noEditableField") };
    return { ok: true, waNumber, updates };
}
