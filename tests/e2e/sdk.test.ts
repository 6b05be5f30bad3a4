/**
 * The SDKs under sdk/ are generated from the plugin's schema (`npm run sdk:gen`): this fails when
 * a committed file differs from what the schema generates now (the field table or schema.ts
 * changed without regenerating, or someone edited a generated file), and that the Python SDK
 * parses. The Go SDK is compiled and run by tests/plugin-cli.test.ts.
 */
import { strict as assert } from "node:assert";
import { spawnSync } from "node:child_process";
import * as fs from "node:fs";
import * as os from "node:os";
import * as path from "node:path";

import { generateSdks, SDK_LANGUAGES, SDKGEN } from "../../scripts/gen-sdk";
import { cliRequired } from "../../tools/cli";
import { filesUnder } from "../helpers/cli-stack";

const SDK = path.resolve(__dirname, "..", "..", "sdk");

/** Every file of a generated tree, relative to `root`, with its text. */
function tree(root: string): Map<string, string> {
    const files = [path.join(root, "schema.json"), ...SDK_LANGUAGES.flatMap((l) => filesUnder(path.join(root, l)))];
    return new Map(files.filter((f) => !f.includes("__pycache__")).map((f) => [path.relative(root, f), fs.readFileSync(f, "utf8")]));
}

describe("generated SDKs (sdk/)", function () {
    this.timeout(120_000);

    it("are exactly what `npm run sdk:gen` makes from the current schema", function () {
        if (!fs.existsSync(SDKGEN)) {
            const why = `${path.basename(SDKGEN)} is not built (npm run pulumi:install builds it)`;
            if (cliRequired()) assert.fail(why);
            console.log(`      skipped: ${why}`);
            this.skip();
        }
        const fresh = fs.mkdtempSync(path.join(os.tmpdir(), "sdk-gen-"));
        try {
            generateSdks(fresh);
            const want = tree(fresh);
            const have = tree(SDK);
            const stale = [...want].filter(([file, text]) => have.get(file) !== text).map(([file]) => file);
            const extra = [...have.keys()].filter((file) => !want.has(file));
            assert.deepEqual({ stale, extra }, { stale: [], extra: [] }, "sdk/ is out of date with the schema: run `npm run sdk:gen` and commit the result");
        } finally {
            fs.rmSync(fresh, { recursive: true, force: true });
        }
    });

    it("the Python SDK is valid Python", function () {
        const files = filesUnder(path.join(SDK, "python")).filter((f) => f.endsWith(".py"));
        assert.ok(files.length > 0);
        const check = spawnSync("python3", ["-c", "import ast, sys\nfor f in sys.argv[1:]: ast.parse(open(f).read(), f)", ...files], { encoding: "utf8" });
        if (check.error) {
            console.log("      skipped: no python3 on PATH");
            this.skip();
        }
        assert.equal(check.status, 0, check.stderr);
    });
});
