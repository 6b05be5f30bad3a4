/**
 * The emulator's public types: what `startEmulator` takes and what it returns.
 */

/** How to start an emulator. Every field is optional. */
export interface EmulatorOptions {
    /** TCP port to listen on. `0` (the library default) picks a free one; see {@link RunningEmulator.url}. */
    port?: number;
    /** Interface to bind. Default `127.0.0.1`. */
    host?: string;
    /** The account SID the emulator accepts in `/v1/<sid>/...`. Default `HXEMULATOR0001`. */
    sid?: string;
    /** The `api-key` header value the emulator accepts. Default: a fixed development key. */
    apiKey?: string;
    /** WhatsApp numbers (E.164) registered on the account. Updates to any other number get 401 WA401. */
    numbers?: string[];
    /**
     * Persist state (registered numbers and their profiles) to this JSON file. Every change (an
     * accepted update, a registration, a reset) is on disk before it is in memory and answered; a
     * change whose write fails is not made and gets a 500. Without it, state lives in memory only.
     */
    dataFile?: string;
    /** Seed of the fault injector's pseudo-random generator, so fault sequences repeat. Default `1`. */
    seed?: number;
    /** Faults to inject from the start. Default: none. */
    faults?: FaultSettings;
    /** Do not write warnings (e.g. a failed background write) to stderr. */
    quiet?: boolean;
}

/**
 * Random faults injected into requests to Kaleyra's paths (`/v1/...`), never the admin API.
 * Probabilities are in [0, 1]; at most one fault is picked per request. A faulted request
 * changes no state.
 */
export interface FaultSettings {
    /** Probability of a 429 with a `Retry-After` header. */
    rateLimitProbability?: number;
    /** The `Retry-After` value (seconds) sent with injected 429s. Default `1`. */
    retryAfterSeconds?: number;
    /** Probability of a 500, 502 or 503 (picked uniformly). */
    serverErrorProbability?: number;
    /** Probability that the connection is destroyed without any response. */
    dropProbability?: number;
    /** Probability that the request never gets an answer (until the emulator closes). */
    hangProbability?: number;
    /** Latency (milliseconds) added before every request to Kaleyra's paths is handled. */
    latencyMs?: number;
    /**
     * Not random: when true, every answer to Kaleyra's paths echoes the request's `api-key` — in the
     * `X-Echoed-Api-Key` and `X-Request-Id` response headers and, for errors, appended to the
     * envelope's message — as a careless server might. For testing that a client never shows the
     * key. Default `false`.
     */
    echoApiKey?: boolean;
}

/**
 * One registered number's profile, with Kaleyra's snake_case keys. A field is absent until an
 * accepted update sets it. Values are stored exactly as sent (a business category keeps its case).
 */
export interface NumberProfile {
    /** The number, E.164. */
    wa_number: string;
    /** The profile's "About" text. */
    about?: string;
    /** The business's postal address. */
    address?: string;
    /** A description of the business. */
    business_description?: string;
    /** One of Kaleyra's business categories, as sent. */
    business_category?: string;
    /** The business's contact email. */
    contact_email?: string;
    /** The business's website. */
    website?: string;
    /** The URL of the profile picture. */
    display_image?: string;
    /** The webhook URL for incoming messages. */
    incoming_url?: string;
}

/** One request the emulator received (admin API requests are not logged). */
export interface RequestLogEntry {
    /** HTTP method, e.g. `PUT`. */
    method: string;
    /** Request path with query string, as received. */
    path: string;
    /** Request headers, lower-case names; the `api-key` value is replaced by `"[REDACTED]"`. */
    headers: Record<string, string>;
    /** The body: parsed JSON when it parses, else the raw text (`""` when there was none). */
    body: unknown;
    /** The status sent; `0` for a dropped connection or a request still hanging. */
    status: number;
    /** When the request arrived (ISO 8601). */
    at: string;
}

/** A scripted response for {@link RunningEmulator.failNext}. */
export interface ScriptedResponse {
    /** HTTP status to send. */
    status: number;
    /**
     * Body to send: a string is sent as is, anything else as JSON. When omitted, the emulator sends
     * its error envelope for that status (see the error table).
     */
    body?: unknown;
    /** Extra response headers. A 429 without `Retry-After` gets the configured one. */
    headers?: Record<string, string>;
    /** Echo the request's `api-key` in this response's headers and error message (see {@link FaultSettings.echoApiKey}). */
    echoApiKey?: boolean;
}

/** What {@link RunningEmulator.failNext} makes the next requests do. */
export type ScriptedFault = ScriptedResponse | "drop" | "hang";

/** A started emulator. */
export interface RunningEmulator {
    /** The origin, e.g. `http://127.0.0.1:40123`: what goes in `kaleyra:endpoint`. */
    url: string;
    /** The account SID it accepts. */
    sid: string;
    /** The API key it currently accepts (changes with {@link RunningEmulator.setApiKey}). */
    apiKey: string;
    /** A copy of a registered number's current profile, or `undefined` when it is not registered. */
    profile(waNumber: string): NumberProfile | undefined;
    /** Copies of all registered numbers' profiles, keyed by number. */
    profiles(): Record<string, NumberProfile>;
    /** A copy of the request log (oldest first). */
    requests(): RequestLogEntry[];
    /** Only the requests to Kaleyra's paths (`/v1/...`): what tests count as "PUTs". */
    kaleyraRequests(): RequestLogEntry[];
    /** Empty the request log, and start {@link RunningEmulator.peakInFlight} again from the requests open now. */
    clearRequests(): void;
    /**
     * The most requests to Kaleyra's paths open at once (arrived and not yet answered, dropped or
     * ended) since the start or the last {@link RunningEmulator.clearRequests}. An answer leaves the
     * count before it is sent, so this never exceeds what the clients had in flight.
     */
    peakInFlight(): number;
    /**
     * Register a number (E.164) on the account. Registering a known number keeps its profile.
     * Throws (synchronously) on a malformed number. Without a data file the number is registered
     * before this returns; with one, the promise resolves once it is on disk and registered, and
     * rejects, registering nothing, when the file cannot be written.
     */
    registerNumber(waNumber: string): Promise<void>;
    /** Rotate the API key: the old key is rejected (401 RBC001) afterwards. */
    setApiKey(apiKey: string): void;
    /** Replace the random fault settings (fields left out are off). Throws on out-of-range values. */
    setFaults(faults: FaultSettings): void;
    /** Make the next `count` requests to Kaleyra's paths fail this way, before any random fault. */
    failNext(count: number, response: ScriptedFault): void;
    /**
     * Empty the registered numbers' profiles, clear the log, turn faults off and re-seed the
     * generator. Without a data file all of it happens before this returns; with one, once the
     * emptied profiles are on disk (the promise resolves then), and none of it when the file
     * cannot be written (the promise rejects).
     */
    reset(): Promise<void>;
    /** Stop: ends hung requests and open connections, waits for pending writes. Never hangs. */
    close(): Promise<void>;
}
