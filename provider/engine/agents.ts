/**
 * How the client's requests reach the endpoint: directly, or through the proxy that
 * proxy-env.ts chose. The agents are made once per proxy (and trust setting) for the whole
 * process and reused, so connections are kept alive across requests and resources: with an
 * https endpoint behind a proxy, one CONNECT tunnel serves request after request.
 *
 * - https target through a proxy: a CONNECT tunnel, then TLS to the endpoint inside it
 *   (tunnel.ts: a real `https.Agent`, so Node pools the tunnelled connections per endpoint). The
 *   proxy sees only the host and port, never the request or the API key.
 * - http target through a proxy: the request in absolute form (`PUT http://host/path`) to the
 *   proxy, as curl and npm send it, by axios's own `proxy` setting; no tunnel (many proxies allow
 *   CONNECT only to port 443).
 * - direct: Node's global agents (keep-alive since Node 19), or one agent per trust setting when
 *   the client was given its own CAs.
 */

import { createHash } from "node:crypto";
import * as http from "node:http";
import * as https from "node:https";

import type { AxiosProxyConfig } from "axios";

import type { ProxyRoute } from "./proxy-env";
import { TunnelAgent } from "./tunnel";

/** Certificate authorities to trust instead of Node's (https.Agent's `ca`). */
export type CertificateAuthorities = string | Buffer | ReadonlyArray<string | Buffer>;

/** What axios is given for one client's requests. */
export interface Transport {
    /** Agent for http connections (to the endpoint, or to an http proxy). */
    readonly httpAgent?: http.Agent;
    /** Agent for https connections (to the endpoint directly or through a tunnel, or to an https proxy). */
    readonly httpsAgent?: https.Agent;
    /** axios's forward-proxy setting, for an http endpoint behind a proxy; `false` otherwise. */
    readonly proxy: AxiosProxyConfig | false;
}

/** Every agent made so far, by route: bounded by the proxies and trust settings one process uses. */
const agents = new Map<string, http.Agent>();

function cached<A extends http.Agent>(key: string, make: () => A): A {
    let agent = agents.get(key) as A | undefined;
    if (!agent) {
        agent = make();
        agents.set(key, agent);
    }
    return agent;
}

function caKey(ca: CertificateAuthorities | undefined): string {
    if (ca === undefined) return "default";
    const hash = createHash("sha256");
    for (const part of Array.isArray(ca) ? ca : [ca]) hash.update(part).update("\0");
    return hash.digest("hex");
}

function caList(ca: CertificateAuthorities): Array<string | Buffer> {
    return Array.isArray(ca) ? [...ca] : [ca as string | Buffer];
}

/** A keep-alive https agent with its own CAs, for direct connections and https proxies. */
function directHttps(ca: CertificateAuthorities): https.Agent {
    return cached(`direct-https\0${caKey(ca)}`, () => new https.Agent({ keepAlive: true, ca: caList(ca) }));
}

/** How requests to `endpoint` are sent, given the proxy chosen for it (if any) and extra CAs. */
export function transportFor(endpoint: URL, proxy: ProxyRoute | undefined, ca?: CertificateAuthorities): Transport {
    const httpsAgent = ca === undefined ? undefined : directHttps(ca);
    if (!proxy) return { httpsAgent, proxy: false };
    if (endpoint.protocol === "https:") {
        const { auth } = proxy;
        const tunnel = cached(
            `tunnel\0${proxy.url.href}\0${caKey(ca)}`,
            () =>
                new TunnelAgent({
                    proxy: proxy.url,
                    ...(auth ? { authorization: `Basic ${Buffer.from(`${auth.username}:${auth.password}`, "utf8").toString("base64")}` } : {}),
                    ...(ca === undefined ? {} : { ca: caList(ca) }),
                }),
        );
        return { httpsAgent: tunnel, proxy: false };
    }
    const { url, auth } = proxy;
    return {
        httpsAgent,
        proxy: {
            protocol: url.protocol.replace(/:$/, ""),
            host: url.hostname.replace(/^\[(.*)\]$/, "$1"),
            port: Number(url.port) || (url.protocol === "https:" ? 443 : 80),
            ...(auth ? { auth: { username: auth.username, password: auth.password } } : {}),
        },
    };
}
