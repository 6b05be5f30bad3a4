/**
 * The shared field rules (provider/contract/rules.ts) on their own: the country-code table
 * against libphonenumber-js's metadata, the URL and email grammars against the WHATWG parsers
 * they are meant to be strict subsets of, and the module's promises (no third-party import,
 * total, bounded messages).
 */

import { strict as assert } from "node:assert";
import * as fs from "node:fs";
import * as path from "node:path";

import fc from "fast-check";
import examples from "libphonenumber-js/examples.mobile.json";
import metadata from "libphonenumber-js/metadata.min.json";
import { getCountries, getCountryCallingCode, getExampleNumber } from "libphonenumber-js/min";

import { BUSINESS_CATEGORIES, FIELD_LIST, LONGEST_CATEGORY, matchBusinessCategory, PROFILE_FIELDS } from "../../provider/contract/fields";
import { COUNTRY_CALLING_CODES } from "../../provider/contract/grammars/calling-codes";
import { emailProblem } from "../../provider/contract/grammars/email";
import { urlProblem } from "../../provider/contract/grammars/url";
import { failureMessage } from "../../provider/contract/messages";
import { checkFieldValue, checkWaNumberValue, RuleResult } from "../../provider/contract/rules";

const SEED = Number(process.env.FUZZ_SEED ?? 0x72756c);

/** The HTML living standard's "valid e-mail address". */
const WHATWG_EMAIL = /^[a-zA-Z0-9.!#$%&'*+/=?^_`{|}~-]+@[a-zA-Z0-9](?:[a-zA-Z0-9-]{0,61}[a-zA-Z0-9])?(?:\.[a-zA-Z0-9](?:[a-zA-Z0-9-]{0,61}[a-zA-Z0-9])?)*$/;

function verdict(result: RuleResult): string {
    return result.ok ? `ok ${result.value}` : `${result.code}: ${result.reason}`;
}

describe("rules (provider/contract/rules.ts)", () => {
    it("the contract imports nothing but its own modules (and node: built-ins nowhere either)", () => {
        const root = path.resolve(__dirname, "..", "..", "provider", "contract");
        const files = fs.readdirSync(root, { recursive: true, encoding: "utf8" }).filter((f) => f.endsWith(".ts"));
        assert.ok(files.includes("rules.ts") && files.includes("messages.ts") && files.some((f) => f.startsWith("grammars")));
        for (const file of files) {
            const source = fs.readFileSync(path.join(root, file), "utf8");
            // Type-only imports (types.ts's Pulumi Input/Output types) load nothing at run time.
            const imports = [...source.matchAll(/^(?:import|export)(?!\s+type\b)[^;]*?from\s+"([^"]+)"/gm)].map((m) => m[1]);
            assert.deepEqual(imports.filter((i) => !i.startsWith("./") && !i.startsWith("../")), [], file);
            assert.deepEqual(imports.filter((i) => i.startsWith("../") && !path.resolve(root, path.dirname(file), i).startsWith(root)), [], `${file} reaches outside the contract`);
        }
    });

    it("keeps the dispatch short: rules.ts is at most 250 lines", () => {
        const lines = fs.readFileSync(path.resolve(__dirname, "..", "..", "provider", "contract", "rules.ts"), "utf8").split("\n").length;
        assert.ok(lines <= 250, `${lines} lines`);
    });

    describe("wa_number", () => {
        it("knows exactly the country calling codes libphonenumber-js knows, geographic and not", () => {
            const expected = [...Object.keys(metadata.country_calling_codes), ...Object.keys(metadata.nonGeographic ?? {})].sort();
            assert.deepEqual([...COUNTRY_CALLING_CODES].sort(), [...new Set(expected)].sort());
        });

        it("has a prefix-free code table, so a number's code is found one way only", () => {
            for (const a of COUNTRY_CALLING_CODES) {
                for (const b of COUNTRY_CALLING_CODES) if (a !== b) assert.ok(!b.startsWith(a), `+${a} is a prefix of +${b}`);
            }
        });

        it("accepts every country's example mobile number", () => {
            for (const country of getCountries()) {
                const example = getExampleNumber(country, examples);
                if (!example) continue;
                const number = `+${getCountryCallingCode(country)}${example.nationalNumber}`;
                assert.ok(checkWaNumberValue(number).ok, `${country} ${number}: ${verdict(checkWaNumberValue(number))}`);
            }
        });

        it("gives the documented codes", () => {
            const cases: Array<[unknown, string]> = [
                [undefined, "required"], [null, "required"], [919876543210, "not-a-string"], ["", "empty"], [" ", "blank"],
                [" +919876543210", "surrounding-whitespace"], ["919876543210", "not-e164"], ["+1234567890123456", "not-e164"],
                ["+0919876543210", "unknown-country-code"], ["+999123456789", "unknown-country-code"], ["+91987", "not-e164"],
            ];
            for (const [value, code] of cases) {
                const result = checkWaNumberValue(value);
                assert.equal(result.ok ? "ok" : result.code, code, JSON.stringify(value));
            }
        });
    });

    describe("URLs", () => {
        it("accepts only what the WHATWG URL parser reads as an http(s) URL with the same host (5000 runs)", () => {
            const piece = fc.constantFrom("http", "https", "HTTP", "://", ":", "/", "//", "?", "#", "@", "[", "]", "%", "%2F", "%zz", ".", "..", "-", "a", "example", "com", "1", "255", "256", "::1", "xn--", "~", "!", "'", "\\", " ", "é");
            const candidate = fc.oneof(
                fc.webUrl({ validSchemes: ["http", "https"], withFragments: true, withQueryParameters: true }),
                fc.array(piece, { maxLength: 12 }).map((p) => p.join("")),
                fc.tuple(fc.constantFrom("http://", "https://"), fc.array(piece, { maxLength: 10 })).map(([s, p]) => s + p.join("")),
            );
            let accepted = 0;
            fc.assert(
                fc.property(candidate, (value) => {
                    if (urlProblem(value) !== undefined) return;
                    accepted++;
                    const url = new URL(value);
                    assert.ok(url.protocol === "http:" || url.protocol === "https:", value);
                    assert.notEqual(url.hostname, "", value);
                    // It finds the same host (WHATWG lower-cases it and compresses IPv6).
                    const host = /^[a-z]+:\/\/(?:[^@/?#]*@)?(\[[^\]]*\]|[^:/?#]*)/i.exec(value)![1];
                    if (!host.startsWith("[")) assert.equal(url.hostname, host.toLowerCase(), value);
                }),
                { numRuns: 5000, seed: SEED },
            );
            assert.ok(accepted > 500, `only ${accepted} accepted`);
        });

        it("accepts IPv4 and IPv6 hosts and rejects malformed ones", () => {
            for (const ok of ["http://192.0.2.1/", "http://[::]/", "http://[::1]:8080/", "http://[2001:db8::1]/", "http://[1:2:3:4:5:6:7:8]/", "http://[::ffff:192.0.2.1]/", "http://[1::]/"]) {
                assert.equal(urlProblem(ok), undefined, ok);
            }
            for (const bad of ["http://256.0.0.1/", "http://01.2.3.4/", "http://1.2.3/", "http://[1:2:3:4:5:6:7:8:9]/", "http://[1::2::3]/", "http://[12345::]/", "http://[::1%25eth0]/", "http://[g::]/", "http://[::1/", "http://[::1]x/", "http://[1:2:3:4:5:6:7]/"]) {
                assert.notEqual(urlProblem(bad), undefined, bad);
            }
        });
    });

    describe("email", () => {
        it("accepts a subset of the HTML standard's valid e-mail addresses (5000 runs)", () => {
            const candidate = fc.oneof(
                fc.emailAddress(),
                fc.tuple(fc.string({ unit: fc.constantFrom("a", ".", "+", "'", "-", "_", "{", "ü", " ", "\""), maxLength: 8 }), fc.constantFrom("@", "@@", ""), fc.oneof(fc.domain(), fc.constantFrom("b.c", "b", "[1.2.3.4]", "-a.com"))).map((p) => p.join("")),
            );
            let accepted = 0;
            fc.assert(
                fc.property(candidate, (value) => {
                    if (emailProblem(value) !== undefined) return;
                    accepted++;
                    assert.match(value, WHATWG_EMAIL);
                    const [local, domain] = value.split("@");
                    assert.ok(local.length <= 64 && !local.startsWith(".") && !local.endsWith(".") && !local.includes(".."), value);
                    assert.ok(domain.includes("."), value);
                }),
                { numRuns: 5000, seed: SEED },
            );
            assert.ok(accepted > 1000, `only ${accepted} accepted`);
        });
    });

    describe("categories", () => {
        it("match one of the 17 exactly, ignoring ASCII case only", () => {
            assert.equal(BUSINESS_CATEGORIES.length, 17);
            assert.equal(LONGEST_CATEGORY, Math.max(...BUSINESS_CATEGORIES.map((c) => c.length)));
            assert.equal(PROFILE_FIELDS.businessCategory.max, LONGEST_CATEGORY);
            for (const c of BUSINESS_CATEGORIES) {
                assert.equal(matchBusinessCategory(c.toUpperCase()), c);
                assert.deepEqual(checkFieldValue("businessCategory", c.toLowerCase()), { ok: true, value: c });
            }
            assert.equal(matchBusinessCategory("Finance and Ban\u212aing"), undefined, "the Kelvin sign lower-cases to k in Unicode, not in ASCII");
            assert.equal(matchBusinessCategory("Beauty, Spa and Salon"), undefined);
        });
    });

    describe("every field", () => {
        it("is total and words every failure briefly, for any value (5000 runs)", () => {
            const huge = fc.constantFrom("a".repeat(100_000), "😀".repeat(50_000), `https://${"a.".repeat(50_000)}com`, `${"a".repeat(100_000)}@x.com`, "+".repeat(100_000));
            fc.assert(
                fc.property(fc.constantFrom(...FIELD_LIST), fc.oneof({ arbitrary: fc.anything(), weight: 10 }, { arbitrary: fc.string({ unit: "binary" }), weight: 10 }, { arbitrary: huge, weight: 1 }), (spec, value) => {
                    for (const result of [checkFieldValue(spec, value), checkWaNumberValue(value)]) {
                        if (result.ok) {
                            assert.equal(typeof result.value, "string");
                            continue;
                        }
                        assert.ok(result.reason.length > 0 && result.reason.length < 600, result.reason.slice(0, 700));
                        assert.ok(failureMessage(result, "kaleyra").startsWith(`${result.key} `));
                        assert.ok(failureMessage(result, "program").startsWith(`${result.name} `));
                    }
                }),
                { numRuns: 5000, seed: SEED },
            );
        });

        it("rejects null, empty, blank and surrounding whitespace in every field with their codes", () => {
            for (const spec of FIELD_LIST) {
                const code = (v: unknown) => {
                    const r = checkFieldValue(spec, v);
                    return r.ok ? "ok" : r.code;
                };
                assert.equal(code(null), "null");
                assert.equal(code(""), "empty");
                assert.equal(code(" \n"), "blank");
                assert.equal(code(" x"), "surrounding-whitespace");
                assert.equal(code("x\t"), "surrounding-whitespace");
                assert.equal(code(42), "not-a-string");
            }
        });
    });
});
