/**
 * The `kaleyra` plugin from Go under the real Pulumi CLI, against the emulator, in the development
 * loop (the project's `plugins.providers` points at this repository's `plugin/` folder): examples/go
 * through its Go SDK — preview, up, a no-op up, an edit shown by `preview --diff` and applied with one
 * PUT, and destroy. The program is built once per version (`runtime.options.binary`) instead of on
 * every command. What the plugin does with a removed field, a new number or a bad value does not
 * depend on the program's language: tests/e2e/plugin-cli.test.ts shows it from YAML.
 */
import { strict as assert } from "node:assert";
import * as fs from "node:fs";
import * as os from "node:os";
import * as path from "node:path";

import { startEmulator, type RunningEmulator } from "../../provider/emulator";
import { PROFILE_TOKEN } from "../../provider/plugin/schema";
import { CliWorkspace, findPulumi, type CliResult } from "../../tools/cli";
import { ROOT } from "../helpers/cli-stack";
import { assertOk, assertSecretNowhere, assertSeeded, edit, requireLanguage, SALES, SUPPORT, useGoBinary, useGoSdk } from "../helpers/plugin-examples";

const KEY = "Aplugin0go0SECRET0key00000c0ffee78";

describe("the kaleyra plugin from Go (examples/go and its Go SDK) under the real Pulumi CLI", function () {
    this.timeout(600_000);
    let emulator: RunningEmulator;
    let tmp: string;

    before(async function () {
        requireLanguage(this.currentTest?.ctx ?? this, "go");
        emulator = await startEmulator({ apiKey: KEY, numbers: [SUPPORT, SALES], quiet: true });
        tmp = fs.mkdtempSync(path.join(os.tmpdir(), "plugin-go-"));
    });
    after(async () => {
        await emulator?.close();
        if (tmp) fs.rmSync(tmp, { recursive: true, force: true });
    });

    const puts = () => emulator.kaleyraRequests().map((r) => r.body as Record<string, string>);
    const profileSteps = (r: CliResult) => r.events.steps.filter((s) => s.type === PROFILE_TOKEN).map((s) => `${s.op} ${s.name}`).sort();

    it("examples/go: preview, up, no-op, an edit, destroy — with the PUTs each should make, and the key nowhere", async () => {
        const cli = findPulumi();
        assert.ok(cli.available);
        const ws = CliWorkspace.create({ pulumi: cli.path, dir: tmp, layout: { kind: "copy", source: path.join(ROOT, "examples", "go") }, passphrase: "plugin-tests-only" });
        const project = ws.projectDir;
        edit(path.join(project, "Pulumi.yaml"), ["runtime: go\n", `runtime: go\nplugins:\n  providers:\n    - name: kaleyra\n      path: ${path.join(ROOT, "plugin")}\n`]);
        useGoSdk(project, path.join(ROOT, "sdk"));
        useGoBinary(project);
        await ws.selectStack("dev");
        await ws.setConfig("dev", { "kaleyra:endpoint": emulator.url, "kaleyra:sid": emulator.sid, "kaleyra:maxRetries": "0" }, { "kaleyra:apiKey": KEY });

        const planned = await ws.preview("dev");
        assertOk(planned);
        assert.deepEqual(profileSteps(planned), ["create sales", "create support"]);
        assert.equal(puts().length, 0, "preview made a request");

        assertOk(await ws.up("dev"));
        await assertSeeded(ws, puts());

        assertOk(await ws.up("dev", { expectNoChanges: true }));
        assert.equal(puts().length, 2, "a no-op up made a request");

        edit(path.join(project, "main.go"), ['pulumi.String("Order help, returns and refunds")', 'pulumi.String("Order help and refunds")']);
        useGoBinary(project);
        const diff = await ws.preview("dev", { diff: true });
        assertOk(diff);
        assert.match(diff.stdout, /~ about\s*: "Order help, returns and refunds" => "Order help and refunds"/);
        assertOk(await ws.up("dev"));
        assert.deepEqual(puts().slice(2), [{ wa_number: SUPPORT, about: "Order help and refunds" }]);

        assertOk(await ws.destroy("dev"));
        assert.equal(puts().length, 3, "destroy made a request");
        assert.equal(emulator.profile(SUPPORT)?.about, "Order help and refunds", "destroy leaves the profile as it is");
        assertSecretNowhere(ws, tmp, KEY);
    });
});
