/**
 * Turns one HTTP response into a success or a typed {@link KaleyraError}. Pure: the caller
 * passes the status, headers and body text, and the request's secrets. Every error is built with
 * those secrets and redacts itself (errors.ts); server text is also taken through
 * {@link Redaction.snippet} before it is clipped for a message, so a cut cannot leave part of a
 * secret that whole-secret redaction would miss.
 */

import { fieldByKey, WA_NUMBER_KEY } from "../contract/fields";
import { KaleyraAuthenticationError, KaleyraError, KaleyraErrorBody, KaleyraNotFoundError, KaleyraRateLimitError, KaleyraServerError, KaleyraUnexpectedResponseError, KaleyraValidationError, RequestTarget } from "./errors";
import { Redaction } from "./redaction";
import { parseRetryAfter } from "./retry-timing";

/** A response as received: status, lower-cased headers, and the body as text. */
export interface RawResponse {
    /** HTTP status code. */
    readonly status: number;
    /** Response headers with lower-case names. */
    readonly headers: Readonly<Record<string, string | undefined>>;
    /** The body, as text (may be empty, truncated, HTML, anything). */
    readonly body: string;
}

/** Kaleyra's success: `{"status":200,"message":"WA Phone number update successfully.",...}`. */
export interface UpdateSuccess {
    /** HTTP status of the response. */
    readonly status: number;
    /** Kaleyra's message, if it sent one. */
    readonly message?: string;
    /** The request id from the response headers, if any. */
    readonly requestId?: string;
}

function parseJson(body: string): unknown {
    try {
        return JSON.parse(body);
    } catch {
        return undefined;
    }
}

function isObject(value: unknown): value is Record<string, unknown> {
    return typeof value === "object" && value !== null && !Array.isArray(value);
}

/** The error envelope, wherever Kaleyra put it: `{"error":{...}}` or the fields at top level. */
function errorBody(parsed: unknown, redaction: Redaction): KaleyraErrorBody | undefined {
    if (!isObject(parsed)) return undefined;
    const source = Object.hasOwn(parsed, "error") && isObject(parsed.error) ? parsed.error : parsed;
    const text = (key: string): string | undefined => {
        const v = Object.hasOwn(source, key) ? source[key] : undefined;
        return typeof v === "string" || typeof v === "number" ? redaction.snippet(String(v)) || undefined : undefined;
    };
    const body: KaleyraErrorBody = {
        code: text("code"),
        type: text("type"),
        parameter: text("parameter"),
        message: text("message"),
        reference: text("reference"),
    };
    return body.code !== undefined || (source !== parsed && body.message !== undefined) ? body : undefined;
}

/** How much of a non-JSON body is looked at for a message: enough for a snippet, never the whole. */
const MAX_SCAN = 4096;

function describeText(body: string, redaction: Redaction): string {
    // Redact the whole body first (a cut could split the key), then look only at its head.
    const head = redaction.text(body).slice(0, MAX_SCAN);
    if (head.trim() === "") return "an empty body";
    if (/^\s*</.test(head)) return `an HTML/XML page: "${redaction.snippet(head.replace(/<[^<>]*>/g, " "))}"`;
    return `a body that is not Kaleyra's JSON: "${redaction.snippet(head)}"`;
}

function requestIdOf(headers: RawResponse["headers"], redaction: Redaction): string | undefined {
    const id = headers["x-request-id"] ?? headers["x-kaleyra-request-id"] ?? headers["x-amzn-requestid"];
    return id ? redaction.snippet(id) : undefined;
}

/**
 * Interpret a response to `PUT /v1/<sid>/whatsapp/number`.
 * @param secrets what must appear in no error or message: the API key, proxy credentials.
 * @returns the success, for a 2xx carrying a JSON object without an error code.
 * @throws KaleyraError (a subclass chosen by status) for everything else.
 */
export function interpretResponse(raw: RawResponse, target: RequestTarget, secrets: readonly string[]): UpdateSuccess {
    const redaction = new Redaction(secrets);
    const parsed = parseJson(raw.body);
    const body = errorBody(parsed, redaction);
    const requestId = requestIdOf(raw.headers, redaction);
    const status = raw.status;
    const suffix = ` (HTTP ${status}${requestId ? `, request ${requestId}` : ""})`;
    const details = { ...body, status, requestId, target, secrets, responseHeaders: raw.headers, responseBody: raw.body };

    if (status >= 200 && status < 300) {
        if (!isObject(parsed)) {
            throw new KaleyraUnexpectedResponseError(
                `Unexpected answer from ${target.endpoint}: ${describeText(raw.body, redaction)}${suffix}. Is kaleyra:endpoint a Kaleyra API origin?`,
                details,
            );
        }
        if (body?.code === undefined) {
            const message = Object.hasOwn(parsed, "message") && typeof parsed.message === "string" ? redaction.snippet(parsed.message) : undefined;
            return { status, message, requestId };
        }
        // A 2xx that carries an error code is a rejection all the same.
    }

    const said = body ? describeBody(body, status) : describeText(raw.body, redaction);

    if (status === 400 || status === 422 || (status < 300 && body)) {
        const what = body?.parameter ? describeParameter(body.parameter) : "the request";
        return fail(new KaleyraValidationError(`Kaleyra rejected ${what}: ${said}${suffix}`, details));
    }
    if (status === 401 || status === 403) {
        const hint =
            body?.code === "WA401"
                ? "The number is not registered on this account: check waNumber and kaleyra:sid."
                : `Check kaleyra:sid and kaleyra:apiKey (or KALEYRA_SID and KALEYRA_API_KEY), and that the key belongs to ${target.endpoint}.`;
        return fail(new KaleyraAuthenticationError(`Kaleyra refused the request: ${said}${suffix}. ${hint}`, details));
    }
    if (status === 404) {
        return fail(
            new KaleyraNotFoundError(
                `Kaleyra has no ${target.method} ${target.path} at ${target.endpoint}: ${said}${suffix}. Check kaleyra:sid and kaleyra:region or kaleyra:endpoint.`,
                details,
            ),
        );
    }
    if (status === 429) {
        const retryAfterMs = parseRetryAfter(raw.headers["retry-after"]);
        return fail(new KaleyraRateLimitError(`Kaleyra is rate limiting requests: ${said}${suffix}`, { ...details, retryAfterMs }));
    }
    if (status >= 500 && status < 600) {
        return fail(new KaleyraServerError(`Kaleyra failed on its side: ${said}${suffix}`, details));
    }
    return fail(new KaleyraUnexpectedResponseError(`Unexpected answer from ${target.endpoint}: ${said}${suffix}`, details));
}

/** Names a Kaleyra parameter for a person: `display_image (displayImage)`. */
function describeParameter(parameter: string): string {
    if (parameter === WA_NUMBER_KEY) return "wa_number (waNumber)";
    const field = fieldByKey(parameter);
    return field ? `${parameter} (${field.name})` : parameter;
}

/** `E962 VALIDATION_ERROR — display_image cannot be empty`, from whatever parts Kaleyra sent. */
function describeBody(body: KaleyraErrorBody, status?: number): string {
    const head = [body.code, body.type].filter(Boolean).join(" ") || (status !== undefined ? `HTTP ${status}` : "error");
    return body.message ? `${head} — ${body.message}` : head;
}

function fail(error: KaleyraError): never {
    throw error;
}
