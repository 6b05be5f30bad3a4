/**
 * Redaction: the one implementation of "no secret in anything shown". Errors (errors.ts) redact
 * every string they keep with it, where they are built (the model is octokit's RequestError), and
 * responses.ts redacts server text with it before clipping a snippet for a message.
 */

/** What replaces a secret in anything an error keeps. */
export const REDACTED = "[REDACTED]";

/** The longest piece of server text kept in an error message or field. */
export const MAX_SNIPPET = 300;

/** Request and response headers whose values are credentials. */
const CREDENTIAL_HEADERS: ReadonlySet<string> = new Set(["api-key", "x-api-key", "authorization", "proxy-authorization", "cookie", "set-cookie"]);

/** Whether a header (any case) carries a credential: `api-key`, `authorization`, `cookie`, … */
export function isCredentialHeader(name: string): boolean {
    return CREDENTIAL_HEADERS.has(name.toLowerCase());
}

/**
 * Removes secrets from text: each secret as it is, percent-encoded, JSON-escaped and
 * base64-encoded (as in a `Proxy-Authorization: Basic` header), longest first.
 */
export class Redaction {
    private readonly forms: readonly string[];

    constructor(secrets: Iterable<string | undefined>) {
        const forms = new Set<string>();
        for (const secret of secrets) {
            if (typeof secret !== "string" || secret === "") continue;
            forms.add(secret);
            forms.add(encodeURIComponent(secret));
            forms.add(JSON.stringify(secret).slice(1, -1));
            forms.add(Buffer.from(secret, "utf8").toString("base64"));
        }
        forms.delete("");
        this.forms = [...forms].sort((a, b) => b.length - a.length);
    }

    /** `text` with every form of every secret replaced by {@link REDACTED}. */
    text(text: string): string {
        let out = text;
        for (const form of this.forms) if (out.includes(form)) out = out.split(form).join(REDACTED);
        return out;
    }

    /**
     * A short, one-line piece of server text for a message: redacted first, then flattened and
     * clipped, so a cut can never leave a fragment of a secret behind.
     */
    snippet(text: string, max: number = MAX_SNIPPET): string {
        const flat = this.text(text).replace(/\s+/g, " ").trim();
        return flat.length > max ? `${flat.slice(0, max)}…` : flat;
    }

    /** Header values of credential headers (`api-key`, `authorization`, `proxy-authorization`, …). */
    static credentialsIn(headers: Readonly<Record<string, unknown>> | undefined): string[] {
        const found: string[] = [];
        for (const [name, value] of Object.entries(headers ?? {})) {
            if (!isCredentialHeader(name)) continue;
            for (const v of Array.isArray(value) ? value : [value]) {
                if (typeof v !== "string" || v === "") continue;
                found.push(v);
                // `Basic dXNlcjpwYXNz`, `Bearer abc`: the credential without its scheme too, and
                // Basic's `user:password` and password decoded.
                const [, scheme, credential] = /^(\S+)\s+(\S.*)$/.exec(v) ?? [];
                if (!credential) continue;
                found.push(credential);
                if (scheme.toLowerCase() === "basic") {
                    const pair = Buffer.from(credential, "base64").toString("utf8");
                    const colon = pair.indexOf(":");
                    if (colon >= 0) found.push(pair, pair.slice(colon + 1));
                }
            }
        }
        return found;
    }
}
