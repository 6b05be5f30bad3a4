/**
 * A real HTTP proxy on 127.0.0.1 for tests, the two ways corporate proxies work: CONNECT
 * tunnels (for https targets) and absolute-form forwarding (`PUT http://host/path`, for http
 * targets). It records every tunnel and forwarded request, can demand Basic credentials, and can
 * be told to refuse or drop CONNECTs. It connects only to loopback addresses.
 */

import * as http from "node:http";
import * as net from "node:net";
import type { AddressInfo } from "node:net";

/** What the proxy does with a CONNECT. */
export type ConnectBehaviour = "tunnel" | "drop" | { status: number };

/** A running test proxy. */
export interface TestProxy {
    /** `http://127.0.0.1:<port>`. */
    readonly url: string;
    /** The port it listens on. */
    readonly port: number;
    /** Each CONNECT's target, `host:port`, in order. */
    readonly tunnels: string[];
    /** The headers of each CONNECT. */
    readonly connectHeaders: http.IncomingHttpHeaders[];
    /** Each forwarded request, `METHOD absolute-url`, in order. */
    readonly forwarded: string[];
    /** The headers of each forwarded request. */
    readonly forwardedHeaders: http.IncomingHttpHeaders[];
    /** What it does with the next CONNECTs. */
    behaviour: ConnectBehaviour;
    close(): Promise<void>;
}

const LOOPBACK = new Set(["127.0.0.1", "localhost", "::1", "[::1]"]);

/** Start a proxy; with `credentials` (`user:password`), it answers 407 to anything without them. */
export async function startProxy(options: { credentials?: string } = {}): Promise<TestProxy> {
    const sockets = new Set<net.Socket>();
    const expected = options.credentials === undefined ? undefined : `Basic ${Buffer.from(options.credentials).toString("base64")}`;
    const authorized = (headers: http.IncomingHttpHeaders) => expected === undefined || headers["proxy-authorization"] === expected;

    const server = http.createServer((req, res) => {
        state.forwarded.push(`${req.method} ${req.url}`);
        state.forwardedHeaders.push(req.headers);
        if (!authorized(req.headers)) {
            res.writeHead(407, { "proxy-authenticate": 'Basic realm="test"' }).end();
            return;
        }
        let target: URL;
        try {
            target = new URL(req.url ?? "");
        } catch {
            res.writeHead(400).end("absolute-form request expected");
            return;
        }
        if (!LOOPBACK.has(target.hostname)) {
            res.writeHead(403).end("this test proxy reaches loopback only");
            return;
        }
        const headers = { ...req.headers };
        delete headers["proxy-authorization"];
        delete headers["proxy-connection"];
        const upstream = http.request(
            { host: target.hostname.replace(/^\[|\]$/g, ""), port: Number(target.port) || 80, method: req.method, path: `${target.pathname}${target.search}`, headers },
            (answer) => {
                res.writeHead(answer.statusCode ?? 502, answer.headers);
                answer.pipe(res);
            },
        );
        upstream.on("error", () => {
            if (!res.headersSent) res.writeHead(502);
            res.end();
        });
        req.pipe(upstream);
    });

    server.on("connect", (req: http.IncomingMessage, client: net.Socket, head: Buffer) => {
        state.tunnels.push(req.url ?? "");
        state.connectHeaders.push(req.headers);
        client.on("error", () => client.destroy());
        const behaviour = state.behaviour;
        if (behaviour === "drop") return void client.destroy();
        if (!authorized(req.headers)) {
            return void client.end('HTTP/1.1 407 Proxy Authentication Required\r\nProxy-Authenticate: Basic realm="test"\r\nContent-Length: 0\r\n\r\n');
        }
        if (behaviour !== "tunnel") return void client.end(`HTTP/1.1 ${behaviour.status} Refused\r\nContent-Length: 0\r\n\r\n`);
        const at = (req.url ?? "").lastIndexOf(":");
        const host = (req.url ?? "").slice(0, at).replace(/^\[|\]$/g, "");
        const port = Number((req.url ?? "").slice(at + 1));
        if (!LOOPBACK.has(host) || !port) return void client.end("HTTP/1.1 403 Forbidden\r\nContent-Length: 0\r\n\r\n");
        const upstream = net.connect(port, host, () => {
            client.write("HTTP/1.1 200 Connection Established\r\n\r\n");
            if (head.length > 0) upstream.write(head);
            upstream.pipe(client);
            client.pipe(upstream);
        });
        sockets.add(upstream);
        upstream.on("close", () => sockets.delete(upstream));
        upstream.on("error", () => client.destroy());
        client.on("close", () => upstream.destroy());
    });
    server.on("connection", (s: net.Socket) => {
        sockets.add(s);
        s.on("close", () => sockets.delete(s));
    });

    await new Promise<void>((resolve) => server.listen(0, "127.0.0.1", () => resolve()));
    const port = (server.address() as AddressInfo).port;
    const state: TestProxy = {
        url: `http://127.0.0.1:${port}`,
        port,
        tunnels: [],
        connectHeaders: [],
        forwarded: [],
        forwardedHeaders: [],
        behaviour: "tunnel",
        close: async () => {
            for (const s of sockets) s.destroy();
            await new Promise<void>((resolve) => server.close(() => resolve()));
        },
    };
    return state;
}
