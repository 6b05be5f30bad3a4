import { strict as assert } from "node:assert";
import { inspect } from "node:util";

import { startEmulator, RunningEmulator } from "../../provider/emulator";
import { KaleyraProfileProvider } from "../../provider/engine/provider";
import type { ProfileInputs } from "../../provider/contract/types";
import { fullProfile } from "../helpers/profiles";

const KEY = "Aprovider-test-key-9d2b6f1e0a4c7735";
const NUMBER = "+919876543210";
const FULL: ProfileInputs = fullProfile({ waNumber: NUMBER });

/** A provider configured the way the host configures it, with no env fallback. */
async function providerFor(values: Record<string, string>, log: string[] = []): Promise<KaleyraProfileProvider> {
    const provider = new KaleyraProfileProvider({ env: {}, log: (line) => log.push(line), client: { backoff: { baseMs: 5, maxMs: 10 } } });
    await provider.configure({ config: { get: (key: string) => values[key] } } as never);
    return provider;
}

async function failure(p: Promise<unknown>): Promise<Error> {
    try {
        await p;
    } catch (e) {
        assert.ok(e instanceof Error);
        assert.ok(!inspect(e, { showHidden: true, depth: 10 }).includes(KEY), "the API key leaked into an error");
        return e;
    }
    assert.fail("expected the operation to fail");
}

describe("provider operations against the emulator", () => {
    let emulator: RunningEmulator;
    let config: Record<string, string>;
    beforeEach(async () => {
        emulator = await startEmulator({ apiKey: KEY, numbers: [NUMBER, "+919876543211"], quiet: true });
        config = { "kaleyra:sid": emulator.sid, "kaleyra:apiKey": KEY, "kaleyra:endpoint": emulator.url };
    });
    afterEach(async () => emulator.close());

    const puts = () => emulator.kaleyraRequests().map((r) => r.body);

    it("create sends one PUT with wa_number and every set field, and returns the number as id", async () => {
        const provider = await providerFor(config);
        const result = await provider.create(FULL);
        assert.equal(result.id, NUMBER);
        assert.deepEqual(result.outs, FULL);
        assert.deepEqual(puts(), [{
            wa_number: NUMBER, address: FULL.address, incoming_url: FULL.incomingUrl, display_image: FULL.displayImage,
            business_description: FULL.businessDescription, business_category: FULL.businessCategory, website: FULL.website,
            contact_email: FULL.contactEmail, about: FULL.about,
        }]);
        assert.equal(emulator.profile(NUMBER)?.about, FULL.about);
    });

    it("create's outputs hold no undefined values and no __provider", async () => {
        const provider = await providerFor(config);
        const { outs } = await provider.create({ waNumber: NUMBER, about: "Hi", __provider: "x" } as ProfileInputs);
        assert.deepEqual(outs, { waNumber: NUMBER, about: "Hi" });
        assert.ok(Object.values(outs).every((v) => v !== undefined));
    });

    it("update sends one PUT with wa_number and only the changed fields", async () => {
        const provider = await providerFor(config);
        await provider.create(FULL);
        emulator.clearRequests();
        const { outs } = await provider.update(NUMBER, FULL, { ...FULL, about: "Open 24/7", website: "https://example.org" });
        assert.deepEqual(puts(), [{ wa_number: NUMBER, website: "https://example.org", about: "Open 24/7" }]);
        assert.equal(outs?.about, "Open 24/7");
        assert.equal(emulator.profile(NUMBER)?.address, FULL.address, "unsent fields keep their value");
    });

    it("update that only removes fields makes no call and stops recording them", async () => {
        const provider = await providerFor(config);
        await provider.create(FULL);
        emulator.clearRequests();
        const { address: _, ...withoutAddress } = FULL;
        const { outs } = await provider.update(NUMBER, FULL, withoutAddress);
        assert.deepEqual(puts(), []);
        assert.equal(outs?.address, undefined);
        assert.equal(emulator.profile(NUMBER)?.address, FULL.address, "Kaleyra keeps the value");
    });

    it("read returns the recorded state without calling Kaleyra", async () => {
        const provider = await providerFor(config);
        const read = await provider.read(NUMBER, { ...FULL, __provider: "x" } as ProfileInputs);
        assert.deepEqual(read, { id: NUMBER, props: FULL });
        assert.equal(emulator.requests().length, 0);
        await assert.rejects(provider.read(NUMBER), /no API that returns a number's profile/);
    });

    it("delete makes no call", async () => {
        const provider = await providerFor(config);
        await provider.delete();
        assert.equal(emulator.requests().length, 0);
    });

    it("surfaces E962 with code and message when an empty display_image reaches Kaleyra", async () => {
        const provider = await providerFor(config);
        const e = await failure(provider.create({ waNumber: NUMBER, displayImage: "" }));
        assert.match(e.message, /^Kaleyra rejected display_image \(displayImage\): E962 VALIDATION_ERROR — display_image cannot be empty/);
    });

    it("surfaces E413 with code and message when wa_number is empty", async () => {
        const provider = await providerFor(config);
        const e = await failure(provider.create({ waNumber: "", about: "x" }));
        assert.match(e.message, /^Kaleyra rejected wa_number \(waNumber\): E413 VALIDATION_ERROR — wa_number field is required and cannot be empty\./);
    });

    it("fails with the config keys and env vars when credentials are missing, before any request", async () => {
        const provider = await providerFor({ "kaleyra:endpoint": emulator.url });
        const e = await failure(provider.create(FULL));
        assert.match(e.message, /kaleyra:sid \(or KALEYRA_SID\) and kaleyra:apiKey \(or KALEYRA_API_KEY\)/);
        assert.equal(emulator.requests().length, 0);
    });

    it("falls back to KALEYRA_* environment variables", async () => {
        const provider = new KaleyraProfileProvider({ env: { KALEYRA_SID: emulator.sid, KALEYRA_API_KEY: KEY, KALEYRA_ENDPOINT: emulator.url } });
        await provider.configure({ config: { get: () => undefined } } as never);
        await provider.create(FULL);
        assert.equal(puts().length, 1);
    });

    it("says the credentials are wrong on 401, without the key", async () => {
        const provider = await providerFor({ ...config, "kaleyra:apiKey": `${KEY}-wrong` });
        const e = await failure(provider.create(FULL));
        assert.match(e.message, /RBC001.*Check kaleyra:sid and kaleyra:apiKey/);
        assert.ok(!e.message.includes(`${KEY}-wrong`));
    });

    it("updates with the current config after the key is rotated", async () => {
        const before = await providerFor(config);
        await before.create(FULL);
        const rotated = "Arotated-key-00000000000000000000001";
        emulator.setApiKey(rotated);
        const after = await providerFor({ ...config, "kaleyra:apiKey": rotated });
        await after.update(NUMBER, FULL, { ...FULL, about: "Rotated" });
        assert.equal(emulator.profile(NUMBER)?.about, "Rotated");
    });

    it("logs retries without the key", async () => {
        const log: string[] = [];
        emulator.failNext(1, { status: 503 });
        const provider = await providerFor(config, log);
        await provider.create(FULL);
        assert.equal(log.length, 1);
        assert.match(log[0], /attempt 1 failed .*HTTP 503.*retrying in/);
        assert.ok(!log.join("\n").includes(KEY));
    });

    it("never puts the key in outputs, check results or diffs", async () => {
        const provider = await providerFor(config);
        const results = [await provider.check(FULL, FULL), await provider.diff(NUMBER, FULL, FULL), await provider.create(FULL), await provider.update(NUMBER, FULL, { ...FULL, about: "x" })];
        assert.ok(!JSON.stringify(results).includes(KEY));
    });
});
