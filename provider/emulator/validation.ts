/**
 * Validation of an update body, as Kaleyra (and Meta behind it) would reject it. Pure: it
 * decides, it changes nothing. The verdict on every value is the shared rules'
 * (provider/contract/rules.ts), the same module `check` uses, and so are the words
 * (provider/contract/messages.ts, Kaleyra's wording); this file maps a failure to Kaleyra's
 * envelope (E413 and E962 as documented, E13001 otherwise). The first failure wins, in
 * this order: wa_number, unknown keys (body order), the editable fields (contract order),
 * "nothing to update".
 */
import { FIELD_LIST, FieldSpec, ProfileFieldKey, WA_NUMBER_KEY, fieldByKey } from "../contract/fields";
import { KALEYRA_MESSAGES, RuleCode, RuleFailure } from "../contract/messages";
import { checkFieldValue, checkWaNumberValue } from "../contract/rules";
import { EmulatorError, emulatorError } from "./errors";

/** The outcome of {@link validateUpdate}. */
export type ValidationResult =
    | { ok: true; waNumber: string; updates: Partial<Record<ProfileFieldKey, string>> }
    | {
          ok: false;
          error: EmulatorError;
          /** The field rule that rejected the value, when one did (`check` reports the same code). */
          rule?: RuleCode;
      };

/**
 * Misspellings the contract's own prose uses, mapped to the real keys (for a helpful message). A
 * Map, not an object: a body's key is looked up in it, and `__proto__` or `constructor` must find
 * nothing.
 */
const KNOWN_MISSPELLINGS: ReadonlyMap<string, string> = new Map([
    ["business_catregory", "business_category"],
    ["incomming_url", "incoming_url"],
]);

/** A rule's failure as Kaleyra's E13001 envelope, naming the Kaleyra key. */
function invalid(failure: RuleFailure): ValidationResult {
    return { ok: false, error: emulatorError("invalidField", { parameter: failure.key, detail: KALEYRA_MESSAGES.invalidField(failure) }), rule: failure.code };
}

/** What counts as "empty" for Kaleyra's documented E413 and E962: missing, `null`, `""` or blank. */
const EMPTY_CODES: ReadonlySet<string> = new Set(["required", "null", "empty", "blank"]);

/** Check one editable field's value; `undefined` when it is acceptable. */
function checkField(spec: FieldSpec, value: unknown): ValidationResult | undefined {
    const verdict = checkFieldValue(spec, value);
    if (verdict.ok) return undefined;
    if (spec.key === "display_image" && EMPTY_CODES.has(verdict.code)) return { ok: false, error: emulatorError("displayImageEmpty"), rule: verdict.code };
    return invalid(verdict);
}

/**
 * Validate a parsed JSON object as an update request, by the shared field rules
 * (provider/contract/rules.ts — the same verdicts `check` gives).
 * @returns the number and the fields to set (values exactly as sent), or the error to send.
 */
export function validateUpdate(body: Readonly<Record<string, unknown>>): ValidationResult {
    const waNumber = Object.prototype.hasOwnProperty.call(body, WA_NUMBER_KEY) ? body[WA_NUMBER_KEY] : undefined;
    const number = checkWaNumberValue(waNumber);
    if (!number.ok) return EMPTY_CODES.has(number.code) ? { ok: false, error: emulatorError("waNumberRequired"), rule: number.code } : invalid(number);

    for (const key of Object.keys(body)) {
        if (key === WA_NUMBER_KEY || fieldByKey(key)) continue;
        return {
            ok: false,
            error: emulatorError("unknownParameter", { parameter: key, detail: KALEYRA_MESSAGES.unknownParameter(KNOWN_MISSPELLINGS.get(key)) }),
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
    return { ok: true, waNumber: number.value, updates };
}
