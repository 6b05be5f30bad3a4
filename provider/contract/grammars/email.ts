/** The email grammar, worded by the catalogue (../messages.ts). */

import { REASONS } from "../messages";
import { WHITESPACE } from "./text";
import { hostNameProblem } from "./url";

/** RFC 5322 atext: the characters a dot-atom local part may hold besides dots. */
const ATEXT = /^[A-Za-z0-9!#$%&'*+/=?^_`{|}~-]+$/;

/**
 * The email rule (a practical subset of RFC 5321/5322): `local@domain`, ASCII only, one `@`.
 * The local part is a dot-atom — letters, digits and ``!#$%&'*+/=?^_`{|}~-``, in dot-separated
 * runs (no leading, trailing or doubled dot) — of at most 64 characters; no quoted strings. The
 * domain is a DNS name as {@link hostNameProblem} accepts (so at least two labels and a top-level
 * domain of two or more characters: `a@b.c` is rejected); no address literals like `[127.0.0.1]`.
 * Internationalized (non-ASCII) addresses are not accepted.
 * @returns what is wrong, or `undefined`.
 */
export function emailProblem(value: string): string | undefined {
    for (const ch of value) {
        const cp = ch.codePointAt(0) ?? 0;
        if (WHITESPACE.test(ch)) return REASONS.emailWhitespace(ch);
        if (cp < 0x20 || cp > 0x7e) return REASONS.emailNonAscii(ch);
    }
    const at = value.indexOf("@");
    if (at === -1) return REASONS.emailNoAt();
    if (value.indexOf("@", at + 1) !== -1) return REASONS.emailTwoAts();
    const local = value.slice(0, at);
    const domain = value.slice(at + 1);
    if (local === "") return REASONS.emailNoLocal();
    if (local.length > 64) return REASONS.emailLocalTooLong(local.length);
    if (local.startsWith(".") || local.endsWith(".") || local.includes("..")) return REASONS.emailDots();
    for (const run of local.split(".")) {
        if (!ATEXT.test(run)) return REASONS.emailLocalCharacter([...run].find((c) => !ATEXT.test(c)) ?? run);
    }
    if (domain.startsWith("[")) return REASONS.emailAddressLiteral();
    const problem = hostNameProblem(domain);
    return problem ? REASONS.emailDomain(problem) : undefined;
}
