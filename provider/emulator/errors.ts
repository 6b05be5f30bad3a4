/**
 * Every error the emulator sends, in one table: HTTP status, Kaleyra code, type and message.
 * Entries marked `assumption: true` are not documented by Kaleyra for this endpoint; the
 * emulator picks a value and docs/emulator.md lists it as an ASSUMPTION. Change them here only.
 */

/** Kaleyra's error envelope: `{"error":{"code","type","parameter","message","reference"}}`. */
export interface ErrorEnvelope {
    /** The error, keys in Kaleyra's order. */
    error: {
        code: string;
        type: string;
        parameter: string;
        message: string;
        reference: string;
    };
}

/** One row of the error table. */
export interface ErrorSpec {
    /** HTTP status. */
    readonly status: number;
    /** Kaleyra's error code, e.g. `E413`. */
    readonly code: string;
    /** Kaleyra's error type, e.g. `VALIDATION_ERROR`. */
    readonly type: string;
    /** The parameter named when the error is not about a specific one (often `""`). */
    readonly parameter: string;
    /** The message; `{parameter}`, `{detail}` are filled in by {@link emulatorError}. */
    readonly message: string;
    /** True when Kaleyra does not document this status/code/type/message for the endpoint. */
    readonly assumption: boolean;
    /** When the emulator sends it. */
    readonly when: string;
}

/** The error table. */
export const ERRORS = {
    waNumberRequired: {
        status: 400, code: "E413", type: "VALIDATION_ERROR", parameter: "wa_number",
        message: "wa_number field is required and cannot be empty.", assumption: false,
        when: "wa_number missing, null, empty or blank (also an empty body). Status 400 is assumed; code and body are documented.",
    },
    displayImageEmpty: {
        status: 400, code: "E962", type: "VALIDATION_ERROR", parameter: "display_image",
        message: "display_image cannot be empty", assumption: false,
        when: "display_image sent null, empty or blank. Status 400 is assumed; code and body are documented.",
    },
    invalidField: {
        status: 400, code: "E13001", type: "VALIDATION_ERROR", parameter: "",
        message: "{detail}", assumption: true,
        when: "a value breaks a rule of provider/contract/rules.ts (the provider's check shares them): not a string, whitespace at an end, a control character, too long, not an http(s) URL, not an email, an unknown category, or wa_number not E.164",
    },
    unknownParameter: {
        status: 400, code: "E13001", type: "VALIDATION_ERROR", parameter: "",
        message: "{parameter} is not a recognised parameter.{detail}", assumption: true,
        when: "the body has a key that is not wa_number or an editable field",
    },
    noEditableField: {
        status: 400, code: "E13001", type: "VALIDATION_ERROR", parameter: "",
        message: "At least one editable field is required besides wa_number.", assumption: true,
        when: "the body has wa_number and nothing else (the contract: \"address at least one editable field\")",
    },
    malformedJson: {
        status: 400, code: "WA400", type: "INVALID_PAYLOAD", parameter: "",
        message: "Incorrect payload: the body is not valid JSON.", assumption: true,
        when: "the body does not parse as JSON",
    },
    bodyNotObject: {
        status: 400, code: "WA400", type: "INVALID_PAYLOAD", parameter: "",
        message: "Incorrect payload: the body must be a JSON object.", assumption: true,
        when: "the body is JSON but not an object (array, string, number, null)",
    },
    unsupportedContentType: {
        status: 400, code: "WA400", type: "INVALID_PAYLOAD", parameter: "Content-Type",
        message: "Content-Type must be application/json.", assumption: true,
        when: "a non-empty body without a JSON Content-Type",
    },
    payloadTooLarge: {
        status: 413, code: "WA413", type: "INVALID_PAYLOAD", parameter: "",
        message: "Request body is too large.", assumption: true,
        when: "the body is over 1 MiB",
    },
    unauthorized: {
        status: 401, code: "RBC001", type: "AUTHENTICATION_ERROR", parameter: "",
        message: "Incorrect SID or API key.", assumption: true,
        when: "unknown SID in the path, or api-key header missing or wrong (status and code documented; type/message assumed)",
    },
    numberNotInAccount: {
        status: 401, code: "WA401", type: "AUTHENTICATION_ERROR", parameter: "wa_number",
        message: "Phone number not present in this account.", assumption: true,
        when: "wa_number is valid E.164 but not registered (status and code documented; type/message assumed)",
    },
    notFound: {
        status: 404, code: "E404", type: "NOT_FOUND", parameter: "",
        message: "The requested resource was not found.", assumption: true,
        when: "any path other than the endpoint (and unknown admin paths)",
    },
    methodNotAllowed: {
        status: 405, code: "E405", type: "METHOD_NOT_ALLOWED", parameter: "",
        message: "Method {detail} is not allowed on this path.", assumption: true,
        when: "a method other than PUT on the endpoint (or the wrong method on an admin path); sends Allow",
    },
    rateLimited: {
        status: 429, code: "WA429", type: "RATE_LIMIT_ERROR", parameter: "",
        message: "Too many requests. Retry after {detail} seconds.", assumption: true,
        when: "injected fault; sends Retry-After",
    },
    internalError: {
        status: 500, code: "WA500", type: "INTERNAL_ERROR", parameter: "",
        message: "Internal server error. Please retry.", assumption: true,
        when: "injected fault, or the data file could not be written (code documented; type/message assumed)",
    },
    badGateway: {
        status: 502, code: "WA502", type: "INTERNAL_ERROR", parameter: "",
        message: "Bad gateway. Please retry.", assumption: true,
        when: "injected fault",
    },
    serviceUnavailable: {
        status: 503, code: "WA503", type: "INTERNAL_ERROR", parameter: "",
        message: "Service temporarily unavailable. Please retry.", assumption: true,
        when: "injected fault",
    },
    scripted: {
        status: 0, code: "EMULATED", type: "EMULATED_ERROR", parameter: "",
        message: "Emulated HTTP {detail}.", assumption: false,
        when: "failNext with a status that has no row here (emulator-only; the status is the scripted one)",
    },
    adminBadRequest: {
        status: 400, code: "EMU400", type: "EMULATOR_ERROR", parameter: "",
        message: "{detail}", assumption: false,
        when: "the admin API got a bad request (emulator-only, not Kaleyra's)",
    },
} as const satisfies Record<string, ErrorSpec>;

/** The name of an error in {@link ERRORS}. */
export type ErrorName = keyof typeof ERRORS;

/** A ready-to-send error: status, envelope and extra headers. */
export interface EmulatorError {
    /** HTTP status. */
    status: number;
    /** The JSON body. */
    body: ErrorEnvelope;
    /** Extra response headers (e.g. `Allow`, `Retry-After`). */
    headers: Record<string, string>;
}

/** What fills an error's message and `parameter`. */
export interface ErrorDetails {
    /** The parameter to name (overrides the table's). */
    parameter?: string;
    /** Text for `{detail}` in the message. */
    detail?: string;
    /** Extra response headers. */
    headers?: Record<string, string>;
}

/** Build the error `name` from the table, filling in `parameter` and `detail`. */
export function emulatorError(name: ErrorName, details: ErrorDetails = {}): EmulatorError {
    const spec: ErrorSpec = ERRORS[name];
    const parameter = details.parameter ?? spec.parameter;
    const message = spec.message
        .replace("{parameter}", parameter)
        .replace("{detail}", details.detail ?? "");
    return {
        status: spec.status,
        // Key order matters: it is Kaleyra's, and bodies are compared byte for byte.
        body: { error: { code: spec.code, type: spec.type, parameter, message, reference: "" } },
        headers: { ...(details.headers ?? {}) },
    };
}

/** Table rows used for a scripted fault that gives a status but no body. */
const BY_STATUS: ReadonlyMap<number, ErrorName> = new Map([
    [401, "unauthorized"],
    [404, "notFound"],
    [413, "payloadTooLarge"],
    [429, "rateLimited"],
    [500, "internalError"],
    [502, "badGateway"],
    [503, "serviceUnavailable"],
]);

/**
 * The table's error for an HTTP status, used when a scripted fault gives a status but no body.
 * Statuses without a row get the `scripted` row with that status.
 * @param retryAfterSeconds fills the 429 message.
 */
export function errorForStatus(status: number, retryAfterSeconds: number): EmulatorError {
    const name = BY_STATUS.get(status);
    if (name === "rateLimited") return emulatorError(name, { detail: String(retryAfterSeconds) });
    if (name) return emulatorError(name);
    const e = emulatorError("scripted", { detail: String(status) });
    return { ...e, status };
}
