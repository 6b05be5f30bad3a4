/**
 * The `kaleyra` plugin from Pulumi YAML under the real Pulumi CLI, against the emulator, in the
 * development loop: the project's `plugins.providers` points at this repository's `plugin/` folder
 * (the compiled plugin run by `node`). examples/yaml runs its whole lifecycle, and the same profiles
 * sent through the dynamic resource and through the plugin make byte-identical requests. Go is
 * tests/e2e/plugin-go.test.ts; the standard installs (the single-executable plugin installed with
 * `pulumi plugin install`, or downloaded by the CLI) are tests/e2e/plugin-install.test.ts.
 *
 * Needs the CLI with its YAML language host (`npm run pulumi:install`): skipped with the reason when
 * it is missing, a failure when KALEYRA_REQUIRE_PULUMI_CLI=1.
 */
import { strict as assert } from "node:assert";
import * as fs from "node:fs";
import * as os from "node:os";
import * as path from "node:path";

import { startEmulator, type RunningEmulator } from "../../provider/emulator";
import { SECRET_SIGNATURE } from "../../provider/plugin/config";
import { PROFILE_TOKEN } from "../../provider/plugin/schema";
import { CliWorkspace, findPulumi, type CliResult } from "../../tools/cli";
import { requireCli } from "../helpers/cli-stack";
import { assertOk, assertSecretNowhere, assertSeeded, edit, requireLanguage, SALES, SEED_BODIES, SUPPORT } from "../helpers/plugin-examples";
import { installFromTarball } from "../helpers/tarball";

const ROOT = path.resolve(__dirname, "..", "..");
const KEY = "Aplugin0cli0SECRET0key0000c0ffee77";
const MOVED = "+919876543222";


/** How each example is written, so the test can edit it the way a user would. */
const LANGUAGES = [
    {
        name: "yaml",
        program: "Pulumi.yaml",
        about: ["about: Order help, returns and refunds", "about: Order help and refunds"],
        removeEmail: ["      contactEmail: care@shop.example.com\n", ""],
        salesNumber: [`waNumber: "${SALES}"`, `waNumber: "${MOVED}"`],
        badWebsite: ["website: https://shop.example.com", "website: not-a-url"],
    },
] as const;

type Language = (typeof LANGUAGES)[number];

describe("the kaleyra plugin from YAML and Go under the real Pulumi CLI", function () {
    this.timeout(600_000);
    let emulator: RunningEmulator;
    let tmp: string;
    /** Each example's first-up request bodies, as sent, for the dynamic-resource comparison. */
    const firstUp = new Map<string, string[]>();

    before(async function () {
        requireCli(this.currentTest?.ctx ?? this);
        emulator = await startEmulator({ apiKey: KEY, numbers: [SUPPORT, SALES, MOVED], quiet: true });
    });
    after(async () => emulator?.close());
    beforeEach(async () => {
        await emulator.reset();
        tmp = fs.mkdtempSync(path.join(os.tmpdir(), "plugin-cli-"));
    });
    afterEach(() => fs.rmSync(tmp, { recursive: true, force: true }));

    /** The copy of examples/<name>, pointed at this repository's plugin and SDK by absolute paths. */
    async function example(language: Language, plainKey: boolean): Promise<CliWorkspace> {
        const cli = findPulumi();
        assert.ok(cli.available);
        const ws = CliWorkspace.create({ pulumi: cli.path, dir: tmp, layout: { kind: "copy", source: path.join(ROOT, "examples", language.name) }, passphrase: "plugin-tests-only" });
        const project = ws.projectDir;
        const runtime = `runtime: ${language.name}\n`;
        edit(path.join(project, "Pulumi.yaml"), [runtime, `${runtime}plugins:\n  providers:\n    - name: kaleyra\n      path: ${path.join(ROOT, "plugin")}\n`]);
        await ws.selectStack("dev");
        const settings = { "kaleyra:endpoint": emulator.url, "kaleyra:sid": emulator.sid, "kaleyra:maxRetries": "0" };
        // A user who forgets --secret: the plugin's CheckConfig still keeps the key out of the state in plain text.
        if (plainKey) await ws.setConfig("dev", { ...settings, "kaleyra:apiKey": KEY });
        else await ws.setConfig("dev", settings, { "kaleyra:apiKey": KEY });
        return ws;
    }

    const puts = () => emulator.kaleyraRequests().map((r) => r.body as Record<string, string>);
    const profileSteps = (r: CliResult) => r.events.steps.filter((s) => s.type === PROFILE_TOKEN && s.status !== "failed");

    for (const language of LANGUAGES) {
        it(`examples/${language.name}: preview, up, no-op, edit, removal, new number, bad value, destroy — with the PUTs each should make`, async function () {
            requireLanguage(this, language.name);
            const ws = await example(language, false);
            const program = path.join(ws.projectDir, language.program);

            const planned = await ws.preview("dev");
            assertOk(planned);
            assert.deepEqual(profileSteps(planned).map((s) => `${s.op} ${s.name}`).sort(), ["create sales", "create support"]);
            assert.equal(puts().length, 0, "preview made a request");

            assertOk(await ws.up("dev"));
            const sent = emulator.kaleyraRequests().map((r) => JSON.stringify(r.body));
            firstUp.set(language.name, sent);
            await assertSeeded(ws, puts());

            assertOk(await ws.up("dev", { expectNoChanges: true }));
            assert.equal(puts().length, 2, "a no-op up made a request");

            edit(program, language.about);
            const editPreview = await ws.preview("dev", { diff: true });
            assertOk(editPreview);
            assert.match(editPreview.stdout, /~ about\s*: "Order help, returns and refunds" => "Order help and refunds"/);
            assertOk(await ws.up("dev"));
            assert.deepEqual(puts().slice(2), [{ wa_number: SUPPORT, about: "Order help and refunds" }]);

            edit(program, language.removeEmail);
            const removal = await ws.preview("dev", { diff: true });
            assertOk(removal);
            assert.match(removal.stdout, /- contactEmail\s*: "care@shop.example.com"/, "the removed field is shown as a removal");
            assertOk(await ws.up("dev"));
            assert.equal(puts().length, 3, "a removed field makes no PUT (Kaleyra keeps the value)");
            assert.equal(emulator.profile(SUPPORT)?.contact_email, "care@shop.example.com");

            edit(program, language.salesNumber);
            const moved = await ws.up("dev", { withPreview: true });
            assertOk(moved);
            assert.ok(moved.events.steps.some((s) => s.name === "sales" && (s.op === "replace" || s.op === "create-replacement")), JSON.stringify(moved.events.steps));
            assert.deepEqual(puts().slice(3), [{ ...SEED_BODIES[SALES], wa_number: MOVED }]);

            edit(program, language.badWebsite);
            const bad = await ws.preview("dev", { allowFailure: true });
            assert.notEqual(bad.code, 0);
            assert.match(`${bad.stdout}${bad.stderr}`, /property website value .*not-a-url.* has a problem/);
            assert.equal(puts().length, 4, "a failed preview made a request");

            assertOk(await ws.destroy("dev"));
            assert.equal(puts().length, 4, "destroy made a request");
            assert.equal(emulator.profile(MOVED)?.about, SEED_BODIES[SALES]!.about, "destroy leaves the profile as it is");

            // The key is in no byte of the state, the output, or the logs under PULUMI_HOME (the plugin's included).
            assertSecretNowhere(ws, tmp, KEY);
        });
    }

    // The engine still writes plain-text stack config into the backend's update history, which no
    // provider can prevent: the README says to set the key with --secret. The state itself is safe.
    it("records the provider's apiKey as a secret in the state even when the stack config has it in plain text", async function () {
        requireLanguage(this, "yaml");
        const ws = await example(LANGUAGES[0], true);
        assertOk(await ws.up("dev"));
        const exported = JSON.parse(await ws.exportStack("dev")) as { deployment: { resources: { type: string; inputs?: Record<string, unknown> }[] } };
        const provider = exported.deployment.resources.find((r) => r.type === "pulumi:providers:kaleyra");
        assert.ok(provider, "no kaleyra provider in the state");
        const apiKey = provider.inputs?.apiKey as Record<string, unknown>;
        assert.equal(apiKey[SECRET_SIGNATURE.key], SECRET_SIGNATURE.value);
        assert.equal(typeof apiKey.ciphertext, "string");
        assert.ok(!JSON.stringify(exported).includes(KEY));
    });

    it("a retried request is reported under its own resource, with Kaleyra's reason", async function () {
        requireLanguage(this, "yaml");
        const ws = await example(LANGUAGES[0], false);
        await ws.setConfig("dev", { "kaleyra:maxRetries": "2" });
        emulator.failNext(1, { status: 503 });
        const applied = await ws.up("dev");
        assertOk(applied);
        const retries = applied.events.diagnostics.filter((d) => /attempt 1 failed/.test(d.message));
        assert.equal(retries.length, 1, JSON.stringify(applied.events.diagnostics));
        assert.match(retries[0]!.message, /HTTP 503.*retrying in/);
        const urn = retries[0]!.urn ?? "";
        assert.ok([`::${PROFILE_TOKEN}::sales`, `::${PROFILE_TOKEN}::support`].some((tail) => urn.endsWith(tail)), `reported under ${JSON.stringify(urn)}`);
        assert.equal(puts().length, 3, "two profiles, one of them retried once");
    });

    it("the plugin installed from the npm pack tarball, the way the README says, serves a YAML program", async function () {
        requireLanguage(this, "yaml");
        const installed = path.join(installFromTarball(path.join(tmp, "tools", "kaleyra"), "kaleyra-plugin"), "plugin");
        assert.ok(fs.statSync(path.join(installed, "pulumi-resource-kaleyra")).mode & 0o111, "the plugin lost its executable bit in the tarball");

        const cli = findPulumi();
        assert.ok(cli.available);
        const project = path.join(tmp, "consumer");
        fs.mkdirSync(project);
        fs.writeFileSync(
            path.join(project, "Pulumi.yaml"),
            [
                "name: consumer",
                "runtime: yaml",
                "plugins:",
                "  providers:",
                "    - name: kaleyra",
                `      path: ${installed}`,
                "resources:",
                "  support:",
                "    type: kaleyra:WhatsAppNumberProfile",
                "    properties:",
                `      waNumber: "${SUPPORT}"`,
                "      about: Installed from the tarball",
                "outputs:",
                "  support: ${support.id}",
                "",
            ].join("\n"),
        );
        const ws = CliWorkspace.create({ pulumi: cli.path, dir: tmp, layout: { kind: "copy", source: project }, passphrase: "plugin-tests-only" });
        await ws.selectStack("dev");
        await ws.setConfig("dev", { "kaleyra:endpoint": emulator.url, "kaleyra:sid": emulator.sid }, { "kaleyra:apiKey": KEY });
        assertOk(await ws.up("dev"));
        assert.deepEqual(puts(), [{ wa_number: SUPPORT, about: "Installed from the tarball" }]);
        assert.deepEqual(await ws.outputs("dev"), { support: SUPPORT });
    });

    it("the same profiles through the dynamic resource make byte-identical requests to the plugin's", async function () {
        const yaml = firstUp.get("yaml");
        if (!yaml) this.skip();
        const cli = findPulumi();
        assert.ok(cli.available);
        const ws = CliWorkspace.create({
            pulumi: cli.path,
            dir: tmp,
            layout: { kind: "program", program: path.join(__dirname, "..", "fixtures", "lifecycle", "index.ts"), projectName: "lifecycle", nodeModules: path.join(ROOT, "node_modules") },
            passphrase: "plugin-tests-only",
            transpileOnly: true,
        });
        await ws.selectStack("dev");
        const camel = (body: Record<string, string>) => ({
            waNumber: body.wa_number!,
            incomingUrl: body.incoming_url!,
            businessCategory: body.business_category!,
            ...(body.website ? { website: body.website } : {}),
            ...(body.contact_email ? { contactEmail: body.contact_email } : {}),
            about: body.about!,
        });
        await ws.setConfig(
            "dev",
            {
                "kaleyra:endpoint": emulator.url,
                "kaleyra:sid": emulator.sid,
                "lifecycle:profiles": JSON.stringify({ sales: camel(SEED_BODIES[SALES]!), support: camel(SEED_BODIES[SUPPORT]!) }),
            },
            { "kaleyra:apiKey": KEY },
        );
        assertOk(await ws.up("dev"));
        const dynamic = emulator.kaleyraRequests().map((r) => JSON.stringify(r.body));
        assert.equal(dynamic.length, 2);
        // The emulator logs each body as parsed from the wire; JSON keeps the key order, so equal
        // serializations are equal bytes (both clients send compact JSON).
        assert.deepEqual([...dynamic].sort(), [...yaml!].sort());
    });
});
