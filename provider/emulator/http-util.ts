/**
 * Small HTTP helpers: read a request body with a size cap, and the {@link Reply} that handlers
 * return for the server to send.
 */
import { IncomingMessage, ServerResponse } from "node:http";
import { EmulatorError } from "./errors";

/** Largest request body accepted (1 MiB). */
export const MAX_BODY_BYTES = 1024 * 1024;

/** A response to send. */
export interface Reply {
    /** HTTP status. */
    status: number;
    /** Body text (`""` for none). */
    body: string;
    /** Response headers. */
    headers: Record<string, string>;
}

/** The body of a request, or a note that it was too large (the excess is read and discarded). */
export type BodyResult = { ok: true; text: string } | { ok: false; tooLarge: true; text: string };

/** Read the whole request body as UTF-8, keeping at most {@link MAX_BODY_BYTES}. */
export function readBody(req: IncomingMessage, limit = MAX_BODY_BYTES): Promise<BodyResult> {
    return new Promise((resolve, reject) => {
        const chunks: Buffer[] = [];
        let size = 0;
        let tooLarge = false;
        req.on("data", (chunk: Buffer) => {
            size += chunk.length;
            if (size > limit) tooLarge = true;
            else chunks.push(chunk);
        });
        req.on("end", () => {
            const text = Buffer.concat(chunks).toString("utf8");
            resolve(tooLarge ? { ok: false, tooLarge: true, text } : { ok: true, text });
        });
        req.on("error", reject);
        // A connection that goes away mid-body (or is destroyed by close) must not leave this pending.
        req.on("close", () => {
            if (!req.complete) reject(new Error("the request was aborted"));
        });
    });
}

/** A JSON reply. */
export function jsonReply(status: number, value: unknown, headers: Record<string, string> = {}): Reply {
    return { status, body: JSON.stringify(value), headers: { "Content-Type": "application/json", ...headers } };
}

/** A reply carrying an error from the table. */
export function errorReply(error: EmulatorError): Reply {
    return jsonReply(error.status, error.body, error.headers);
}

/** A reply with no body. */
export function emptyReply(status: number): Reply {
    return { status, body: "", headers: {} };
}

/** Send a reply (unless the connection is already gone). */
export function send(res: ServerResponse, reply: Reply): void {
    if (res.destroyed || res.writableEnded) return;
    for (const [name, value] of Object.entries(reply.headers)) res.setHeader(name, value);
    if (reply.body !== "") res.setHeader("Content-Length", Buffer.byteLength(reply.body));
    res.statusCode = reply.status;
    res.end(reply.body);
}
