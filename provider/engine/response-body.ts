/**
 * Reading a response body within a size limit and the attempt's deadline. The client owns this
 * step rather than leaving it to the HTTP library, so that a body over the limit fails with a
 * {@link ResponseTooLargeError} — a class the failure mapping recognises (transport-failures.ts) —
 * and never with a library's wording.
 */

import type { Readable } from "node:stream";

/** The response body was larger than the client accepts; the rest was not read. */
export class ResponseTooLargeError extends Error {
    /** @param limitBytes the most the client accepts, in bytes. */
    constructor(readonly limitBytes: number) {
        super(`the response body is larger than ${limitBytes} bytes`);
        this.name = "ResponseTooLargeError";
    }
}

/**
 * The whole body as UTF-8 text (a leading byte-order mark dropped), reading no more than
 * `maxBytes`.
 * @param declaredLength the `Content-Length` header, if any: a body declared too large is refused unread.
 * @param signal the attempt's deadline: when it fires, the stream is destroyed and this rejects.
 * @throws ResponseTooLargeError over the limit; the stream's error (a reset, say), or the signal's reason.
 */
export async function readBody(stream: Readable, maxBytes: number, signal: AbortSignal, declaredLength?: string): Promise<string> {
    if (declaredLength !== undefined && /^\d+$/.test(declaredLength.trim()) && Number(declaredLength) > maxBytes) {
        stream.destroy();
        throw new ResponseTooLargeError(maxBytes);
    }
    const onAbort = () => stream.destroy(signal.reason instanceof Error ? signal.reason : new Error("aborted"));
    if (signal.aborted) onAbort();
    else signal.addEventListener("abort", onAbort, { once: true });
    const chunks: Buffer[] = [];
    let size = 0;
    try {
        for await (const chunk of stream) {
            const buffer = Buffer.isBuffer(chunk) ? chunk : Buffer.from(String(chunk), "utf8");
            size += buffer.length;
            if (size > maxBytes) {
                stream.destroy();
                throw new ResponseTooLargeError(maxBytes);
            }
            chunks.push(buffer);
        }
    } finally {
        signal.removeEventListener("abort", onAbort);
    }
    const text = Buffer.concat(chunks).toString("utf8");
    return text.charCodeAt(0) === 0xfeff ? text.slice(1) : text;
}
