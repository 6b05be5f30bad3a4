/**
 * Preview never passes what apply rejects: `checkProfile` (what `pulumi preview` runs) and the
 * emulator (what stands in for Kaleyra at `pulumi up`) give the same verdict on every value of
 * every field, because both take it from provider/contract/rules.ts.
 *
 * - the boundary table (tests/helpers/boundary-values.ts), each row with its expected verdict,
 *   through check, the emulator's validation and a running emulator over HTTP;
 * - property-based: thousands of generated values per field (valid ones, lengths at the limits,
 *   whitespace and unicode variants, near-miss URLs, emails, categories and numbers), check and
 *   the emulator's `validateUpdate` side by side, and a smaller sample over HTTP, including the
 *   body the provider would actually send.
 *
 * Seeded (FUZZ_SEED overrides); fast-check prints the seed and counterexample on a failure.
 */

import { strict as assert } from "node:assert";

import fc from "fast-check";
import examples from "libphonenumber-js/examples.mobile.json";
import { getCountries, getCountryCallingCode, getExampleNumber } from "libphonenumber-js/min";

import { BUSINESS_CATEGORIES, FIELD_LIST, FieldSpec, PROFILE_FIELDS, ProfileFieldName } from "../../provider/contract/fields";
import { COUNTRY_CALLING_CODES } from "../../provider/contract/grammars/calling-codes";
import { RunningEmulator, startEmulator } from "../../provider/emulator";
import { validateUpdate } from "../../provider/emulator/validation";
import { checkProfile } from "../../provider/engine/check";
import { requestBody } from "../../provider/engine/request";
import { BOUNDARY_CASES, BoundaryCase } from "../helpers/boundary-values";

const SEED = Number(process.env.FUZZ_SEED ?? 0x72756c);
/** Generated values per field, checked in process. */
const RUNS_IN_PROCESS = 5000;
/** Generated values per field, sent over HTTP to a running emulator. */
const RUNS_OVER_HTTP = 150;

/** The registered number field values are tried with. */
const NUMBER = "+919876543210";

type Property = "waNumber" | ProfileFieldName;
const PROPERTIES: readonly Property[] = ["waNumber", ...FIELD_LIST.map((f) => f.name)];

// ---------------------------------------------------------------------------------------------
// The two verdicts
// ---------------------------------------------------------------------------------------------

/** What a program passes for one value of one property, the rest valid. */
function programInputs(property: Property, value: unknown): Record<string, unknown> {
    return property === "waNumber" ? { waNumber: value, about: "x" } : { waNumber: NUMBER, [property]: value };
}

/** The request body a client would send for the same value. */
function kaleyraBody(property: Property, value: unknown): Record<string, unknown> {
    return property === "waNumber" ? { wa_number: value, about: "x" } : { wa_number: NUMBER, [PROFILE_FIELDS[property].key]: value };
}

interface CheckVerdict {
    readonly ok: boolean;
    /** The normalized value when accepted. */
    readonly value?: string;
    /** The body the provider would send when accepted. */
    readonly body?: Record<string, string>;
    readonly reason?: string;
    /** The rule's code when rejected. */
    readonly code?: string;
}

function checkVerdict(property: Property, value: unknown): CheckVerdict {
    const result = checkProfile(programInputs(property, value));
    const failure = result.failures.find((f) => f.property === property);
    assert.deepEqual(result.failures.filter((f) => f.property !== property), [], "only the property tried may fail");
    if (failure) return { ok: false, reason: failure.reason, code: failure.code };
    return { ok: true, value: (result.inputs as unknown as Record<string, string>)[property], body: requestBody(result.inputs) as unknown as Record<string, string> };
}

interface EmulatorVerdict {
    readonly ok: boolean;
    /** Kaleyra's error code when rejected. */
    readonly code?: string;
    readonly parameter?: string;
    /** The field rule's code when a rule rejected the value. */
    readonly rule?: string;
}

function emulatorVerdict(property: Property, value: unknown): EmulatorVerdict {
    const result = validateUpdate(kaleyraBody(property, value));
    if (result.ok) return { ok: true };
    return { ok: false, code: result.error.body.error.code, parameter: result.error.body.error.parameter, rule: result.rule };
}

/** The Kaleyra error code a rejected value must get. */
function expectedCode(property: Property, value: unknown): string {
    const blank = value === "" || (typeof value === "string" && /^\s+$/.test(value));
    if (property === "waNumber" && blank) return "E413";
    if (property === "displayImage" && blank) return "E962";
    return "E13001";
}

function show(value: unknown): string {
    const text = JSON.stringify(value) ?? String(value);
    return text.length > 200 ? `${text.slice(0, 200)}…` : text;
}

/** The heart of it: same verdict, the right code, and the normalized value goes through too. */
function assertAgree(property: Property, value: unknown): CheckVerdict {
    const check = checkVerdict(property, value);
    const emulator = emulatorVerdict(property, value);
    assert.equal(check.ok, emulator.ok, `${property} = ${show(value)}: check says ${check.ok ? "ok" : `no (${check.reason})`}, the emulator ${emulator.ok ? "ok" : `no (${emulator.code})`}`);
    if (!emulator.ok) {
        assert.equal(emulator.code, expectedCode(property, value), `${property} = ${show(value)}`);
        assert.equal(emulator.parameter, property === "waNumber" ? "wa_number" : PROFILE_FIELDS[property].key);
        // The same failure, not just a failure: check and the emulator report the same rule code.
        assert.equal(check.code, emulator.rule, `${property} = ${show(value)}: check's code ${check.code}, the emulator's ${emulator.rule}`);
        assert.ok(check.code !== undefined, `${property} = ${show(value)}: check reported no rule code`);
    } else {
        // What the provider sends after check is accepted too, and only categories change.
        assert.ok(validateUpdate(check.body!).ok, `the normalized body is rejected: ${show(check.body)}`);
        if (property === "businessCategory") assert.ok((BUSINESS_CATEGORIES as readonly string[]).includes(check.value!));
        else assert.equal(check.value, value);
    }
    return check;
}

// ---------------------------------------------------------------------------------------------
// Generated values
// ---------------------------------------------------------------------------------------------

/** Characters that sit on some rule's edge. */
const EDGE_UNITS = [
    " ", "\t", "\n", "\r", "\r\n", "\u00a0", "\u2028", "\u3000", "\ufeff", "\u200b", "\u0000", "\u0007", "\u007f", "\u0085", "\ud800", "\udfff",
    "😀", "👨‍👩‍👧", "é", "ü", "İ", "\u212a", "ß", "日", "\u0301",
    "@", "@@", ".", "..", "/", "//", ":", "%", "%2", "%20", "%zz", "#", "?", "[", "]", "\\", "<", ">", '"', "'", "|", "^", "`", "{", "}",
    "-", "_", "~", "+", "=", ",", ";", "&", "!", "*", "(", ")", "$",
    "0", "00", "9", "a", "Z", "xn--", "http://", "https://", "ftp://", "localhost", ".com", ".c", "[::1]", ":0", ":65536", ":8080",
];

const edgeUnit = fc.constantFrom(...EDGE_UNITS);

/** A value with a few characters inserted, deleted, duplicated or replaced, or its case changed. */
function nearMiss(base: fc.Arbitrary<string>): fc.Arbitrary<string> {
    const edit = fc.record({
        kind: fc.constantFrom("insert", "delete", "replace", "duplicate", "prefix", "suffix", "upper", "lower"),
        at: fc.nat(),
        unit: edgeUnit,
    });
    return fc.tuple(base, fc.array(edit, { minLength: 1, maxLength: 3 })).map(([value, edits]) => {
        let v = value;
        for (const { kind, at, unit } of edits) {
            const i = v.length === 0 ? 0 : at % (v.length + 1);
            if (kind === "insert") v = v.slice(0, i) + unit + v.slice(i);
            else if (kind === "delete") v = v.slice(0, i) + v.slice(i + 1);
            else if (kind === "replace") v = v.slice(0, i) + unit + v.slice(i + 1);
            else if (kind === "duplicate") v = v.slice(0, i) + v.slice(i, i + 1) + v.slice(i);
            else if (kind === "prefix") v = unit + v;
            else if (kind === "suffix") v = v + unit;
            else if (kind === "upper") v = v.toUpperCase();
            else v = v.toLowerCase();
        }
        return v;
    });
}

/** Surrounding or inner whitespace around a value. */
function whitespaced(base: fc.Arbitrary<string>): fc.Arbitrary<string> {
    const ws = fc.string({ unit: fc.constantFrom(" ", "\t", "\n", "\r\n", "\u00a0", "\u3000", "\ufeff"), minLength: 0, maxLength: 2 });
    return fc.tuple(ws, base, ws).map(([a, v, b]) => `${a}${v}${b}`);
}

/** `prefix` + one unit repeated + `suffix`, `length` - 1, `length` or `length` + 1 characters in all. */
function aroundLength(length: number, prefix = "", suffix = ""): fc.Arbitrary<string> {
    return fc.tuple(fc.constantFrom(-1, 0, 1), fc.constantFrom("a", "a", "😀", "é", "日", "-", " ")).map(([delta, unit]) => {
        const fill = Math.max(0, length + delta - [...prefix].length - [...suffix].length);
        return prefix + unit.repeat(fill) + suffix;
    });
}

const label = fc.stringMatching(/^[a-z0-9](?:[a-z0-9-]{0,10}[a-z0-9])?$/);
const ipv4 = fc.tuple(fc.nat(300), fc.nat(255), fc.nat(255), fc.nat(256)).map((p) => p.join("."));
const ipv6 = fc.constantFrom("[::1]", "[2001:db8::1]", "[1:2:3:4:5:6:7:8]", "[::ffff:192.0.2.1]", "[1:2:3:4:5:6:7:8:9]", "[1::2::3]", "[12345::]", "[::1%25eth0]", "[fe80::]");
const host = fc.oneof(fc.domain(), ipv4, ipv6, fc.array(label, { minLength: 1, maxLength: 3 }).map((l) => l.join(".")));

const validUrl = fc
    .tuple(
        fc.webUrl({ validSchemes: ["http", "https"], withFragments: true, withQueryParameters: true }),
        fc.constantFrom("", "HTTP", "Https"),
    )
    .map(([url, scheme]) => (scheme === "" ? url : url.replace(/^https?/, url.startsWith("https") ? "HTTPS" : scheme)));

const builtUrl = fc
    .tuple(
        fc.constantFrom("http", "https", "HTTPS", "ftp", "http:", "https:/"),
        fc.option(fc.constantFrom("user", "user:pw", "a%20b", "u@v"), { nil: undefined }),
        host,
        fc.option(fc.constantFrom("0", "1", "80", "443", "65535", "65536", "x", ""), { nil: undefined }),
        fc.constantFrom("", "/", "/a/b", "/a%20b", "/a b", "/%", "/ü", "/[x]", "/:@!$&'()*+,;=", "/~user/"),
        fc.constantFrom("", "?", "?q=1&r=2", "?q=a b", "?q=%zz", "?/?"),
        fc.constantFrom("", "#", "#top", "#!/x/y", "#a#b"),
    )
    .map(([scheme, user, h, port, path, query, fragment]) => `${scheme}://${user === undefined ? "" : `${user}@`}${h}${port === undefined ? "" : `:${port}`}${path}${query}${fragment}`);

const validEmail = fc.emailAddress();
const builtEmail = fc
    .tuple(
        fc.constantFrom("a", "help", "first.last", "o'brien", "x+tag", "a..b", ".a", "a.", "ü", '"q"', "a b", "x{y}", "l".repeat(64), "l".repeat(65)),
        fc.constantFrom("@", "@@", ""),
        fc.oneof(fc.domain(), fc.constantFrom("b.c", "b.co", "localhost", "[127.0.0.1]", "exämple.com", "-x.com", "x-.com", "a..com", "a.1", "xn--p1ai.xn--p1ai", `${"d".repeat(63)}.com`, `${"d".repeat(64)}.com`)),
    )
    .map(([local, at, domain]) => `${local}${at}${domain}`);

const category = fc.mixedCase(fc.constantFrom(...BUSINESS_CATEGORIES, "Beauty, Spa and Salon", "Hotel & Lodging", "Nonprofit", "Finance and Ban\u212aing", "Other "));

/** [calling code, national number] of each country's example mobile number. */
const EXAMPLE_NUMBERS: readonly string[] = getCountries().flatMap((country) => {
    const example = getExampleNumber(country, examples);
    return example ? [`+${getCountryCallingCode(country)}${example.nationalNumber}`] : [];
});

const waNumber = fc.oneof(
    { arbitrary: fc.constantFrom(...EXAMPLE_NUMBERS), weight: 4 },
    { arbitrary: fc.tuple(fc.constantFrom(...COUNTRY_CALLING_CODES, "0", "99", "999", "42", "210"), fc.stringMatching(/^\d{0,15}$/)).map(([cc, n]) => `+${cc}${n}`), weight: 6 },
    { arbitrary: fc.stringMatching(/^(\+|00|\+\+)?[0-9 ()\-.]{0,18}$/), weight: 3 },
);

/** Text around the field's limits, with edge characters sprinkled in. */
function text(spec: FieldSpec): fc.Arbitrary<string> {
    return fc.oneof(
        fc.string({ unit: "grapheme", minLength: 1, maxLength: 20 }),
        fc.string({ unit: "binary", minLength: 0, maxLength: 12 }),
        fc.string({ unit: edgeUnit, minLength: 0, maxLength: 8 }),
        aroundLength(spec.max),
        aroundLength(spec.min),
    );
}

/** Every kind of value for one property: valid, near-miss, whitespace, unicode, lengths, anything. */
function valuesFor(property: Property): fc.Arbitrary<unknown> {
    let base: fc.Arbitrary<string>;
    if (property === "waNumber") base = waNumber;
    else {
        const spec = PROFILE_FIELDS[property] as FieldSpec;
        if (spec.kind === "url") base = fc.oneof(validUrl, builtUrl, aroundLength(spec.max, "https://example.com/"));
        else if (spec.kind === "email") base = fc.oneof(validEmail, builtEmail, aroundLength(spec.max, `${"l".repeat(64)}@`, ".com"));
        else if (spec.kind === "category") base = category;
        else base = text(spec);
    }
    return fc.oneof(
        { arbitrary: base, weight: 8 },
        { arbitrary: nearMiss(base), weight: 6 },
        { arbitrary: whitespaced(base), weight: 3 },
        { arbitrary: fc.string({ unit: edgeUnit, maxLength: 6 }), weight: 1 },
        { arbitrary: fc.constantFrom<unknown>("", " ", "\n", 0, 919876543210, true, [], {}, ["https://example.com"]), weight: 1 },
    );
}

// ---------------------------------------------------------------------------------------------
// HTTP
// ---------------------------------------------------------------------------------------------

/** PUT a body to the emulator; the verdict of its validation (a WA401 means the body passed it). */
async function overHttp(emulator: RunningEmulator, body: unknown): Promise<EmulatorVerdict & { status: number }> {
    const res = await fetch(`${emulator.url}/v1/${emulator.sid}/whatsapp/number`, {
        method: "PUT",
        headers: { "api-key": emulator.apiKey, "Content-Type": "application/json" },
        body: JSON.stringify(body),
    });
    const json = (await res.json()) as { error?: { code: string; parameter: string } };
    if (res.status === 200 || json.error?.code === "WA401") return { ok: true, status: res.status };
    return { ok: false, status: res.status, code: json.error?.code, parameter: json.error?.parameter };
}

// ---------------------------------------------------------------------------------------------
// Tests
// ---------------------------------------------------------------------------------------------

/** The table's rows, the URL rows tried on every URL field. */
function expandedCases(): BoundaryCase[] {
    const urlFields = FIELD_LIST.filter((f) => f.kind === "url").map((f) => f.name);
    return BOUNDARY_CASES.flatMap((c) =>
        c.property === "website" ? urlFields.map((property) => ({ ...c, property, code: c.code })) : [c],
    );
}

describe("the field rules: check and the emulator agree", function () {
    this.timeout(60_000);

    let emulator: RunningEmulator;
    before(async () => {
        emulator = await startEmulator({ numbers: [NUMBER], quiet: true });
    });
    after(() => emulator.close());

    describe(`the boundary table (${BOUNDARY_CASES.length} values)`, () => {
        it("covers every property, with accepted and rejected values for each", () => {
            for (const property of PROPERTIES) {
                const rows = expandedCases().filter((c) => c.property === property);
                assert.ok(rows.some((c) => c.ok) && rows.some((c) => !c.ok), `${property} has no accepted or no rejected row`);
            }
        });

        it("gives every value its verdict in check and in the emulator's validation, with the right code", () => {
            for (const c of expandedCases()) {
                const check = checkVerdict(c.property, c.value);
                assert.equal(check.ok, c.ok, `check: ${c.property} = ${show(c.value)} (${c.why}) ${check.reason ?? ""}`);
                const emulatorSide = emulatorVerdict(c.property, c.value);
                assert.equal(emulatorSide.ok, c.ok, `emulator: ${c.property} = ${show(c.value)} (${c.why})`);
                if (!c.ok) assert.equal(emulatorSide.code, c.code ?? "E13001", `${c.property} = ${show(c.value)}`);
                if (c.ok) assert.equal(check.value, c.normalized ?? c.value);
                assertAgree(c.property, c.value);
            }
        });

        it("gives the same verdicts over HTTP, and accepts what check sends", async () => {
            for (const c of expandedCases()) {
                const res = await overHttp(emulator, kaleyraBody(c.property, c.value));
                assert.equal(res.ok, c.ok, `HTTP ${res.status} ${res.code ?? ""}: ${c.property} = ${show(c.value)} (${c.why})`);
                if (!c.ok) assert.equal(res.code, c.code ?? "E13001");
                if (c.ok) {
                    const sent = await overHttp(emulator, checkVerdict(c.property, c.value).body);
                    assert.equal(sent.ok, true, `the body check produced for ${show(c.value)} was rejected: ${sent.code}`);
                }
            }
        });
    });

    describe(`generated values (${RUNS_IN_PROCESS} per property in process, ${RUNS_OVER_HTTP} over HTTP)`, () => {
        for (const property of PROPERTIES) {
            it(`${property}: check accepts exactly what the emulator accepts`, () => {
                let accepted = 0;
                fc.assert(
                    fc.property(valuesFor(property), (value) => {
                        if (assertAgree(property, value).ok) accepted++;
                    }),
                    { numRuns: RUNS_IN_PROCESS, seed: SEED },
                );
                // The generators must exercise both sides of the rule, not just one.
                assert.ok(accepted > RUNS_IN_PROCESS * 0.1 && accepted < RUNS_IN_PROCESS * 0.9, `${accepted} of ${RUNS_IN_PROCESS} accepted`);
            });

            it(`${property}: the running emulator agrees over HTTP`, async () => {
                await fc.assert(
                    fc.asyncProperty(valuesFor(property), async (value) => {
                        const check = checkVerdict(property, value);
                        const res = await overHttp(emulator, kaleyraBody(property, value));
                        assert.equal(res.ok, check.ok, `${property} = ${show(value)}: check ${check.ok ? "ok" : `no (${check.reason})`}, HTTP ${res.status} ${res.code ?? ""}`);
                        if (check.ok) assert.equal((await overHttp(emulator, check.body)).ok, true, `the body check produced was rejected: ${show(check.body)}`);
                    }),
                    { numRuns: RUNS_OVER_HTTP, seed: SEED + 1 },
                );
            });
        }
    });
});
