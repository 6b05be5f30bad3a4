import { strict as assert } from "node:assert";
import { FIELD_LIST } from "../../../provider/contract/fields";
import { RunningEmulator, startEmulator } from "../../../provider/emulator";
import { NUMBER, RawResponse, SAMPLE_BODY, json, put, request } from "./helpers";

interface Envelope {
    error: { code: string; type: string; parameter: string; message: string; reference: string };
}

function envelope(res: RawResponse): Envelope["error"] {
    return (json(res) as Envelope).error;
}

/** A valid value of `length` characters for a field of `kind`. */
function valueOfLength(kind: string, length: number): string {
    switch (kind) {
        case "url": {
            const prefix = "https://example.com/";
            return prefix + "a".repeat(Math.max(0, length - prefix.length));
        }
        case "email": {
            // The local part holds at most 64 characters; the rest goes into the first domain label.
            const local = "a".repeat(64);
            return `${local}@${"b".repeat(Math.max(1, length - local.length - 5))}.com`;
        }
        default:
            return "a".repeat(length);
    }
}

describe("emulator: validation", () => {
    let emulator: RunningEmulator;

    before(async () => {
        emulator = await startEmulator({ numbers: [NUMBER], quiet: true });
    });
    after(() => emulator.close());
    beforeEach(async () => {
        emulator.reset();
        assert.equal((await put(emulator, SAMPLE_BODY)).status, 200);
    });

    /** Send `body`, expect a 400 VALIDATION_ERROR naming `parameter`, and no change of state. */
    async function expectRejected(body: unknown, parameter: string, code = "E13001"): Promise<Envelope["error"]> {
        const before = emulator.profiles();
        const res = await put(emulator, body);
        assert.equal(res.status, 400, res.text);
        const error = envelope(res);
        assert.equal(error.type, "VALIDATION_ERROR");
        assert.equal(error.code, code);
        assert.equal(error.parameter, parameter);
        assert.deepEqual(emulator.profiles(), before, "a rejected request changed state");
        return error;
    }

    for (const spec of FIELD_LIST) {
        describe(spec.key, () => {
            for (const bad of [5, true, ["x"], { a: 1 }]) {
                it(`rejects a non-string value ${JSON.stringify(bad)}`, async () => {
                    await expectRejected({ wa_number: NUMBER, [spec.key]: bad }, spec.key);
                });
            }

            if (spec.key !== "display_image") {
                it("rejects null (there is no way to clear a field)", async () => {
                    await expectRejected({ wa_number: NUMBER, [spec.key]: null }, spec.key);
                });
            }

            it(`accepts exactly ${spec.max} characters and rejects ${spec.max + 1}`, async () => {
                if (spec.kind === "category") {
                    await expectRejected({ wa_number: NUMBER, [spec.key]: "a".repeat(spec.max + 1) }, spec.key);
                    return;
                }
                const atMax = valueOfLength(spec.kind, spec.max);
                assert.equal((await put(emulator, { wa_number: NUMBER, [spec.key]: atMax })).status, 200);
                assert.equal(emulator.profile(NUMBER)?.[spec.key], atMax);
                await expectRejected({ wa_number: NUMBER, [spec.key]: valueOfLength(spec.kind, spec.max + 1) }, spec.key);
            });

            if (spec.key !== "display_image") {
                it(`rejects fewer than ${spec.min} characters`, async () => {
                    await expectRejected({ wa_number: NUMBER, [spec.key]: "x".repeat(spec.min - 1) }, spec.key);
                });
            }
        });
    }

    it("counts characters as Unicode code points (139 emoji fit in about, 140 do not)", async () => {
        const emoji = "😀";
        assert.equal((await put(emulator, { wa_number: NUMBER, about: emoji.repeat(139) })).status, 200);
        await expectRejected({ wa_number: NUMBER, about: emoji.repeat(140) }, "about");
    });

    for (const key of ["website", "incoming_url", "display_image"]) {
        for (const bad of ["ftp://example.com/x", "example.com", "javascript:alert(1)", "https://exa mple.com", " https://example.com", "https://", "https://example.com/a b", "https://example.com\n", "https://example.com/café", "https://localhost/x"]) {
            it(`rejects ${key} = ${JSON.stringify(bad)} (http/https URLs only)`, async () => {
                await expectRejected({ wa_number: NUMBER, [key]: bad }, key);
            });
        }
        it(`accepts ${key} over plain http`, async () => {
            assert.equal((await put(emulator, { wa_number: NUMBER, [key]: "http://example.com/a.jpg" })).status, 200);
        });
    }

    for (const bad of ["plainaddress", "a@b", "a b@example.com", "@example.com", "a@.com", "a@example.", "a@b.c", "ü@example.com", "a..b@example.com", " a@example.com"]) {
        it(`rejects contact_email = ${JSON.stringify(bad)}`, async () => {
            await expectRejected({ wa_number: NUMBER, contact_email: bad }, "contact_email");
        });
    }

    for (const bad of ["Hotel", "Hotel & Lodging", " Hotel and Lodging", "Hotel and Lodging\n", "Beauty, Spa and Salon", "Finance and Ban\u212aing"]) {
        it(`rejects business_category = ${JSON.stringify(bad)} (exact match only)`, async () => {
            await expectRejected({ wa_number: NUMBER, business_category: bad }, "business_category");
        });
    }

    it("matches business_category ignoring case, and stores it as sent", async () => {
        assert.equal((await put(emulator, { wa_number: NUMBER, business_category: "hotel AND lodging" })).status, 200);
        assert.equal(emulator.profile(NUMBER)?.business_category, "hotel AND lodging");
    });

    for (const bad of [" Open", "Open\n", "a\u0000b", "\ud800"]) {
        it(`rejects about = ${JSON.stringify(bad)} (no surrounding whitespace, no control character, well-formed)`, async () => {
            await expectRejected({ wa_number: NUMBER, about: bad }, "about");
        });
    }

    it("accepts line breaks inside text", async () => {
        assert.equal((await put(emulator, { wa_number: NUMBER, about: "Open 9-6\nMon-Sat" })).status, 200);
    });

    for (const bad of ["919876543210", "+0919876543210", "+91 98765 43210", "+1234567890123456", "+91abc", "+999123456789", "+91987", " +919876543210"]) {
        it(`rejects wa_number = ${JSON.stringify(bad)} (not E.164)`, async () => {
            await expectRejected({ wa_number: bad, about: "x" }, "wa_number");
        });
    }

    it("rejects a non-string wa_number", async () => {
        await expectRejected({ wa_number: 919876543210, about: "x" }, "wa_number");
    });

    it("rejects an unknown key, naming it", async () => {
        await expectRejected({ wa_number: NUMBER, about: "x", colour: "red" }, "colour");
    });

    it("rejects the contract's own misspellings with a suggestion", async () => {
        const error = await expectRejected({ wa_number: NUMBER, incomming_url: "https://example.com" }, "incomming_url");
        assert.match(error.message, /incoming_url/);
        await expectRejected({ wa_number: NUMBER, business_catregory: "Other" }, "business_catregory");
    });

    it("looks keys up as own properties: __proto__, constructor and toString are unknown parameters, with no suggestion", async () => {
        for (const key of ["__proto__", "constructor", "toString", "hasOwnProperty"]) {
            // JSON text, so __proto__ arrives as a key of the body, as it would from any client.
            const body = `{"wa_number":"${NUMBER}","about":"x",${JSON.stringify(key)}:"y"}`;
            const error = await expectRejected(body, key);
            assert.equal(error.message, `${key} is not a recognised parameter.`);
        }
    });

    it("rejects a body with wa_number and no editable field", async () => {
        await expectRejected({ wa_number: NUMBER }, "");
    });

    it("is all or nothing: one bad field among good ones changes nothing", async () => {
        await expectRejected({ wa_number: NUMBER, about: "new", address: "new", website: "not a url" }, "website");
    });

    describe("malformed bodies (400 WA400 in the envelope)", () => {
        for (const [label, body] of [
            ["truncated JSON", '{"wa_number":'],
            ["not JSON", "wa_number=+919876543210"],
        ] as const) {
            it(`rejects ${label}`, async () => {
                const res = await put(emulator, body);
                assert.equal(res.status, 400);
                assert.deepEqual(envelope(res), {
                    code: "WA400", type: "INVALID_PAYLOAD", parameter: "", message: "Incorrect payload: the body is not valid JSON.", reference: "",
                });
            });
        }

        for (const body of ["[]", "null", '"text"', "42", "true"]) {
            it(`rejects the non-object JSON body ${body}`, async () => {
                const res = await put(emulator, body);
                assert.equal(res.status, 400);
                assert.equal(envelope(res).code, "WA400");
                assert.match(envelope(res).message, /must be a JSON object/);
            });
        }

        it("rejects a body that is not sent as JSON", async () => {
            const res = await put(emulator, JSON.stringify({ wa_number: NUMBER, about: "x" }), { contentType: "text/plain" });
            assert.equal(res.status, 400);
            assert.equal(envelope(res).parameter, "Content-Type");
        });

        it("accepts application/json with a charset", async () => {
            const res = await put(emulator, { wa_number: NUMBER, about: "x" }, { contentType: "application/json; charset=utf-8" });
            assert.equal(res.status, 200);
        });

        it("rejects a body over 1 MiB with 413 in the envelope", async () => {
            const res = await put(emulator, { wa_number: NUMBER, about: "x".repeat(1024 * 1024) });
            assert.equal(res.status, 413);
            assert.equal(envelope(res).code, "WA413");
        });
    });

    describe("other paths and methods", () => {
        for (const method of ["GET", "POST", "PATCH", "DELETE"]) {
            it(`answers ${method} on the endpoint with 405, Allow: PUT, in the envelope`, async () => {
                const res = await request(`${emulator.url}/v1/${emulator.sid}/whatsapp/number`, { method, headers: { "api-key": emulator.apiKey } });
                assert.equal(res.status, 405);
                assert.equal(res.headers.allow, "PUT");
                assert.equal(envelope(res).code, "E405");
            });
        }

        for (const p of ["/", "/v1", `/v1/x/whatsapp/numbers`, `/v2/x/whatsapp/number`, `/v1/x/whatsapp/number/extra`]) {
            it(`answers ${p} with 404 in the envelope`, async () => {
                const res = await request(`${emulator.url}${p}`, { method: "PUT" });
                assert.equal(res.status, 404);
                assert.deepEqual(Object.keys(envelope(res)), ["code", "type", "parameter", "message", "reference"]);
                assert.equal(envelope(res).code, "E404");
            });
        }
    });
});
