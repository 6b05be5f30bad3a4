/**
 * What went wrong when there was no usable answer, as a typed error: the one place that turns a
 * transport failure — a timeout, a refused or dropped connection, a certificate the client does
 * not accept, a proxy that would not open a tunnel, a body over the limit — into a
 * {@link KaleyraNetworkError} (or, for the body, a {@link KaleyraUnexpectedResponseError}), with
 * the words that say what to do and the decision whether sending again may help.
 *
 * Failures are recognised by what is stable across library versions, never by message text:
 * the attempt's own deadline (its AbortSignal fired), this package's own classes
 * ({@link ResponseTooLargeError}, {@link ProxyTunnelRefusedError}) anywhere in the `cause` chain,
 * and Node's system error codes (`ECONNRESET`, `CERT_HAS_EXPIRED`, …). tests/unit/transport-failures.test.ts
 * produces each kind for real, through axios and Node, so an upgrade that changes how they
 * surface fails there.
 */

import { KaleyraError, KaleyraNetworkError, KaleyraUnexpectedResponseError, RequestTarget } from "./errors";
import type { ProxyRoute } from "./proxy-env";
import { ResponseTooLargeError } from "./response-body";
import { ProxyTunnelRefusedError } from "./tunnel";

/** The system error code given for a failure that carries none. */
const UNKNOWN_ERRNO = "EUNKNOWN";

/** What certificate failures say. Sending again will not fix any of them: none is retried. */
const UNTRUSTED = "the server's TLS certificate is not trusted (behind a TLS-inspecting proxy, give Node its CA with NODE_EXTRA_CA_CERTS)";
const CERTIFICATE_FAILURES: ReadonlyMap<string, string> = new Map([
    ["CERT_HAS_EXPIRED", "the server's TLS certificate has expired"],
    ["CERT_NOT_YET_VALID", "the server's TLS certificate is not valid yet (check this machine's clock)"],
    ["CERT_REVOKED", "the server's TLS certificate has been revoked"],
    ["DEPTH_ZERO_SELF_SIGNED_CERT", UNTRUSTED],
    ["SELF_SIGNED_CERT_IN_CHAIN", UNTRUSTED],
    ["UNABLE_TO_GET_ISSUER_CERT", UNTRUSTED],
    ["UNABLE_TO_GET_ISSUER_CERT_LOCALLY", UNTRUSTED],
    ["UNABLE_TO_VERIFY_LEAF_SIGNATURE", UNTRUSTED],
    ["CERT_UNTRUSTED", UNTRUSTED],
    ["ERR_TLS_CERT_ALTNAME_INVALID", "the server's TLS certificate is for another host"],
]);

/** What the other system error codes say. A code not listed is shown with the error's own text. */
const ERRNO_TEXT: ReadonlyMap<string, string> = new Map([
    ["ECONNREFUSED", "connection refused"],
    ["ECONNRESET", "connection dropped before a response"],
    ["EPIPE", "connection dropped while sending"],
    ["ETIMEDOUT", "connection timed out"],
    ["ENOTFOUND", "host not found"],
    ["EAI_AGAIN", "DNS lookup failed"],
    ["EHOSTUNREACH", "host unreachable"],
    ["ENETUNREACH", "network unreachable"],
    ["ERR_NETWORK", "network error"],
]);

/** The failure and every `cause` under it, outermost first (bounded, in case of a cycle). */
function causeChain(caught: unknown): unknown[] {
    const chain: unknown[] = [];
    for (let e = caught; e !== undefined && e !== null && chain.length < 8; e = (e as { cause?: unknown }).cause) {
        chain.push(e);
        if (typeof e !== "object") break;
    }
    return chain;
}

/** The first error of class `type` in the chain. */
function find<T>(chain: readonly unknown[], type: abstract new (...args: never[]) => T): T | undefined {
    return chain.find((e): e is T => e instanceof type);
}

/** The system error code of a transport failure: the innermost string `code` in the chain. */
function errnoOf(chain: readonly unknown[]): string {
    for (const e of [...chain].reverse()) {
        const code = typeof e === "object" && e !== null ? (e as { code?: unknown }).code : undefined;
        if (typeof code === "string" && code !== "") return code;
    }
    return UNKNOWN_ERRNO;
}

/** One attempt, as the failure mapping needs to know it. */
export interface AttemptContext {
    /** Where the request went. */
    readonly target: RequestTarget;
    /** What no error may show: the API key, the proxy's credentials. */
    readonly secrets: readonly string[];
    /** The request's headers (credential values are redacted too). */
    readonly requestHeaders: Readonly<Record<string, string>>;
    /** The proxy the request went through, if any. */
    readonly proxy?: ProxyRoute;
    /** The attempt's timeout, in ms. */
    readonly timeoutMs: number;
    /** Whether what was left of the retry budget, not `kaleyra:timeoutMs`, set that timeout. */
    readonly clipped: boolean;
    /** `kaleyra:retryTimeoutMs`, for the message of a clipped timeout. */
    readonly retryTimeoutMs: number;
    /** Whether the attempt's deadline passed (its AbortSignal fired): any failure then is the timeout. */
    readonly timedOut: boolean;
}

/** ` through the proxy http://… (from HTTPS_PROXY)`, or nothing when direct. */
function viaProxy(proxy: ProxyRoute | undefined): string {
    return proxy ? ` through the proxy ${proxy.display} (from ${proxy.from})` : "";
}

/**
 * A failure before any complete response, as a typed error that says what to check.
 * @param caught what the HTTP library or the body reader threw.
 */
export function transportFailure(caught: unknown, context: AttemptContext): KaleyraError {
    const { target, proxy } = context;
    const { method, endpoint, path } = target;
    const base = { target, secrets: context.secrets, requestHeaders: context.requestHeaders };
    const via = viaProxy(proxy);
    const chain = causeChain(caught);

    const tooLarge = find(chain, ResponseTooLargeError);
    if (tooLarge) {
        return new KaleyraUnexpectedResponseError(`Unexpected answer from ${endpoint}: the response body was larger than ${tooLarge.limitBytes} bytes.`, base);
    }
    if (context.timedOut) {
        const limit = context.clipped
            ? `${context.timeoutMs} ms, what was left of the retry time budget (kaleyra:retryTimeoutMs ${context.retryTimeoutMs})`
            : `${context.timeoutMs} ms (kaleyra:timeoutMs)`;
        return new KaleyraNetworkError(`Kaleyra at ${endpoint} did not answer ${method} ${path}${via} within ${limit}.`, { ...base, errno: "ETIMEDOUT" });
    }
    const refused = find(chain, ProxyTunnelRefusedError);
    if (refused && proxy) {
        const { status } = refused;
        const host = new URL(endpoint).host;
        const hint =
            status === 407
                ? ` The proxy wants credentials: put them in ${proxy.from} as http://user:password@host:port.`
                : ` Check ${proxy.from} and NO_PROXY, and that the proxy allows CONNECT to ${host}.`;
        return new KaleyraNetworkError(`The proxy ${proxy.display} (from ${proxy.from}) refused to open a tunnel to ${host} for ${method} ${path}: HTTP ${status}.${hint}`, {
            ...base,
            errno: "EPROXY",
            status,
            // A 4xx (say, 407: wrong credentials) will be refused again; a 5xx may pass.
            retryable: status < 400 || status >= 500,
        });
    }
    const errno = errnoOf(chain);
    const certificate = CERTIFICATE_FAILURES.get(errno);
    if (certificate !== undefined) {
        // The text says what to do; sending again will not change the certificate.
        return new KaleyraNetworkError(`Could not reach Kaleyra at ${endpoint} (${method} ${path})${via}: ${errno} ${certificate}.`, { ...base, errno, retryable: false });
    }
    const text = ERRNO_TEXT.get(errno) ?? (caught instanceof Error ? caught.message : String(caught));
    const check = proxy ? ` Check ${proxy.from} and NO_PROXY, and that the proxy is up.` : " Check kaleyra:endpoint or kaleyra:region, and the network.";
    return new KaleyraNetworkError(`Could not reach Kaleyra at ${endpoint} (${method} ${path})${via}: ${errno} ${text}.${check}`, { ...base, errno });
}

/** The first attempt never got through the account's gate within the budget: `note` says why. */
export function neverSent(target: RequestTarget, secrets: readonly string[], note: string): KaleyraNetworkError {
    return new KaleyraNetworkError(`${target.method} ${target.path} to Kaleyra at ${target.endpoint} was never sent: ${note}.`, { target, errno: "ETIMEDOUT", secrets });
}

/** A bug or an unforeseen throw: keeps only its message (redacted by the error). */
export function unexpectedFailure(caught: unknown, target: RequestTarget, secrets: readonly string[]): KaleyraError {
    const text = caught instanceof Error ? caught.message : String(caught);
    return new KaleyraUnexpectedResponseError(`Unexpected failure calling ${target.endpoint}: ${text}`, { target, secrets });
}
