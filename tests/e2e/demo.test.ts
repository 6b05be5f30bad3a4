/**
 * `npm run demo` (scripts/demo.ts), run twice in a fresh temporary directory under the real CLI: the
 * first run creates the three stacks' profiles with one PUT each, the second finds nothing to do and
 * makes no PUT. (The program's type-check through the language host is tests/e2e/promotion.test.ts's
 * subject; here it is skipped. What the demo does without a CLI is tests/unit/demo-cli.test.ts's.)
 */
import { strict as assert } from "node:assert";
import * as fs from "node:fs";
import * as os from "node:os";
import * as path from "node:path";

import { runDemo } from "../../scripts/demo";
import { requireCli } from "../helpers/cli-stack";

describe("npm run demo (runDemo)", function () {
    this.timeout(600_000);
    let workDir = "";
    before(function () {
        requireCli(this);
        workDir = fs.mkdtempSync(path.join(os.tmpdir(), "demo-"));
    });
    after(() => workDir && fs.rmSync(workDir, { recursive: true, force: true }));

    it("first run creates the 3 profiles with 3 PUTs; a second run makes 0 PUTs; state and emulator data persist", async () => {
        const first: string[] = [];
        const r1 = await runDemo({ workDir, port: 0, typeCheck: false, log: (l) => first.push(l) });
        assert.equal(r1.puts, 3, first.join("\n"));
        assert.deepEqual(r1.stacks.map((s) => [s.stack, s.ops, s.puts]), [
            ["dev", ["create"], 1],
            ["staging", ["create"], 1],
            ["prod", ["create"], 1],
        ]);
        assert.deepEqual(r1.drift, []);
        assert.equal(Object.values(r1.profiles).filter((p) => p.about !== undefined).length, 3);
        const text1 = first.join("\n");
        assert.match(text1, new RegExp(`pulumi    ${r1.pulumi.replace(/\./g, "\\.")} \\(`));
        assert.match(text1, /3 PUTs: 3 created, 0 updated, 0 unchanged/);
        assert.ok(fs.existsSync(path.join(workDir, ".demo", "emulator.json")));

        const second: string[] = [];
        const r2 = await runDemo({ workDir, port: 0, typeCheck: false, log: (l) => second.push(l) });
        assert.equal(r2.puts, 0, second.join("\n"));
        assert.deepEqual(r2.stacks.map((s) => s.puts), [0, 0, 0]);
        assert.ok(r2.stacks.every((s) => s.ops.every((op) => op === "same")), JSON.stringify(r2.stacks));
        assert.deepEqual(r2.profiles, r1.profiles, "the emulator's data file persisted");
        assert.deepEqual(r2.drift, []);
        assert.match(second.join("\n"), /0 PUTs were made/);
    });
});
