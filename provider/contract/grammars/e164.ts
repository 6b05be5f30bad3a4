/** The E.164 grammar for `wa_number`, worded by the catalogue (../messages.ts). */

import { REASONS, RuleCode } from "../messages";
import { COUNTRY_CALLING_CODES } from "./calling-codes";

/** E.164's most digits after the `+`. */
export const E164_MAX_DIGITS = 15;
/** The fewest digits after the country code (the shortest numbering plans, e.g. Niue's, have four). */
export const E164_MIN_NATIONAL_DIGITS = 4;

/** The country calling code `digits` starts with, if any. */
export function countryCallingCode(digits: string): string | undefined {
    return [1, 2, 3].map((n) => digits.slice(0, n)).find((code) => COUNTRY_CALLING_CODES.has(code));
}

/**
 * The E.164 rule: `+`, then ASCII digits only — an assigned country calling code (see
 * calling-codes.ts), then at least {@link E164_MIN_NATIONAL_DIGITS} digits — at most
 * {@link E164_MAX_DIGITS} digits in all. (Whether the number is a valid length for its country is
 * not a rule: that needs a numbering-plan database, and Kaleyra answers WA401 for a number that is
 * not on the account anyway.)
 * @returns the failure's code and reason, or `undefined`.
 */
export function waNumberProblem(value: string): { code: RuleCode; reason: string } | undefined {
    if (!/^\+\d+$/.test(value)) return { code: "not-e164", reason: REASONS.notE164(E164_MAX_DIGITS) };
    const digits = value.slice(1);
    if (digits.length > E164_MAX_DIGITS) return { code: "not-e164", reason: REASONS.tooManyDigits(digits.length, E164_MAX_DIGITS) };
    if (digits.startsWith("0")) return { code: "unknown-country-code", reason: REASONS.trunkPrefix() };
    const cc = countryCallingCode(digits);
    if (cc === undefined) return { code: "unknown-country-code", reason: REASONS.unknownCountryCode(digits) };
    const national = digits.length - cc.length;
    if (national < E164_MIN_NATIONAL_DIGITS) return { code: "not-e164", reason: REASONS.tooShortNumber(national, cc, E164_MIN_NATIONAL_DIGITS) };
    return undefined;
}
