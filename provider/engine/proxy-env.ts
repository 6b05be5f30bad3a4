/**
 * Which proxy, if any, a request to a URL goes through, from `HTTPS_PROXY`, `HTTP_PROXY`,
 * `ALL_PROXY` and `NO_PROXY` (each in lower or upper case), by the rules curl follows. Pure: the
 * environment is a parameter, so the provider reads the same environment as its other settings.
 *
 * - The variable is the target's scheme's: `https_proxy` for an https URL, `http_proxy` for an
 *   http one, then `all_proxy`. For each, the lower-case name wins over the upper-case one (as in
 *   curl, wget and proxy-from-env; npm reads upper case first). An empty value counts as unset.
 *   An https target never uses `HTTP_PROXY` (curl's rule; npm falls back to it).
 * - A proxy written without a scheme (`proxy.corp:3128`) is `http://`; only `http://` and
 *   `https://` proxies are supported. A proxy's missing port is its scheme's default (80, 443).
 * - `NO_PROXY` is a list separated by commas or blanks. `*` sends everything direct. A name
 *   matches that host and every host under it: `example.com`, `.example.com` and
 *   `*.example.com` all match `example.com` and `api.example.com`, never `notexample.com`. An IP
 *   address matches that address; `10.0.0.0/8` or `fd00::/8` matches the addresses in the range
 *   (curl ≥ 7.86). `host:port` or `[v6]:port` matches only that port (the target's port, or its
 *   scheme's default). Case and a trailing dot do not matter. `localhost` gets no special case:
 *   list it (and `127.0.0.1`) if a local endpoint must not go through the proxy.
 */

import { BlockList, isIP } from "node:net";

import { SETTING_MESSAGES } from "../contract/messages";
import { KaleyraConfigError } from "./errors";

/** The proxy a request goes through. */
export interface ProxyRoute {
    /** The proxy's URL, credentials included: for the connection only, never to be shown. */
    readonly url: URL;
    /** The proxy for messages: scheme, host and port, without credentials. */
    readonly display: string;
    /** The variable it came from, e.g. `HTTPS_PROXY`. */
    readonly from: string;
    /** The credentials in the URL, in every form they may be sent or shown in, for redaction. */
    readonly secrets: readonly string[];
    /** The credentials in the URL, percent-decoded, to authenticate to the proxy with; absent without any. */
    readonly auth?: { readonly username: string; readonly password: string };
}

/** The environment, as `process.env` is. */
export type Environment = Readonly<Record<string, string | undefined>>;

/** The first of `names` set to something other than blanks: its name and value. */
function firstSet(env: Environment, names: readonly string[]): { name: string; value: string } | undefined {
    for (const name of names) {
        const value = env[name]?.trim();
        if (value) return { name, value };
    }
    return undefined;
}

/** `http://user:secret@proxy:3128` → `http://[REDACTED]@proxy:3128`, for text that could not be parsed. */
function maskUserinfo(text: string): string {
    return text.replace(/^([a-z][a-z0-9+.-]*:\/\/)?[^/?#]*@/i, (_m, scheme: string | undefined) => `${scheme ?? ""}[REDACTED]@`);
}

/** The target's port, or its scheme's default. */
function effectivePort(url: URL): number {
    return Number(url.port) || (url.protocol === "https:" ? 443 : 80);
}

/** A host as compared: lower case, no brackets around IPv6, no trailing dot. */
function normalizeHost(host: string): string {
    return host.toLowerCase().replace(/^\[(.*)\]$/, "$1").replace(/\.+$/, "");
}

/** One `NO_PROXY` entry split into host (or CIDR range) and port (0 for any). */
function parseEntry(entry: string): { host: string; port: number } {
    const bracketed = /^\[([^\]]*)\](?::(\d+))?$/.exec(entry);
    if (bracketed) return { host: bracketed[1], port: Number(bracketed[2] ?? 0) };
    const withPort = /^([^:]+):(\d+)$/.exec(entry);
    if (withPort) return { host: withPort[1], port: Number(withPort[2]) };
    return { host: entry, port: 0 };
}

/** Whether the IP address `host` is in `range` (an address, or CIDR `address/bits`). */
function ipMatches(host: string, range: string): boolean {
    const hostFamily = isIP(host);
    const [base, bits] = range.split("/", 2);
    const baseFamily = isIP(base);
    if (hostFamily === 0 || hostFamily !== baseFamily) return false;
    const family = baseFamily === 4 ? "ipv4" : "ipv6";
    const list = new BlockList();
    try {
        if (bits === undefined) list.addAddress(base, family);
        else if (/^\d+$/.test(bits)) list.addSubnet(base, Number(bits), family);
        else return false;
    } catch {
        return false; // a prefix out of range: the entry matches nothing
    }
    return list.check(host, family);
}

/** Whether `target` is listed in a `NO_PROXY` value (curl's rules, see the module comment). */
export function matchesNoProxy(target: URL, noProxy: string): boolean {
    const host = normalizeHost(target.hostname);
    const port = effectivePort(target);
    const hostIsIp = isIP(host) !== 0;
    for (const raw of noProxy.split(/[\s,]+/)) {
        if (raw === "") continue;
        if (raw === "*") return true;
        const entry = parseEntry(raw.trim());
        if (entry.port !== 0 && entry.port !== port) continue;
        const name = normalizeHost(entry.host).replace(/^\*?\.+/, "");
        if (name === "") continue;
        if (isIP(name.split("/", 1)[0]) !== 0) {
            if (hostIsIp && ipMatches(host, name)) return true;
            continue;
        }
        if (!hostIsIp && (host === name || host.endsWith(`.${name}`))) return true;
    }
    return false;
}

/**
 * The proxy credentials to redact: the password and `user:password`, raw and decoded. Shorter
 * than {@link MIN_REDACTED} characters they are left out: a one-letter password would be "found"
 * all over every message, and such a value tells nothing by itself. They never reach a message
 * anyway (proxies are shown without credentials); this is the second line.
 */
function credentialForms(url: URL): string[] {
    const forms: string[] = [];
    if (url.password) forms.push(url.password, decode(url.password));
    if (url.username && url.password) forms.push(`${decode(url.username)}:${decode(url.password)}`, `${url.username}:${url.password}`);
    return forms.filter((form) => form.length >= MIN_REDACTED);
}

/** A URL's userinfo part percent-decoded, or as it is when it is not valid percent-encoding. */
function decode(text: string): string {
    try {
        return decodeURIComponent(text);
    } catch {
        return text;
    }
}

/** The shortest proxy credential worth redacting. */
const MIN_REDACTED = 4;

/**
 * The proxy for a request to `target`, or `undefined` when it goes direct.
 * @throws KaleyraConfigError for a proxy variable that is not an http(s) URL (naming the
 *   variable, never its credentials).
 */
export function proxyFor(target: URL, env: Environment): ProxyRoute | undefined {
    const scheme = target.protocol.replace(/:$/, "");
    if (scheme !== "http" && scheme !== "https") return undefined;
    const chosen = firstSet(env, [`${scheme}_proxy`, `${scheme.toUpperCase()}_PROXY`, "all_proxy", "ALL_PROXY"]);
    if (!chosen) return undefined;
    const noProxy = firstSet(env, ["no_proxy", "NO_PROXY"]);
    if (noProxy && matchesNoProxy(target, noProxy.value)) return undefined;

    const text = /^[a-z][a-z0-9+.-]*:\/\//i.test(chosen.value) ? chosen.value : `http://${chosen.value}`;
    let url: URL;
    try {
        url = new URL(text);
    } catch {
        throw new KaleyraConfigError(SETTING_MESSAGES.proxyNotUrl(chosen.name, maskUserinfo(chosen.value)), "proxy");
    }
    const secrets = credentialForms(url);
    const display = `${url.protocol}//${url.host}`;
    if (url.protocol !== "http:" && url.protocol !== "https:") {
        throw new KaleyraConfigError(SETTING_MESSAGES.proxyScheme(chosen.name, display, scheme, target.hostname), "proxy", secrets);
    }
    if (url.hostname === "") {
        throw new KaleyraConfigError(SETTING_MESSAGES.proxyNoHost(chosen.name), "proxy", secrets);
    }
    const auth = url.username || url.password ? { username: decode(url.username), password: decode(url.password) } : undefined;
    return { url, display, from: chosen.name, secrets, ...(auth ? { auth } : {}) };
}
