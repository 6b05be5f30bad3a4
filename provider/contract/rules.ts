/**
 * The field rules: the one place that decides whether a value is acceptable for a profile field
 * or `wa_number`. `check` (provider/engine/check.ts, what `pulumi preview` runs) and the emulator
 * (provider/emulator/validation.ts, what stands in for Kaleyra) both call these functions, so the
 * two cannot give different verdicts; tests/unit/rules-agreement.test.ts checks that they do not,
 * code for code.
 *
 * This file is the dispatch only: the grammars are in grammars/ (url.ts, email.ts, e164.ts,
 * text.ts), and every word is in the catalogue, messages.ts. Plain TypeScript with no third-party
 * import, so the emulator and the program side can load it cheaply. Every function is pure and
 * total: any value gives a {@link RuleResult}, never a throw, in time linear in the value's length.
 *
 * The rules, decided from Kaleyra's contract and Meta's business-profile limits
 * (docs/whatsapp-number-profile.md states them for users, docs/emulator.md for the emulator):
 *
 * - Every value is a string. A field cannot be empty, blank or `null`: Kaleyra has no way to clear
 *   a field (an empty `display_image` is its documented E962). No value may start or end with
 *   whitespace (JavaScript's `\s`: space, tab, line breaks, no-break and other Unicode spaces,
 *   U+FEFF), so what is declared is exactly what is stored.
 * - Lengths are counted in Unicode code points (an emoji is one character, as Meta counts), after
 *   those checks: `about` 1–139, `address` 1–256, `business_description` 1–512 (Meta's limit; the
 *   Kaleyra console says 256), `contact_email` ≤ 128, every URL ≤ 256.
 * - Text (`about`, `address`, `business_description`): well-formed Unicode (no unpaired
 *   surrogate) and no control characters other than tab, line feed and carriage return inside.
 * - URLs (`website`, `incoming_url`, `display_image`): grammars/url.ts.
 * - Email (`contact_email`): grammars/email.ts.
 * - Category: one of Kaleyra's 17, exactly, ignoring ASCII case (`matchBusinessCategory` in
 *   fields.ts); normalized to Kaleyra's spelling. Meta's "Beauty, Spa and Salon" is not accepted.
 * - `wa_number`: E.164 — grammars/e164.ts.
 */

import { charLength, FieldSpec, matchBusinessCategory, PROFILE_FIELDS, ProfileFieldName, WA_NUMBER_KEY } from "./fields";
import { emailProblem } from "./grammars/email";
import { waNumberProblem } from "./grammars/e164";
import { ALL_WHITESPACE, firstTextControl, firstUnpairedSurrogate, WHITESPACE } from "./grammars/text";
import { urlProblem } from "./grammars/url";
import { E164_EXAMPLE, REASONS, RuleCode, RuleFailure } from "./messages";

export type { RuleCode, RuleFailure } from "./messages";

/** A value the rules accept. */
export interface RuleOk {
    readonly ok: true;
    /** The value to send and record: the input itself, or its normal form (a category in Kaleyra's spelling). */
    readonly value: string;
}

/** The verdict on one value. */
export type RuleResult = RuleOk | RuleFailure;

/** What a failure is about: a field's spec, or `wa_number`'s. */
interface Subject {
    readonly name: string;
    readonly key: string;
    readonly description: string;
}

/** The pseudo-spec of `wa_number`. */
const WA_NUMBER: Subject = { name: "waNumber", key: WA_NUMBER_KEY, description: `the WhatsApp number in E.164 form, ${E164_EXAMPLE}` };

function fail(subject: Subject, code: RuleCode, reason: string, value: unknown): RuleFailure {
    const { name, key, description } = subject;
    return { ok: false, code, name, key, reason, description, ...(typeof value === "string" ? { value } : {}) };
}

/** Checks every value shares once it is a string: not empty, not blank, no surrounding whitespace. */
function commonProblem(subject: Subject, value: string): RuleFailure | undefined {
    if (value === "") return fail(subject, "empty", REASONS.empty(subject.description), value);
    if (ALL_WHITESPACE.test(value)) return fail(subject, "blank", REASONS.blank(subject.description), value);
    if (WHITESPACE.test(value[0])) return fail(subject, "surrounding-whitespace", REASONS.startsWith(value[0]), value);
    const last = value[value.length - 1];
    if (WHITESPACE.test(last)) return fail(subject, "surrounding-whitespace", REASONS.endsWith(last), value);
    return undefined;
}

/**
 * The verdict on `wa_number`: required, a string, E.164 (grammars/e164.ts), with no surrounding
 * whitespace.
 */
export function checkWaNumberValue(value: unknown): RuleResult {
    if (value === undefined || value === null) return fail(WA_NUMBER, "required", REASONS.required(WA_NUMBER.description), value);
    if (typeof value !== "string") return fail(WA_NUMBER, "not-a-string", REASONS.notAString(WA_NUMBER.description), value);
    const common = commonProblem(WA_NUMBER, value);
    if (common) {
        // An empty number is not a field to leave out: it is required.
        return common.code === "surrounding-whitespace" ? common : fail(WA_NUMBER, common.code, REASONS.requiredNotBlank(common.code === "empty", WA_NUMBER.description), value);
    }
    const problem = waNumberProblem(value);
    return problem ? fail(WA_NUMBER, problem.code, problem.reason, value) : { ok: true, value };
}

/** The verdict on a string that passed the common checks, by the field's kind. */
function kindVerdict(spec: FieldSpec, value: string): RuleResult {
    switch (spec.kind) {
        case "url": {
            const problem = urlProblem(value);
            return problem ? fail(spec, "not-a-url", problem, value) : { ok: true, value };
        }
        case "email": {
            const problem = emailProblem(value);
            return problem ? fail(spec, "not-an-email", problem, value) : { ok: true, value };
        }
        case "category": {
            const canonical = matchBusinessCategory(value);
            return canonical ? { ok: true, value: canonical } : fail(spec, "unknown-category", REASONS.unknownCategory(value), value);
        }
        case "text": {
            const lone = firstUnpairedSurrogate(value);
            if (lone) return fail(spec, "ill-formed-unicode", REASONS.unpairedSurrogate(lone.ch, lone.at), value);
            const control = firstTextControl(value);
            return control ? fail(spec, "control-character", REASONS.textControl(control.ch, control.at), value) : { ok: true, value };
        }
    }
}

/**
 * The verdict on one editable field's value. `null` and `undefined` are failures here (code
 * `null`: a field cannot be cleared); a program leaving a field out is `check`'s business, before
 * this is called.
 * @param field the field, by spec or program name.
 */
export function checkFieldValue(field: FieldSpec | ProfileFieldName, value: unknown): RuleResult {
    const spec: FieldSpec = typeof field === "string" ? PROFILE_FIELDS[field] : field;
    if (value === undefined || value === null) return fail(spec, "null", REASONS.null(), value);
    if (typeof value !== "string") return fail(spec, "not-a-string", REASONS.notAString(spec.description), value);
    const common = commonProblem(spec, value);
    if (common) return common;
    if (spec.kind !== "category") {
        const length = charLength(value);
        if (length < spec.min) return fail(spec, "too-short", REASONS.tooShort(length, spec.min), value);
        if (length > spec.max) return fail(spec, "too-long", REASONS.tooLong(length, spec.max), value);
    }
    return kindVerdict(spec, value);
}
