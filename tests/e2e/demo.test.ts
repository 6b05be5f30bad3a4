/**
 * `npm run demo` (scripts/demo.ts), run twice in a fresh temporary directory: the first run
 * creates the three stacks' profiles with one PUT each, the second finds nothing to do and
 * makes no PUT. Uses whichever engine the demo picks (the pulumi CLI when it finds one); where
 * the CLI is required (`KALEYRA_REQUIRE_PULUMI_CLI=1`, CI), it must have picked the CLI.
 */
import { strict as assert } from "node:assert";
import * as fs from "node:fs";
import * as os from "node:os";
import * as path from "node:path";

import { runDemo } from "../../scripts/demo";
import { cliRequired } from "../../tools/cli";

describe("npm run demo (runDemo)", function () {
    this.timeout(600_000);
    let workDir = "";
    before(() => {
        workDir = fs.mkdtempSync(path.join(os.tmpdir(), "demo-"));
    });
    after(() => fs.rmSync(workDir, { recursive: true, force: true }));

    it("first run creates the 3 profiles with 3 PUTs; a second run makes 0 PUTs; state and emulator data persist", async () => {
        const first: string[] = [];
        const r1 = await runDemo({ workDir, port: 0, log: (l) => first.push(l) });
        assert.equal(r1.puts, 3, first.join("\n"));
        assert.deepEqual(r1.stacks.map((s) => [s.stack, s.ops, s.puts]), [
            ["dev", ["create"], 1],
            ["staging", ["create"], 1],
            ["prod", ["create"], 1],
        ]);
        assert.deepEqual(r1.drift, []);
        assert.equal(Object.values(r1.profiles).filter((p) => p.about !== undefined).length, 3);
        const text1 = first.join("\n");
        if (cliRequired()) assert.equal(r1.engine, "pulumi", first.join("\n"));
        assert.match(text1, r1.engine === "harness" ? /engine-side harness/ : /pulumi CLI/);
        assert.match(text1, /3 PUTs: 3 created, 0 updated, 0 unchanged/);
        assert.ok(fs.existsSync(path.join(workDir, ".demo", "emulator.json")));

        const second: string[] = [];
        const r2 = await runDemo({ workDir, port: 0, log: (l) => second.push(l) });
        assert.equal(r2.puts, 0, second.join("\n"));
        assert.deepEqual(r2.stacks.map((s) => s.puts), [0, 0, 0]);
        assert.ok(r2.stacks.every((s) => s.ops.every((op) => op === "same")), JSON.stringify(r2.stacks));
        assert.deepEqual(r2.profiles, r1.profiles, "the emulator's data file persisted");
        assert.deepEqual(r2.drift, []);
        assert.match(second.join("\n"), /0 PUTs were made/);
    });
});
