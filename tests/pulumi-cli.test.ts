/**
 * The lifecycle of tests/lifecycle.test.ts through the real `pulumi` CLI — preview, up, a no-op
 * up, an edit, refresh, a replacement, destroy — with a local file backend against the emulator,
 * and a search of everything the CLI wrote for the API key.
 *
 * Runs only where `pulumi` is on PATH. Elsewhere the test prints that it is skipped and why, and
 * mocha reports it as pending: the engine-side harness (tests/harness) covers the same lifecycle.
 */
import { strict as assert } from "assert";
import * as fs from "fs";
import * as os from "os";
import * as path from "path";

import { startEmulator, type RunningEmulator } from "../provider/emulator";
import { detectPulumi, PulumiWorkspace, urnName, urnType, type CliResult } from "./helpers/pulumi-cli";
import { fullProfile } from "./helpers/profiles";

const ROOT = path.resolve(__dirname, "..");
const PROGRAM = path.join(__dirname, "fixtures", "lifecycle", "index.ts");
const TYPE = "pulumi-nodejs:dynamic/kaleyra:WhatsAppNumberProfile";
const KEY = "Acli0lifecycle0SECRET0key0fa11back";
const A = "+919876543210";
const C = "+919876543212";
const FULL_A: Record<string, string> = { ...fullProfile({ waNumber: A, incomingUrl: "https://hooks.example.com/wa/a" }) };
const FULL_BODY_A = {
    wa_number: A,
    about: FULL_A.about,
    address: FULL_A.address,
    business_description: FULL_A.businessDescription,
    business_category: FULL_A.businessCategory,
    contact_email: FULL_A.contactEmail,
    website: FULL_A.website,
    display_image: FULL_A.displayImage,
    incoming_url: FULL_A.incomingUrl,
};

describe("the lifecycle through the real pulumi CLI (local file backend, emulator)", function () {
    this.timeout(600_000);
    const cli = detectPulumi();
    let tmp = "";
    let emulator: RunningEmulator | undefined;

    after(async () => {
        await emulator?.close();
        if (tmp) fs.rmSync(tmp, { recursive: true, force: true });
    });

    it("preview, up, a no-op up, an edit, refresh, a replacement and destroy make the expected PUTs; the key is nowhere", async function () {
        if (!cli.available) {
            console.log(
                `      skipped: ${cli.reason} (install it from https://www.pulumi.com/docs/install/ to run this test;` +
                    " tests/lifecycle.test.ts runs the same lifecycle through the engine-side harness)",
            );
            this.skip();
        }
        console.log(`      using ${cli.version}`);
        tmp = fs.mkdtempSync(path.join(os.tmpdir(), "pulumi-cli-"));
        const em = await startEmulator({ apiKey: KEY, numbers: [A, C], quiet: true });
        emulator = em;
        const ws = PulumiWorkspace.create({
            projectDir: path.join(tmp, "project"),
            backendDir: path.join(tmp, "backend"),
            projectName: "kaleyra-lifecycle-cli",
            program: PROGRAM,
            nodeModules: path.join(ROOT, "node_modules"),
            passphrase: "test",
        });
        const outputs: CliResult[] = [];
        const track = async (p: Promise<CliResult>): Promise<CliResult> => {
            const r = await p;
            outputs.push(r);
            return r;
        };
        const profiles = (a: Record<string, string>): Record<string, string> => ({ "lifecycle:profiles": JSON.stringify({ a }) });
        const bodies = (): unknown[] => em.kaleyraRequests().map((r) => r.body);

        await ws.selectStack("dev");
        await ws.setConfig(
            "dev",
            { "kaleyra:endpoint": em.url, "kaleyra:sid": em.sid, "kaleyra:maxRetries": "0", ...profiles(FULL_A) },
            { "kaleyra:apiKey": KEY },
        );

        // preview: a create, no call.
        const planned = (await ws.preview("dev")).filter((s) => urnType(s.urn) === TYPE);
        assert.deepEqual(planned.map((s) => [urnName(s.urn), s.op]), [["a", "create"]]);
        assert.deepEqual(bodies(), []);

        // up: one PUT with every field.
        await track(ws.up("dev"));
        assert.deepEqual(bodies(), [FULL_BODY_A]);
        assert.deepEqual((await ws.outputs("dev")).ids, { a: A });

        // up again: nothing.
        em.clearRequests();
        await track(ws.up("dev"));
        assert.deepEqual(bodies(), []);

        // about edited: one PUT with wa_number and about.
        await ws.setConfig("dev", profiles({ ...FULL_A, about: "Open 24/7" }));
        const edit = (await ws.preview("dev")).filter((s) => urnType(s.urn) === TYPE);
        assert.deepEqual(edit.map((s) => s.op), ["update"]);
        await track(ws.up("dev"));
        assert.deepEqual(bodies(), [{ wa_number: A, about: "Open 24/7" }]);

        // refresh: nothing.
        em.clearRequests();
        await track(ws.refresh("dev"));
        assert.deepEqual(bodies(), []);

        // waNumber changed: replaced; the new number gets everything, the old one is untouched.
        const oldProfile = em.profile(A);
        const moved = { ...FULL_A, about: "Open 24/7", waNumber: C };
        await ws.setConfig("dev", profiles(moved));
        await track(ws.up("dev"));
        assert.deepEqual(bodies(), [{ ...FULL_BODY_A, about: "Open 24/7", wa_number: C }]);
        assert.deepEqual(em.profile(A), oldProfile);
        assert.deepEqual((await ws.outputs("dev")).ids, { a: C });

        // The key: not in the state (even with secrets shown), encrypted in the stack file, not in any output.
        for (const showSecrets of [false, true]) {
            const exported = await ws.exportStack("dev", showSecrets);
            assert.ok(exported.includes(TYPE), "the export holds the resource");
            assert.ok(!exported.includes(KEY), `the API key is in pulumi stack export${showSecrets ? " --show-secrets" : ""}`);
        }
        const stackFile = fs.readFileSync(path.join(ws.projectDir, "Pulumi.dev.yaml"), "utf8");
        assert.ok(!stackFile.includes(KEY), "the API key is in plaintext in Pulumi.dev.yaml");
        assert.match(stackFile, /kaleyra:apiKey:\s*\n\s*secure:/);

        // destroy: no call; nothing of ours left in the state.
        em.clearRequests();
        await track(ws.destroy("dev"));
        assert.deepEqual(bodies(), []);
        assert.ok(!(await ws.exportStack("dev")).includes(TYPE), "the resource left the state");
        assert.deepEqual(em.profile(C), { ...FULL_BODY_A, about: "Open 24/7", wa_number: C }, "the profile stays on Kaleyra");

        for (const r of outputs) {
            assert.ok(!r.stdout.includes(KEY) && !r.stderr.includes(KEY), `the API key is in the output of pulumi ${r.args.join(" ")}`);
        }
        for (const file of walk(path.join(tmp, "backend"))) {
            assert.ok(!fs.readFileSync(file, "utf8").includes(KEY), `the API key is in ${file}`);
        }
    });
});

/** Every file under `dir`. */
function walk(dir: string): string[] {
    if (!fs.existsSync(dir)) return [];
    return fs.readdirSync(dir, { withFileTypes: true }).flatMap((e) => {
        const p = path.join(dir, e.name);
        return e.isDirectory() ? walk(p) : e.isFile() ? [p] : [];
    });
}
