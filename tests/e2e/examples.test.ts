/**
 * Every Node.js program under `examples/` (besides the company program, which
 * tests/e2e/promotion.test.ts runs as the root project) previews and applies under the real CLI
 * against the emulator, with its own Pulumi.yaml and stack files. Compiled to JavaScript first: the
 * repository's type-check covers them.
 */
import { strict as assert } from "node:assert";
import * as fs from "node:fs";
import * as os from "node:os";
import * as path from "node:path";

import { startEmulator, type RunningEmulator } from "../../provider/emulator";
import { readProjectName } from "../../scripts/stack-config";
import { CliWorkspace, urnName } from "../../tools/cli";
import { PROFILE_TYPE, requireCli, ROOT } from "../helpers/cli-stack";

const KEY = "Aexamples0SECRET0key000000c0ffee1";

describe("examples/ under the real CLI, against the emulator", function () {
    this.timeout(180_000);
    let emulator: RunningEmulator;
    let tmp: string;

    before(async function () {
        requireCli(this);
        emulator = await startEmulator({ apiKey: KEY, numbers: ["+919876543210", "+919876543220", "+919876543221", "+919876543222"], quiet: true });
        tmp = fs.mkdtempSync(path.join(os.tmpdir(), "examples-"));
    });
    after(async () => {
        await emulator?.close();
        if (tmp) fs.rmSync(tmp, { recursive: true, force: true });
    });

    for (const example of ["minimal", "multiple-numbers"]) {
        it(`examples/${example} previews and applies against the emulator, each profile with one PUT`, async function () {
            const cli = requireCli(this);
            emulator.clearRequests();
            const dir = path.join(ROOT, "examples", example);
            const project = readProjectName(dir);
            const ws = CliWorkspace.create({
                pulumi: cli.path,
                dir: path.join(tmp, example),
                layout: { kind: "copy", source: dir, nodeModules: path.join(ROOT, "node_modules"), compile: true },
                passphrase: "e2e-tests-only",
            });
            await ws.selectStack("dev");
            await ws.setConfig("dev", { "kaleyra:endpoint": emulator.url, "kaleyra:sid": emulator.sid, "kaleyra:maxRetries": "0" }, { "kaleyra:apiKey": KEY });
            if (example === "minimal") {
                await ws.setConfig("dev", { [`${project}:waNumber`]: "+919876543210", [`${project}:incomingUrl`]: "https://hooks.example.com/wa/minimal" });
            }
            const planned = await ws.preview("dev");
            const creates = planned.events.steps.filter((s) => s.type === PROFILE_TYPE);
            assert.ok(creates.length > 0 && creates.every((s) => s.op === "create"), JSON.stringify(creates));
            assert.equal(emulator.kaleyraRequests().length, 0);
            await ws.up("dev");
            const puts = emulator.kaleyraRequests();
            assert.equal(puts.length, creates.length);
            const resources = (await ws.resources("dev")).filter((r) => r.type === PROFILE_TYPE);
            assert.deepEqual(resources.map((r) => urnName(r.urn)).sort(), creates.map((s) => s.name).sort());
            for (const r of resources) assert.ok(puts.some((p) => (p.body as Record<string, string>).wa_number === r.id));
            for (const r of ws.history) assert.ok(!`${r.stdout}${r.stderr}`.includes(KEY), `the API key is in the output of pulumi ${r.args.join(" ")}`);
        });
    }
});
