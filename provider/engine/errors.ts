/**
 * The error classes: everything that can go wrong between the provider and Kaleyra, one class per
 * concern, keyed on what a user must do about it (the model is stripe-node's `Error.ts`). What
 * builds them lives elsewhere: responses.ts (an HTTP answer), transport-failures.ts (no usable
 * answer), config.ts and proxy-env.ts (settings).
 *
 * Redaction happens here, where errors are made, not at each call site (the model is octokit's
 * RequestError): every error is built with the secrets of its request — the API key, proxy
 * credentials, or the request's headers, whose credential values count as secrets — and the
 * constructor redacts every string it keeps (message, stack, Kaleyra's fields, the response's
 * headers and body, the target) before storing it, with redaction.ts. The secrets themselves are
 * never stored, so an error can be logged, serialized, inspected or shown as it is.
 */

import type { SettingName } from "./config";
import { isCredentialHeader, REDACTED, Redaction } from "./redaction";

/** Where a request went, for messages: never includes credentials. */
export interface RequestTarget {
    /** HTTP method, e.g. `PUT`. */
    readonly method: string;
    /** The origin the request went to, e.g. `https://api.in.kaleyra.io`. */
    readonly endpoint: string;
    /** The request path, e.g. `/v1/HX123/whatsapp/number`. */
    readonly path: string;
    /** The proxy the request went through, e.g. `http://proxy.corp:3128` (never with credentials). */
    readonly proxy?: string;
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

/** `text` re-serialized when it is JSON (escapes undone), as it is otherwise. */
function normalizeJson(text: string): string {
    try {
        return JSON.stringify(JSON.parse(text)) ?? text;
    } catch {
        return text;
    }
}

/** The longest response body an error keeps (after redaction). */
const MAX_KEPT_BODY = 2000;

/** What an error is built from. Every string in it is redacted before it is stored. */
export interface KaleyraErrorDetails extends KaleyraErrorBody {
    /**
     * Values that must appear in nothing the error keeps: the API key, proxy credentials. Never
     * stored. Required so that no request error can be built without saying what to redact.
     */
    readonly secrets: readonly string[];
    /** The request's headers: the values of credential headers are redacted too. Never stored. */
    readonly requestHeaders?: Readonly<Record<string, unknown>>;
    /** HTTP status of the last response, when there was one. */
    readonly status?: number;
    /** The request id Kaleyra returned in a response header, when it gave one. */
    readonly requestId?: string;
    /** Where the request went. */
    readonly target?: RequestTarget;
    /** How many attempts were made before giving up (1 when the error was not retried). */
    readonly attempts?: number;
    /** The response's headers (lower-case names), kept redacted as `responseHeaders`. */
    readonly responseHeaders?: Readonly<Record<string, string | undefined>>;
    /** The response body as received, kept redacted and clipped as `responseBody`. */
    readonly responseBody?: string;
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
    /** The response's headers, redacted (credential headers' values replaced), if there was a response. */
    readonly responseHeaders?: Readonly<Record<string, string>>;
    /** The start of the response body, redacted, if there was one. */
    readonly responseBody?: string;
    /** How many attempts were made (set by {@link KaleyraError.gaveUp}). */
    attempts: number;
    /** Redacts with this error's secrets; a private field, so neither JSON nor inspection shows it. */
    readonly #redaction: Redaction;

    constructor(message: string, details: KaleyraErrorDetails) {
        const redaction = new Redaction([...details.secrets, ...Redaction.credentialsIn(details.requestHeaders)]);
        super(redaction.text(message));
        this.#redaction = redaction;
        const keep = (value: string | undefined) => (value === undefined ? undefined : redaction.snippet(value));
        this.name = new.target.name;
        this.status = details.status;
        this.code = keep(details.code);
        this.type = keep(details.type);
        this.parameter = keep(details.parameter);
        this.kaleyraMessage = keep(details.message);
        this.reference = keep(details.reference);
        this.requestId = keep(details.requestId);
        if (details.target) {
            const { method, endpoint, path, proxy } = details.target;
            this.target = {
                method: redaction.text(method),
                endpoint: redaction.text(endpoint),
                path: redaction.text(path),
                ...(proxy === undefined ? {} : { proxy: redaction.text(proxy) }),
            };
        }
        if (details.responseHeaders) {
            const headers: Record<string, string> = {};
            for (const [name, value] of Object.entries(details.responseHeaders)) {
                if (value === undefined) continue;
                headers[redaction.text(name)] = isCredentialHeader(name) ? REDACTED : redaction.snippet(value);
            }
            this.responseHeaders = headers;
        }
        if (details.responseBody !== undefined) {
            // A JSON body is kept re-serialized, so a secret the server wrote with escapes
            // (`\u0041…`) is plain again, and redacted, before it is kept.
            const body = redaction.text(normalizeJson(details.responseBody));
            this.responseBody = body.length > MAX_KEPT_BODY ? `${body.slice(0, MAX_KEPT_BODY)}…` : body;
        }
        this.attempts = details.attempts ?? 1;
    }

    /** Whether the same request may succeed if sent again. */
    get retryable(): boolean {
        return false;
    }

    /** For subclasses: redact a string before keeping it, with this error's secrets. */
    protected redact(text: string): string {
        return this.#redaction.text(text);
    }

    /**
     * Record the end of a retried operation: how many attempts were made, and why it stopped
     * (appended to the message, redacted like everything else).
     */
    gaveUp(attempts: number, note: string): this {
        // V8 writes `stack` when it is first read: read it before the message changes.
        const stack = this.stack;
        const head = `${this.name}: ${this.message}`;
        this.attempts = attempts;
        this.message = `${this.message}${this.#redaction.text(note)}`;
        if (typeof stack === "string" && stack.startsWith(head)) this.stack = `${this.name}: ${this.message}${stack.slice(head.length)}`;
        return this;
    }
}

/**
 * What a {@link KaleyraConfigError} is about: a provider setting by its name in `SETTING_KEYS`
 * (`region` is `kaleyra:region` or `KALEYRA_REGION`), or `proxy` for the proxy variables
 * (`HTTPS_PROXY`, `HTTP_PROXY`, `ALL_PROXY`, `NO_PROXY`).
 */
export type ConfigErrorSetting = SettingName | "proxy";

/** The provider's configuration is missing or invalid; no request was sent. */
export class KaleyraConfigError extends KaleyraError {
    /** The setting the error is about, so a caller can point at it without reading the message. */
    readonly setting: ConfigErrorSetting;

    /**
     * @param setting the setting at fault (for missing credentials: the first one missing).
     * @param secrets any value the message must not show (say, a proxy URL's password).
     */
    constructor(message: string, setting: ConfigErrorSetting, secrets: readonly string[] = []) {
        super(message, { secrets });
        this.setting = setting;
    }
}

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

/**
 * No usable response: connection refused or dropped, DNS failure, timeout, an untrusted
 * certificate, or a proxy that would not open a tunnel (`errno` `EPROXY`, `status` the proxy's).
 * transport-failures.ts builds them and decides which are worth retrying.
 */
export class KaleyraNetworkError extends KaleyraError {
    /** The system error code, e.g. `ECONNREFUSED`, `ECONNRESET`, `ETIMEDOUT`; `EPROXY` for a proxy's refusal. */
    readonly errno: string;
    readonly #retryable: boolean;

    /** `retryable`: whether sending again may help (default true; false for an untrusted certificate or a proxy's 4xx). */
    constructor(message: string, details: KaleyraErrorDetails & { errno: string; retryable?: boolean }) {
        super(message, details);
        this.errno = this.redact(details.errno);
        this.#retryable = details.retryable ?? true;
    }

    override get retryable(): boolean {
        return this.#retryable;
    }
}

/** The server answered with something that is not Kaleyra's API (odd status, not JSON, too large). */
export class KaleyraUnexpectedResponseError extends KaleyraError {}
