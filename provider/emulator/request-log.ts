/**
 * The request log: what arrived, with the api key redacted, and the status sent.
 */
import { IncomingHttpHeaders } from "node:http";
import { RequestLogEntry } from "./types";

/** Headers whose values never reach the log. */
const SECRET_HEADERS: ReadonlySet<string> = new Set(["api-key", "authorization"]);

/** The value that replaces a secret header's. */
export const REDACTED = "[REDACTED]";

/** Most entries kept; the oldest go first. */
export const MAX_LOG_ENTRIES = 10_000;

/** Flatten and redact request headers for the log. */
export function redactHeaders(headers: IncomingHttpHeaders): Record<string, string> {
    // fromEntries defines each name as an own property: a header named __proto__ is logged, not taken for the prototype.
    return Object.fromEntries(
        Object.entries(headers)
            .filter((entry): entry is [string, string | string[]] => entry[1] !== undefined)
            .map(([name, value]) => [name, SECRET_HEADERS.has(name.toLowerCase()) ? REDACTED : Array.isArray(value) ? value.join(", ") : value]),
    );
}

/** Parsed JSON when the text parses, else the text itself. */
export function logBody(text: string): unknown {
    if (text === "") return "";
    try {
        return JSON.parse(text) as unknown;
    } catch {
        return text;
    }
}

function copyEntry(e: RequestLogEntry): RequestLogEntry {
    return { ...e, headers: { ...e.headers }, body: structuredClone(e.body) };
}

/** The log. Entries are recorded on arrival with status 0 and completed when the response is sent. */
export class RequestLog {
    private entries: RequestLogEntry[] = [];

    /** Record a request; returns the live entry so its status can be set later. */
    record(entry: Omit<RequestLogEntry, "status">): RequestLogEntry {
        const live: RequestLogEntry = { method: entry.method, path: entry.path, headers: entry.headers, body: entry.body, status: 0, at: entry.at };
        this.entries.push(live);
        if (this.entries.length > MAX_LOG_ENTRIES) this.entries.splice(0, this.entries.length - MAX_LOG_ENTRIES);
        return live;
    }

    /** Copies of all entries, oldest first. */
    all(): RequestLogEntry[] {
        return this.entries.map(copyEntry);
    }

    /** Empty the log. */
    clear(): void {
        this.entries = [];
    }
}
