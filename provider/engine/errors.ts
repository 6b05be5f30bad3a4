/**
 * Typed errors for everything that can go wrong between the provider and Kaleyra. One class per
 * concern, keyed on what a user must do about it. Every error is built from already-redacted
 * values: none holds the request, its headers, or the API key, so an error can be logged,
 * stored or shown as it is.
 */

import { fieldByKey } from "../contract/fields";

/** Where a request went, for messages: never includes credentials. */
export interface RequestTarget {
    /** HTTP method, e.g. `PUT`. */
    readonly method: string;
    /** The origin the request went to, e.g. `https://api.in.kaleyra.io`. */
    readonly endpoint: string;
    /** The request path, e.g. `/v1/HX123/whatsapp/number`. */
    readonly path: string;
}

/** What Kaleyra said in its error envelope `{"error":{code,type,parameter,message,reference}}`. */
export interface KaleyraErrorBody {
    /** Kaleyra's error code, e.g. `E962`, `RBC001`, `WA401`. */
    readonly code?: string;
    /** Kaleyra's error type, e.g. `VALIDATION_ERROR`. */
    readonly type?: string;
    /** The request parameter (snake_case) the error is about, e.g. `display_image`. */
    readonly parameter?: string;
    /** Kaleyra's human-readable message. */
    readonly message?: string;
    /** Kaleyra's reference for the error, when it gives one. */
    readonly reference?: string;
}

/** Fields common to every error of this package. */
export interface KaleyraErrorDetails extends KaleyraErrorBody {
    /** HTTP status of the last response, when there was one. */
    readonly status?: number;
    /** The request id Kaleyra returned in a response header, when it gave one. */
    readonly requestId?: string;
    /** Where the request went. */
    readonly target?: RequestTarget;
    /** How many attempts were made before giving up (1 when the error was not retried). */
    readonly attempts?: number;
}

/** Base class: any failure talking to Kaleyra or configuring the client. */
export class KaleyraError extends Error {
    /** HTTP status of the last response, if any. */
    readonly status?: number;
    /** Kaleyra's error code, e.g. `E962`. */
    readonly code?: string;
    /** Kaleyra's error type, e.g. `VALIDATION_ERROR`. */
    readonly type?: string;
    /** The request parameter (snake_case) the error is about. */
    readonly parameter?: string;
    /** Kaleyra's own message, as it sent it (redacted). */
    readonly kaleyraMessage?: string;
    /** Kaleyra's error reference, if any. */
    readonly reference?: string;
    /** The request id from the response headers, if any. */
    readonly requestId?: string;
    /** Where the request went. */
    readonly target?: RequestTarget;
    /** How many attempts were made (the client sets it when it gives up after retries). */
    attempts: number;

    constructor(message: string, details: KaleyraErrorDetails = {}) {
        super(message);
        this.name = new.target.name;
        this.status = details.status;
        this.code = details.code;
        this.type = details.type;
        this.parameter = details.parameter;
        this.kaleyraMessage = details.message;
        this.reference = details.reference;
        this.requestId = details.requestId;
        this.target = details.target;
        this.attempts = details.attempts ?? 1;
    }

    /** Whether the same request may succeed if sent again. */
    get retryable(): boolean {
        return false;
    }
}

/** The provider's configuration is missing or invalid; no request was sent. */
export class KaleyraConfigError extends KaleyraError {}

/** Kaleyra rejected the request's content (HTTP 400/422 or a `VALIDATION_ERROR`). */
export class KaleyraValidationError extends KaleyraError {}

/** Kaleyra refused the credentials or the number is not on the account (HTTP 401/403). */
export class KaleyraAuthenticationError extends KaleyraError {}

/** The path was not found: usually a wrong SID, region or endpoint (HTTP 404). */
export class KaleyraNotFoundError extends KaleyraError {}

/** Kaleyra (or Meta behind it) is rate limiting (HTTP 429). */
export class KaleyraRateLimitError extends KaleyraError {
    /** How long the server asked to wait, from `Retry-After`, in milliseconds. */
    readonly retryAfterMs?: number;

    constructor(message: string, details: KaleyraErrorDetails & { retryAfterMs?: number }) {
        super(message, details);
        this.retryAfterMs = details.retryAfterMs;
    }

    override get retryable(): boolean {
        return true;
    }
}

/** Kaleyra failed on its side (HTTP 5xx). 500, 502, 503 and 504 are retried. */
export class KaleyraServerError extends KaleyraError {
    override get retryable(): boolean {
        return this.status === 500 || this.status === 502 || this.status === 503 || this.status === 504;
    }
}

/** No usable response: connection refused or dropped, DNS failure, or timeout. */
export class KaleyraNetworkError extends KaleyraError {
    /** The system error code, e.g. `ECONNREFUSED`, `ECONNRESET`, `ETIMEDOUT`. */
    readonly errno: string;

    constructor(message: string, details: KaleyraErrorDetails & { errno: string }) {
        super(message, details);
        this.errno = details.errno;
    }

    override get retryable(): boolean {
        return true;
    }
}

/** The server answered with something that is not Kaleyra's API (odd status, not JSON, too large). */
export class KaleyraUnexpectedResponseError extends KaleyraError {}

/** Names a Kaleyra parameter for a person: `display_image (displayImage)`. */
export function describeParameter(parameter: string): string {
    const field = fieldByKey(parameter);
    if (field) return `${parameter} (${field.name})`;
    if (parameter === "wa_number") return "wa_number (waNumber)";
    return parameter;
}

/** `E962 VALIDATION_ERROR — display_image cannot be empty`, from whatever parts Kaleyra sent. */
export function describeBody(body: KaleyraErrorBody, status?: number): string {
    const head = [body.code, body.type].filter(Boolean).join(" ") || (status !== undefined ? `HTTP ${status}` : "error");
    return body.message ? `${head} — ${body.message}` : head;
}
