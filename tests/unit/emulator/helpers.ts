/**
 * Test helpers: raw HTTP (node's http, so tests see exact bytes, dropped sockets and
 * timeouts), and shortcuts for the Kaleyra endpoint and the admin API.
 */
import * as http from "node:http";
import * as fs from "node:fs";
import * as os from "node:os";
import * as path from "node:path";
import { RunningEmulator } from "../../../provider/emulator";

/** A response, body as text. */
export interface RawResponse {
    status: number;
    headers: http.IncomingHttpHeaders;
    text: string;
}

/** Options of {@link request}. */
export interface RequestOptions {
    method?: string;
    headers?: Record<string, string>;
    /** A string is sent as is; anything else as JSON. */
    body?: unknown;
    /** Abort (and reject with code "TEST_TIMEOUT") after this many ms. */
    timeoutMs?: number;
}

/** The error a {@link request} rejects with on its own timeout. */
export class TimeoutError extends Error {
    readonly code = "TEST_TIMEOUT";
}

/** One HTTP request on a fresh connection. Rejects on socket errors (e.g. "socket hang up"). */
export function request(url: string, options: RequestOptions = {}): Promise<RawResponse> {
    const body =
        options.body === undefined ? undefined : typeof options.body === "string" ? options.body : JSON.stringify(options.body);
    return new Promise((resolve, reject) => {
        const req = http.request(
            url,
            { method: options.method ?? "GET", headers: options.headers, agent: false },
            (res) => {
                const chunks: Buffer[] = [];
                res.on("data", (c: Buffer) => chunks.push(c));
                res.on("end", () =>
                    resolve({ status: res.statusCode ?? 0, headers: res.headers, text: Buffer.concat(chunks).toString("utf8") }),
                );
                res.on("error", reject);
            },
        );
        req.on("error", reject);
        if (options.timeoutMs !== undefined) {
            req.setTimeout(options.timeoutMs, () => req.destroy(new TimeoutError(`no response within ${options.timeoutMs} ms`)));
        }
        req.end(body);
    });
}

/** How to call the Kaleyra endpoint (defaults: the emulator's own SID and key, JSON). */
export interface PutOptions {
    sid?: string;
    apiKey?: string | null;
    contentType?: string | null;
    timeoutMs?: number;
}

/** `PUT /v1/<sid>/whatsapp/number` with `body` (a string is sent raw). */
export function put(emulator: RunningEmulator, body: unknown, options: PutOptions = {}): Promise<RawResponse> {
    const headers: Record<string, string> = {};
    const apiKey = options.apiKey === undefined ? emulator.apiKey : options.apiKey;
    if (apiKey !== null) headers["api-key"] = apiKey;
    const contentType = options.contentType === undefined ? "application/json" : options.contentType;
    if (contentType !== null) headers["Content-Type"] = contentType;
    const sid = options.sid ?? emulator.sid;
    return request(`${emulator.url}/v1/${sid}/whatsapp/number`, { method: "PUT", headers, body, timeoutMs: options.timeoutMs });
}

/** An admin API call with a JSON body. */
export function admin(emulator: RunningEmulator, method: string, route: string, body?: unknown): Promise<RawResponse> {
    return request(`${emulator.url}/__emulator/${route}`, {
        method,
        headers: body === undefined ? {} : { "Content-Type": "application/json" },
        body,
    });
}

/** Parse a response body as JSON. */
export function json(res: RawResponse): unknown {
    return JSON.parse(res.text) as unknown;
}

/** The documented success body, byte for byte. */
export const SUCCESS_TEXT = '{"status":200,"message":"WA Phone number update successfully.","data":[],"error":{}}';

/** The documented E413 body, byte for byte. */
export const E413_TEXT =
    '{"error":{"code":"E413","type":"VALIDATION_ERROR","parameter":"wa_number","message":"wa_number field is required and cannot be empty.","reference":""}}';

/** The documented E962 body, byte for byte. */
export const E962_TEXT =
    '{"error":{"code":"E962","type":"VALIDATION_ERROR","parameter":"display_image","message":"display_image cannot be empty","reference":""}}';

/** A test number registered on the account. */
export const NUMBER = "+919876543210";

/** The contract's sample request, with a real number and a valid email. */
export const SAMPLE_BODY = {
    wa_number: NUMBER,
    address: '567, "john", 2nd Phase, Bangalore.',
    incoming_url: "https://webhook.site/12345678-c96d-4abc-b7a8-123456789abc",
    display_image:
        "https://s3.eu-central-1.amazonaws.com/kcloud.sms-eu/docs/1XXXXXXXXXX632315661538_XXXXXXXX-6faa-4XXX-b06e-2af311229c83.jpg",
    business_description: "Brief description about the Company",
    business_category: "Hotel and Lodging",
    website: "http://www.tested.com",
    contact_email: "contact@tested.com",
    about: "Today we tested sample212",
};

/** A fresh temporary directory (removed by {@link removeDir}). */
export function tempDir(): string {
    return fs.mkdtempSync(path.join(os.tmpdir(), "kaleyra-emulator-test-"));
}

/** Remove a directory tree. */
export function removeDir(dir: string): void {
    fs.rmSync(dir, { recursive: true, force: true });
}
