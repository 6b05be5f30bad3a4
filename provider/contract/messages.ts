/**
 * The catalogue of user-facing messages: every word the field rules, `check` (what
 * `pulumi preview` shows), the settings (what the plugin's `CheckConfig` and `pulumi up` show) and
 * the emulator say about a value. The grammars and rules decide; this file words. A failure
 * carries a {@link RuleCode}, and {@link failureMessage} words it for its audience — the program
 * (property names, "remove the argument") or Kaleyra's side (JSON keys, what the emulator
 * answers) — so the same failure reads the same wherever it is shown.
 *
 * Plain TypeScript with no import beyond the contract, like everything in provider/contract/.
 */

import { BUSINESS_CATEGORIES, FIELD_NAMES } from "./fields";
import { clip, isLoneSurrogate, percentEncode, showChar } from "./grammars/text";

/** What went wrong with a value, as a machine-readable code. */
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
     * What is wrong and how to fix it, written to follow the key or property name: `is 140
     * characters; Kaleyra allows at most 139: shorten it`. Quotes at most a short excerpt of the value.
     */
    readonly reason: string;
    /** The rejected value, when it was a string (for the program's wording). */
    readonly value?: string;
    /** The field's one-line description (for the program's wording). */
    readonly description: string;
}

/** Who reads a message: a program's author (property names) or a client of Kaleyra's API (JSON keys). */
export type Audience = "program" | "kaleyra";

/** What only the engine side can add to a program's message (it has libphonenumber-js and the edit distance). */
export interface Hint {
    /** A category near the rejected one, for "did you mean". */
    readonly category?: string;
    /** The E.164 spelling of a rejected number, when it can tell. */
    readonly e164?: string;
}

/** An example number, for every message about one. */
export const E164_EXAMPLE = "e.g. +919876543210";
const URL_EXAMPLE = "e.g. https://example.com/path";
const EMAIL_EXAMPLE = "e.g. help@example.com";
const TRIM = "remove it (e.g. with .trim())";
const NO_CLEAR = "Kaleyra cannot clear a field";

/** A value quoted in a message, clipped. */
function quote(value: string): string {
    return JSON.stringify(clip(value));
}

/** The words of the grammars and field rules: each ends a sentence that starts with the key or name. */
export const REASONS = {
    // Every field.
    required: (what: string) => `is required: ${what}`,
    requiredNotBlank: (empty: boolean, what: string) => `is required and cannot be ${empty ? "empty" : "only whitespace"}: ${what}`,
    null: () => `cannot be null: ${NO_CLEAR}; leave the field out to keep Kaleyra's value`,
    notAString: (what: string) => `must be a string: ${what}`,
    empty: (what: string) => `cannot be empty: ${NO_CLEAR}; give ${what}, or leave the field out to keep Kaleyra's value`,
    blank: (what: string) => `cannot be only whitespace: ${NO_CLEAR}; give ${what}, or leave the field out to keep Kaleyra's value`,
    startsWith: (ch: string) => `starts with ${showChar(ch)}: ${TRIM}`,
    endsWith: (ch: string) => `ends with ${showChar(ch)}: ${TRIM}`,
    tooShort: (length: number, min: number) => `is ${length} characters; at least ${min} are needed`,
    tooLong: (length: number, max: number) => `is ${length} characters; Kaleyra allows at most ${max}: shorten it`,
    // Text.
    unpairedSurrogate: (ch: string, at: number) => `has an unpaired surrogate (${showChar(ch)}) at character ${at}: it is not text; fix the string's encoding`,
    textControl: (ch: string, at: number) => `has the control character ${showChar(ch)} at character ${at}: remove it (tab and line breaks are allowed inside text)`,
    // Category.
    unknownCategory: (value: string) => `is "${clip(value)}", which is not one of Kaleyra's business categories (matched exactly, in any case): ${BUSINESS_CATEGORIES.join("; ")}`,
    // Host names (in a URL; an email's domain words them as a domain).
    noHost: () => "has no host name",
    hostTooLong: () => "has a host name longer than 253 characters",
    singleLabel: (host: string) => `has the host name "${clip(host)}", which is not a public domain name: write a fully qualified name such as example.com`,
    emptyLabel: (host: string) => `has an empty label in the host name "${clip(host)}" (two dots in a row, or a dot at an end)`,
    badLabel: (label: string) => `has the host label "${clip(label)}": a label is 1–63 letters, digits or hyphens, not starting or ending with a hyphen (write an internationalized name in its xn-- form)`,
    badTld: (tld: string) => `has the top-level domain "${clip(tld)}": it must be at least two characters and start with a letter`,
    // URLs.
    urlWhitespace: (ch: string) => `has ${showChar(ch)} inside: a URL holds no whitespace (percent-encode a space as %20)`,
    urlControl: (ch: string) => `has the control character ${showChar(ch)}: remove it`,
    urlNonAscii: (ch: string) =>
        `has the non-ASCII character ${showChar(ch)}: percent-encode it in the path or query (${isLoneSurrogate(ch) ? "an unpaired surrogate cannot be encoded" : percentEncode(ch)}), and write an internationalized host name in its xn-- form`,
    urlCharacter: (ch: string) => `has ${showChar(ch)}, which a URL cannot hold as it is: percent-encode it (${percentEncode(ch)})`,
    urlPartCharacter: (ch: string, where: string) => `has ${showChar(ch)} in its ${where}, which a URL cannot hold as it is: percent-encode it (${percentEncode(ch)})`,
    urlBadPercent: (where: string) => `has a '%' in its ${where} not followed by two hex digits: write a literal % as %25`,
    urlNoScheme: () => `must be an http:// or https:// URL (${URL_EXAMPLE})`,
    urlScheme: (scheme: string) => `must be an http:// or https:// URL, not ${clip(scheme)}: (${URL_EXAMPLE})`,
    urlNoSlashes: (scheme: string) => `must have // after ${scheme}: (${URL_EXAMPLE})`,
    urlIpv6Unclosed: () => "has an IPv6 address without its closing ']'",
    urlAfterIpv6: () => "has characters after its IPv6 address: only :port may follow it",
    urlNotIpv6: (host: string) => `has "${clip(host)}", which is not an IPv6 address`,
    urlNoHost: (scheme: string) => `has no host: write one after ${scheme}:// (${URL_EXAMPLE})`,
    urlNumericHost: (host: string) => `has "${clip(host)}", which is neither an IPv4 address nor a host name`,
    urlPort: (port: string) => `has the port "${clip(port)}": a port is a number from 1 to 65535 (or leave it out)`,
    // Email.
    emailWhitespace: (ch: string) => `has ${showChar(ch)} inside: an email address holds no whitespace (${EMAIL_EXAMPLE})`,
    emailNonAscii: (ch: string) => `has the character ${showChar(ch)}: only ASCII addresses are accepted (${EMAIL_EXAMPLE})`,
    emailNoAt: () => `must be an email address, ${EMAIL_EXAMPLE}`,
    emailTwoAts: () => `has more than one '@' (quoted local parts are not accepted): ${EMAIL_EXAMPLE}`,
    emailNoLocal: () => `has nothing before the '@' (${EMAIL_EXAMPLE})`,
    emailLocalTooLong: (length: number) => `has a local part (before the '@') of ${length} characters; at most 64 are allowed`,
    emailDots: () => `has a dot at the start or end of its local part, or two in a row: dots go between characters (${EMAIL_EXAMPLE})`,
    emailLocalCharacter: (ch: string) => `has ${showChar(ch)} in its local part, which an address cannot hold unquoted (${EMAIL_EXAMPLE})`,
    emailAddressLiteral: () => `has an address literal as its domain: write a domain name (${EMAIL_EXAMPLE})`,
    emailDomain: (hostProblem: string) => hostProblem.replace(/host name/g, "domain").replace(/host label/g, "domain label"),
    // E.164.
    notE164: (maxDigits: number) => `is not an E.164 number: a '+', the country code, then the number, digits only, at most ${maxDigits} (${E164_EXAMPLE})`,
    tooManyDigits: (digits: number, maxDigits: number) => `has ${digits} digits; E.164 allows at most ${maxDigits} (${E164_EXAMPLE})`,
    trunkPrefix: () => `starts with 0 after the '+': write the country code there, not a trunk prefix (${E164_EXAMPLE})`,
    unknownCountryCode: (digits: string) => `starts with no assigned country calling code (+${digits.slice(0, 3)}…): check the digits after the '+' (${E164_EXAMPLE})`,
    tooShortNumber: (national: number, cc: string, min: number) =>
        `is too short: ${national} digit${national === 1 ? "" : "s"} after the country code +${cc}; a number has at least ${min} (${E164_EXAMPLE})`,
} as const;

/**
 * A failure's reason for its audience. Kaleyra's side gets the rule's own reason. A program gets
 * the same verdict in its own terms: what to remove (not "leave the field out"), the E962 it would
 * meet for an empty `displayImage`, the rejected value quoted, and the engine's hint.
 */
export function failureReason(failure: RuleFailure, audience: Audience, hint: Hint = {}): string {
    if (audience === "kaleyra") return failure.reason;
    const { code, name, value } = failure;
    if ((code === "empty" || code === "blank") && name !== "waNumber") {
        const what = code === "empty" ? "cannot be empty" : "cannot be only whitespace";
        return name === "displayImage"
            ? `${what} (Kaleyra E962): give an image URL, or remove displayImage to leave the current image as it is`
            : `${what}: give ${failure.description}, or remove ${name} to leave Kaleyra's value as it is`;
    }
    if (code === "unknown-category" && value !== undefined) {
        const near = hint.category ? `; did you mean "${hint.category}"? The categories are` : ". The categories are";
        return `${quote(value)} is not one of Kaleyra's business categories${near}: ${BUSINESS_CATEGORIES.join("; ")}`;
    }
    if (name === "waNumber" && value !== undefined && code !== "required" && code !== "empty" && code !== "blank") {
        return hint.e164 ? `${quote(value)} is not in E.164 form: write "${hint.e164}"` : `${quote(value)} ${failure.reason}`;
    }
    return failure.reason;
}

/** A failure's whole message: the property (program) or key (Kaleyra), then the reason. */
export function failureMessage(failure: RuleFailure, audience: Audience, hint: Hint = {}): string {
    return `${audience === "program" ? failure.name : failure.key} ${failureReason(failure, audience, hint)}`;
}

/** The property names of the resource, as messages list them. */
const PROPERTIES = `waNumber, ${FIELD_NAMES.join(", ")}`;

/** What `check` says about the profile as a whole. */
export const PROFILE_MESSAGES = {
    /** A property the resource does not have (the reason, after the property's name). */
    unknownProperty: (suggestion: string | undefined) =>
        `is not a property of WhatsAppNumberProfile${suggestion ? `; did you mean ${suggestion}?` : ""} (properties: ${PROPERTIES})`,
    /** Nothing but `waNumber` (the reason, shown under waNumber). */
    nothingToUpdate: () => `a profile must set at least one field besides waNumber (${FIELD_NAMES.join(", ")}); Kaleyra rejects an update with nothing to change`,
} as const;

/** What the emulator answers, as Kaleyra would, about a body (its error table's `{detail}` texts). */
export const KALEYRA_MESSAGES = {
    /** A body key that is not a parameter, with the real key when it is a known misspelling. */
    unknownParameter: (suggestion: string | undefined) => (suggestion ? ` Did you mean ${suggestion}?` : ""),
    /** A rule's failure as the E13001 message: the key, the reason, a full stop. */
    invalidField: (failure: RuleFailure) => {
        const message = failureMessage(failure, "kaleyra");
        return /[.?!]$/.test(message) ? message : `${message}.`;
    },
} as const;

/** A number the emulator cannot register (its --number flag, data file or admin API). */
export function unregistrableNumber(value: string, failure: RuleFailure): string {
    return `${quote(value)} cannot be registered: wa_number ${failure.reason}`;
}

/** What the settings' checks say (engine/config.ts, engine/proxy-env.ts): what the plugin's CheckConfig and `pulumi up` show. */
export const SETTING_MESSAGES = {
    missingCredentials: (missing: readonly string[], examples: readonly string[]) =>
        `Missing Kaleyra credentials: set ${missing.join(" and ")}. For example: ${examples.join(" && ")}.`,
    sidCharacters: (where: string, sid: string) => `${where} must contain only letters, digits, '-' and '_'; got ${JSON.stringify(sid)}.`,
    wholeNumber: (where: string, min: number, max: number, raw: string) => `${where} must be a whole number from ${min} to ${max}; got ${JSON.stringify(raw)}.`,
    region: (where: string, regions: readonly string[], raw: string) => `${where} must be one of ${regions.join(", ")}; got ${JSON.stringify(raw)}.`,
    endpointNotUrl: (where: string, raw: string) => `${where} must be an http(s) URL such as http://127.0.0.1:4010; got ${JSON.stringify(raw)}.`,
    endpointScheme: (where: string, protocol: string) => `${where} must use http or https; got ${protocol}.`,
    endpointParts: (where: string) => `${where} must be an origin with an optional path, without credentials, query or fragment.`,
    proxyNotUrl: (variable: string, masked: string) => `${variable} must be a proxy URL such as http://proxy.example.com:3128; got ${JSON.stringify(masked)}.`,
    proxyScheme: (variable: string, display: string, scheme: string, host: string) =>
        `${variable} is ${display}: only http:// and https:// proxies are supported. Set ${scheme.toUpperCase()}_PROXY to an HTTP proxy, or list ${host} in NO_PROXY to go direct.`,
    proxyNoHost: (variable: string) => `${variable} must name the proxy's host, such as http://proxy.example.com:3128.`,
} as const;
