/**
 * The provider as `pulumi up` runs it: the program's real serialized `__provider`, loaded by the
 * SDK's own dynamic-provider host, driven over gRPC (Configure → Check → Create → Diff → Update →
 * Delete) by the engine-side harness, against real HTTP servers on 127.0.0.1.
 */
import { strict as assert } from "node:assert";
import * as fs from "node:fs";
import * as os from "node:os";
import * as path from "node:path";

import { destroy, preview, readState, StackRef, up } from "../../tools/harness";
import { ScriptedServer, startScriptedServer } from "../helpers/scripted-server";

const PROJECT_DIR = path.join(__dirname, "..", "fixtures", "profile-program");
const TYPE = "pulumi-nodejs:dynamic/kaleyra:WhatsAppNumberProfile";

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

describe("the provider in Pulumi's dynamic-provider host (gRPC)", function () {
    this.timeout(60_000);
    let server: ScriptedServer;
    let tmp: string;
    beforeEach(async () => {
        server = await startScriptedServer();
        tmp = fs.mkdtempSync(path.join(os.tmpdir(), "kaleyra-host-"));
    });
    afterEach(async () => {
        await server.close();
        fs.rmSync(tmp, { recursive: true, force: true });
    });

    function stack(profiles: Record<string, object>, config: StackRef["config"] = {}, env: Record<string, string> = {}): StackRef {
        return {
            projectDir: PROJECT_DIR,
            program: path.join(PROJECT_DIR, "index.ts"),
            project: "profile-program",
            stack: "test",
            config: { "kaleyra:sid": SAMPLE.sid, "kaleyra:apiKey": { secret: SAMPLE.apiKey }, "kaleyra:endpoint": server.url, ...config },
            stateFile: path.join(tmp, "state.json"),
            env: { PROFILES_JSON: JSON.stringify(profiles), ...env },
        };
    }

    it("turns the contract's sample, written as a WhatsAppNumberProfile, into exactly the contract's request", async () => {
        const result = await up(stack({ sample: SAMPLE_ARGS }));
        assert.ok(result.ok, result.errors.join("\n"));
        assert.equal(server.received.length, 1);
        const [req] = server.received;
        assert.equal(req.method, "PUT");
        assert.equal(req.path, `/v1/${SAMPLE.sid}/whatsapp/number`);
        assert.equal(req.headers["api-key"], SAMPLE.apiKey);
        assert.equal(req.headers["content-type"], "application/json");
        assert.deepEqual(Object.keys(JSON.parse(req.body)), Object.keys(SAMPLE.body), "keys in the contract's order");
        assert.deepEqual(JSON.parse(req.body), SAMPLE.body);
    });

    it("runs Configure → Check → Create, then Check → Diff → Update, then Delete, with the serialized shim", async () => {
        const created = await up(stack({ support: { waNumber: "+919876543210", about: "Open 9-6" } }));
        assert.ok(created.ok, created.errors.join("\n"));
        assert.deepEqual([created.grpcCalls.Configure, created.grpcCalls.Check, created.grpcCalls.Create], [1, 1, 1]);
        const [resource] = readState(path.join(tmp, "state.json")).resources;
        assert.equal(resource.type, TYPE);
        assert.equal(resource.id, "+919876543210");
        assert.deepEqual({ ...resource.outputs, __provider: undefined }, { waNumber: "+919876543210", about: "Open 9-6", __provider: undefined });
        const shim = String(resource.inputs.__provider);
        assert.match(shim, /require\("pulumi-kaleyra-whatsapp\/runtime"\)\.dispatch\(1, this, "create"/);
        assert.ok(shim.length < 4000, `__provider is ${shim.length} bytes`);

        const updated = await up(stack({ support: { waNumber: "+919876543210", about: "Open 24/7" } }));
        assert.ok(updated.ok, updated.errors.join("\n"));
        assert.deepEqual([updated.grpcCalls.Check, updated.grpcCalls.Diff, updated.grpcCalls.Update, updated.grpcCalls.Create], [1, 1, 1, 0]);
        assert.deepEqual(JSON.parse(server.received[1].body), { wa_number: "+919876543210", about: "Open 24/7" });

        const destroyed = await destroy(stack({}));
        assert.ok(destroyed.ok, destroyed.errors.join("\n"));
        assert.equal(destroyed.grpcCalls.Delete, 1);
        assert.equal(server.received.length, 2, "delete makes no call");
        assert.deepEqual(readState(path.join(tmp, "state.json")).resources, []);
    });

    for (const [code, envelope, text] of [["E962", E962, "display_image (displayImage): E962 VALIDATION_ERROR — display_image cannot be empty"], ["E413", E413, "wa_number (waNumber): E413 VALIDATION_ERROR — wa_number field is required and cannot be empty."]] as const) {
        it(`fails the resource with Kaleyra's ${code} code and message, leaving its state as it was`, async () => {
            const first = await up(stack({ support: { waNumber: "+919876543210", about: "Open 9-6" } }));
            assert.ok(first.ok, first.errors.join("\n"));
            const before = fs.readFileSync(path.join(tmp, "state.json"), "utf8");
            server.reply({ status: 400, body: envelope });
            const failed = await up(stack({ support: { waNumber: "+919876543210", about: "Open 24/7" } }));
            assert.equal(failed.ok, false);
            const step = failed.steps.find((s) => s.name === "support");
            assert.equal(step?.status, "failed");
            assert.ok(step?.error?.includes(`Kaleyra rejected ${text}`), step?.error);
            assert.deepEqual(JSON.parse(fs.readFileSync(path.join(tmp, "state.json"), "utf8")).resources, JSON.parse(before).resources);
        });
    }

    it("stops preview on check failures naming each property, before any request", async () => {
        const result = await preview(stack({ support: { waNumber: "+91 98765 43210", displayImage: "", business_catregory: "Hotel and Lodging" } }));
        assert.equal(result.ok, false);
        const reasons = Object.fromEntries(result.checkFailures.map((f) => [f.property, f.reason]));
        assert.match(reasons.waNumber, /write "\+919876543210"/);
        assert.match(reasons.displayImage, /E962/);
        assert.match(reasons.business_catregory, /did you mean businessCategory/);
        assert.equal(server.received.length, 0);
    });

    it("previews without credentials, and fails up naming the config keys when they are missing", async () => {
        const noCredentials = stack({ support: { waNumber: "+919876543210", about: "x" } }, { "kaleyra:sid": "", "kaleyra:apiKey": "" });
        const planned = await preview(noCredentials);
        assert.ok(planned.ok, planned.errors.join("\n"));
        const failed = await up(noCredentials);
        assert.equal(failed.ok, false);
        assert.match(failed.steps[0].error ?? "", /Missing Kaleyra credentials: set kaleyra:sid \(or KALEYRA_SID\) and kaleyra:apiKey \(or KALEYRA_API_KEY\)/);
        assert.equal(server.received.length, 0);
    });

    it("falls back to KALEYRA_* environment variables in the host", async () => {
        const result = await up(stack({ support: { waNumber: "+919876543210", about: "x" } }, { "kaleyra:sid": "", "kaleyra:apiKey": "" }, { KALEYRA_SID: "HXENV", KALEYRA_API_KEY: "Aenv-key-0000000000000000000000009" }));
        assert.ok(result.ok, result.errors.join("\n"));
        assert.equal(server.received[0].path, "/v1/HXENV/whatsapp/number");
        assert.equal(server.received[0].headers["api-key"], "Aenv-key-0000000000000000000000009");
    });

    it("keeps the key out of state, __provider, outputs and every log, even when Kaleyra fails", async () => {
        server.reply({ status: 401, body: { error: { code: "RBC001", message: `Incorrect SID or API key ${SAMPLE.apiKey}` } } });
        const failed = await up(stack({ support: { waNumber: "+919876543210", about: "x" } }));
        assert.equal(failed.ok, false);
        assert.match(failed.steps[0].error ?? "", /RBC001.*Check kaleyra:sid and kaleyra:apiKey/);
        const ok = await up(stack({ support: { waNumber: "+919876543210", about: "x" } }));
        assert.ok(ok.ok, ok.errors.join("\n"));
        const everything = [
            fs.readFileSync(path.join(tmp, "state.json"), "utf8"),
            JSON.stringify(ok.outputs),
            ...[failed, ok].flatMap((r) => [r.hostLog, r.programLog, ...r.errors, ...r.steps.map((s) => s.error ?? "")]),
        ].join("\n");
        assert.ok(everything.includes("Incorrect SID or API key [REDACTED]"), "the failure was seen, redacted");
        assert.ok(!everything.includes(SAMPLE.apiKey), "the API key leaked");
    });
});
