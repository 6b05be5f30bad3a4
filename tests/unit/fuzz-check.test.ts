/**
 * Property-based tests of `checkProfile`: it must be total (any input object gives a result,
 * never a throw), its failures must be well-formed and must not echo secrets, it must not
 * pollute prototypes, and profiles built from the rules (provider/contract/rules.ts) must pass,
 * normalized, and stay the same when checked again. (That check and the emulator agree on every
 * value is tests/rules-agreement.test.ts.)
 *
 * Runs are seeded (FUZZ_SEED overrides) so a failure is repeatable; fast-check prints the seed
 * and the counterexample path when a property fails.
 */

import { strict as assert } from "node:assert";

import fc from "fast-check";
import examples from "libphonenumber-js/examples.mobile.json";
import { getCountries, getCountryCallingCode, getExampleNumber } from "libphonenumber-js/min";

import { checkProfile, ProfileCheck, UNKNOWN } from "../../provider/engine/check";
import { BUSINESS_CATEGORIES, charLength, FIELD_LIST, FIELD_NAMES, FieldSpec } from "../../provider/contract/fields";

const SEED = Number(process.env.FUZZ_SEED ?? 0x6b616c);
const runs = (numRuns: number): fc.Parameters<unknown> => ({ numRuns, seed: SEED });

/** E.164, written out here rather than imported, so a loosened pattern in fields.ts is caught. */
const E164 = /^\+[1-9]\d{1,14}$/;
/** The longest reason a person should have to read. */
const MAX_REASON = 1000;
const KNOWN_INPUTS = new Set<string>(["waNumber", ...FIELD_NAMES]);
const KNOWN_KEYS = new Set<string>([...KNOWN_INPUTS, "__provider"]);
const hasOwn = (o: object, k: string) => Object.prototype.hasOwnProperty.call(o, k);

// ---------------------------------------------------------------------------------------------
// Arbitraries: anything at all
// ---------------------------------------------------------------------------------------------

const NASTY_UNITS = [
    "\0", "\u202e", "\u200f", "\u2066", "\u061c", "\ud800", "\udbff", "\udc00", "\udfff", "😀", "👨‍👩‍👧", "🏳️‍🌈", "\ufeff", "\u0301",
    "\n", "\r\n", "\t", "\u2028", "\u00a0", "\u3000", " ", "+", "0", "1", "9", "00", "@", ".", "/", ":", "//", "http", "<", ">",
    '"', "\\", "'", "%", "$", "{", "}", "a", "Z", "é", "ß", "İ", "ﬀ", "日本", "مرحبا", "שלום", "-", "_", "(", ")", "*", "?", "#",
];
const nastyString = fc.string({ unit: fc.constantFrom(...NASTY_UNITS), maxLength: 80 });
const loneSurrogates = fc.string({ unit: fc.integer({ min: 0xd800, max: 0xdfff }).map((c) => String.fromCharCode(c)), maxLength: 20 });

/** Long inputs built to trip backtracking regexes and quadratic loops; ~100k characters each. */
const N = 100_000;
const HUGE_STRINGS: readonly string[] = [
    "a".repeat(N),
    "+" + "1".repeat(N),
    "00" + "9".repeat(N),
    " ".repeat(N) + "x",
    "\t\n".repeat(N / 2) + "+",
    "@".repeat(N),
    "a@".repeat(N / 2),
    "a.".repeat(N / 2) + "@",
    "a".repeat(N) + "@" + "b.".repeat(N / 4),
    "-".repeat(N) + "@x.y",
    "http://" + "a".repeat(N),
    "https://" + "/".repeat(N),
    "😀".repeat(N / 2),
    "\ud800".repeat(N),
    "\0".repeat(N),
    "\u202e".repeat(N),
    "<".repeat(N),
    "Hotel".repeat(N / 5),
    "hotel and lodging".padEnd(N, " "),
    "+1 (555) ".repeat(N / 9),
    JSON.stringify({ a: "x".repeat(N) }),
    UNKNOWN.repeat(N / UNKNOWN.length),
];

const anyString: fc.Arbitrary<string> = fc.oneof(
    { arbitrary: fc.string(), weight: 3 },
    { arbitrary: fc.string({ unit: "binary" }), weight: 3 },
    { arbitrary: fc.string({ unit: "grapheme" }), weight: 2 },
    { arbitrary: nastyString, weight: 4 },
    { arbitrary: loneSurrogates, weight: 1 },
    { arbitrary: fc.stringMatching(/^(\+|00)?[0-9 ()\-.]{0,20}$/), weight: 3 },
    { arbitrary: fc.mixedCase(fc.constantFrom(...BUSINESS_CATEGORIES, "Beauty, Spa and Salon", "Hotel & Lodging", "")), weight: 2 },
    { arbitrary: fc.webUrl({ withFragments: true, withQueryParameters: true }), weight: 1 },
    { arbitrary: fc.emailAddress(), weight: 1 },
    { arbitrary: fc.constantFrom(UNKNOWN, "", " ", "+919876543210", "https://example.com", "help@example.com"), weight: 2 },
);

const specialNumber = fc.constantFrom(NaN, Infinity, -Infinity, -0, 0, 1e21, Number.MAX_SAFE_INTEGER, 919876543210);

/** Any value a property might hold: bigint-free, JSON and a little beyond. */
const anyValue: fc.Arbitrary<unknown> = fc.oneof(
    { arbitrary: anyString, weight: 12 },
    { arbitrary: fc.jsonValue({ maxDepth: 3 }), weight: 3 },
    { arbitrary: fc.oneof(fc.double(), fc.integer(), specialNumber), weight: 2 },
    { arbitrary: fc.constantFrom<unknown>(true, false, null, undefined, [], {}), weight: 2 },
    { arbitrary: fc.anything({ withBigInt: false, withNullPrototype: true, withSparseArray: true, maxDepth: 2 }), weight: 2 },
    { arbitrary: fc.constant(JSON.parse('{"__proto__":{"polluted":"yes","waNumber":"+919876543210"},"constructor":{"prototype":{"polluted":"yes"}}}') as unknown), weight: 1 },
    { arbitrary: fc.constantFrom(...HUGE_STRINGS), weight: 1 },
);

const POLLUTING_KEYS = ["__proto__", "constructor", "prototype", "toString", "valueOf", "hasOwnProperty", "__defineGetter__", "isPrototypeOf"];

const anyKey: fc.Arbitrary<string> = fc.oneof(
    { arbitrary: fc.constantFrom(...KNOWN_INPUTS), weight: 50 },
    { arbitrary: fc.constant("__provider"), weight: 5 },
    { arbitrary: fc.constantFrom(...POLLUTING_KEYS), weight: 10 },
    { arbitrary: fc.mixedCase(fc.constantFrom(...KNOWN_INPUTS, "wa_number", "business_category", "contact_email", "incoming_url", "display_image")), weight: 10 },
    { arbitrary: fc.string({ unit: "binary", maxLength: 30 }), weight: 10 },
    { arbitrary: nastyString, weight: 5 },
    { arbitrary: fc.constantFrom("k".repeat(N), "waNumber".repeat(N / 8)), weight: 1 },
);

type Entries = ReadonlyArray<readonly [string, unknown]>;
type Build = "define" | "json" | "null-prototype";

/** An object with exactly these own properties; `__proto__` included as an own key, like JSON.parse makes it. */
function build(entries: Entries, how: Build): Record<string, unknown> {
    if (how === "json") {
        const text = `{${entries.map(([k, v]) => `${JSON.stringify(k)}:${safeJson(v)}`).join(",")}}`;
        return JSON.parse(text) as Record<string, unknown>;
    }
    const o: Record<string, unknown> = how === "null-prototype" ? Object.create(null) : {};
    for (const [k, v] of entries) Object.defineProperty(o, k, { value: v, enumerable: true, writable: true, configurable: true });
    return o;
}

function safeJson(v: unknown): string {
    try {
        return JSON.stringify(v) ?? "null";
    } catch {
        return "null";
    }
}

const anyEntries: fc.Arbitrary<Entries> = fc.array(fc.tuple(anyKey, anyValue), { maxLength: 14 });
const anyInput = fc.tuple(anyEntries, fc.constantFrom<Build>("define", "define", "json", "null-prototype")).map(([entries, how]) => build(entries, how));

// ---------------------------------------------------------------------------------------------
// Arbitraries: valid profiles, built from the rules in fields.ts
// ---------------------------------------------------------------------------------------------

/** [calling code, national number] of each country's example mobile number. */
const EXAMPLE_NUMBERS: ReadonlyArray<readonly [string, string]> = getCountries().flatMap((country) => {
    const example = getExampleNumber(country, examples);
    return example ? [[getCountryCallingCode(country), example.nationalNumber] as const] : [];
});

/** A valid E.164 number: a country's example mobile number with all but its first two national digits random. */
const validWaNumber: fc.Arbitrary<string> = fc
    .tuple(fc.constantFrom(...EXAMPLE_NUMBERS), fc.array(fc.integer({ min: 0, max: 9 }), { minLength: 15, maxLength: 15 }))
    .map(([[cc, national], digits]) => `+${cc}${national.slice(0, 2)}${digits.slice(0, national.length - 2).join("")}`);

/**
 * Any text made valid the way the rules say (rules.ts): unpaired surrogates and control characters
 * other than tab, LF and CR become "x", as do whitespace characters at either end; then clipped to
 * the field's maximum code points.
 */
function asValidText(raw: string, spec: FieldSpec): string {
    const chars = [...raw]
        .map((ch) => {
            const c = ch.codePointAt(0) ?? 0;
            const control = (c < 0x20 && c !== 0x09 && c !== 0x0a && c !== 0x0d) || (c >= 0x7f && c <= 0x9f);
            return (c >= 0xd800 && c <= 0xdfff) || control ? "x" : ch;
        })
        .slice(0, spec.max);
    if (chars.length === 0) chars.push("x");
    if (/\s/.test(chars[0])) chars[0] = "x";
    if (/\s/.test(chars[chars.length - 1])) chars[chars.length - 1] = "x";
    return chars.join("");
}

/** Text of min..max code points, full unicode (well-formed), plus the edges. */
function validText(spec: FieldSpec): fc.Arbitrary<string> {
    return fc.oneof(
        fc.string({ unit: "binary", minLength: spec.min, maxLength: spec.max }).map((t) => asValidText(t, spec)),
        fc.string({ unit: fc.constantFrom(...NASTY_UNITS), minLength: spec.min, maxLength: spec.max }).map((t) => asValidText(t, spec)),
        fc.constantFrom("a".repeat(spec.max), "😀".repeat(spec.max), `a${" ".repeat(spec.max - 2)}a`, "x\ny", "x\r\n\ty"),
    );
}

const validUrl = (spec: FieldSpec) =>
    fc
        .tuple(fc.webUrl({ validSchemes: ["http", "https"], withFragments: true, withQueryParameters: true }), fc.boolean())
        .map(([url, shout]) => (shout ? url.replace(/^https?/, (s) => s.toUpperCase()) : url))
        .filter((url) => charLength(url) <= spec.max);

const validEmail = (spec: FieldSpec) =>
    fc
        .stringMatching(/^[A-Za-z0-9_+-]{1,24}(\.[A-Za-z0-9_'+-]{0,12}[A-Za-z0-9_+-]){0,2}@([A-Za-z0-9](?:[A-Za-z0-9-]{0,19}[A-Za-z0-9])?\.){1,3}[A-Za-z]{2,10}$/)
        .filter((e) => e.length >= spec.min && e.length <= spec.max);

/** A category in random case, and its canonical spelling. */
const validCategory: fc.Arbitrary<readonly [string, string]> = fc
    .constantFrom(...BUSINESS_CATEGORIES)
    .chain((canonical) => fc.mixedCase(fc.constant(canonical)).map((cased) => [cased, canonical] as const));

/** One field's valid value and what check should turn it into. */
function validField(spec: FieldSpec): fc.Arbitrary<readonly [string, string]> {
    const same = (a: fc.Arbitrary<string>) => a.map((v) => [v, v] as const);
    const value = spec.kind === "category" ? validCategory : spec.kind === "url" ? same(validUrl(spec)) : spec.kind === "email" ? same(validEmail(spec)) : same(validText(spec));
    // During preview a computed input is the engine's placeholder: kept, not validated.
    return fc.oneof({ arbitrary: value, weight: 9 }, { arbitrary: fc.constant([UNKNOWN, UNKNOWN] as const), weight: 1 });
}

interface ValidCase {
    /** What the program passed. */
    readonly news: Record<string, unknown>;
    /** What check must return as inputs. */
    readonly expected: Record<string, string>;
}

const validProfile: fc.Arbitrary<ValidCase> = fc
    .record({
        waNumber: fc.oneof({ arbitrary: validWaNumber, weight: 19 }, { arbitrary: fc.constant(UNKNOWN), weight: 1 }),
        fields: fc.record(Object.fromEntries(FIELD_LIST.map((spec) => [spec.name, validField(spec)])) as Record<string, fc.Arbitrary<readonly [string, string]>>, {
            requiredKeys: [],
        }),
        absentAs: fc.constantFrom<"missing" | "undefined" | "null">("missing", "undefined", "null"),
        provider: fc.option(fc.string(), { nil: undefined }),
        how: fc.constantFrom<Build>("define", "json", "null-prototype"),
    })
    .filter(({ fields }) => Object.keys(fields).length > 0)
    .map(({ waNumber, fields, absentAs, provider, how }) => {
        const entries: Array<readonly [string, unknown]> = [["waNumber", waNumber]];
        const expected: Record<string, string> = { waNumber };
        for (const name of FIELD_NAMES) {
            const field = fields[name];
            if (field) {
                entries.push([name, field[0]]);
                expected[name] = field[1];
            } else if (absentAs !== "missing" && !(absentAs === "undefined" && how === "json")) {
                entries.push([name, absentAs === "null" ? null : undefined]);
            }
        }
        if (provider !== undefined) entries.push(["__provider", provider]);
        return { news: build(entries, how), expected };
    });

// ---------------------------------------------------------------------------------------------
// Checks shared by the properties
// ---------------------------------------------------------------------------------------------

const PROTO_NAMES = Object.getOwnPropertyNames(Object.prototype).sort();
const ARRAY_PROTO_NAMES = Object.getOwnPropertyNames(Array.prototype).sort();

function assertNoPollution(): void {
    assert.deepEqual(Object.getOwnPropertyNames(Object.prototype).sort(), PROTO_NAMES, "Object.prototype gained properties");
    assert.deepEqual(Object.getOwnPropertyNames(Array.prototype).sort(), ARRAY_PROTO_NAMES, "Array.prototype gained properties");
    const probe = {} as Record<string, unknown>;
    for (const k of ["polluted", "waNumber", "about", ...FIELD_NAMES]) assert.equal(probe[k], undefined, `({}).${k} is defined`);
}

function show(v: unknown): string {
    const text = safeJson(v);
    return text.length > 300 ? `${text.slice(0, 300)}…` : text;
}

/** Everything that must hold for any input. */
function assertWellFormed(news: Record<string, unknown>, result: ProfileCheck): void {
    assert.ok(Array.isArray(result.failures), "failures is an array");
    assert.ok(typeof result.inputs === "object" && result.inputs !== null, "inputs is an object");
    for (const { property, reason } of result.failures) {
        assert.equal(typeof property, "string");
        assert.ok(property === "waNumber" || hasOwn(news, property), `failure on ${show(property)}, which is not an own key of the input`);
        assert.equal(typeof reason, "string");
        assert.ok(reason.trim().length > 0, `empty reason for ${show(property)}`);
        assert.ok(reason.length <= MAX_REASON, `reason for ${show(property)} is ${reason.length} characters: ${show(reason)}`);
    }
    // An unknown property is reported, never silently dropped.
    for (const key of Object.keys(news)) {
        if (!KNOWN_KEYS.has(key)) assert.ok(result.failures.some((f) => f.property === key), `unknown key ${show(key)} was not reported`);
    }
    // Inputs are a plain object of known properties only, never inherited or polluted ones.
    assert.equal(Object.getPrototypeOf(result.inputs), Object.prototype);
    for (const key of Reflect.ownKeys(result.inputs)) {
        assert.ok(typeof key === "string" && KNOWN_INPUTS.has(key), `inputs has ${String(key)}`);
    }
    if (result.failures.length === 0) {
        const inputs = result.inputs as unknown as Record<string, unknown>;
        for (const [key, value] of Object.entries(inputs)) assert.equal(typeof value, "string", `inputs.${key} is not a string`);
        assert.ok(inputs.waNumber === UNKNOWN || E164.test(String(inputs.waNumber)), `waNumber ${show(inputs.waNumber)} passed but is not E.164`);
        assert.ok(Object.keys(inputs).some((k) => k !== "waNumber"), "a passing profile manages at least one field");
        for (const key of Object.keys(inputs)) assert.ok(hasOwn(news, key), `inputs.${key} does not come from the input`);
        // Checking the normalized inputs again changes nothing.
        assert.deepEqual(checkProfile(result.inputs as unknown as Record<string, unknown>), result, "check is not idempotent");
    }
}

// ---------------------------------------------------------------------------------------------
// Properties
// ---------------------------------------------------------------------------------------------

describe("check (property-based)", function () {
    this.timeout(60_000);

    after(() => assertNoPollution());

    it("is total and well-formed for any input object (5000 runs)", () => {
        fc.assert(
            fc.property(anyInput, (news) => {
                const result = checkProfile(news);
                assertWellFormed(news, result);
                assertNoPollution();
            }),
            runs(5000),
        );
    });

    it("never echoes a secret given under an unknown key (3000 runs)", () => {
        const secretKey = fc.oneof(
            fc.constantFrom("apiKey", "api_key", "apikey", "kaleyraApiKey", "KALEYRA_API_KEY", "password", "token", "secret", "authorization", "api-key"),
            fc.string({ minLength: 1, maxLength: 20 }).filter((k) => !KNOWN_KEYS.has(k)),
        );
        const secret = fc.stringMatching(/^[A-Za-z0-9]{24,40}$/).map((s) => `A${s}`);
        fc.assert(
            fc.property(anyEntries, secretKey, secret, fc.boolean(), fc.constantFrom<Build>("define", "json"), (entries, key, value, nested, how) => {
                const placed = nested ? { nested: { [key]: value, again: [value] } } : value;
                const news = build([...entries.filter(([k]) => k !== key), [key, placed]], how);
                const result = checkProfile(news);
                assertWellFormed(news, result);
                assert.ok(result.failures.some((f) => f.property === key), `the unknown key ${show(key)} was not reported`);
                for (const { property, reason } of result.failures) assert.ok(!reason.includes(value), `the secret leaked into the reason for ${property}: ${reason}`);
                assert.ok(!safeJson(result).includes(value), "the secret leaked into the result");
            }),
            runs(3000),
        );
    });

    it("treats __proto__, constructor and prototype as plain unknown keys, polluting nothing (2000 runs)", () => {
        const payload = fc.oneof(
            fc.constant({ polluted: "yes", waNumber: "+919876543210", about: "from the prototype" }),
            fc.constant({ prototype: { polluted: "yes" } }),
            fc.dictionary(fc.constantFrom("polluted", "waNumber", "about", "toString", "__proto__"), anyValue, { maxKeys: 4 }),
            anyValue,
        );
        fc.assert(
            fc.property(fc.uniqueArray(fc.constantFrom(...POLLUTING_KEYS), { minLength: 1 }), fc.array(payload, { minLength: 8, maxLength: 8 }), fc.boolean(), (keys, payloads, withValid) => {
                const pairs = keys.map((k, i) => `${JSON.stringify(k)}:${safeJson(payloads[i])}`);
                const valid = withValid ? ['"waNumber":"+919876543210"', '"about":"Open 9-6"'] : [];
                const news = JSON.parse(`{${[...pairs, ...valid].join(",")}}`) as Record<string, unknown>;
                for (const k of keys) assert.ok(hasOwn(news, k), `${k} is an own key`);
                const result = checkProfile(news);
                assertWellFormed(news, result);
                assert.deepEqual(result.failures.map((f) => f.property).filter((p) => p !== "waNumber").sort(), [...keys].sort());
                if (!withValid) {
                    // Nothing is read from a `__proto__` payload, such as a waNumber.
                    assert.ok(!hasOwn(result.inputs, "waNumber"), "waNumber was read from somewhere other than an own key");
                    assert.ok(result.failures.some((f) => f.property === "waNumber" && /is required/.test(f.reason)));
                }
                assertNoPollution();
            }),
            runs(2000),
        );
    });

    it("returns for adversarial long inputs in every property, with short reasons", () => {
        const keys = ["waNumber", ...FIELD_NAMES, "unknownThing", "k".repeat(N)];
        for (const key of keys) {
            for (const value of HUGE_STRINGS) {
                for (const base of [{}, { waNumber: "+919876543210", about: "x" }]) {
                    const news = build([...Object.entries(base), [key, value]], "define");
                    assertWellFormed(news, checkProfile(news));
                }
            }
        }
        // Many huge values at once.
        const all = build([...keys.map((k, i) => [k, HUGE_STRINGS[i % HUGE_STRINGS.length]] as const)], "define");
        assertWellFormed(all, checkProfile(all));
    });

    it("passes and normalizes every profile built from the rules, idempotently (3000 runs)", () => {
        fc.assert(
            fc.property(validProfile, ({ news, expected }) => {
                const result = checkProfile(news);
                assert.deepEqual(result.failures, [], `a valid profile failed: ${show(news)}`);
                assert.deepEqual({ ...result.inputs }, expected);
                if (expected.businessCategory !== undefined && expected.businessCategory !== UNKNOWN) {
                    assert.ok((BUSINESS_CATEGORIES as readonly string[]).includes(expected.businessCategory));
                }
                assert.deepEqual(checkProfile(result.inputs as unknown as Record<string, unknown>), result, "check is not idempotent");
                assertWellFormed(news, result);
            }),
            runs(3000),
        );
    });

    it("fails exactly the property that breaks a rule, and nothing else (3000 runs)", () => {
        const breakage = fc.constantFrom("too-long", "empty", "not-a-string", "unknown-neighbour");
        fc.assert(
            fc.property(
                validProfile.filter(({ expected }) => expected.waNumber !== UNKNOWN),
                fc.constantFrom(...FIELD_LIST),
                breakage,
                fc.integer({ min: 1, max: 50 }),
                fc.constantFrom("a", "😀", "\ud800", "é"),
                anyValue,
                ({ news, expected }, spec, how, over, unit, junk) => {
                    const broken: Record<string, unknown> = { ...expected };
                    let property: string = spec.name;
                    if (how === "too-long") broken[spec.name] = unit.repeat(spec.max + over);
                    else if (how === "empty") broken[spec.name] = "";
                    else if (how === "not-a-string") {
                        if (typeof junk === "string" || junk === undefined || junk === null) return;
                        broken[spec.name] = junk;
                    } else {
                        property = `${spec.name}_${over}`;
                        broken[property] = junk;
                    }
                    const result = checkProfile(broken);
                    assertWellFormed(broken, result);
                    assert.deepEqual(
                        result.failures.map((f) => f.property),
                        [property],
                        `breaking ${property} (${how}) of ${show(news)} gave ${show(result.failures)}`,
                    );
                    const reason = result.failures[0].reason;
                    // A category is matched, not measured: an over-long one is simply not one of the 17.
                    if (how === "too-long" && spec.kind === "category") assert.match(reason, /not one of Kaleyra's business categories/);
                    else if (how === "too-long") assert.ok(reason.includes(`at most ${spec.max}`) && reason.includes(String(spec.max + over)), reason);
                    if (how === "not-a-string") assert.match(reason, /must be a string/);
                    if (how === "empty") assert.match(reason, /empty/);
                },
            ),
            runs(3000),
        );
    });
});
