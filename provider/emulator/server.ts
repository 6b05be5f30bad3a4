/**
 * The HTTP server: dispatches to the admin API or Kaleyra's side, logs Kaleyra-side requests,
 * carries out faults (latency, drop, hang, scripted responses), and closes without hanging.
 */
import * as http from "node:http";
import { AddressInfo } from "node:net";
import { ADMIN_PREFIX, handleAdmin } from "./admin";
import { EmulatorCore } from "./core";
import { emulatorError } from "./errors";
import { echoApiKey } from "./faults";
import { Reply, errorReply, readBody, send } from "./http-util";
import { KALEYRA_PREFIX, handleKaleyra } from "./kaleyra";
import { logBody, redactHeaders } from "./request-log";
import { RequestLogEntry } from "./types";

function isAdminPath(pathname: string): boolean {
    return pathname === ADMIN_PREFIX.slice(0, -1) || pathname.startsWith(ADMIN_PREFIX);
}

/** Format an origin for a host and port (brackets around IPv6). */
export function originFor(host: string, port: number): string {
    return `http://${host.includes(":") ? `[${host}]` : host}:${port}`;
}

/** The emulator's HTTP server. */
export class EmulatorServer {
    private readonly server: http.Server;
    private readonly hung = new Set<http.ServerResponse>();
    private readonly reading = new Set<http.IncomingMessage>();
    private readonly sleepers = new Set<() => void>();
    private readonly handlers = new Set<Promise<void>>();
    /** For each open request to Kaleyra's paths: ends its count in flight (see {@link EmulatorCore.enter}). */
    private readonly leaving = new WeakMap<http.ServerResponse, () => void>();
    private closing: Promise<void> | undefined;

    constructor(private readonly core: EmulatorCore) {
        this.server = http.createServer((req, res) => {
            const handled = this.handle(req, res)
                .catch((e: unknown) => {
                    this.core.warn(`internal error: ${e instanceof Error ? (e.stack ?? e.message) : String(e)}`);
                    if (!res.headersSent) send(res, errorReply(emulatorError("internalError")));
                })
                .finally(() => this.handlers.delete(handled));
            this.handlers.add(handled);
        });
    }

    /** Listen; resolves with the origin (the real port when `port` is 0). */
    listen(port: number, host: string): Promise<string> {
        return new Promise((resolve, reject) => {
            this.server.once("error", reject);
            this.server.listen(port, host, () => {
                this.server.off("error", reject);
                resolve(originFor(host, (this.server.address() as AddressInfo).port));
            });
        });
    }

    /**
     * Stop accepting, end hung and half-received requests, let requests being processed finish
     * (so an accepted update is on disk and answered), wait for pending writes, then drop every
     * connection. Idempotent.
     */
    close(): Promise<void> {
        this.closing ??= this.shutdown();
        return this.closing;
    }

    private async shutdown(): Promise<void> {
        const closed = new Promise<void>((resolve) => this.server.close(() => resolve()));
        for (const res of this.hung) res.socket?.destroy();
        this.hung.clear();
        for (const req of this.reading) req.socket.destroy();
        for (const wake of this.sleepers) wake();
        this.server.closeIdleConnections();
        await Promise.allSettled([...this.handlers]);
        await this.core.flush();
        this.server.closeAllConnections();
        await closed;
    }

    /** Wait `ms`, or less if the server closes meanwhile. */
    private sleep(ms: number): Promise<void> {
        return new Promise((resolve) => {
            const wake = (): void => {
                clearTimeout(timer);
                this.sleepers.delete(wake);
                resolve();
            };
            const timer = setTimeout(wake, ms);
            this.sleepers.add(wake);
        });
    }

    private async handle(req: http.IncomingMessage, res: http.ServerResponse): Promise<void> {
        if (this.closing) {
            req.socket.destroy();
            return;
        }
        const rawPath = req.url ?? "/";
        let pathname: string;
        try {
            pathname = new URL(rawPath, "http://emulator.invalid").pathname;
        } catch {
            pathname = rawPath;
        }
        const method = req.method ?? "GET";
        let body;
        this.reading.add(req);
        try {
            body = await readBody(req);
        } catch {
            return; // the client went away, or close() ended it
        } finally {
            this.reading.delete(req);
        }

        if (isAdminPath(pathname)) {
            if (!body.ok) return send(res, errorReply(emulatorError("payloadTooLarge")));
            send(res, await this.guard(() => handleAdmin(this.core, { method, pathname, body: body.text })));
            return;
        }

        const leave = this.core.enter();
        this.leaving.set(res, leave);
        res.on("close", leave); // hung until the emulator closes, or the client went away
        const entry = this.core.log.record({
            method,
            path: rawPath,
            headers: redactHeaders(req.headers),
            body: logBody(body.text),
            at: new Date().toISOString(),
        });
        // The echoApiKey fault (setting or scripted) repeats the request's key in the answer.
        const apiKey = req.headers["api-key"];
        const echoed = (reply: Reply, scripted = false): Reply =>
            scripted || this.core.faults.echoesApiKey() ? echoApiKey(reply, Array.isArray(apiKey) ? apiKey.join(", ") : apiKey) : reply;
        if (!body.ok) return this.reply(res, entry, echoed(errorReply(emulatorError("payloadTooLarge"))));
        if (!pathname.startsWith(KALEYRA_PREFIX)) return this.reply(res, entry, errorReply(emulatorError("notFound")));

        const decision = this.core.faults.decide();
        const latency = this.core.faults.latencyMs();
        if (latency > 0) await this.sleep(latency);
        if (this.closing) {
            leave();
            req.socket.destroy();
            return;
        }
        switch (decision.kind) {
            case "drop":
                leave();
                req.socket.destroy();
                return;
            case "hang":
                this.hung.add(res);
                res.on("close", () => this.hung.delete(res));
                return;
            case "respond":
                return this.reply(res, entry, echoed(decision, decision.echoApiKey === true));
            case "none": {
                const reply = await this.guard(() =>
                    handleKaleyra(this.core, { method, pathname, headers: req.headers, body: body.text }),
                );
                return this.reply(res, entry, echoed(reply));
            }
        }
    }

    private reply(res: http.ServerResponse, entry: RequestLogEntry, reply: Reply): void {
        entry.status = reply.status;
        // Out of flight before the answer can reach the client, so the count never exceeds the client's.
        this.leaving.get(res)?.();
        send(res, reply);
    }

    /** Run a handler; an unexpected exception becomes a 500 (and a warning). */
    private async guard(handler: () => Promise<Reply> | Reply): Promise<Reply> {
        try {
            return await handler();
        } catch (e) {
            this.core.warn(`internal error: ${e instanceof Error ? (e.stack ?? e.message) : String(e)}`);
            return errorReply(emulatorError("internalError"));
        }
    }
}
