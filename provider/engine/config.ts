/**
 * Resolves the provider's settings from stack config (`kaleyra:*`) with environment fallbacks.
 * Runs inside the provider at operation time, never when a program is constructed, so the API
 * key is never captured into `__provider` and key rotation takes effect on the next run.
 */

import { SETTING_MESSAGES } from "../contract/messages";
import { KaleyraConfigError } from "./errors";
import { proxyFor, ProxyRoute } from "./proxy-env";

/** Kaleyra's regions and their API origins. */
export const REGION_ORIGINS = {
    in: "https://api.in.kaleyra.io",
    ap: "https://api.ap.kaleyra.io",
    eu: "https://api.eu.kaleyra.io",
    na: "https://api.na.kaleyra.io",
} as const;

/** A Kaleyra region code. */
export type KaleyraRegion = keyof typeof REGION_ORIGINS;

/** Anything that answers `get("kaleyra:sid")`: the dynamic provider's `configure` request config. */
export interface ConfigSource {
    /** The value of a namespaced config key, or `undefined`. */
    get(key: string): unknown;
}

/** Everything the client needs, validated. */
export interface KaleyraSettings {
    /** Account SID; goes in the request path. Not a secret. */
    readonly sid: string;
    /** API key; goes only in the `api-key` header. */
    readonly apiKey: string;
    /** The region the origin came from, or `undefined` when `endpoint` overrides it. */
    readonly region?: KaleyraRegion;
    /** Origin (and optional base path) requests go to, without a trailing slash. */
    readonly endpoint: string;
    /** Per-request timeout in milliseconds. */
    readonly timeoutMs: number;
    /** Retries after the first attempt, for retryable failures. */
    readonly maxRetries: number;
    /** Upper bound on the time spent on one operation, retries and waits included, in ms. */
    readonly retryTimeoutMs: number;
    /** Requests in flight at once per endpoint and SID, across the whole provider process. */
    readonly maxConcurrency: number;
    /**
     * The proxy requests to the endpoint go through, from `HTTPS_PROXY` / `HTTP_PROXY` /
     * `ALL_PROXY` and `NO_PROXY` (see proxy-env.ts); `undefined` to go direct.
     */
    readonly proxy?: ProxyRoute;
}

/** The defaults of the optional settings. */
export const DEFAULTS = {
    region: "in" as KaleyraRegion,
    timeoutMs: 30_000,
    maxRetries: 4,
    retryTimeoutMs: 120_000,
    maxConcurrency: 8,
} as const;

/** One setting: its stack config key and its environment variable. */
interface SettingKey {
    readonly config: string;
    readonly env: string;
}

/** The config keys and env vars, by setting. Exported for docs and error messages. */
export const SETTING_KEYS = {
    sid: { config: "kaleyra:sid", env: "KALEYRA_SID" },
    apiKey: { config: "kaleyra:apiKey", env: "KALEYRA_API_KEY" },
    region: { config: "kaleyra:region", env: "KALEYRA_REGION" },
    endpoint: { config: "kaleyra:endpoint", env: "KALEYRA_ENDPOINT" },
    timeoutMs: { config: "kaleyra:timeoutMs", env: "KALEYRA_TIMEOUT_MS" },
    maxRetries: { config: "kaleyra:maxRetries", env: "KALEYRA_MAX_RETRIES" },
    retryTimeoutMs: { config: "kaleyra:retryTimeoutMs", env: "KALEYRA_RETRY_TIMEOUT_MS" },
    maxConcurrency: { config: "kaleyra:maxConcurrency", env: "KALEYRA_MAX_CONCURRENCY" },
} as const satisfies Record<string, SettingKey>;

/** A setting's name, e.g. `region` (stack config `kaleyra:region`, environment `KALEYRA_REGION`). */
export type SettingName = keyof typeof SETTING_KEYS;

/** Name a setting for a person: `kaleyra:sid (or KALEYRA_SID)`. */
function where(key: SettingKey): string {
    return `${key.config} (or ${key.env})`;
}

/** Stack config first, then the environment; empty strings count as unset. */
function lookup(key: SettingKey, config: ConfigSource | undefined, env: NodeJS.ProcessEnv): string | undefined {
    const fromConfig = config?.get(key.config);
    if (fromConfig !== undefined && fromConfig !== null && String(fromConfig).trim() !== "") {
        return String(fromConfig).trim();
    }
    const fromEnv = env[key.env];
    return fromEnv !== undefined && fromEnv.trim() !== "" ? fromEnv.trim() : undefined;
}

function integer(setting: SettingName, raw: string | undefined, fallback: number, min: number, max: number): number {
    if (raw === undefined) return fallback;
    const n = Number(raw);
    if (!Number.isInteger(n) || n < min || n > max) {
        throw new KaleyraConfigError(SETTING_MESSAGES.wholeNumber(where(SETTING_KEYS[setting]), min, max, raw), setting);
    }
    return n;
}

function endpointOrigin(raw: string): string {
    let url: URL;
    try {
        url = new URL(raw);
    } catch {
        throw new KaleyraConfigError(SETTING_MESSAGES.endpointNotUrl(where(SETTING_KEYS.endpoint), raw), "endpoint");
    }
    if (url.protocol !== "http:" && url.protocol !== "https:") {
        throw new KaleyraConfigError(SETTING_MESSAGES.endpointScheme(where(SETTING_KEYS.endpoint), url.protocol), "endpoint");
    }
    if (url.username || url.password || url.search || url.hash) {
        throw new KaleyraConfigError(SETTING_MESSAGES.endpointParts(where(SETTING_KEYS.endpoint)), "endpoint");
    }
    return (url.origin + url.pathname).replace(/\/+$/, "");
}

/** Every setting but the credentials, validated: what {@link checkSettings} checks. */
type ConnectionSettings = Omit<KaleyraSettings, "sid" | "apiKey">;

function connectionSettings(config: ConfigSource | undefined, env: NodeJS.ProcessEnv): ConnectionSettings {
    const rawEndpoint = lookup(SETTING_KEYS.endpoint, config, env);
    const rawRegion = lookup(SETTING_KEYS.region, config, env)?.toLowerCase();
    let region: KaleyraRegion | undefined;
    if (rawRegion !== undefined) {
        if (!Object.hasOwn(REGION_ORIGINS, rawRegion)) {
            throw new KaleyraConfigError(SETTING_MESSAGES.region(where(SETTING_KEYS.region), Object.keys(REGION_ORIGINS), rawRegion), "region");
        }
        region = rawRegion as KaleyraRegion;
    }
    const endpoint = rawEndpoint !== undefined ? endpointOrigin(rawEndpoint) : REGION_ORIGINS[region ?? DEFAULTS.region];
    const setting = (name: SettingName) => lookup(SETTING_KEYS[name], config, env);
    return {
        region: rawEndpoint !== undefined ? undefined : (region ?? DEFAULTS.region),
        endpoint,
        timeoutMs: integer("timeoutMs", setting("timeoutMs"), DEFAULTS.timeoutMs, 1, 600_000),
        maxRetries: integer("maxRetries", setting("maxRetries"), DEFAULTS.maxRetries, 0, 20),
        retryTimeoutMs: integer("retryTimeoutMs", setting("retryTimeoutMs"), DEFAULTS.retryTimeoutMs, 0, 3_600_000),
        maxConcurrency: integer("maxConcurrency", setting("maxConcurrency"), DEFAULTS.maxConcurrency, 1, 256),
        ...withProxy(proxyFor(new URL(endpoint), env)),
    };
}

/**
 * Check the settings that need no credentials — region, endpoint, the numbers, the proxy — as
 * `pulumi preview` can (it makes no call, so missing credentials are not a problem yet).
 * @returns the first problem, naming its setting in {@link KaleyraConfigError.setting}; `undefined` when there is none.
 */
export function checkSettings(config: ConfigSource | undefined, env: NodeJS.ProcessEnv = process.env): KaleyraConfigError | undefined {
    try {
        const sid = lookup(SETTING_KEYS.sid, config, env);
        if (sid !== undefined) checkSid(sid);
        connectionSettings(config, env);
        return undefined;
    } catch (error) {
        if (error instanceof KaleyraConfigError) return error;
        throw error;
    }
}

function checkSid(sid: string): void {
    if (!/^[A-Za-z0-9_-]+$/.test(sid)) {
        throw new KaleyraConfigError(SETTING_MESSAGES.sidCharacters(where(SETTING_KEYS.sid), sid), "sid");
    }
}

/**
 * Resolve and validate the settings. Throws {@link KaleyraConfigError} naming the config key and
 * env var of any missing or invalid setting (and the setting in its `setting`). The key's value
 * never appears in a message. The proxy comes from the same environment, by curl's rules.
 */
export function resolveSettings(config: ConfigSource | undefined, env: NodeJS.ProcessEnv = process.env): KaleyraSettings {
    const sid = lookup(SETTING_KEYS.sid, config, env);
    const apiKey = lookup(SETTING_KEYS.apiKey, config, env);
    if (sid === undefined || apiKey === undefined) {
        const missing = [
            sid === undefined ? { setting: "sid" as const, example: "pulumi config set kaleyra:sid <SID>" } : undefined,
            apiKey === undefined ? { setting: "apiKey" as const, example: "pulumi config set --secret kaleyra:apiKey <API key>" } : undefined,
        ].filter((m) => m !== undefined);
        throw new KaleyraConfigError(
            SETTING_MESSAGES.missingCredentials(
                missing.map((m) => where(SETTING_KEYS[m.setting])),
                missing.map((m) => m.example),
            ),
            missing[0].setting,
        );
    }
    checkSid(sid);
    return { sid, apiKey, ...connectionSettings(config, env) };
}

/** `{ proxy }` when there is one, so direct settings have no `proxy` key at all. */
function withProxy(proxy: ProxyRoute | undefined): { proxy?: ProxyRoute } {
    return proxy ? { proxy } : {};
}
