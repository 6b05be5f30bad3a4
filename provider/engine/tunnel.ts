/**
 * The CONNECT tunnel to an https endpoint through a proxy: an `https.Agent` whose connections
 * are opened with `CONNECT host:port` at the proxy, then TLS to the endpoint inside the tunnel,
 * so the proxy sees only the host and port, never the request or the API key. Being a real
 * `https.Agent`, Node pools the tunnelled connections per endpoint (keep-alive): one tunnel
 * serves request after request.
 *
 * This is what hpagent's `HttpsProxyAgent` does, with one difference that is the reason for it: a
 * proxy that answers the CONNECT with anything but 200 fails with a {@link ProxyTunnelRefusedError}
 * carrying the proxy's status, a class and a number, where hpagent gives only a sentence with
 * the status in it — which a caller would have to parse, and which would break silently the day
 * the library rewords it. Failures to reach the proxy at all are Node's own, with their
 * system error codes (`ECONNREFUSED`, `ECONNRESET`, a TLS code for an https proxy).
 */

import * as http from "node:http";
import * as https from "node:https";
import type { Duplex } from "node:stream";

/** The proxy answered the CONNECT with a status other than 200: it would not open the tunnel. */
export class ProxyTunnelRefusedError extends Error {
    /**
     * @param status the proxy's HTTP status, e.g. 407 (credentials wanted or wrong), 403, 502.
     * @param target the `host:port` the tunnel was asked for.
     */
    constructor(
        readonly status: number,
        readonly target: string,
    ) {
        super(`the proxy answered CONNECT ${target} with HTTP ${status}`);
        this.name = "ProxyTunnelRefusedError";
    }
}

/** Where the tunnels go and how to authenticate to the proxy. */
export interface TunnelOptions {
    /** The proxy, `http://` or `https://` (its credentials, if any, are in `authorization`, not read from here). */
    readonly proxy: URL;
    /** The `Proxy-Authorization` header value, e.g. `Basic dXNlcjpwYXNz`, if the proxy wants one. */
    readonly authorization?: string;
    /** Certificate authorities to trust for the endpoint and an https proxy, instead of Node's. */
    readonly ca?: ReadonlyArray<string | Buffer>;
}

/** An https agent whose every connection is a CONNECT tunnel through one proxy. */
export class TunnelAgent extends https.Agent {
    constructor(private readonly tunnel: TunnelOptions) {
        super({ keepAlive: true, ...(tunnel.ca ? { ca: [...tunnel.ca] } : {}) });
    }

    /** Open the tunnel, then TLS to the endpoint through it; the outcome goes to `callback`. */
    override createConnection(options: https.RequestOptions, callback?: (err: Error | null, stream: Duplex) => void): Duplex | null | undefined {
        const { proxy, authorization, ca } = this.tunnel;
        const target = `${options.host}:${options.port}`;
        const secure = proxy.protocol === "https:";
        const host = proxy.hostname.replace(/^\[(.*)\]$/, "$1");
        const request = (secure ? https : http).request({
            method: "CONNECT",
            host,
            port: Number(proxy.port) || (secure ? 443 : 80),
            path: target,
            setHost: false,
            agent: false,
            headers: { host: target, connection: "keep-alive", ...(authorization ? { "proxy-authorization": authorization } : {}) },
            ...(secure ? { servername: host, ...(ca ? { ca: [...ca] } : {}) } : {}),
        });
        const done = (error: Error | null, stream?: Duplex) => {
            request.removeAllListeners();
            // Node's agent takes `(err)` alone on failure; the cast only satisfies the declared signature.
            callback?.(error, stream as Duplex);
        };
        request.once("connect", (response, socket) => {
            socket.removeAllListeners();
            if (response.statusCode === 200) {
                // `socket`: TLS runs over the tunnel (tls.connect's option, which RequestOptions does not declare).
                done(null, super.createConnection({ ...options, socket } as https.RequestOptions) ?? undefined);
            } else {
                socket.destroy();
                done(new ProxyTunnelRefusedError(response.statusCode ?? 0, target));
            }
        });
        request.once("error", (error) => done(error));
        request.end();
        return undefined;
    }
}
