/**
 * The URL grammar (a strict subset of RFC 3986) and the host-name grammar it shares with the
 * email rule. Each returns what is wrong, worded by the catalogue (../messages.ts), or `undefined`.
 */

import { REASONS } from "../messages";
import { WHITESPACE } from "./text";

const LDH_LABEL = /^[A-Za-z0-9](?:[A-Za-z0-9-]{0,61}[A-Za-z0-9])?$/;
const TLD = /^[A-Za-z][A-Za-z0-9-]*$/;

/**
 * A DNS host name as the rules accept it: ASCII letters, digits and hyphens (an internationalized
 * name in its punycode `xn--` form), at least two dot-separated labels of 1–63 characters that do
 * not start or end with a hyphen, at most 253 characters, and a top-level label of at least two
 * characters that starts with a letter. No trailing dot.
 */
export function hostNameProblem(host: string): string | undefined {
    if (host === "") return REASONS.noHost();
    if (host.length > 253) return REASONS.hostTooLong();
    const labels = host.split(".");
    if (labels.length < 2) return REASONS.singleLabel(host);
    for (const label of labels) {
        if (label === "") return REASONS.emptyLabel(host);
        if (!LDH_LABEL.test(label)) return REASONS.badLabel(label);
    }
    const tld = labels[labels.length - 1];
    return tld.length < 2 || !TLD.test(tld) ? REASONS.badTld(tld) : undefined;
}

const DEC_OCTET = /^(?:25[0-5]|2[0-4]\d|1\d\d|[1-9]?\d)$/;

/** Four decimal octets 0–255 without leading zeros (RFC 3986's IPv4address). */
function isIPv4(host: string): boolean {
    const parts = host.split(".");
    return parts.length === 4 && parts.every((p) => DEC_OCTET.test(p));
}

const H16 = /^[0-9A-Fa-f]{1,4}$/;

/** RFC 4291 text form (RFC 3986's IPv6address): eight groups, `::` once, an IPv4 tail allowed. No zone. */
function isIPv6(text: string): boolean {
    const halves = text.split("::");
    if (halves.length > 2) return false;
    const groups = (half: string): string[] => (half === "" ? [] : half.split(":"));
    const all = [...groups(halves[0]), ...(halves.length === 2 ? groups(halves[1]) : [])];
    let count = all.length;
    if (all.length > 0 && isIPv4(all[all.length - 1])) {
        all.pop();
        count++; // an IPv4 tail stands for two groups
    }
    if (!all.every((g) => H16.test(g))) return false;
    return halves.length === 2 ? count <= 7 : count === 8;
}

const HEX = /^[0-9A-Fa-f]{2}$/;
/** RFC 3986 unreserved and sub-delims. */
const UNRESERVED_OR_SUB_DELIM = /^[A-Za-z0-9\-._~!$&'()*+,;=]$/;

/** The first character of `text` outside `extra` + unreserved + sub-delims + valid `%XX`. */
function charactersProblem(text: string, extra: string, where: string): string | undefined {
    for (let i = 0; i < text.length; i++) {
        const ch = text[i];
        if (ch === "%") {
            if (!HEX.test(text.slice(i + 1, i + 3))) return REASONS.urlBadPercent(where);
            i += 2;
            continue;
        }
        if (!UNRESERVED_OR_SUB_DELIM.test(ch) && !extra.includes(ch)) return REASONS.urlPartCharacter(ch, where);
    }
    return undefined;
}

const SCHEME = /^([A-Za-z][A-Za-z0-9+.-]*):/;
/** Every character RFC 3986 allows anywhere in a URI: unreserved, sub-delims, gen-delims and `%`. */
const URL_CHARACTER = /^[A-Za-z0-9\-._~!$&'()*+,;=:/?#[\]@%]$/;

/** The first character no URL may hold as it is: whitespace, a control, non-ASCII, or outside RFC 3986. */
function characterProblem(value: string): string | undefined {
    for (const ch of value) {
        const cp = ch.codePointAt(0) ?? 0;
        if (WHITESPACE.test(ch)) return REASONS.urlWhitespace(ch);
        if (cp < 0x20 || cp === 0x7f) return REASONS.urlControl(ch);
        if (cp > 0x7e) return REASONS.urlNonAscii(ch);
    }
    for (const ch of value) if (!URL_CHARACTER.test(ch)) return REASONS.urlCharacter(ch);
    return undefined;
}

/** The host and port of an authority (`userinfo@` already removed). */
function hostPortProblem(hostPort: string, scheme: string): string | undefined {
    let port: string | undefined;
    if (hostPort.startsWith("[")) {
        const close = hostPort.indexOf("]");
        if (close === -1) return REASONS.urlIpv6Unclosed();
        const after = hostPort.slice(close + 1);
        if (after !== "" && !after.startsWith(":")) return REASONS.urlAfterIpv6();
        port = after === "" ? undefined : after.slice(1);
        if (!isIPv6(hostPort.slice(1, close))) return REASONS.urlNotIpv6(hostPort.slice(0, close + 1));
    } else {
        const colon = hostPort.indexOf(":");
        const host = colon === -1 ? hostPort : hostPort.slice(0, colon);
        port = colon === -1 ? undefined : hostPort.slice(colon + 1);
        if (host === "") return REASONS.urlNoHost(scheme);
        if (!isIPv4(host)) {
            const problem = hostNameProblem(host);
            if (problem) return /^\d+(\.\d+)*$/.test(host) ? REASONS.urlNumericHost(host) : problem;
        }
    }
    if (port !== undefined && !(/^\d{1,5}$/.test(port) && Number(port) >= 1 && Number(port) <= 65535)) return REASONS.urlPort(port);
    return undefined;
}

/**
 * The URL rule (a strict subset of RFC 3986, so that every server parses it the same way):
 * `http://` or `https://` (any case), then an authority — optional `userinfo@`, a host (a DNS name
 * as {@link hostNameProblem} accepts, a dotted IPv4 address, or a bracketed IPv6 address), an
 * optional port 1–65535 — then an optional path, `?query` and `#fragment`. Printable ASCII only:
 * no whitespace or control character anywhere; any other character must be percent-encoded, and
 * every `%` starts a `%XX` escape. Characters allowed as they are: letters, digits,
 * `-._~!$&'()*+,;=`, and `:@/` in the path, plus `?` in the query and fragment.
 */
export function urlProblem(value: string): string | undefined {
    const characters = characterProblem(value);
    if (characters) return characters;
    const scheme = SCHEME.exec(value);
    if (!scheme) return REASONS.urlNoScheme();
    const name = scheme[1].toLowerCase();
    if (name !== "http" && name !== "https") return REASONS.urlScheme(scheme[1]);
    const rest = value.slice(scheme[0].length);
    if (!rest.startsWith("//")) return REASONS.urlNoSlashes(scheme[1]);

    const afterSlashes = rest.slice(2);
    const authorityEnd = afterSlashes.search(/[/?#]/);
    const authority = authorityEnd === -1 ? afterSlashes : afterSlashes.slice(0, authorityEnd);
    const tail = authorityEnd === -1 ? "" : afterSlashes.slice(authorityEnd);
    const at = authority.lastIndexOf("@");
    const problem = (at === -1 ? undefined : charactersProblem(authority.slice(0, at), ":", "user information")) ?? hostPortProblem(authority.slice(at + 1), scheme[1]);
    if (problem) return problem;

    const hash = tail.indexOf("#");
    const beforeHash = hash === -1 ? tail : tail.slice(0, hash);
    const query = beforeHash.indexOf("?");
    const path = query === -1 ? beforeHash : beforeHash.slice(0, query);
    return (
        charactersProblem(path, ":@/", "path") ??
        (query === -1 ? undefined : charactersProblem(beforeHash.slice(query + 1), ":@/?", "query")) ??
        (hash === -1 ? undefined : charactersProblem(tail.slice(hash + 1), ":@/?", "fragment"))
    );
}
