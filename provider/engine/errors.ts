/**
 * Typed errors for everything that can go wrong between the provider and Kaleyra. One class per
 * concern, keyed on what a user must do about it.
 *
 * Redaction happens here, where errors are made, not at each call site (the model is octokit's
 * RequestError): every error is built with the secrets of its request — the API key, proxy
 * credentials, or the request's headers, whose credential values count as secrets — and the
 * constructor redacts every string it keeps (message, stack, Kaleyra's fields, the response's
 * headers and body, the target) before storing it. The secrets themselves are never stored, so an
 * error can be logged, serialized, inspected or shown as it is.
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

/** What replaces a secret in anything an error keeps. */
export const REDACTED = "[REDACTED]";

/** Request headers whose values are credentials. */
const CREDENTIAL_HEADERS = new Set(["api-key", "x-api-key", "authorization", "proxy-authorization", "cookie", "set-cookie"]);

/**
 * Removes secrets from text: each secret as it is, percent-encoded, JSON-escaped and base64-encoded
 * (as in a `Proxy-Authorization: Basic` header), longest first. The one implementation of
 * redaction in the package.
 */
export class Redaction {
    private readonly forms: readonly string[];

    constructor(secrets: Iterable<string | undefined>) {
        const forms = new Set<string>();
        for (const secret of secrets) {
            if (typeof secret !== "string" || secret === "") continue;
            forms.add(secret);
            forms.add(encodeURIComponent(secret));
            forms.add(JSON.stringify(secret).slice(1, -1));
            forms.add(Buffer.from(secret, "utf8").toString("base64"));
        }
        forms.delete("");
        this.forms = [...forms].sort((a, b) => b.length - a.length);
    }

    /** `text` with every form of every secret replaced by {@link REDACTED}. */
    text(text: string): string {
        let out = text;
        for (const form of this.forms) if (out.includes(form)) out = out.split(form).join(REDACTED);
        return out;
    }

    /**
     * A short, one-line piece of server text for a message: redacted first, then flattened and
     * clipped, so a cut can never leave a fragment of a secret behind.
     */
    snippet(text: string, max: number = MAX_SNIPPET): string {
        const flat = this.text(text).replace(/\s+/g, " ").trim();
        return flat.length > max ? `${flat.slice(0, max)}…` : flat;
    }

    /** Header values of credential headers (`api-key`, `authorization`, `proxy-authorization`, …). */
    static credentialsIn(headers: Readonly<Record<string, unknown>> | undefined): string[] {
        const found: string[] = [];
        for (const [name, value] of Object.entries(headers ?? {})) {
            if (!CREDENTIAL_HEADERS.has(name.toLowerCase())) continue;
            for (const v of Array.isArray(value) ? value : [value]) {
                if (typeof v !== "string" || v === "") continue;
                found.push(v);
                // `Basic dXNlcjpwYXNz`, `Bearer abc`: the credential without its scheme too, and
                // Basic's `user:password` and password decoded.
                const [, scheme, credential] = /^(\S+)\s+(\S.*)$/.exec(v) ?? [];
                if (!credential) continue;
                found.push(credential);
                if (scheme.toLowerCase() === "basic") {
                    const pair = Buffer.from(credential, "base64").toString("utf8");
                    const colon = pair.indexOf(":");
                    if (colon >= 0) found.push(pair, pair.slice(colon + 1));
                }
            }
        }
        return found;
    }
}

/** `text` re-serialized when it is JSON (escapes undone), as it is otherwise. */
function normalizeJson(text: string): string {
    try {
        return JSON.stringify(JSON.parse(text)) ?? text;
    } catch {
        return text;
    }
}

/** The longest piece of server text kept in an error message or field. */
export const MAX_SNIPPET = 300;
/** The longest response body an error keeps (after redaction). */
export const MAX_KEPT_BODY = 2000;

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
                headers[redaction.text(name)] = CREDENTIAL_HEADERS.has(name.toLowerCase()) ? REDACTED : redaction.snippet(value);
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

/** The provider's configuration is missing or invalid; no request was sent. */
export class KaleyraConfigError extends KaleyraError {
    /** `secrets`: any value the message must not show (say, a proxy URL's password). */
    constructor(message: string, secrets: readonly string[] = []) {
        super(message, { secrets });
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

/** System error codes of a certificate the client does not accept: sending again will not fix them. */
export const CERTIFICATE_ERRNOS: ReadonlySet<string> = new Set([
    "CERT_HAS_EXPIRED",
    "DEPTH_ZERO_SELF_SIGNED_CERT",
    "ERR_TLS_CERT_ALTNAME_INVALID",
    "SELF_SIGNED_CERT_IN_CHAIN",
    "UNABLE_TO_GET_ISSUER_CERT_LOCALLY",
    "UNABLE_TO_VERIFY_LEAF_SIGNATURE",
]);

/**
 * No usable response: connection refused or dropped, DNS failure, timeout, an untrusted
 * certificate, or a proxy that would not open a tunnel (`errno` `EPROXY`, `status` the proxy's).
 */
export class KaleyraNetworkError extends KaleyraError {
    /** The system error code, e.g. `ECONNREFUSED`, `ECONNRESET`, `ETIMEDOUT`; `EPROXY` for a proxy's refusal. */
    readonly errno: string;

    constructor(message: string, details: KaleyraErrorDetails & { errno: string }) {
        super(message, details);
        this.errno = this.redact(details.errno);
    }

    /** Retried, except an untrusted certificate and a proxy's 4xx (say, 407: its credentials are wrong). */
    override get retryable(): boolean {
        if (CERTIFICATE_ERRNOS.has(this.errno)) return false;
        return !(this.errno === "EPROXY" && this.status !== undefined && this.status >= 400 && this.status < 500);
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
