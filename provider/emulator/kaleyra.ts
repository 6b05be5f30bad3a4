/**
 * Kaleyra's side: `PUT /v1/<sid>/whatsapp/number`. Routing within `/v1/`, auth, body parsing,
 * validation, and the update itself: all or nothing, and on disk (with a data file) before the 200.
 */
import { IncomingHttpHeaders } from "node:http";
import { EmulatorCore } from "./core";
import { emulatorError } from "./errors";
import { Reply, errorReply, jsonReply } from "./http-util";
import { validateUpdate } from "./validation";

/** The documented success body, byte for byte once serialized. */
export const SUCCESS_BODY = { status: 200, message: "WA Phone number update successfully.", data: [], error: {} } as const;

/** Kaleyra's path prefix; requests under it are "Kaleyra requests" (logged as such, subject to faults). */
export const KALEYRA_PREFIX = "/v1/";

const ENDPOINT = /^\/v1\/([^/]+)\/whatsapp\/number$/;
const JSON_CONTENT_TYPE = /^application\/(?:[\w.+-]+\+)?json\s*(?:;|$)/i;

/** A request as the handler sees it. */
export interface KaleyraRequest {
    /** HTTP method. */
    method: string;
    /** Path without query string. */
    pathname: string;
    /** Request headers (lower-case names). */
    headers: IncomingHttpHeaders;
    /** Body text. */
    body: string;
}

function header(headers: IncomingHttpHeaders, name: string): string | undefined {
    const v = headers[name];
    return Array.isArray(v) ? v.join(", ") : v;
}

function decodeSegment(segment: string): string | undefined {
    try {
        return decodeURIComponent(segment);
    } catch {
        return undefined;
    }
}

/** Handle one request to a path under `/v1/` (faults already decided by the server). */
export async function handleKaleyra(core: EmulatorCore, req: KaleyraRequest): Promise<Reply> {
    const match = ENDPOINT.exec(req.pathname);
    if (!match) return errorReply(emulatorError("notFound"));
    if (req.method !== "PUT") {
        return errorReply(emulatorError("methodNotAllowed", { detail: req.method, headers: { Allow: "PUT" } }));
    }
    if (decodeSegment(match[1]) !== core.sid || header(req.headers, "api-key") !== core.apiKey) {
        return errorReply(emulatorError("unauthorized"));
    }

    let parsed: unknown = {};
    if (req.body.trim() !== "") {
        if (!JSON_CONTENT_TYPE.test(header(req.headers, "content-type") ?? "")) {
            return errorReply(emulatorError("unsupportedContentType"));
        }
        try {
            parsed = JSON.parse(req.body);
        } catch {
            return errorReply(emulatorError("malformedJson"));
        }
    }
    if (typeof parsed !== "object" || parsed === null || Array.isArray(parsed)) {
        return errorReply(emulatorError("bodyNotObject"));
    }

    const result = validateUpdate(parsed as Record<string, unknown>);
    if (!result.ok) return errorReply(result.error);
    if (!core.store.has(result.waNumber)) return errorReply(emulatorError("numberNotInAccount"));

    // On disk, then in memory, then the 200; a failed write changes nothing and answers 500.
    const { waNumber, updates } = result;
    try {
        await core.change((store) => store.apply(waNumber, updates));
    } catch (e) {
        core.warn(`could not write the data file; the update was not applied: ${String(e)}`);
        return errorReply(emulatorError("internalError"));
    }
    return jsonReply(200, SUCCESS_BODY);
}
