/**
 * What reaches the wire, under the real CLI, against a scripted HTTP server on 127.0.0.1 (not the
 * emulator, so every header and byte can be checked): the contract's sample request byte for byte,
 * `check`'s failures per property before any request, missing credentials (preview needs none; up
 * names the settings), the `KALEYRA_*` fallbacks reaching the dynamic-provider host through the
 * engine, Kaleyra's error envelopes worded per property, and a refused key redacted from an echo.
 */
import { strict as assert } from "node:assert";
import * as fs from "node:fs";
import * as os from "node:os";
import * as path from "node:path";

import { assertOk, requireCli, TestStack, type StackRun } from "../helpers/cli-stack";
import { startScriptedServer, type ScriptedServer } from "../helpers/scripted-server";

const PROGRAM = path.join(__dirname, "..", "fixtures", "profile-program", "index.ts");

/** The contract's sample request ("Sample Request Format"), as sent on the wire. */
const SAMPLE = {
    sid: "HXXXXXXX071US",
    apiKey: "Axxxxxxxxxxxxxxxxxxxxxxxxxxxxxxx3",
    body: {
        // The sample's "+91XXXXXXXXXX" and its e-mail (mangled by the docs page) are placeholders;
        // everything else is the sample's own text.
        wa_number: "+919876543210",
        address: '567, "john", 2nd Phase, Bangalore.',
        incoming_url: "https://webhook.site/XXXXXXXX-c96d-XXXX-b7a8-XXXXXXXXXXXX",
        display_image: "https://s3.eu-central-1.amazonaws.com/kcloud.sms-eu/docs/1XXXXXXXXXX632315661538_XXXXXXXX-6faa-4XXX-b06e-2af311229c83.jpg",
        business_description: "Brief description about the Company",
        business_category: "Hotel and Lodging",
        website: "http://www.tested.com",
        contact_email: "contact@tested.com",
        about: "Today we tested sample212",
    },
};

/** The same profile, as a program writes it. */
const SAMPLE_ARGS = {
    waNumber: SAMPLE.body.wa_number,
    address: SAMPLE.body.address,
    incomingUrl: SAMPLE.body.incoming_url,
    displayImage: SAMPLE.body.display_image,
    businessDescription: SAMPLE.body.business_description,
    businessCategory: SAMPLE.body.business_category,
    website: SAMPLE.body.website,
    contactEmail: SAMPLE.body.contact_email,
    about: SAMPLE.body.about,
};

const E962 = { error: { code: "E962", type: "VALIDATION_ERROR", parameter: "display_image", message: "display_image cannot be empty", reference: "" } };
const E413 = { error: { code: "E413", type: "VALIDATION_ERROR", parameter: "wa_number", message: "wa_number field is required and cannot be empty.", reference: "" } };

describe("the request on the wire and the credentials, under the real CLI against a scripted server", function () {
    this.timeout(180_000);
    let server: ScriptedServer;
    let tmp: string;
    let stack: TestStack;

    before(async function () {
        const cli = requireCli(this);
        server = await startScriptedServer();
        tmp = fs.mkdtempSync(path.join(os.tmpdir(), "kaleyra-wire-"));
        stack = await TestStack.open(cli, { program: PROGRAM, project: "wire", dir: tmp });
        await stack.configure({ "kaleyra:endpoint": server.url, "kaleyra:maxRetries": "0" });
    });
    beforeEach(() => {
        if (server) server.received.length = 0;
    });
    after(async function () {
        if (stack && this.currentTest?.state !== "failed") {
            await stack.assertNowhere(SAMPLE.apiKey);
            await stack.assertNowhere(ENV_KEY, "the KALEYRA_API_KEY key");
        }
        await server?.close();
        if (tmp) fs.rmSync(tmp, { recursive: true, force: true });
    });

    /** The program declares `profiles` for this command (with `env` besides). */
    const declaring = (profiles: Record<string, object>, env: Record<string, string> = {}) => ({ env: { PROFILES_JSON: JSON.stringify(profiles), ...env } });
    const ENV_KEY = "Aenv-key-0000000000000000000000009";

    it("stops preview on check failures naming each property, before any request", async () => {
        const r = await stack.preview(declaring({ support: { waNumber: "+91 98765 43210", displayImage: "", business_catregory: "Hotel and Lodging" } }));
        assert.equal(r.ok, false);
        assert.match(r.text, /waNumber[^\n]*write "\+919876543210"/);
        assert.match(r.text, /displayImage[^\n]*E962/);
        assert.match(r.text, /business_catregory[^\n]*did you mean businessCategory/);
        assert.equal(server.received.length, 0);
    });

    it("previews without credentials, and fails up naming the settings and variables when they are missing", async () => {
        const profiles = declaring({ support: { waNumber: "+919876543210", about: "x" } });
        assertOk(await stack.preview(profiles), "preview without credentials");
        const failed = await stack.up(profiles);
        assert.equal(failed.ok, false);
        assert.match(failed.text, /Missing Kaleyra credentials: set kaleyra:sid \(or KALEYRA_SID\) and kaleyra:apiKey \(or KALEYRA_API_KEY\)/);
        assert.equal(server.received.length, 0);
    });

    it("falls back to KALEYRA_SID and KALEYRA_API_KEY from the engine's environment", async () => {
        const r = await stack.up(declaring({ support: { waNumber: "+919876543210", about: "x" } }, { KALEYRA_SID: "HXENV", KALEYRA_API_KEY: ENV_KEY }));
        assertOk(r, "up with credentials from the environment");
        assert.equal(server.received.length, 1);
        assert.equal(server.received[0].path, "/v1/HXENV/whatsapp/number");
        assert.equal(server.received[0].headers["api-key"], ENV_KEY);
    });

    it("turns the contract's sample, written as a WhatsAppNumberProfile, into exactly the contract's request", async () => {
        await stack.configure({ "kaleyra:sid": SAMPLE.sid }, { "kaleyra:apiKey": SAMPLE.apiKey });
        assertOk(await stack.up(declaring({ sample: SAMPLE_ARGS })), "up");
        assert.equal(server.received.length, 1);
        const [req] = server.received;
        assert.equal(req.method, "PUT");
        assert.equal(req.path, `/v1/${SAMPLE.sid}/whatsapp/number`);
        assert.equal(req.headers["api-key"], SAMPLE.apiKey);
        assert.equal(req.headers["content-type"], "application/json");
        assert.deepEqual(Object.keys(JSON.parse(req.body)), Object.keys(SAMPLE.body), "keys in the contract's order");
        assert.deepEqual(JSON.parse(req.body), SAMPLE.body);
    });

    for (const [code, envelope, text] of [
        ["E962", E962, "display_image (displayImage): E962 VALIDATION_ERROR — display_image cannot be empty"],
        ["E413", E413, "wa_number (waNumber): E413 VALIDATION_ERROR — wa_number field is required and cannot be empty."],
    ] as const) {
        it(`fails the resource with Kaleyra's ${code} code and message, worded per property, leaving its state as it was`, async () => {
            const before = await stack.profiles();
            server.reply({ status: 400, body: envelope });
            const failed: StackRun = await stack.up(declaring({ sample: { ...SAMPLE_ARGS, about: `Changed for ${code}` } }));
            assert.equal(failed.ok, false);
            assert.deepEqual(failed.steps.map((s) => [s.name, s.status]), [["sample", "failed"]]);
            assert.ok(failed.text.includes(`Kaleyra rejected ${text}`), failed.text);
            assert.deepEqual(await stack.profiles(), before);
        });
    }

    it("a refusal that echoes the key reaches the user redacted", async () => {
        server.reply({ status: 401, body: { error: { code: "RBC001", message: `Incorrect SID or API key ${SAMPLE.apiKey}` } } });
        const failed = await stack.up(declaring({ sample: { ...SAMPLE_ARGS, about: "Refused" } }));
        assert.equal(failed.ok, false);
        assert.match(failed.text, /RBC001.*Check kaleyra:sid and kaleyra:apiKey/);
        assert.ok(failed.text.includes("Incorrect SID or API key [REDACTED]"), "the failure was seen, redacted");
        assert.ok(!failed.text.includes(SAMPLE.apiKey));
    });
});
