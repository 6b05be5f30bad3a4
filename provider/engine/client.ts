/**
 * The Kaleyra HTTP client: one call, `PUT /v1/<sid>/whatsapp/number`, with pacing, retries and
 * a hard time budget, directly or through the proxy the environment names. Transport failures and
 * responses become typed errors (see responses.ts), each built with the request's secrets so it
 * redacts itself (errors.ts); the retry policy is retry-timing.ts, carried out by
 * {@link retrying}; pacing is limiter.ts; proxies are proxy-env.ts and agents.ts.
 */

import axios, { AxiosInstance } from "axios";

import { CertificateAuthorities, transportFor } from "./agents";
import { KaleyraSettings } from "./config";
import { CERTIFICATE_ERRNOS, KaleyraError, KaleyraNetworkError, KaleyraRateLimitError, KaleyraUnexpectedResponseError, RequestTarget } from "./errors";
import { ProfileFieldKey, WA_NUMBER_KEY } from "../contract/fields";
import { Gate, GateDeadlineError, gateFor } from "./limiter";
import { interpretResponse, UpdateSuccess } from "./responses";
import {
    accountPauseMs,
    BackoffOptions,
    decideRetry,
    DEFAULT_BACKOFF,
    deadlineOf,
    formatMs,
    outcomeNote,
    planAttempt,
    waitNote,
} from "./retry-timing";

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
    /**
     * Certificate authorities to trust for the endpoint and an https proxy, instead of Node's
     * (for embedding and tests). A pipeline behind a TLS-inspecting proxy sets
     * `NODE_EXTRA_CA_CERTS` instead, which adds to Node's.
     */
    readonly ca?: CertificateAuthorities;
}

/** The limits one operation runs under. */
export interface RetryPolicy {
    /** Per-attempt timeout (`kaleyra:timeoutMs`), in ms; clipped to what is left of the budget. */
    readonly timeoutMs: number;
    /** Retries after the first attempt (`kaleyra:maxRetries`). */
    readonly maxRetries: number;
    /** The whole operation's budget (`kaleyra:retryTimeoutMs`), in ms: queueing, attempts and waits. */
    readonly retryTimeoutMs: number;
    /** The backoff curve. */
    readonly backoff?: BackoffOptions;
    /** Uniform random numbers in [0, 1), for jitter. */
    readonly random?: () => number;
    /** Called before each retry. */
    readonly onRetry?: (event: RetryEvent) => void;
}

/** Turns what is not a KaleyraError into one: a failure to get through the gate, or a bug. */
export interface FailureFactory {
    /** The first attempt never got through the gate within the budget. */
    waited(error: GateDeadlineError): KaleyraError;
    /** An unforeseen throw. */
    unexpected(caught: unknown): KaleyraError;
}

const sleep = (ms: number) => new Promise<void>((resolve) => setTimeout(resolve, ms));

/**
 * Run `attempt` under the account's gate until it succeeds or the policy (retry-timing.ts) says
 * stop; no decision is made here. Each attempt gets the per-request timeout clipped to what is
 * left of the budget; time queued at the gate counts; a rate limit pauses the whole account.
 * @returns the value and the number of attempts made.
 * @throws KaleyraError, noting attempts and why it stopped.
 */
export async function retrying<T>(
    attempt: (timeoutMs: number, clipped: boolean) => Promise<T>,
    gate: Gate,
    policy: RetryPolicy,
    failures: FailureFactory,
): Promise<{ value: T; attempts: number }> {
    const backoff = policy.backoff ?? DEFAULT_BACKOFF;
    const budget = { startedAt: Date.now(), budgetMs: policy.retryTimeoutMs };
    let last: KaleyraError | undefined;
    for (let attempts = 1; ; attempts++) {
        let error: KaleyraError;
        try {
            const value = await gate.run(async () => {
                const plan = planAttempt(policy.timeoutMs, budget, Date.now());
                if (!plan.send) throw new GateDeadlineError("slot", Date.now() - budget.startedAt);
                try {
                    return await attempt(plan.timeoutMs, plan.clipped);
                } catch (caught) {
                    // Pause the account before the slot is released, so no queued request slips through.
                    if (caught instanceof KaleyraRateLimitError) gate.pause(accountPauseMs(caught.retryAfterMs, backoff, policy.retryTimeoutMs));
                    throw caught;
                }
            }, deadlineOf(budget));
            return { value, attempts };
        } catch (caught) {
            if (caught instanceof GateDeadlineError) {
                // This attempt was never sent: end with the last answer, if there was one.
                const note = waitNote(caught.waitingFor, caught.pauseLeftMs, policy.retryTimeoutMs);
                if (!last) throw failures.waited(caught);
                const sent = attempts - 1;
                throw last.gaveUp(sent, ` — gave up after ${sent} attempt${sent === 1 ? "" : "s"} in ${formatMs(Date.now() - budget.startedAt)}: ${note}`);
            }
            error = caught instanceof KaleyraError ? caught : failures.unexpected(caught);
        }
        const elapsedMs = Date.now() - budget.startedAt;
        const decision = decideRetry(
            {
                attempts,
                maxRetries: policy.maxRetries,
                elapsedMs,
                budgetMs: policy.retryTimeoutMs,
                retryable: error.retryable,
                retryAfterMs: error instanceof KaleyraRateLimitError ? error.retryAfterMs : undefined,
            },
            backoff,
            policy.random,
        );
        if (!decision.retry) throw error.gaveUp(attempts, outcomeNote(decision, attempts, elapsedMs));
        policy.onRetry?.({ attempt: attempts, delayMs: decision.delayMs, error });
        last = error;
        await sleep(decision.delayMs);
    }
}

/** The system error code of a transport failure, as far as it can be found. */
function errnoOf(error: unknown): string {
    const e = error as { code?: unknown; cause?: { code?: unknown } } | undefined;
    const code = e?.cause?.code ?? e?.code;
    return typeof code === "string" ? code : "EUNKNOWN";
}

const UNTRUSTED = "the server's TLS certificate is not trusted (behind a TLS-inspecting proxy, give Node its CA with NODE_EXTRA_CA_CERTS)";
const ERRNO_TEXT: Readonly<Record<string, string>> = {
    ECONNREFUSED: "connection refused",
    ECONNRESET: "connection dropped before a response",
    EPIPE: "connection dropped while sending",
    ENOTFOUND: "host not found",
    EAI_AGAIN: "DNS lookup failed",
    EHOSTUNREACH: "host unreachable",
    ENETUNREACH: "network unreachable",
    ERR_NETWORK: "network error",
    CERT_HAS_EXPIRED: "the server's TLS certificate has expired",
    DEPTH_ZERO_SELF_SIGNED_CERT: UNTRUSTED,
    SELF_SIGNED_CERT_IN_CHAIN: UNTRUSTED,
    UNABLE_TO_GET_ISSUER_CERT_LOCALLY: UNTRUSTED,
    UNABLE_TO_VERIFY_LEAF_SIGNATURE: UNTRUSTED,
    ERR_TLS_CERT_ALTNAME_INVALID: "the server's TLS certificate is for another host",
};

/** A client for one account (SID + key) at one endpoint. */
export class KaleyraClient {
    private readonly http: AxiosInstance;
    private readonly gate: Gate;
    private readonly target: RequestTarget;
    /** What no error may show: the API key and the proxy's credentials. */
    private readonly secrets: readonly string[];
    /** The path relative to the endpoint (which may carry a base path of its own). */
    private readonly requestPath: string;
    /** ` through the proxy http://… (from HTTPS_PROXY)`, or nothing when direct: for messages. */
    private readonly via: string;

    constructor(
        private readonly settings: KaleyraSettings,
        private readonly options: KaleyraClientOptions = {},
    ) {
        this.requestPath = `/v1/${encodeURIComponent(settings.sid)}/whatsapp/number`;
        const endpointUrl = new URL(settings.endpoint);
        const { proxy } = settings;
        this.target = {
            method: "PUT",
            endpoint: endpointUrl.origin,
            path: `${endpointUrl.pathname.replace(/\/$/, "")}${this.requestPath}`,
            ...(proxy ? { proxy: proxy.display } : {}),
        };
        this.via = proxy ? ` through the proxy ${proxy.display} (from ${proxy.from})` : "";
        this.secrets = [settings.apiKey, ...(proxy?.secrets ?? [])];
        this.gate = gateFor(settings.endpoint, settings.sid, settings.maxConcurrency);
        const transport = transportFor(endpointUrl, proxy, options.ca);
        this.http = axios.create({
            baseURL: settings.endpoint,
            timeout: settings.timeoutMs,
            maxRedirects: 0,
            maxContentLength: options.maxResponseBytes ?? 1_000_000,
            responseType: "text",
            transformResponse: [(data: unknown) => data],
            validateStatus: () => true,
            // The environment's proxies are resolved by proxy-env.ts (from the same environment as
            // the other settings) and applied here; axios must not apply its own on top.
            proxy: transport.proxy,
            ...(transport.httpAgent ? { httpAgent: transport.httpAgent } : {}),
            ...(transport.httpsAgent ? { httpsAgent: transport.httpsAgent } : {}),
        });
    }

    /**
     * Send one update, retrying what is safe to retry (the PUT is idempotent), all within
     * `kaleyra:retryTimeoutMs`.
     * @throws KaleyraError subclasses; `attempts` says how many were made.
     */
    async updateNumber(body: NumberUpdateBody): Promise<UpdateResult> {
        const { value, attempts } = await retrying(
            (timeoutMs, clipped) => this.send(body, timeoutMs, clipped),
            this.gate,
            {
                timeoutMs: this.settings.timeoutMs,
                maxRetries: this.settings.maxRetries,
                retryTimeoutMs: this.settings.retryTimeoutMs,
                backoff: this.options.backoff,
                random: this.options.random,
                onRetry: this.options.onRetry,
            },
            {
                waited: (e) =>
                    new KaleyraNetworkError(
                        `${this.target.method} ${this.target.path} to Kaleyra at ${this.target.endpoint} was never sent: ${waitNote(e.waitingFor, e.pauseLeftMs, this.settings.retryTimeoutMs)}.`,
                        { target: this.target, errno: "ETIMEDOUT", secrets: this.secrets },
                    ),
                unexpected: (caught) => this.unexpected(caught),
            },
        );
        return { ...value, attempts };
    }

    /** One attempt: send, then interpret. */
    private async send(body: NumberUpdateBody, timeoutMs: number, clipped: boolean): Promise<UpdateSuccess> {
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
                timeout: timeoutMs,
                signal: AbortSignal.timeout(timeoutMs),
            });
        } catch (caught) {
            throw this.transportError(caught, timeoutMs, clipped, headers);
        }
        const responseHeaders: Record<string, string | undefined> = {};
        for (const [name, value] of Object.entries(response.headers ?? {})) {
            responseHeaders[name.toLowerCase()] = Array.isArray(value) ? value.join(", ") : value === undefined || value === null ? undefined : String(value);
        }
        const text = typeof response.data === "string" ? response.data : "";
        return interpretResponse({ status: response.status, headers: responseHeaders, body: text }, this.target, this.secrets);
    }

    /** A failure before any complete response: timeouts, refused or dropped connections, a proxy's refusal, oversize bodies. */
    private transportError(caught: unknown, timeoutMs: number, clipped: boolean, requestHeaders: Record<string, string>): KaleyraError {
        const { method, endpoint, path } = this.target;
        const base = { target: this.target, secrets: this.secrets, requestHeaders };
        const errno = errnoOf(caught);
        const rawMessage = caught instanceof Error ? caught.message : String(caught);
        const proxy = this.settings.proxy;
        if (errno === "ERR_BAD_RESPONSE" && /maxContentLength/.test(rawMessage)) {
            return new KaleyraUnexpectedResponseError(
                `Unexpected answer from ${endpoint}: the response body was larger than ${this.options.maxResponseBytes ?? 1_000_000} bytes.`,
                base,
            );
        }
        if (errno === "ECONNABORTED" || errno === "ETIMEDOUT" || errno === "ERR_CANCELED" || errno === "ABORT_ERR") {
            const limit = clipped
                ? `${timeoutMs} ms, what was left of the retry time budget (kaleyra:retryTimeoutMs ${this.settings.retryTimeoutMs})`
                : `${timeoutMs} ms (kaleyra:timeoutMs)`;
            return new KaleyraNetworkError(`Kaleyra at ${endpoint} did not answer ${method} ${path}${this.via} within ${limit}.`, { ...base, errno: "ETIMEDOUT" });
        }
        // hpagent's words for a CONNECT answered with anything but 200.
        const refused = proxy ? /^Bad response: (\d{3})$/.exec(rawMessage) : null;
        if (proxy && refused) {
            const status = Number(refused[1]);
            const hint =
                status === 407
                    ? ` The proxy wants credentials: put them in ${proxy.from} as http://user:password@host:port.`
                    : ` Check ${proxy.from} and NO_PROXY, and that the proxy allows CONNECT to ${new URL(endpoint).host}.`;
            return new KaleyraNetworkError(
                `The proxy ${proxy.display} (from ${proxy.from}) refused to open a tunnel to ${new URL(endpoint).host} for ${method} ${path}: HTTP ${status}.${hint}`,
                { ...base, errno: "EPROXY", status },
            );
        }
        const text = ERRNO_TEXT[errno] ?? rawMessage;
        // A certificate failure's text says what to do; anything else gets where to look.
        const check = CERTIFICATE_ERRNOS.has(errno)
            ? ""
            : proxy
              ? ` Check ${proxy.from} and NO_PROXY, and that the proxy is up.`
              : " Check kaleyra:endpoint or kaleyra:region, and the network.";
        return new KaleyraNetworkError(`Could not reach Kaleyra at ${endpoint} (${method} ${path})${this.via}: ${errno} ${text}.${check}`, { ...base, errno });
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
