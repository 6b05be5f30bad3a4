/**
 * A lifecycle smoke of the package under one `@pulumi/pulumi` release, under the real CLI: the packed
 * tarball and that release installed from the npm registry into a project of their own, a program
 * declaring one profile, then preview (no PUT), up (one PUT with every field), a no-op up (none), an
 * edit (one PUT of the field), refresh and destroy (none). The program and the dynamic-provider host
 * both load that release (the host is resolved from the project's `node_modules`).
 */
import { strict as assert } from "node:assert";
import * as fs from "node:fs";
import * as os from "node:os";
import * as path from "node:path";

import { startEmulator } from "../../provider/emulator";
import { CliWorkspace } from "../../tools/cli";
import { PROFILE_TYPE, requireCli } from "./cli-stack";
import { installFromTarball } from "./tarball";

const PROGRAM = `"use strict";
const pulumi = require("@pulumi/pulumi");
const { WhatsAppNumberProfile } = require("pulumi-kaleyra-whatsapp");
const config = new pulumi.Config();
const p = new WhatsAppNumberProfile("support", { waNumber: "+919876543210", about: config.require("about"), website: "https://example.com" });
exports.id = p.id;
exports.sdk = require("@pulumi/pulumi/package.json").version;
`;

/** Registers one test: the lifecycle smoke under `version()` (resolved when the test runs). */
export function sdkRangeSmoke(what: string, version: () => string): void {
    it(`${what}: the tarball with @pulumi/pulumi from npm previews, creates, no-ops, updates, refreshes and destroys with exact PUTs`, async function () {
        const cli = requireCli(this);
        const sdk = version();
        const tmp = fs.mkdtempSync(path.join(os.tmpdir(), `kaleyra-sdk-${sdk}-`));
        const emulator = await startEmulator({ numbers: ["+919876543210"], quiet: true });
        try {
            const project = path.join(tmp, "consumer");
            installFromTarball(project, "consumer", sdk);
            fs.writeFileSync(path.join(project, "index.js"), PROGRAM);
            fs.writeFileSync(path.join(project, "Pulumi.yaml"), "name: consumer\nruntime:\n  name: nodejs\n  options:\n    typescript: false\nmain: index.js\n");
            const ws = CliWorkspace.create({ pulumi: cli.path, dir: path.join(tmp, "ws"), layout: { kind: "copy", source: project }, passphrase: "e2e-tests-only" });
            await ws.selectStack("dev");
            await ws.setConfig("dev", { "kaleyra:sid": emulator.sid, "kaleyra:endpoint": emulator.url, "consumer:about": "Open 9-6" }, { "kaleyra:apiKey": emulator.apiKey });
            const ops = (r: { events: { steps: { type: string; op: string }[] } }) => r.events.steps.filter((s) => s.type === PROFILE_TYPE).map((s) => s.op);
            const puts = () => emulator.kaleyraRequests().map((r) => r.body);

            assert.deepEqual(ops(await ws.preview("dev")), ["create"]);
            assert.deepEqual(puts(), []);
            assert.deepEqual(ops(await ws.up("dev")), ["create"]);
            assert.deepEqual(puts(), [{ wa_number: "+919876543210", about: "Open 9-6", website: "https://example.com" }]);
            assert.deepEqual(await ws.outputs("dev"), { id: "+919876543210", sdk });
            emulator.clearRequests();
            assert.deepEqual(ops(await ws.up("dev")), ["same"]);
            await ws.setConfig("dev", { "consumer:about": "Open 24/7" });
            assert.deepEqual(ops(await ws.up("dev")), ["update"]);
            assert.deepEqual(puts(), [{ wa_number: "+919876543210", about: "Open 24/7" }]);
            emulator.clearRequests();
            await ws.refresh("dev", { expectNoChanges: true });
            assert.deepEqual(ops(await ws.destroy("dev")), ["delete"]);
            assert.deepEqual(puts(), []);
            for (const r of ws.history) assert.ok(!`${r.stdout}${r.stderr}`.includes(emulator.apiKey), `the API key is in the output of pulumi ${r.args.join(" ")}`);
        } finally {
            await emulator.close();
            fs.rmSync(tmp, { recursive: true, force: true });
        }
    });
}
