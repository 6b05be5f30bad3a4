import { strict as assert } from "node:assert";
import { RunningEmulator, startEmulator } from "../../../provider/emulator";
import { E413_TEXT, E962_TEXT, NUMBER, SAMPLE_BODY, SUCCESS_TEXT, json, put } from "./helpers";

describe("emulator: the documented contract", () => {
    let emulator: RunningEmulator;

    before(async () => {
        emulator = await startEmulator({ numbers: [NUMBER], quiet: true });
    });
    after(() => emulator.close());
    beforeEach(() => emulator.reset());

    it("accepts the contract's sample request with the documented success body, byte for byte", async () => {
        const res = await put(emulator, SAMPLE_BODY);
        assert.equal(res.status, 200);
        assert.equal(res.text, SUCCESS_TEXT);
        assert.match(String(res.headers["content-type"]), /^application\/json/);
        assert.deepEqual(emulator.profile(NUMBER), SAMPLE_BODY);
    });

    it("is a partial update: a field left out keeps its value", async () => {
        assert.equal((await put(emulator, SAMPLE_BODY)).status, 200);
        const res = await put(emulator, { wa_number: NUMBER, about: "Changed" });
        assert.equal(res.text, SUCCESS_TEXT);
        assert.deepEqual(emulator.profile(NUMBER), { ...SAMPLE_BODY, about: "Changed" });
    });

    it("starts a registered number with an empty profile", () => {
        assert.deepEqual(emulator.profile(NUMBER), { wa_number: NUMBER });
        assert.equal(emulator.profile("+15550000000"), undefined);
    });

    for (const [label, body] of [
        ["missing", { about: "x" }],
        ["empty", { wa_number: "", about: "x" }],
        ["blank", { wa_number: "   ", about: "x" }],
        ["null", { wa_number: null, about: "x" }],
    ] as const) {
        it(`sends the documented E413 body, byte for byte, when wa_number is ${label}`, async () => {
            const res = await put(emulator, body);
            assert.equal(res.status, 400);
            assert.equal(res.text, E413_TEXT);
        });
    }

    it("treats an empty body as a missing wa_number (E413)", async () => {
        const res = await put(emulator, "");
        assert.equal(res.status, 400);
        assert.equal(res.text, E413_TEXT);
    });

    for (const [label, value] of [
        ["empty", ""],
        ["blank", "  "],
        ["null", null],
    ] as const) {
        it(`sends the documented E962 body, byte for byte, when display_image is ${label}`, async () => {
            const res = await put(emulator, { wa_number: NUMBER, display_image: value });
            assert.equal(res.status, 400);
            assert.equal(res.text, E962_TEXT);
        });
    }

    it("matches the business category case-insensitively and stores it as sent", async () => {
        const res = await put(emulator, { wa_number: NUMBER, business_category: "hOTEL AND lodging" });
        assert.equal(res.status, 200);
        assert.equal(emulator.profile(NUMBER)?.business_category, "hOTEL AND lodging");
    });

    it("rejects a request that changes nothing when E962 comes with valid fields (all or nothing)", async () => {
        const res = await put(emulator, { wa_number: NUMBER, about: "new about", display_image: "" });
        assert.equal(res.text, E962_TEXT);
        assert.deepEqual(emulator.profile(NUMBER), { wa_number: NUMBER });
    });

    it("answers errors in the documented envelope with exactly its keys, in order", async () => {
        const res = await put(emulator, { wa_number: NUMBER, about: 5 });
        const body = json(res) as { error: Record<string, unknown> };
        assert.deepEqual(Object.keys(body), ["error"]);
        assert.deepEqual(Object.keys(body.error), ["code", "type", "parameter", "message", "reference"]);
        assert.equal(body.error.reference, "");
    });
});
