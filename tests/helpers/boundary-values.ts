/**
 * The boundary values of the field rules, each with its verdict: the table issue 9 asked for
 * (URLs with a space, a leading or trailing blank or a newline, emails like `a@b.c` or
 * `ü@example.com`, lengths at the limits, category spellings, E.164 edge cases). Both
 * `checkProfile` and the emulator must give every row the verdict written here
 * (tests/rules-agreement.test.ts). The rules themselves are provider/contract/rules.ts.
 */

import type { ProfileFieldName } from "../../provider/contract/fields";

/** One row: a value for one property, and whether the rules accept it. */
export interface BoundaryCase {
    /** The program property, `waNumber` or an editable field. */
    readonly property: "waNumber" | ProfileFieldName;
    /** The value tried. */
    readonly value: string;
    /** True when both sides must accept it. */
    readonly ok: boolean;
    /** The Kaleyra error code the emulator must answer with when it is rejected (default E13001). */
    readonly code?: "E413" | "E962" | "E13001";
    /** For an accepted value that check normalizes: what it becomes. */
    readonly normalized?: string;
    /** Why, in a few words. */
    readonly why: string;
}

const url256 = `https://example.com/${"p".repeat(236)}`;
const local64 = "l".repeat(64);
/** 64 + 1 + 63 = 128 characters: the longest address (local part at its 64 limit, one 59-letter label). */
const email128 = `${local64}@${"d".repeat(59)}.com`;

const ok = (property: BoundaryCase["property"], value: string, why: string, normalized?: string): BoundaryCase => ({ property, value, ok: true, why, normalized });
const no = (property: BoundaryCase["property"], value: string, why: string, code?: BoundaryCase["code"]): BoundaryCase => ({ property, value, ok: false, why, code });

export const BOUNDARY_CASES: readonly BoundaryCase[] = [
    // --- URLs (website; the same rule for incomingUrl and displayImage) --------------------------
    ok("website", "https://example.com", "plain https"),
    ok("website", "http://example.com", "plain http"),
    ok("website", "HTTPS://EXAMPLE.COM/Path", "scheme and host in any case"),
    ok("website", "https://example.com/a%20b?q=1&r=a+b#top", "percent-encoded space, query, fragment"),
    ok("incomingUrl", "https://webhook.site/#!/7aXXXXXX-e1df-4f59-8ddc-55abdaXXXXXX/test", "the contract's own incoming_url example"),
    ok("incomingUrl", "https://user:pw@hooks.example.com/wa", "credentials in the authority"),
    ok("incomingUrl", "http://203.0.113.5:8080/hook", "IPv4 host and a port"),
    ok("incomingUrl", "http://[2001:db8::1]/hook", "IPv6 host"),
    ok("website", "https://xn--bcher-kva.de", "an IDN in its punycode form"),
    ok("website", url256, "256 characters"),
    no("website", `${url256}p`, "257 characters"),
    no("website", "https://example.com/a b", "a space inside (the issue's example)"),
    no("website", " https://example.com", "a leading blank"),
    no("website", "https://example.com ", "a trailing blank"),
    no("website", "https://example.com\n", "a trailing newline"),
    no("website", "https://example.com/a\tb", "a tab inside"),
    no("website", "https://exa mple.com", "a space in the host"),
    no("website", "https://example.com/café", "a non-ASCII character in the path"),
    no("website", "https://bücher.de", "a non-ASCII host (write the punycode)"),
    no("website", "ftp://example.com/x", "not http(s)"),
    no("website", "javascript:alert(1)", "not http(s)"),
    no("website", "example.com", "no scheme"),
    no("website", "//example.com", "no scheme"),
    no("website", "https://", "no host"),
    no("website", "https:example.com", "no //"),
    no("website", "https:/example.com", "one slash"),
    no("website", "https:///example.com", "three slashes: empty host"),
    no("website", "https://localhost/x", "a single-label host"),
    no("website", "https://example.c", "a one-letter top-level domain"),
    no("website", "https://-example.com", "a label starting with a hyphen"),
    no("website", "https://example..com", "an empty label"),
    no("website", "https://999.1.1.1", "neither an IPv4 address nor a host name"),
    no("website", "https://example.com:0", "port 0"),
    no("website", "https://example.com:65536", "port over 65535"),
    no("website", "https://example.com/100%", "a % not followed by two hex digits"),
    no("website", "https://example.com\\path", "a backslash"),
    no("website", "https://example.com/<script>", "characters a URL cannot hold as they are"),
    no("displayImage", "", "empty display_image is Kaleyra's E962", "E962"),
    no("displayImage", " ", "blank display_image is E962 too", "E962"),
    no("incomingUrl", "", "empty: Kaleyra cannot clear a field"),

    // --- contactEmail ----------------------------------------------------------------------------
    ok("contactEmail", "help@example.com", "plain"),
    ok("contactEmail", "a@b.co", "the shortest kind"),
    ok("contactEmail", "first.last+tag@mail.example.co.uk", "dots, plus, subdomains"),
    ok("contactEmail", "o'brien@example.ie", "an apostrophe"),
    ok("contactEmail", "x{y}|z@example.com", "any RFC 5322 atext character"),
    ok("contactEmail", "Help@Example.COM", "any case"),
    ok("contactEmail", email128, "128 characters"),
    no("contactEmail", `${local64}@${"d".repeat(60)}.com`, "129 characters"),
    no("contactEmail", `${local64}l@example.com`, "a 65-character local part"),
    no("contactEmail", "a@b.c", "a one-letter top-level domain"),
    no("contactEmail", "ü@example.com", "a non-ASCII local part"),
    no("contactEmail", "help@exämple.com", "a non-ASCII domain"),
    no("contactEmail", "a..b@example.com", "two dots in a row"),
    no("contactEmail", ".a@example.com", "a leading dot"),
    no("contactEmail", "a.@example.com", "a trailing dot before @"),
    no("contactEmail", "a b@example.com", "a space"),
    no("contactEmail", " help@example.com", "a leading blank"),
    no("contactEmail", "help@example.com\n", "a trailing newline"),
    no("contactEmail", '"quoted"@example.com', "a quoted local part"),
    no("contactEmail", "help@localhost", "a single-label domain"),
    no("contactEmail", "help@[127.0.0.1]", "an address literal"),
    no("contactEmail", "a@b", "no top-level domain"),
    no("contactEmail", "@example.com", "no local part"),
    no("contactEmail", "a@@example.com", "two @"),
    no("contactEmail", "help-at-example.com", "no @"),

    // --- businessCategory ------------------------------------------------------------------------
    ok("businessCategory", "Hotel and Lodging", "Kaleyra's spelling", "Hotel and Lodging"),
    ok("businessCategory", "hotel and lodging", "any case", "Hotel and Lodging"),
    ok("businessCategory", "HOTEL AND LODGING", "any case", "Hotel and Lodging"),
    ok("businessCategory", "Beauty, Spa, and Salon", "Kaleyra's spelling", "Beauty, Spa, and Salon"),
    ok("businessCategory", "non-profit", "any case", "Non-profit"),
    no("businessCategory", "Beauty, Spa and Salon", "Meta's spelling is not Kaleyra's exact string"),
    no("businessCategory", " Hotel and Lodging", "a leading blank"),
    no("businessCategory", "Hotel and Lodging ", "a trailing blank"),
    no("businessCategory", "Hotel and Lodging\n", "a trailing newline"),
    no("businessCategory", "Hotel  and Lodging", "two spaces"),
    no("businessCategory", "Hotel & Lodging", "not the exact string"),
    no("businessCategory", "Nonprofit", "not the exact string"),
    no("businessCategory", "Finance and Ban\u212Aing", "a Kelvin sign is not a K (ASCII case-insensitivity only)"),
    no("businessCategory", "", "empty"),

    // --- waNumber --------------------------------------------------------------------------------
    ok("waNumber", "+919876543210", "India"),
    ok("waNumber", "+15550001111", "NANP"),
    ok("waNumber", "+123456789012345", "15 digits"),
    ok("waNumber", "+8001234567", "a non-geographic code (+800)"),
    ok("waNumber", "+919876", "four digits after the country code"),
    no("waNumber", "+1234567890123456", "16 digits"),
    no("waNumber", "+91987", "three digits after the country code"),
    no("waNumber", "919876543210", "no +"),
    no("waNumber", "+91 98765 43210", "spaces"),
    no("waNumber", "+0919876543210", "a country code starting with 0"),
    no("waNumber", "+999123456789", "no assigned country code"),
    no("waNumber", " +919876543210", "a leading blank"),
    no("waNumber", "+919876543210\n", "a trailing newline"),
    no("waNumber", "+٩١٩٨٧٦٥٤٣٢١٠", "Arabic-Indic digits"),
    no("waNumber", "", "empty: Kaleyra's E413", "E413"),
    no("waNumber", " ", "blank: E413 too", "E413"),

    // --- text: about, address, businessDescription ------------------------------------------------
    ok("about", "a", "one character"),
    ok("about", "a".repeat(139), "139 characters"),
    ok("about", "😀".repeat(139), "139 emoji are 139 code points (278 UTF-16 units)"),
    ok("about", "Open 9-6,\nMon-Sat", "a line break inside"),
    ok("about", "👨‍👩‍👧", "a family emoji: 5 code points"),
    no("about", "a".repeat(140), "140 characters"),
    no("about", "😀".repeat(140), "140 emoji"),
    no("about", "", "empty: Kaleyra cannot clear a field"),
    no("about", " ", "blank"),
    no("about", " Open 9-6", "a leading blank"),
    no("about", "Open 9-6\n", "a trailing newline"),
    no("about", "Open\u00009-6", "a NUL character"),
    no("about", "Open \ud800", "an unpaired surrogate"),
    ok("address", "a".repeat(256), "256 characters"),
    no("address", "a".repeat(257), "257 characters"),
    ok("businessDescription", "d".repeat(512), "512 characters (Meta's limit, not the console's 256)"),
    no("businessDescription", "d".repeat(513), "513 characters"),
];
