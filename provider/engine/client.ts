/**
 * The Kaleyra HTTP client: one call, `PUT /v1/<sid>/whatsapp/number`, with pacing, retries and
 * a hard time budget, directly or through the proxy the environment names. The client only sends
 * and reads; the other rooms of the transport are:
 * - retry.ts, the retry loop, carrying out the policy of retry-timing.ts under limiter.ts's gate;
 * - responses.ts, an HTTP answer into a success or a typed error;
 * - transport-failures.ts, no usable answer into a typed error;
 * - errors.ts (the classes) and redaction.ts (what no error may show);
 * - agents.ts, tunnel.ts and proxy-env.ts, how requests reach the endpoint.
 */

import type { Readable } from "node:stream";

import axios, { AxiosInstance } from "axios";

import { CertificateAuthorities, transportFor } from "./agents";
import { KaleyraSettings } from "./config";
import { RequestTarget } from "./errors";
import { ProfileFieldKey, WA_NUMBER_KEY } from "../contract/fields";
import { Gate, gateFor } from "./limiter";
import { readBody } from "./response-body";
import { interpretResponse, UpdateSuccess } from "./responses";
import { retrying, RetryEvent } from "./retry";
import { BackoffOptions, waitNote } from "./retry-timing";
import { neverSent, transportFailure, unexpectedFailure } from "./transport-failures";

/** The JSON body of `PUT /v1/<sid>/whatsapp/number`: `wa_number` plus the fields to change. */
export type NumberUpdateBody = { readonly [WA_NUMBER_KEY]: string } & { readonly [K in ProfileFieldKey]?: string };

/** A completed update. */
export interface UpdateResult extends UpdateSuccess {
    /** Attempts it took (1 when nothing was retried). */
    readonly attempts: number;
}

/** The largest response body accepted by default, in bytes. */
const DEFAULT_MAX_RESPONSE_BYTES = 1_000_000;

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

/** A client for one account (SID + key) at one endpoint. */
export class KaleyraClient {
    private readonly http: AxiosInstance;
    private readonly gate: Gate;
    private readonly target: RequestTarget;
    /** What no error may show: the API key and the proxy's credentials. */
    private readonly secrets: readonly string[];
    /** The path relative to the endpoint (which may carry a base path of its own). */
    private readonly requestPath: string;

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
        this.secrets = [settings.apiKey, ...(proxy?.secrets ?? [])];
        this.gate = gateFor(settings.endpoint, settings.sid, settings.maxConcurrency);
        const transport = transportFor(endpointUrl, proxy, options.ca);
        this.http = axios.create({
            baseURL: settings.endpoint,
            maxRedirects: 0,
            // The body is read by readBody, within maxResponseBytes and the attempt's deadline.
            responseType: "stream",
            maxContentLength: -1,
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
                waited: (e) => neverSent(this.target, this.secrets, waitNote(e.waitingFor, e.pauseLeftMs, this.settings.retryTimeoutMs)),
                unexpected: (caught) => unexpectedFailure(caught, this.target, this.secrets),
            },
        );
        return { ...value, attempts };
    }

    /** One attempt: send, read the body, then interpret. */
    private async send(body: NumberUpdateBody, timeoutMs: number, clipped: boolean): Promise<UpdateSuccess> {
        const headers = {
            "api-key": this.settings.apiKey,
            "Content-Type": "application/json",
            Accept: "application/json",
            "User-Agent": this.options.userAgent ?? "pulumi-kaleyra-whatsapp",
        };
        // The attempt's one deadline, for the connection, the answer and the body alike: when it
        // has fired, whatever failed failed because of it.
        const deadline = AbortSignal.timeout(timeoutMs);
        let status: number;
        const responseHeaders: Record<string, string | undefined> = {};
        let text: string;
        try {
            const response = await this.http.request<Readable>({ method: "PUT", url: this.requestPath, data: body, headers, signal: deadline });
            status = response.status;
            for (const [name, value] of Object.entries(response.headers ?? {})) {
                responseHeaders[name.toLowerCase()] = Array.isArray(value) ? value.join(", ") : value === undefined || value === null ? undefined : String(value);
            }
            text = await readBody(response.data, this.options.maxResponseBytes ?? DEFAULT_MAX_RESPONSE_BYTES, deadline, responseHeaders["content-length"]);
        } catch (caught) {
            throw transportFailure(caught, {
                target: this.target,
                secrets: this.secrets,
                requestHeaders: headers,
                proxy: this.settings.proxy,
                timeoutMs,
                clipped,
                retryTimeoutMs: this.settings.retryTimeoutMs,
                timedOut: deadline.aborted,
            });
        }
        return interpretResponse({ status, headers: responseHeaders, body: text }, this.target, this.secrets);
    }
}
