import { strict as assert } from "node:assert";
import { RunningEmulator, startEmulator } from "../../../provider/emulator";
import { NUMBER, RawResponse, SUCCESS_TEXT, admin, json, put } from "./helpers";

const RBC001 = {
    error: { code: "RBC001", type: "AUTHENTICATION_ERROR", parameter: "", message: "Incorrect SID or API key.", reference: "" },
};

function expectRbc001(res: RawResponse): void {
    assert.equal(res.status, 401);
    assert.deepEqual(json(res), RBC001);
}

describe("emulator: authentication", () => {
    let emulator: RunningEmulator;
    const body = { wa_number: NUMBER, about: "auth test" };

    beforeEach(async () => {
        emulator = await startEmulator({ numbers: [NUMBER], sid: "HXTEST0001", apiKey: "Akey-one", quiet: true });
    });
    afterEach(() => emulator.close());

    it("accepts the configured SID and key", async () => {
        assert.equal((await put(emulator, body)).text, SUCCESS_TEXT);
    });

    it("rejects an unknown SID with 401 RBC001 and changes nothing", async () => {
        expectRbc001(await put(emulator, body, { sid: "HXOTHER0001" }));
        assert.deepEqual(emulator.profile(NUMBER), { wa_number: NUMBER });
    });

    it("rejects a wrong api-key with 401 RBC001", async () => {
        expectRbc001(await put(emulator, body, { apiKey: "Akey-two" }));
    });

    it("rejects a missing api-key with 401 RBC001", async () => {
        expectRbc001(await put(emulator, body, { apiKey: null }));
    });

    it("rejects a key that differs only in case", async () => {
        expectRbc001(await put(emulator, body, { apiKey: "AKEY-ONE" }));
    });

    it("checks credentials before the body (a bad body with a bad key is RBC001)", async () => {
        expectRbc001(await put(emulator, "{not json", { apiKey: "wrong" }));
    });

    it("rejects a number not registered on the account with 401 WA401", async () => {
        const res = await put(emulator, { wa_number: "+15550001111", about: "x" });
        assert.equal(res.status, 401);
        assert.deepEqual(json(res), {
            error: { code: "WA401", type: "AUTHENTICATION_ERROR", parameter: "wa_number", message: "Phone number not present in this account.", reference: "" },
        });
        assert.equal(emulator.profile("+15550001111"), undefined);
    });

    it("accepts a number once it is registered", async () => {
        emulator.registerNumber("+15550001111");
        assert.equal((await put(emulator, { wa_number: "+15550001111", about: "x" })).status, 200);
    });

    it("rotates the key with setApiKey: the old key is rejected afterwards", async () => {
        emulator.setApiKey("Akey-rotated");
        assert.equal(emulator.apiKey, "Akey-rotated");
        expectRbc001(await put(emulator, body, { apiKey: "Akey-one" }));
        assert.equal((await put(emulator, body, { apiKey: "Akey-rotated" })).status, 200);
    });

    it("rotates the key through PUT /__emulator/api-key", async () => {
        const res = await admin(emulator, "PUT", "api-key", { api_key: "Akey-admin" });
        assert.equal(res.status, 204);
        assert.equal(emulator.apiKey, "Akey-admin");
        expectRbc001(await put(emulator, body, { apiKey: "Akey-one" }));
        assert.equal((await put(emulator, body, { apiKey: "Akey-admin" })).status, 200);
    });

    it("refuses an empty key on rotation", async () => {
        assert.throws(() => emulator.setApiKey(""), RangeError);
        assert.equal((await admin(emulator, "PUT", "api-key", { api_key: " " })).status, 400);
        assert.equal(emulator.apiKey, "Akey-one");
    });

    it("redacts the api-key in the request log", async () => {
        await put(emulator, body);
        const [entry] = emulator.requests();
        assert.equal(entry.headers["api-key"], "[REDACTED]");
        assert.ok(!JSON.stringify(emulator.requests()).includes("Akey-one"));
        const viaAdmin = await admin(emulator, "GET", "requests");
        assert.ok(!viaAdmin.text.includes("Akey-one"));
        assert.ok(viaAdmin.text.includes("[REDACTED]"));
    });
});
