/**
 * Characters, as the grammars and the messages see them: whitespace, surrogates, control
 * characters, how a character is shown in a message, and how a value is clipped for one.
 */

/** Whitespace as JavaScript's `\s` has it (Unicode White_Space and U+FEFF). */
export const WHITESPACE = /\s/;
/** A value made of whitespace only. */
export const ALL_WHITESPACE = /^\s+$/;

const CHARACTER_NAMES: ReadonlyMap<number, string> = new Map([
    [0x20, "a space"],
    [0x09, "a tab"],
    [0x0a, "a line break"],
    [0x0d, "a carriage return"],
]);

/** Whether a UTF-16 code unit is a surrogate. */
export function isSurrogate(cp: number): boolean {
    return cp >= 0xd800 && cp <= 0xdfff;
}

/** Whether a one-code-point string is an unpaired surrogate. */
export function isLoneSurrogate(ch: string): boolean {
    return ch.length === 1 && isSurrogate(ch.charCodeAt(0));
}

/** A character shown in a message: itself when printable ASCII, else its name or code point. */
export function showChar(ch: string): string {
    const cp = ch.codePointAt(0) ?? 0;
    if (cp > 0x20 && cp < 0x7f) return `'${ch}'`;
    return CHARACTER_NAMES.get(cp) ?? `U+${cp.toString(16).toUpperCase().padStart(4, "0")}${cp > 0x9f && !isSurrogate(cp) ? ` ('${ch}')` : ""}`;
}

/** The first character `bad` picks, with its position in code points (1-based). */
function firstWhere(value: string, bad: (ch: string) => boolean): { at: number; ch: string } | undefined {
    let at = 0;
    for (const ch of value) {
        at++;
        if (bad(ch)) return { at, ch };
    }
    return undefined;
}

/** The first unpaired surrogate (a well-formed pair iterates as one code point above U+FFFF). */
export function firstUnpairedSurrogate(value: string): { at: number; ch: string } | undefined {
    return firstWhere(value, isLoneSurrogate);
}

/** C0 controls, DEL and C1 controls, except tab, LF and CR (allowed inside text). */
function isTextControl(code: number): boolean {
    return (code < 0x20 && code !== 0x09 && code !== 0x0a && code !== 0x0d) || (code >= 0x7f && code <= 0x9f);
}

/** The first control character that text may not hold. */
export function firstTextControl(value: string): { at: number; ch: string } | undefined {
    return firstWhere(value, (ch) => isTextControl(ch.charCodeAt(0)));
}

/** A value shown in a message, clipped so a huge input cannot flood it. */
export function clip(text: string): string {
    const chars = [...text];
    return chars.length > 40 ? `${chars.slice(0, 40).join("")}…` : text;
}

/** A character's UTF-8 percent-encoding, e.g. `%C3%A9`. */
export function percentEncode(ch: string): string {
    return Array.from(new TextEncoder().encode(ch), (b) => `%${b.toString(16).toUpperCase().padStart(2, "0")}`).join("");
}
