/**
 * A real HTTP server on 127.0.0.1 whose answers a test scripts one request at a time:
 * a status and body, a raw socket action (drop, hang, drip), anything a server might do.
 * It records every request it received (method, path, headers, body). With `tls`, it is an
 * HTTPS server (`https://127.0.0.1:<port>`; test certificates also carry `localhost`).
 */

import * as http from "node:http";
import * as https from "node:https";
import type { AddressInfo, Socket } from "node:net";

/** A request as the server received it. */
export interface ReceivedRequest {
    method: string;
    path: string;
    headers: http.IncomingHttpHeaders;
    body: string;
    /** When the request had fully arrived (ms since the epoch). */
    at: number;
}

/** What to do with one request. */
export type Reply =
    | { status: number; body?: string | object; headers?: Record<string, string>; delayMs?: number }
    | { drop: true }
    | { hang: true }
    | { drip: string; everyMs: number; status?: number }
    | RawReply;

/**
 * Bytes written straight to the socket, bypassing Node's HTTP encoder: invalid HTTP, odd
 * status lines, a Content-Length larger than the body, anything. The pieces of `raw` are written one
 * every `everyMs` (at once when it is absent), then the socket is ended (`"end"`, the
 * default: flush, then FIN), destroyed (`"destroy"`), or left open (`"keep"`, until the client
 * gives up or the server closes).
 */
export interface RawReply {
    raw: string | Buffer | ReadonlyArray<string | Buffer>;
    everyMs?: number;
    then?: "end" | "destroy" | "keep";
}

/** A running scripted server. */
export interface ScriptedServer {
    /** Origin, e.g. `http://127.0.0.1:40123`. */
    url: string;
    /** Requests received so far. */
    received: ReceivedRequest[];
    /** The most requests that were open (received, not yet answered) at one time. */
    peakInFlight: number;
    /** Queue replies for the next requests, in order. */
    reply(...replies: Reply[]): void;
    /** The reply used when the queue is empty. */
    fallback: Reply;
    /** Destroy every open connection (hanging ones included), keeping the server listening. */
    disconnect(): void;
    close(): Promise<void>;
}

/** Start a scripted server on a free port; HTTPS with `tls`. */
export async function startScriptedServer(options: { tls?: { key: string; cert: string } } = {}): Promise<ScriptedServer> {
    const queue: Reply[] = [];
    const sockets = new Set<Socket>();
    const timers = new Set<NodeJS.Timeout>();
    const state: ScriptedServer = {
        url: "",
        received: [],
        peakInFlight: 0,
        reply: (...replies) => void queue.push(...replies),
        fallback: { status: 200, body: { status: 200, message: "WA Phone number update successfully.", data: [], error: {} } },
        disconnect: () => {
            for (const s of sockets) s.destroy();
        },
        close: async () => {
            for (const t of timers) clearTimeout(t);
            for (const s of sockets) s.destroy();
            await new Promise<void>((resolve) => server.close(() => resolve()));
        },
    };
    const writeRaw = (socket: Socket, reply: RawReply) => {
        const chunks = typeof reply.raw === "string" || Buffer.isBuffer(reply.raw) ? [reply.raw] : [...reply.raw];
        const finish = () => {
            if (socket.destroyed || reply.then === "keep") return;
            if (reply.then === "destroy") socket.destroy();
            else socket.end();
        };
        if (!reply.everyMs) {
            for (const chunk of chunks) socket.write(chunk);
            return finish();
        }
        let i = 0;
        const timer = setInterval(() => {
            if (socket.destroyed || i >= chunks.length) {
                clearInterval(timer);
                return finish();
            }
            socket.write(chunks[i++]);
        }, reply.everyMs);
        timers.add(timer);
    };
    let inFlight = 0;
    const handler: http.RequestListener = (req, res) => {
        inFlight++;
        state.peakInFlight = Math.max(state.peakInFlight, inFlight);
        res.on("close", () => inFlight--);
        const chunks: Buffer[] = [];
        req.on("data", (c: Buffer) => chunks.push(c));
        req.on("end", () => {
            state.received.push({ method: req.method ?? "", path: req.url ?? "", headers: req.headers, body: Buffer.concat(chunks).toString("utf8"), at: Date.now() });
            const reply = queue.shift() ?? state.fallback;
            if ("drop" in reply) return void req.socket.destroy();
            if ("hang" in reply) return;
            if ("raw" in reply) return void writeRaw(req.socket, reply);
            if ("drip" in reply) {
                res.writeHead(reply.status ?? 200, { "content-type": "application/json" });
                let i = 0;
                const timer = setInterval(() => {
                    if (i >= reply.drip.length) {
                        clearInterval(timer);
                        res.end();
                        return;
                    }
                    res.write(reply.drip[i++]);
                }, reply.everyMs);
                timers.add(timer);
                return;
            }
            const body = typeof reply.body === "string" ? reply.body : reply.body === undefined ? "" : JSON.stringify(reply.body);
            const send = () => {
                res.writeHead(reply.status, { "content-type": "application/json", ...reply.headers });
                res.end(body);
            };
            if (reply.delayMs) {
                const timer = setTimeout(send, reply.delayMs);
                timers.add(timer);
            } else send();
        });
    };
    const server = options.tls ? https.createServer({ key: options.tls.key, cert: options.tls.cert }, handler) : http.createServer(handler);
    server.on("connection", (s: Socket) => {
        sockets.add(s);
        s.on("close", () => sockets.delete(s));
    });
    await new Promise<void>((resolve) => server.listen(0, "127.0.0.1", () => resolve()));
    const port = (server.address() as AddressInfo).port;
    state.url = `${options.tls ? "https" : "http"}://127.0.0.1:${port}`;
    return state;
}
