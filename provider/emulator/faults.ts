/**
 * Fault injection for requests to Kaleyra's paths: scripted faults ("fail the next N requests
 * with X") first, then seeded random ones. Decides only; the server carries the decision out.
 */
import { emulatorError, errorForStatus } from "./errors";
import { Random, mulberry32 } from "./prng";
import { FaultSettings, ScriptedFault, ScriptedResponse } from "./types";

/** What to do with one request. */
export type FaultDecision =
    | { kind: "none" }
    | { kind: "respond"; status: number; body: string; headers: Record<string, string>; echoApiKey?: boolean }
    | { kind: "drop" }
    | { kind: "hang" };

/** Default `Retry-After` (seconds) for injected 429s. */
export const DEFAULT_RETRY_AFTER_SECONDS = 1;

const PROBABILITY_KEYS = ["rateLimitProbability", "serverErrorProbability", "dropProbability", "hangProbability"] as const;
const SETTING_KEYS: readonly string[] = [...PROBABILITY_KEYS, "retryAfterSeconds", "latencyMs", "echoApiKey"];

/**
 * Check fault settings and return a normalized copy (every field present).
 * @throws RangeError naming the bad field.
 */
export function normalizeFaults(faults: FaultSettings): Required<FaultSettings> {
    for (const key of Object.keys(faults)) {
        if (!SETTING_KEYS.includes(key)) throw new RangeError(`unknown fault setting "${key}"`);
    }
    const out: Required<FaultSettings> = {
        rateLimitProbability: faults.rateLimitProbability ?? 0,
        serverErrorProbability: faults.serverErrorProbability ?? 0,
        dropProbability: faults.dropProbability ?? 0,
        hangProbability: faults.hangProbability ?? 0,
        retryAfterSeconds: faults.retryAfterSeconds ?? DEFAULT_RETRY_AFTER_SECONDS,
        latencyMs: faults.latencyMs ?? 0,
        echoApiKey: faults.echoApiKey ?? false,
    };
    for (const key of PROBABILITY_KEYS) {
        const p = out[key];
        if (typeof p !== "number" || !(p >= 0 && p <= 1)) throw new RangeError(`${key} must be a number from 0 to 1`);
    }
    const sum = PROBABILITY_KEYS.reduce((s, k) => s + out[k], 0);
    if (sum > 1 + 1e-9) throw new RangeError("the fault probabilities add up to more than 1");
    if (!Number.isInteger(out.retryAfterSeconds) || out.retryAfterSeconds < 0) {
        throw new RangeError("retryAfterSeconds must be a whole number ≥ 0");
    }
    if (typeof out.latencyMs !== "number" || !Number.isFinite(out.latencyMs) || out.latencyMs < 0) {
        throw new RangeError("latencyMs must be a number ≥ 0");
    }
    if (typeof out.echoApiKey !== "boolean") throw new RangeError("echoApiKey must be true or false");
    return out;
}

/**
 * Check a scripted fault.
 * @throws RangeError when it is neither "drop", "hang" nor a response with a status 200–599.
 */
export function checkScriptedFault(fault: ScriptedFault): void {
    if (fault === "drop" || fault === "hang") return;
    if (typeof fault !== "object" || fault === null) throw new RangeError('response must be "drop", "hang" or { status, body?, headers? }');
    if (!Number.isInteger(fault.status) || fault.status < 200 || fault.status > 599) {
        throw new RangeError("response.status must be a whole number from 200 to 599");
    }
    if (fault.echoApiKey !== undefined && typeof fault.echoApiKey !== "boolean") {
        throw new RangeError("response.echoApiKey must be true or false");
    }
    if (fault.headers !== undefined) {
        if (typeof fault.headers !== "object" || fault.headers === null) throw new RangeError("response.headers must be an object");
        for (const [k, v] of Object.entries(fault.headers)) {
            if (typeof v !== "string") throw new RangeError(`response.headers["${k}"] must be a string`);
        }
    }
}

function hasHeader(headers: Record<string, string>, name: string): boolean {
    return Object.keys(headers).some((k) => k.toLowerCase() === name);
}

/** Picks faults. One instance per emulator. */
export class FaultInjector {
    private random: Random;
    private current: Required<FaultSettings>;
    private readonly queue: ScriptedFault[] = [];

    /** @param seed seeds the generator; {@link reset} re-seeds with it. */
    constructor(private readonly seed: number, faults: FaultSettings = {}) {
        this.random = mulberry32(seed);
        this.current = normalizeFaults(faults);
    }

    /** The current random settings (a copy, every field present). */
    settings(): Required<FaultSettings> {
        return { ...this.current };
    }

    /** How many scripted faults are still queued. */
    pending(): number {
        return this.queue.length;
    }

    /** Replace the random settings; fields left out are off. */
    setSettings(faults: FaultSettings): void {
        this.current = normalizeFaults(faults);
    }

    /** Queue `count` copies of a scripted fault behind any already queued. */
    failNext(count: number, fault: ScriptedFault): void {
        if (!Number.isInteger(count) || count < 0) throw new RangeError("count must be a whole number ≥ 0");
        checkScriptedFault(fault);
        for (let i = 0; i < count; i++) this.queue.push(fault);
    }

    /** True when every answer to Kaleyra's paths echoes the request's api-key (see {@link echoApiKey}). */
    echoesApiKey(): boolean {
        return this.current.echoApiKey;
    }

    /** Latency to add before handling a request, in milliseconds. */
    latencyMs(): number {
        return this.current.latencyMs;
    }

    /**
     * Decide the fate of the next request. Always draws two numbers from the generator, so a
     * sequence depends only on the seed and the number of requests.
     */
    decide(): FaultDecision {
        const roll = this.random();
        const pick = this.random();
        const scripted = this.queue.shift();
        if (scripted !== undefined) return this.scripted(scripted);

        const s = this.current;
        let threshold = s.dropProbability;
        if (roll < threshold) return { kind: "drop" };
        threshold += s.hangProbability;
        if (roll < threshold) return { kind: "hang" };
        threshold += s.rateLimitProbability;
        if (roll < threshold) return this.envelope(429, {});
        threshold += s.serverErrorProbability;
        if (roll < threshold) return this.envelope([500, 502, 503][Math.floor(pick * 3)], {});
        return { kind: "none" };
    }

    /** Settings off, queue emptied, generator re-seeded. */
    reset(): void {
        this.current = normalizeFaults({});
        this.queue.length = 0;
        this.random = mulberry32(this.seed);
    }

    private scripted(fault: ScriptedFault): FaultDecision {
        if (fault === "drop" || fault === "hang") return { kind: fault };
        const decision = this.scriptedResponse(fault);
        return fault.echoApiKey ? { ...decision, echoApiKey: true } : decision;
    }

    private scriptedResponse(fault: ScriptedResponse): FaultDecision & { kind: "respond" } {
        const headers = { ...(fault.headers ?? {}) };
        if (fault.body === undefined) return this.envelope(fault.status, headers);
        if (fault.status === 429 && !hasHeader(headers, "retry-after")) headers["Retry-After"] = String(this.current.retryAfterSeconds);
        const body = typeof fault.body === "string" ? fault.body : JSON.stringify(fault.body);
        if (!hasHeader(headers, "content-type")) {
            headers["Content-Type"] = typeof fault.body === "string" ? "text/plain; charset=utf-8" : "application/json";
        }
        return { kind: "respond", status: fault.status, body, headers };
    }

    private envelope(status: number, extra: Record<string, string>): FaultDecision & { kind: "respond" } {
        const seconds = this.current.retryAfterSeconds;
        const error = status === 429 ? emulatorError("rateLimited", { detail: String(seconds) }) : errorForStatus(status, seconds);
        const headers: Record<string, string> = { "Content-Type": "application/json", ...error.headers, ...extra };
        if (status === 429 && !hasHeader(headers, "retry-after")) headers["Retry-After"] = String(seconds);
        return { kind: "respond", status, body: JSON.stringify(error.body), headers };
    }
}

/** The response header that carries the echoed api-key (besides `X-Request-Id`). */
export const ECHO_HEADER = "X-Echoed-Api-Key";

/**
 * The `echoApiKey` fault: a careless server that repeats the caller's credential. Adds `apiKey`
 * to the response headers (`X-Echoed-Api-Key`, and `X-Request-Id` unless the reply has one) and,
 * for an error (status ≥ 400), to the body: appended to the envelope's `message` (at
 * `error.message`, or a top-level `message`), or to a body that is not JSON. Returns the reply
 * unchanged when the request carried no key.
 */
export function echoApiKey<R extends { status: number; body: string; headers: Record<string, string> }>(reply: R, apiKey: string | undefined): R {
    if (apiKey === undefined || apiKey === "") return reply;
    const headers: Record<string, string> = { ...reply.headers, [ECHO_HEADER]: apiKey };
    if (!hasHeader(headers, "x-request-id")) headers["X-Request-Id"] = `req-${apiKey}`;
    let body = reply.body;
    if (reply.status >= 400) {
        const echo = `(api-key: ${apiKey})`;
        let parsed: unknown;
        try {
            parsed = JSON.parse(body);
        } catch {
            parsed = undefined;
        }
        if (typeof parsed === "object" && parsed !== null && !Array.isArray(parsed)) {
            const envelope = parsed as Record<string, unknown>;
            const target = typeof envelope.error === "object" && envelope.error !== null ? (envelope.error as Record<string, unknown>) : envelope;
            target.message = typeof target.message === "string" && target.message !== "" ? `${target.message} ${echo}` : echo;
            body = JSON.stringify(envelope);
        } else {
            body = body === "" ? echo : `${body} ${echo}`;
        }
    }
    return { ...reply, body, headers };
}
