/**
 * The Kaleyra HTTP client: one call, `PUT /v1/<sid>/whatsapp/number`, with pacing and retries.
 * Transport failures and responses become typed errors (see responses.ts); the retry policy is
 * retry-timing.ts; pacing is limiter.ts. Every error is built with the request's secrets and
 * redacts itself (errors.ts): nothing here redacts at the call site.
 */

import axios, { AxiosInstance } from "axios";

import { KaleyraSettings } from "./config";
import { KaleyraError, KaleyraNetworkError, KaleyraRateLimitError, KaleyraUnexpectedResponseError, RequestTarget } from "./errors";
import { ProfileFieldKey, WA_NUMBER_KEY } from "../contract/fields";
import { Gate, gateFor } from "./limiter";
import { interpretResponse, UpdateSuccess } from "./responses";
import { BackoffOptions, decideRetry, DEFAULT_BACKOFF } from "./retry-timing";

/** The JSON body of `PUT /v1/<sid>/whatsapp/number`: `wa_number` plus the fields to change. */
export type NumberUpdateBody = { readonly [WA_NUMBER_KEY]: string } & { readonly [K in ProfileFieldKey]?: string };

/** A completed update. */
export interface UpdateResult extends UpdateSuccess {
    /** Attempts it took (1 when nothing was retried). */
    readonly attempts: number;
}

/** A retry about to happen, for logs. */
export interface RetryEvent {
    /** The attempt that failed (1-based). */
    readonly attempt: number;
    /** The wait before the next attempt, in ms. */
    readonly delayMs: number;
    /** The failure, already redacted. */
    readonly error: KaleyraError;
}

/** Knobs for tests and embedding; the defaults are what the provider uses. */
export interface KaleyraClientOptions {
    /** The backoff curve. */
    readonly backoff?: BackoffOptions;
    /** Uniform random numbers in [0, 1), for jitter. */
    readonly random?: () => number;
    /** Called before each retry (the provider logs it to stderr). */
    readonly onRetry?: (event: RetryEvent) => void;
    /** Largest response body accepted, in bytes. */
    readonly maxResponseBytes?: number;
    /** The `User-Agent` header. */
    readonly userAgent?: string;
}

const sleep = (ms: number) => new Promise<void>((resolve) => setTimeout(resolve, ms));

/** The system error code of a transport failure, as far as it can be found. */
function errnoOf(error: unknown): string {
    const e = error as { code?: unknown; cause?: { code?: unknown } } | undefined;
    const code = e?.cause?.code ?? e?.code;
    return typeof code === "string" ? code : "EUNKNOWN";
}

const ERRNO_TEXT: Readonly<Record<string, string>> = {
    ECONNREFUSED: "connection refused",
    ECONNRESET: "connection dropped before a response",
    EPIPE: "connection dropped while sending",
    ENOTFOUND: "host not found",
    EAI_AGAIN: "DNS lookup failed",
    EHOSTUNREACH: "host unreachable",
    ENETUNREACH: "network unreachable",
    ERR_NETWORK: "network error",
};

/** A client for one account (SID + key) at one endpoint. */
export class KaleyraClient {
    private readonly http: AxiosInstance;
    private readonly gate: Gate;
    /** What no error may show: the API key. */
    private readonly secrets: readonly string[];
    private readonly target: RequestTarget;
    /** The path relative to the endpoint (which may carry a base path of its own). */
    private readonly requestPath: string;

    constructor(
        private readonly settings: KaleyraSettings,
        private readonly options: KaleyraClientOptions = {},
    ) {
        this.requestPath = `/v1/${encodeURIComponent(settings.sid)}/whatsapp/number`;
        const endpointUrl = new URL(settings.endpoint);
        this.target = { method: "PUT", endpoint: endpointUrl.origin, path: `${endpointUrl.pathname.replace(/\/$/, "")}${this.requestPath}` };
        this.gate = gateFor(settings.endpoint, settings.sid, settings.maxConcurrency);
        this.secrets = [settings.apiKey];
        this.http = axios.create({
            baseURL: settings.endpoint,
            timeout: settings.timeoutMs,
            maxRedirects: 0,
            maxContentLength: options.maxResponseBytes ?? 1_000_000,
            responseType: "text",
            transformResponse: [(data: unknown) => data],
            validateStatus: () => true,
            proxy: false,
        });
    }

    /**
     * Send one update, retrying what is safe to retry (the PUT is idempotent).
     * @throws KaleyraError subclasses; `attempts` says how many were made.
     */
    async updateNumber(body: NumberUpdateBody): Promise<UpdateResult> {
        const { maxRetries, retryTimeoutMs } = this.settings;
        const started = Date.now();
        for (let attempts = 1; ; attempts++) {
            try {
                const success = await this.gate.run(() => this.sendPacing(body));
                return { ...success, attempts };
            } catch (caught) {
                const error = caught instanceof KaleyraError ? caught : this.unexpected(caught);
                const retryAfterMs = error instanceof KaleyraRateLimitError ? error.retryAfterMs : undefined;
                const decision = decideRetry(
                    { attempts, maxRetries, elapsedMs: Date.now() - started, budgetMs: retryTimeoutMs, retryable: error.retryable, retryAfterMs },
                    this.options.backoff ?? DEFAULT_BACKOFF,
                    this.options.random,
                );
                if (!decision.retry) {
                    if (attempts > 1) error.gaveUp(attempts, ` — ${decision.reason} over ${((Date.now() - started) / 1000).toFixed(1)} s`);
                    throw error;
                }
                this.options.onRetry?.({ attempt: attempts, delayMs: decision.delayMs, error });
                await sleep(decision.delayMs);
            }
        }
    }

    /**
     * One attempt, holding a slot of the account's gate. A rate limit pauses the whole account
     * before the slot is released, so no queued request slips through: for the server's
     * Retry-After, or the base backoff when it gives none, never beyond one operation's budget.
     * Each request's own backoff is decided in `updateNumber`, not imposed on the account.
     */
    private async sendPacing(body: NumberUpdateBody): Promise<UpdateSuccess> {
        try {
            return await this.send(body);
        } catch (caught) {
            if (caught instanceof KaleyraRateLimitError) {
                const pauseMs = caught.retryAfterMs ?? (this.options.backoff ?? DEFAULT_BACKOFF).baseMs;
                this.gate.pause(Math.min(pauseMs, this.settings.retryTimeoutMs));
            }
            throw caught;
        }
    }

    /** One attempt: send, then interpret. */
    private async send(body: NumberUpdateBody): Promise<UpdateSuccess> {
        const headers = {
            "api-key": this.settings.apiKey,
            "Content-Type": "application/json",
            Accept: "application/json",
            "User-Agent": this.options.userAgent ?? "pulumi-kaleyra-whatsapp",
        };
        let response;
        try {
            response = await this.http.request<string>({
                method: "PUT",
                url: this.requestPath,
                data: body,
                headers,
                signal: AbortSignal.timeout(this.settings.timeoutMs),
            });
        } catch (caught) {
            throw this.transportError(caught, headers);
        }
        const responseHeaders: Record<string, string | undefined> = {};
        for (const [name, value] of Object.entries(response.headers ?? {})) {
            responseHeaders[name.toLowerCase()] = Array.isArray(value) ? value.join(", ") : value === undefined || value === null ? undefined : String(value);
        }
        const text = typeof response.data === "string" ? response.data : "";
        return interpretResponse({ status: response.status, headers: responseHeaders, body: text }, this.target, this.secrets);
    }

    /** A failure before any complete response: timeouts, refused or dropped connections, oversize bodies. */
    private transportError(caught: unknown, requestHeaders: Record<string, string>): KaleyraError {
        const { method, endpoint, path } = this.target;
        const base = { target: this.target, secrets: this.secrets, requestHeaders };
        const errno = errnoOf(caught);
        const rawMessage = caught instanceof Error ? caught.message : String(caught);
        if (errno === "ERR_BAD_RESPONSE" && /maxContentLength/.test(rawMessage)) {
            return new KaleyraUnexpectedResponseError(
                `Unexpected answer from ${endpoint}: the response body was larger than ${this.options.maxResponseBytes ?? 1_000_000} bytes.`,
                base,
            );
        }
        if (errno === "ECONNABORTED" || errno === "ETIMEDOUT" || errno === "ERR_CANCELED" || errno === "ABORT_ERR") {
            return new KaleyraNetworkError(
                `Kaleyra at ${endpoint} did not answer ${method} ${path} within ${this.settings.timeoutMs} ms (kaleyra:timeoutMs).`,
                { ...base, errno: "ETIMEDOUT" },
            );
        }
        const text = ERRNO_TEXT[errno] ?? rawMessage;
        return new KaleyraNetworkError(
            `Could not reach Kaleyra at ${endpoint} (${method} ${path}): ${errno} ${text}. Check kaleyra:endpoint or kaleyra:region, and the network.`,
            { ...base, errno },
        );
    }

    /** A bug or an unforeseen throw: keep only its message (redacted by the error). */
    private unexpected(caught: unknown): KaleyraError {
        const text = caught instanceof Error ? caught.message : String(caught);
        return new KaleyraUnexpectedResponseError(`Unexpected failure calling ${this.target.endpoint}: ${text}`, {
            target: this.target,
            secrets: this.secrets,
        });
    }
}
