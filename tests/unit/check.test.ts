import { strict as assert } from "node:assert";

import { checkProfile, UNKNOWN } from "../../provider/engine/check";
import { BUSINESS_CATEGORIES } from "../../provider/contract/fields";
import { fullProfile } from "../helpers/profiles";

const valid: Record<string, string> = { ...fullProfile() };

/** The failure reasons by property. */
function failures(input: Record<string, unknown>): Record<string, string> {
    return Object.fromEntries(checkProfile(input).failures.map((f) => [f.property, f.reason]));
}

function reasonFor(input: Record<string, unknown>, property: string): string {
    const reason = failures(input)[property];
    assert.ok(reason, `expected a failure on ${property}; got ${JSON.stringify(failures(input))}`);
    return reason;
}

describe("check", () => {
    it("accepts a full, valid profile unchanged", () => {
        const result = checkProfile(valid);
        assert.deepEqual(result.failures, []);
        assert.deepEqual(result.inputs, valid);
    });

    it("ignores __provider and does not copy it into the inputs", () => {
        const result = checkProfile({ ...valid, __provider: "exports.handler = ..." });
        assert.deepEqual(result.failures, []);
        assert.equal("__provider" in result.inputs, false);
    });

    describe("waNumber", () => {
        it("is required", () => {
            const { waNumber: _, ...rest } = valid;
            assert.match(reasonFor(rest, "waNumber"), /is required.*E\.164/);
        });
        it("must be a string", () => {
            assert.match(reasonFor({ ...valid, waNumber: 919876543210 }, "waNumber"), /must be a string/);
        });
        it("suggests the E.164 form of a number written with spaces", () => {
            assert.match(reasonFor({ ...valid, waNumber: "+91 98765 43210" }, "waNumber"), /not in E\.164 form: write "\+919876543210"/);
        });
        it("suggests the E.164 form of a number without the plus or with 00", () => {
            assert.match(reasonFor({ ...valid, waNumber: "919876543210" }, "waNumber"), /write "\+919876543210"/);
            assert.match(reasonFor({ ...valid, waNumber: "00919876543210" }, "waNumber"), /write "\+919876543210"/);
        });
        it("rejects text that is no phone number at all", () => {
            assert.match(reasonFor({ ...valid, waNumber: "support" }, "waNumber"), /not an E\.164 number/);
        });
        it("rejects more than 15 digits", () => {
            assert.ok(failures({ ...valid, waNumber: "+9198765432101234" }).waNumber);
        });
        it("rejects a number with fewer than four digits after its country code", () => {
            assert.match(reasonFor({ ...valid, waNumber: "+91987" }, "waNumber"), /too short: 3 digits after the country code \+91/);
        });
        it("rejects a country code nobody has", () => {
            assert.match(reasonFor({ ...valid, waNumber: "+999123456789" }, "waNumber"), /no assigned country calling code/);
        });
        it("suggests the number without the blanks around it", () => {
            assert.match(reasonFor({ ...valid, waNumber: " +919876543210\n" }, "waNumber"), /write "\+919876543210"/);
        });
    });

    it("requires at least one field besides waNumber", () => {
        assert.match(reasonFor({ waNumber: "+919876543210" }, "waNumber"), /at least one field besides waNumber/);
        assert.deepEqual(failures({ waNumber: "+919876543210", about: "x" }), {});
    });

    it("rejects an empty displayImage with Kaleyra's E962 and the fix", () => {
        assert.match(reasonFor({ ...valid, displayImage: "" }, "displayImage"), /cannot be empty \(Kaleyra E962\).*remove displayImage/);
    });

    describe("businessCategory", () => {
        it("accepts each of the 17 categories in any case and normalizes to Kaleyra's spelling", () => {
            assert.equal(BUSINESS_CATEGORIES.length, 17);
            for (const category of BUSINESS_CATEGORIES) {
                for (const written of [category, category.toUpperCase(), category.toLowerCase()]) {
                    const result = checkProfile({ ...valid, businessCategory: written });
                    assert.deepEqual(result.failures, [], written);
                    assert.equal(result.inputs.businessCategory, category);
                }
            }
        });
        it("rejects Meta's spelling of the beauty category, which is not Kaleyra's exact string, and suggests Kaleyra's", () => {
            assert.match(reasonFor({ ...valid, businessCategory: "Beauty, Spa and Salon" }, "businessCategory"), /did you mean "Beauty, Spa, and Salon"\?/);
        });
        it("rejects surrounding whitespace instead of trimming it", () => {
            assert.match(reasonFor({ ...valid, businessCategory: " Hotel and Lodging" }, "businessCategory"), /starts with a space: remove it/);
            assert.match(reasonFor({ ...valid, businessCategory: "Hotel and Lodging\n" }, "businessCategory"), /ends with a line break: remove it/);
        });
        it("rejects an unknown category, suggests the nearest and lists them all", () => {
            const reason = reasonFor({ ...valid, businessCategory: "Hotel & Lodging" }, "businessCategory");
            assert.match(reason, /not one of Kaleyra's business categories; did you mean "Hotel and Lodging"\?/);
            assert.match(reason, /Travel and Transportation/);
        });
    });

    describe("contactEmail", () => {
        it("must be an address", () => {
            assert.match(reasonFor({ ...valid, contactEmail: "help-at-example.com" }, "contactEmail"), /email address/);
        });
        it("says what is wrong with a near miss", () => {
            assert.match(reasonFor({ ...valid, contactEmail: "a@b.c" }, "contactEmail"), /top-level domain "c"/);
            assert.match(reasonFor({ ...valid, contactEmail: "ü@example.com" }, "contactEmail"), /only ASCII addresses/);
            assert.match(reasonFor({ ...valid, contactEmail: "a..b@example.com" }, "contactEmail"), /two in a row/);
        });
        it("is at most 128 characters", () => {
            const email = `${"a".repeat(120)}@example.com`;
            assert.match(reasonFor({ ...valid, contactEmail: email }, "contactEmail"), /132 characters; Kaleyra allows at most 128/);
        });
    });

    for (const property of ["website", "displayImage", "incomingUrl"]) {
        describe(property, () => {
            it("holds no whitespace, and says how to write a space", () => {
                assert.match(reasonFor({ ...valid, [property]: "https://example.com/a b" }, property), /percent-encode a space as %20/);
                assert.match(reasonFor({ ...valid, [property]: "https://example.com " }, property), /ends with a space/);
                assert.equal(failures({ ...valid, [property]: "https://example.com/a%20b" })[property], undefined);
            });
            it("must be an http(s) URL", () => {
                assert.match(reasonFor({ ...valid, [property]: "ftp://example.com/x" }, property), /http:\/\/ or https:\/\/ URL/);
                assert.match(reasonFor({ ...valid, [property]: "example.com" }, property), /http:\/\/ or https:\/\/ URL/);
                assert.equal(failures({ ...valid, [property]: "http://example.com/x" })[property], undefined);
            });
            it("is at most 256 characters", () => {
                const url = `https://example.com/${"p".repeat(237)}`;
                assert.equal(url.length, 257);
                assert.match(reasonFor({ ...valid, [property]: url }, property), /at most 256/);
                assert.equal(failures({ ...valid, [property]: url.slice(0, 256) })[property], undefined);
            });
        });
    }

    describe("about", () => {
        it("is 1 to 139 characters, counted as people count them", () => {
            assert.match(reasonFor({ ...valid, about: "" }, "about"), /cannot be empty/);
            assert.equal(failures({ ...valid, about: "a".repeat(139) }).about, undefined);
            assert.match(reasonFor({ ...valid, about: "a".repeat(140) }, "about"), /140 characters; Kaleyra allows at most 139/);
            // 139 emoji are 278 UTF-16 units but 139 characters.
            assert.equal(failures({ ...valid, about: "😀".repeat(139) }).about, undefined);
        });
        it("keeps line breaks inside, but not around, and no control characters", () => {
            assert.equal(failures({ ...valid, about: "Open 9-6\nMon-Sat" }).about, undefined);
            assert.match(reasonFor({ ...valid, about: "Open 9-6\n" }, "about"), /ends with a line break/);
            assert.match(reasonFor({ ...valid, about: " " }, "about"), /cannot be only whitespace.*remove about/);
            assert.match(reasonFor({ ...valid, about: "a\u0000b" }, "about"), /control character U\+0000/);
        });
    });

    it("limits address to 256 and businessDescription to 512 characters", () => {
        assert.equal(failures({ ...valid, address: "a".repeat(256) }).address, undefined);
        assert.match(reasonFor({ ...valid, address: "a".repeat(257) }, "address"), /at most 256/);
        assert.equal(failures({ ...valid, businessDescription: "a".repeat(512) }).businessDescription, undefined);
        assert.match(reasonFor({ ...valid, businessDescription: "a".repeat(513) }, "businessDescription"), /at most 512/);
    });

    it("rejects non-string values by property", () => {
        assert.match(reasonFor({ ...valid, about: 42 }, "about"), /must be a string/);
        assert.match(reasonFor({ ...valid, website: { url: "x" } }, "website"), /must be a string/);
    });

    it("fails an unknown property instead of dropping it, and suggests the intended one", () => {
        assert.match(reasonFor({ ...valid, business_catregory: "Hotel and Lodging" }, "business_catregory"), /not a property.*did you mean businessCategory\?/);
        assert.match(reasonFor({ ...valid, incoming_url: "https://x.example" }, "incoming_url"), /did you mean incomingUrl\?/);
        assert.match(reasonFor({ ...valid, colour: "blue" }, "colour"), /not a property of WhatsAppNumberProfile/);
    });

    it("reports every problem at once, one per property", () => {
        const result = checkProfile({ waNumber: "+91 98765 43210", about: "", contactEmail: "x", website: "nope", extra: 1 });
        assert.deepEqual(result.failures.map((f) => f.property).sort(), ["about", "contactEmail", "extra", "waNumber", "website"]);
    });

    it("keeps values unknown during preview and does not validate them", () => {
        const result = checkProfile({ waNumber: "+919876543210", incomingUrl: UNKNOWN, about: "x" });
        assert.deepEqual(result.failures, []);
        assert.equal(result.inputs.incomingUrl, UNKNOWN);
    });

    it("never echoes a huge value back whole", () => {
        const reason = reasonFor({ ...valid, waNumber: "x".repeat(100_000) }, "waNumber");
        assert.ok(reason.length < 300, `reason is ${reason.length} characters`);
    });
});
