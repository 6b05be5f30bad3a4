/**
 * The field rules: the one place that decides whether a value is acceptable for a profile field
 * or `wa_number`. `check` (provider/engine/check.ts, what `pulumi preview` runs) and the emulator
 * (provider/emulator/validation.ts, what stands in for Kaleyra) both call these functions, so the
 * two cannot give different verdicts; tests/rules-agreement.test.ts checks that they do not.
 *
 * Plain TypeScript with no third-party import, so the emulator and the program side can load it
 * cheaply. Every function is pure and total: any value gives a {@link RuleResult}, never a throw,
 * in time linear in the value's length.
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
 * - URLs (`website`, `incoming_url`, `display_image`): see {@link urlProblem}.
 * - Email (`contact_email`): see {@link emailProblem}.
 * - Category: one of Kaleyra's 17, exactly, ignoring ASCII case (`matchBusinessCategory` in
 *   fields.ts); normalized to Kaleyra's spelling. Meta's "Beauty, Spa and Salon" is not accepted.
 * - `wa_number`: E.164 — see {@link waNumberProblem}.
 */

import { BUSINESS_CATEGORIES, charLength, FieldSpec, matchBusinessCategory, PROFILE_FIELDS, ProfileFieldName, WA_NUMBER_KEY } from "./fields";

/** What went wrong, as a machine-readable code. */
export type RuleCode =
    /** `wa_number` is missing, `undefined` or `null`. */
    | "required"
    /** An editable field is `null` (Kaleyra cannot clear a field). */
    | "null"
    /** Not a string. */
    | "not-a-string"
    /** The empty string. */
    | "empty"
    /** Only whitespace. */
    | "blank"
    /** Starts or ends with whitespace. */
    | "surrounding-whitespace"
    /** Holds an unpaired UTF-16 surrogate: not well-formed text. */
    | "ill-formed-unicode"
    /** Holds a control character (other than tab, LF, CR inside text). */
    | "control-character"
    /** Fewer characters than the field's minimum. */
    | "too-short"
    /** More characters than the field's maximum. */
    | "too-long"
    /** Not an http(s) URL under the URL rule. */
    | "not-a-url"
    /** Not an email address under the email rule. */
    | "not-an-email"
    /** Not one of the 17 business categories. */
    | "unknown-category"
    /** Not an E.164 number: a `+` and digits only. */
    | "not-e164"
    /** E.164 in form, but the digits after `+` start with no assigned country calling code. */
    | "unknown-country-code";

/** A value the rules accept. */
export interface RuleOk {
    readonly ok: true;
    /** The value to send and record: the input itself, or its normal form (a category in Kaleyra's spelling). */
    readonly value: string;
}

/** A value the rules reject. */
export interface RuleFailure {
    readonly ok: false;
    /** What went wrong. */
    readonly code: RuleCode;
    /** The program's property name, e.g. `contactEmail` (or `waNumber`). */
    readonly name: string;
    /** Kaleyra's JSON key, e.g. `contact_email` (or `wa_number`). */
    readonly key: string;
    /**
     * What is wrong and how to fix it, written to follow the property's name: `is 140 characters;
     * at most 139 are allowed: shorten it`. Quotes at most a short excerpt of the value.
     */
    readonly reason: string;
}

/** The verdict on one value. */
export type RuleResult = RuleOk | RuleFailure;

/** The failure's human message, naming the property by its program name (`"program"`) or Kaleyra key (`"kaleyra"`). */
export function ruleMessage(failure: RuleFailure, naming: "program" | "kaleyra"): string {
    return `${naming === "program" ? failure.name : failure.key} ${failure.reason}`;
}

// ---------------------------------------------------------------------------------------------
// Characters
// ---------------------------------------------------------------------------------------------

/** Whitespace as JavaScript's `\s` has it (Unicode White_Space and U+FEFF). */
const WHITESPACE = /\s/;
const ALL_WHITESPACE = /^\s+$/;

/** A character shown in a message: itself when printable ASCII, else its code point. */
function showChar(ch: string): string {
    const cp = ch.codePointAt(0) ?? 0;
    if (cp > 0x20 && cp < 0x7f) return `'${ch}'`;
    const names: Record<number, string> = { 0x20: "a space", 0x09: "a tab", 0x0a: "a line break", 0x0d: "a carriage return" };
    return names[cp] ?? `U+${cp.toString(16).toUpperCase().padStart(4, "0")}${cp > 0x9f && !isSurrogate(cp) ? ` ('${ch}')` : ""}`;
}

function isSurrogate(cp: number): boolean {
    return cp >= 0xd800 && cp <= 0xdfff;
}

/** The index (in code points) and text of the first unpaired surrogate, if any. */
function firstUnpairedSurrogate(value: string): { at: number; ch: string } | undefined {
    let at = 0;
    for (const ch of value) {
        at++;
        // A well-formed pair iterates as one code point above U+FFFF; a lone surrogate as itself.
        if (isSurrogate(ch.charCodeAt(0)) && ch.length === 1) return { at, ch };
    }
    return undefined;
}

/** C0 controls, DEL and C1 controls, except tab, LF and CR (allowed inside text). */
function isTextControl(code: number): boolean {
    return (code < 0x20 && code !== 0x09 && code !== 0x0a && code !== 0x0d) || (code >= 0x7f && code <= 0x9f);
}

/** The first control character {@link isTextControl} rejects, and its position in code points (1-based). */
function firstTextControl(value: string): { at: number; ch: string } | undefined {
    let at = 0;
    for (const ch of value) {
        at++;
        if (isTextControl(ch.charCodeAt(0))) return { at, ch };
    }
    return undefined;
}

function surroundingWhitespaceReason(value: string): string | undefined {
    const first = value[0];
    const last = value[value.length - 1];
    if (WHITESPACE.test(first)) return `starts with ${showChar(first)}: remove it (e.g. with .trim())`;
    if (WHITESPACE.test(last)) return `ends with ${showChar(last)}: remove it (e.g. with .trim())`;
    return undefined;
}

// ---------------------------------------------------------------------------------------------
// Host names, URLs, email
// ---------------------------------------------------------------------------------------------

const LDH_LABEL = /^[A-Za-z0-9](?:[A-Za-z0-9-]{0,61}[A-Za-z0-9])?$/;
const TLD = /^[A-Za-z][A-Za-z0-9-]*$/;

/**
 * A DNS host name as the rules accept it: ASCII letters, digits and hyphens (an internationalized
 * name in its punycode `xn--` form), at least two dot-separated labels of 1–63 characters that do
 * not start or end with a hyphen, at most 253 characters, and a top-level label of at least two
 * characters that starts with a letter. No trailing dot.
 * @returns what is wrong, or `undefined`.
 */
export function hostNameProblem(host: string): string | undefined {
    if (host === "") return "has no host name";
    if (host.length > 253) return "has a host name longer than 253 characters";
    const labels = host.split(".");
    if (labels.length < 2) return `has the host name "${clip(host)}", which is not a public domain name: write a fully qualified name such as example.com`;
    for (const label of labels) {
        if (label === "") return `has an empty label in the host name "${clip(host)}" (two dots in a row, or a dot at an end)`;
        if (!LDH_LABEL.test(label)) {
            return `has the host label "${clip(label)}": a label is 1–63 letters, digits or hyphens, not starting or ending with a hyphen (write an internationalized name in its xn-- form)`;
        }
    }
    const tld = labels[labels.length - 1];
    if (tld.length < 2 || !TLD.test(tld)) return `has the top-level domain "${clip(tld)}": it must be at least two characters and start with a letter`;
    return undefined;
}

const DEC_OCTET = /^(?:25[0-5]|2[0-4]\d|1\d\d|[1-9]?\d)$/;

/** Four decimal octets 0–255 without leading zeros (RFC 3986's IPv4address). */
function isIPv4(host: string): boolean {
    const parts = host.split(".");
    return parts.length === 4 && parts.every((p) => DEC_OCTET.test(p));
}

const H16 = /^[0-9A-Fa-f]{1,4}$/;

/** RFC 4291 text form (RFC 3986's IPv6address): eight groups, `::` once, an IPv4 tail allowed. No zone. */
function isIPv6(text: string): boolean {
    const halves = text.split("::");
    if (halves.length > 2) return false;
    const groups = (half: string): string[] | undefined => (half === "" ? [] : half.split(":"));
    const head = groups(halves[0]);
    const tail = halves.length === 2 ? groups(halves[1]) : [];
    if (!head || !tail) return false;
    const all = [...head, ...tail];
    let count = all.length;
    if (all.length > 0 && isIPv4(all[all.length - 1])) {
        all.pop();
        count++; // an IPv4 tail stands for two groups
    }
    if (!all.every((g) => H16.test(g))) return false;
    return halves.length === 2 ? count <= 7 : count === 8;
}

const HEX = /^[0-9A-Fa-f]{2}$/;
/** RFC 3986 unreserved and sub-delims. */
const UNRESERVED_OR_SUB_DELIM = /^[A-Za-z0-9\-._~!$&'()*+,;=]$/;

/**
 * The first character of `text` outside `extra` + unreserved + sub-delims + valid `%XX`.
 * @returns what is wrong, or `undefined`.
 */
function charactersProblem(text: string, extra: string, where: string): string | undefined {
    for (let i = 0; i < text.length; i++) {
        const ch = text[i];
        if (ch === "%") {
            if (!HEX.test(text.slice(i + 1, i + 3))) return `has a '%' in its ${where} not followed by two hex digits: write a literal % as %25`;
            i += 2;
            continue;
        }
        if (UNRESERVED_OR_SUB_DELIM.test(ch) || extra.includes(ch)) continue;
        return `has ${showChar(ch)} in its ${where}, which a URL cannot hold as it is: percent-encode it (${percentEncode(ch)})`;
    }
    return undefined;
}

function percentEncode(ch: string): string {
    return Array.from(new TextEncoder().encode(ch), (b) => `%${b.toString(16).toUpperCase().padStart(2, "0")}`).join("");
}

const SCHEME = /^([A-Za-z][A-Za-z0-9+.-]*):/;
/** Every character RFC 3986 allows anywhere in a URI: unreserved, sub-delims, gen-delims and `%`. */
const URL_CHARACTER = /^[A-Za-z0-9\-._~!$&'()*+,;=:/?#[\]@%]$/;
const URL_EXAMPLE = "e.g. https://example.com/path";

/**
 * The URL rule (a strict subset of RFC 3986, so that every server parses it the same way):
 * `http://` or `https://` (any case), then an authority — optional `userinfo@`, a host (a DNS name
 * as {@link hostNameProblem} accepts, a dotted IPv4 address, or a bracketed IPv6 address), an
 * optional port 1–65535 — then an optional path, `?query` and `#fragment`. Printable ASCII only:
 * no whitespace or control character anywhere; any other character must be percent-encoded, and
 * every `%` starts a `%XX` escape. Characters allowed as they are: letters, digits,
 * `-._~!$&'()*+,;=`, and `:@/` in the path, plus `?` in the query and fragment.
 * @returns what is wrong, or `undefined`.
 */
export function urlProblem(value: string): string | undefined {
    for (const ch of value) {
        const cp = ch.codePointAt(0) ?? 0;
        if (WHITESPACE.test(ch)) return `has ${showChar(ch)} inside: a URL holds no whitespace (percent-encode a space as %20)`;
        if (cp < 0x20 || cp === 0x7f) return `has the control character ${showChar(ch)}: remove it`;
        if (cp > 0x7e) {
            return `has the non-ASCII character ${showChar(ch)}: percent-encode it in the path or query (${isSurrogate(ch.charCodeAt(0)) && ch.length === 1 ? "an unpaired surrogate cannot be encoded" : percentEncode(ch)}), and write an internationalized host name in its xn-- form`;
        }
    }
    for (const ch of value) {
        if (!URL_CHARACTER.test(ch)) return `has ${showChar(ch)}, which a URL cannot hold as it is: percent-encode it (${percentEncode(ch)})`;
    }
    const scheme = SCHEME.exec(value);
    if (!scheme) return `must be an http:// or https:// URL (${URL_EXAMPLE})`;
    const name = scheme[1].toLowerCase();
    if (name !== "http" && name !== "https") return `must be an http:// or https:// URL, not ${clip(scheme[1])}: (${URL_EXAMPLE})`;
    const rest = value.slice(scheme[0].length);
    if (!rest.startsWith("//")) return `must have // after ${scheme[1]}: (${URL_EXAMPLE})`;

    const afterSlashes = rest.slice(2);
    const authorityEnd = afterSlashes.search(/[/?#]/);
    const authority = authorityEnd === -1 ? afterSlashes : afterSlashes.slice(0, authorityEnd);
    const tail = authorityEnd === -1 ? "" : afterSlashes.slice(authorityEnd);

    const at = authority.lastIndexOf("@");
    if (at !== -1) {
        const problem = charactersProblem(authority.slice(0, at), ":", "user information");
        if (problem) return problem;
    }
    const hostPort = authority.slice(at + 1);
    let host: string;
    let port: string | undefined;
    if (hostPort.startsWith("[")) {
        const close = hostPort.indexOf("]");
        if (close === -1) return "has an IPv6 address without its closing ']'";
        host = hostPort.slice(0, close + 1);
        const after = hostPort.slice(close + 1);
        if (after !== "" && !after.startsWith(":")) return "has characters after its IPv6 address: only :port may follow it";
        port = after === "" ? undefined : after.slice(1);
        if (!isIPv6(host.slice(1, -1))) return `has "${clip(host)}", which is not an IPv6 address`;
    } else {
        const colon = hostPort.indexOf(":");
        host = colon === -1 ? hostPort : hostPort.slice(0, colon);
        port = colon === -1 ? undefined : hostPort.slice(colon + 1);
        if (host === "") return `has no host: write one after ${scheme[1]}:// (${URL_EXAMPLE})`;
        if (!isIPv4(host)) {
            const problem = hostNameProblem(host);
            if (problem) return /^\d+(\.\d+)*$/.test(host) ? `has "${clip(host)}", which is neither an IPv4 address nor a host name` : problem;
        }
    }
    if (port !== undefined && !(/^\d{1,5}$/.test(port) && Number(port) >= 1 && Number(port) <= 65535)) {
        return `has the port "${clip(port)}": a port is a number from 1 to 65535 (or leave it out)`;
    }

    const hash = tail.indexOf("#");
    const beforeHash = hash === -1 ? tail : tail.slice(0, hash);
    const query = beforeHash.indexOf("?");
    const path = query === -1 ? beforeHash : beforeHash.slice(0, query);
    return (
        charactersProblem(path, ":@/", "path") ??
        (query === -1 ? undefined : charactersProblem(beforeHash.slice(query + 1), ":@/?", "query")) ??
        (hash === -1 ? undefined : charactersProblem(tail.slice(hash + 1), ":@/?", "fragment"))
    );
}

/** RFC 5322 atext: the characters a dot-atom local part may hold besides dots. */
const ATEXT = /^[A-Za-z0-9!#$%&'*+/=?^_`{|}~-]+$/;

/**
 * The email rule (a practical subset of RFC 5321/5322): `local@domain`, ASCII only, one `@`.
 * The local part is a dot-atom — letters, digits and ``!#$%&'*+/=?^_`{|}~-``, in dot-separated
 * runs (no leading, trailing or doubled dot) — of at most 64 characters; no quoted strings. The
 * domain is a DNS name as {@link hostNameProblem} accepts (so at least two labels and a top-level
 * domain of two or more characters: `a@b.c` is rejected); no address literals like `[127.0.0.1]`.
 * Internationalized (non-ASCII) addresses are not accepted.
 * @returns what is wrong, or `undefined`.
 */
export function emailProblem(value: string): string | undefined {
    const example = "e.g. help@example.com";
    for (const ch of value) {
        const cp = ch.codePointAt(0) ?? 0;
        if (WHITESPACE.test(ch)) return `has ${showChar(ch)} inside: an email address holds no whitespace (${example})`;
        if (cp < 0x20 || cp > 0x7e) return `has the character ${showChar(ch)}: only ASCII addresses are accepted (${example})`;
    }
    const at = value.indexOf("@");
    if (at === -1) return `must be an email address, ${example}`;
    if (value.indexOf("@", at + 1) !== -1) return `has more than one '@' (quoted local parts are not accepted): ${example}`;
    const local = value.slice(0, at);
    const domain = value.slice(at + 1);
    if (local === "") return `has nothing before the '@' (${example})`;
    if (local.length > 64) return `has a local part (before the '@') of ${local.length} characters; at most 64 are allowed`;
    if (local.startsWith(".") || local.endsWith(".") || local.includes("..")) {
        return `has a dot at the start or end of its local part, or two in a row: dots go between characters (${example})`;
    }
    for (const run of local.split(".")) {
        if (!ATEXT.test(run)) {
            const bad = [...run].find((c) => !ATEXT.test(c)) ?? run;
            return `has ${showChar(bad)} in its local part, which an address cannot hold unquoted (${example})`;
        }
    }
    if (domain.startsWith("[")) return `has an address literal as its domain: write a domain name (${example})`;
    const problem = hostNameProblem(domain);
    return problem ? problem.replace(/host name/g, "domain").replace(/host label/g, "domain label") : undefined;
}

/** A value shown in a message, clipped so a huge input cannot flood it. */
function clip(text: string): string {
    const chars = [...text];
    return chars.length > 40 ? `${chars.slice(0, 40).join("")}…` : text;
}

// ---------------------------------------------------------------------------------------------
// wa_number
// ---------------------------------------------------------------------------------------------

/**
 * The ITU-T E.164 country calling codes in use: every geographic code (the countries' codes) and
 * the non-geographic ones (+800 freephone, +808, +870, +878, +881–+883, +888, +979). The set is
 * prefix-free, so a number's code is found by trying 1, 2 and 3 digits. tests/rules.test.ts keeps
 * it equal to libphonenumber-js's metadata.
 */
export const COUNTRY_CALLING_CODES: ReadonlySet<string> = new Set(
    (
        "1 7 20 27 30 31 32 33 34 36 39 40 41 43 44 45 46 47 48 49 51 52 53 54 55 56 57 58 60 61 62 63 64 65 66 81 82 84 86 90 91 92 93 94 95 98 " +
        "211 212 213 216 218 220 221 222 223 224 225 226 227 228 229 230 231 232 233 234 235 236 237 238 239 240 241 242 243 244 245 246 247 248 249 " +
        "250 251 252 253 254 255 256 257 258 260 261 262 263 264 265 266 267 268 269 290 291 297 298 299 350 351 352 353 354 355 356 357 358 359 " +
        "370 371 372 373 374 375 376 377 378 380 381 382 383 385 386 387 389 420 421 423 500 501 502 503 504 505 506 507 508 509 " +
        "590 591 592 593 594 595 596 597 598 599 670 672 673 674 675 676 677 678 679 680 681 682 683 685 686 687 688 689 690 691 692 " +
        "800 808 850 852 853 855 856 870 878 880 881 882 883 886 888 960 961 962 963 964 965 966 967 968 970 971 972 973 974 975 976 977 979 " +
        "992 993 994 995 996 998"
    ).split(" "),
);

/** E.164's most digits after the `+`. */
export const E164_MAX_DIGITS = 15;
/** The fewest digits after the country code (the shortest numbering plans, e.g. Niue's, have four). */
export const E164_MIN_NATIONAL_DIGITS = 4;

const E164_EXAMPLE = "e.g. +919876543210";

/** The country calling code `digits` starts with, if any. */
export function countryCallingCode(digits: string): string | undefined {
    for (const n of [1, 2, 3]) {
        if (COUNTRY_CALLING_CODES.has(digits.slice(0, n))) return digits.slice(0, n);
    }
    return undefined;
}

/**
 * The E.164 rule: `+`, then ASCII digits only — an assigned country calling code (see
 * {@link COUNTRY_CALLING_CODES}), then at least {@link E164_MIN_NATIONAL_DIGITS} digits — at most
 * {@link E164_MAX_DIGITS} digits in all. (Whether the number is a valid length for its country is
 * not a rule: that needs a numbering-plan database, and Kaleyra answers WA401 for a number that is
 * not on the account anyway.)
 * @returns the failure's code and reason, or `undefined`.
 */
export function waNumberProblem(value: string): { code: RuleCode; reason: string } | undefined {
    const form = `a '+', the country code, then the number, digits only, at most ${E164_MAX_DIGITS} (${E164_EXAMPLE})`;
    if (!/^\+\d+$/.test(value)) return { code: "not-e164", reason: `is not an E.164 number: ${form}` };
    const digits = value.slice(1);
    if (digits.length > E164_MAX_DIGITS) return { code: "not-e164", reason: `has ${digits.length} digits; E.164 allows at most ${E164_MAX_DIGITS} (${E164_EXAMPLE})` };
    if (digits.startsWith("0")) return { code: "unknown-country-code", reason: `starts with 0 after the '+': write the country code there, not a trunk prefix (${E164_EXAMPLE})` };
    const cc = countryCallingCode(digits);
    if (cc === undefined) return { code: "unknown-country-code", reason: `starts with no assigned country calling code (+${digits.slice(0, 3)}…): check the digits after the '+' (${E164_EXAMPLE})` };
    const national = digits.length - cc.length;
    if (national < E164_MIN_NATIONAL_DIGITS) {
        return { code: "not-e164", reason: `is too short: ${national} digit${national === 1 ? "" : "s"} after the country code +${cc}; a number has at least ${E164_MIN_NATIONAL_DIGITS} (${E164_EXAMPLE})` };
    }
    return undefined;
}

// ---------------------------------------------------------------------------------------------
// The rules for a value
// ---------------------------------------------------------------------------------------------

/** The pseudo-spec of `wa_number`, for failures' names. */
const WA_NUMBER = { name: "waNumber", key: WA_NUMBER_KEY } as const;

function fail(field: { readonly name: string; readonly key: string }, code: RuleCode, reason: string): RuleFailure {
    return { ok: false, code, name: field.name, key: field.key, reason };
}

/** Checks every field shares: string, not empty, not blank, no surrounding whitespace. */
function commonProblem(field: { readonly name: string; readonly key: string }, value: string, what: string): RuleFailure | undefined {
    if (value === "") {
        return fail(field, "empty", `cannot be empty: Kaleyra cannot clear a field; give ${what}, or leave the field out to keep Kaleyra's value`);
    }
    if (ALL_WHITESPACE.test(value)) {
        return fail(field, "blank", `cannot be only whitespace: Kaleyra cannot clear a field; give ${what}, or leave the field out to keep Kaleyra's value`);
    }
    const edge = surroundingWhitespaceReason(value);
    return edge ? fail(field, "surrounding-whitespace", edge) : undefined;
}

/**
 * The verdict on `wa_number`: required, a string, E.164 ({@link waNumberProblem}), with no
 * surrounding whitespace.
 */
export function checkWaNumberValue(value: unknown): RuleResult {
    if (value === undefined || value === null) return fail(WA_NUMBER, "required", `is required: the WhatsApp number in E.164 form, ${E164_EXAMPLE}`);
    if (typeof value !== "string") return fail(WA_NUMBER, "not-a-string", `must be a string: the WhatsApp number in E.164 form, ${E164_EXAMPLE}`);
    const common = commonProblem(WA_NUMBER, value, `the WhatsApp number in E.164 form, ${E164_EXAMPLE}`);
    if (common) {
        // An empty number is not a field to leave out: it is required.
        return common.code === "surrounding-whitespace" ? common : fail(WA_NUMBER, common.code, `is required and cannot be ${common.code === "empty" ? "empty" : "only whitespace"}: the WhatsApp number in E.164 form, ${E164_EXAMPLE}`);
    }
    const problem = waNumberProblem(value);
    return problem ? fail(WA_NUMBER, problem.code, problem.reason) : { ok: true, value };
}

/**
 * The verdict on one editable field's value. `null` and `undefined` are failures here (code
 * `null`: a field cannot be cleared); a program leaving a field out is `check`'s business, before
 * this is called.
 * @param field the field, by spec or program name.
 */
export function checkFieldValue(field: FieldSpec | ProfileFieldName, value: unknown): RuleResult {
    const spec: FieldSpec = typeof field === "string" ? PROFILE_FIELDS[field] : field;
    if (value === undefined || value === null) {
        return fail(spec, "null", "cannot be null: Kaleyra cannot clear a field; leave the field out to keep Kaleyra's value");
    }
    if (typeof value !== "string") return fail(spec, "not-a-string", `must be a string: ${spec.description}`);
    const common = commonProblem(spec, value, spec.description);
    if (common) return common;

    if (spec.kind === "category") {
        const canonical = matchBusinessCategory(value);
        return canonical
            ? { ok: true, value: canonical }
            : fail(spec, "unknown-category", `is "${clip(value)}", which is not one of Kaleyra's business categories (matched exactly, in any case): ${BUSINESS_CATEGORIES.join("; ")}`);
    }

    const length = charLength(value);
    if (length < spec.min) return fail(spec, "too-short", `is ${length} characters; at least ${spec.min} are needed`);
    if (length > spec.max) return fail(spec, "too-long", `is ${length} characters; Kaleyra allows at most ${spec.max}: shorten it`);

    switch (spec.kind) {
        case "url": {
            const problem = urlProblem(value);
            return problem ? fail(spec, "not-a-url", problem) : { ok: true, value };
        }
        case "email": {
            const problem = emailProblem(value);
            return problem ? fail(spec, "not-an-email", problem) : { ok: true, value };
        }
        case "text": {
            const lone = firstUnpairedSurrogate(value);
            if (lone) {
                return fail(spec, "ill-formed-unicode", `has an unpaired surrogate (${showChar(lone.ch)}) at character ${lone.at}: it is not text; fix the string's encoding`);
            }
            const control = firstTextControl(value);
            if (control) {
                return fail(spec, "control-character", `has the control character ${showChar(control.ch)} at character ${control.at}: remove it (tab and line breaks are allowed inside text)`);
            }
            return { ok: true, value };
        }
    }
}
