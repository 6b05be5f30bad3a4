/**
 * The SDKs under sdk/ are generated from the plugin's schema (`npm run sdk:gen`): this fails when
 * a committed file differs from what the schema generates now (the field table or schema.ts
 * changed without regenerating, or someone edited a generated file); the Python SDK parses; the
 * Node.js SDK packs (`npm run sdk:pack`) into a package with a real version that declares the
 * plugin, while no package.json in the repository declares it. The Go SDK is compiled and run by
 * tests/e2e/plugin-cli.test.ts and plugin-install.test.ts, the Node.js SDK by two-accounts.test.ts.
 */
import { strict as assert } from "node:assert";
import { spawnSync } from "node:child_process";
import * as fs from "node:fs";
import * as os from "node:os";
import * as path from "node:path";

import { execFileSync } from "node:child_process";

import { generateSdks, SDK_DIRS, SDKGEN, YAML_EXAMPLE, yamlPackageDeclaration } from "../../scripts/gen-sdk";
import { packNodejsSdk } from "../../scripts/pack-nodejs-sdk";
import { NODEJS_PACKAGE_NAME, packageSchema, PLUGIN_DOWNLOAD_URL } from "../../provider/plugin/schema";
import { cliRequired } from "../../tools/cli";
import { filesUnder } from "../helpers/cli-stack";

const ROOT = path.resolve(__dirname, "..", "..");
const SDK = path.join(ROOT, "sdk");
const VERSION = (JSON.parse(fs.readFileSync(path.join(ROOT, "package.json"), "utf8")) as { version: string }).version;

/** Every file of a generated tree, relative to `root`, with its text. */
function tree(root: string): Map<string, string> {
    const files = [path.join(root, "schema.json"), ...SDK_DIRS.flatMap((l) => filesUnder(path.join(root, l)))];
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

    it("examples/yaml carries the current package declaration, and no other", function () {
        const declaration = yamlPackageDeclaration(packageSchema(VERSION));
        assert.deepEqual(
            fs.readdirSync(YAML_EXAMPLE).filter((f) => f.startsWith("kaleyra-")),
            [declaration.file],
        );
        assert.equal(fs.readFileSync(path.join(YAML_EXAMPLE, declaration.file), "utf8"), declaration.text, "run `npm run sdk:gen`");
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

    it("the Node.js SDK packs as its own package with the plugin's version and download URL", function () {
        const tgz = packNodejsSdk();
        const manifest = JSON.parse(execFileSync("tar", ["-xzOf", tgz, "package/package.json"], { encoding: "utf8" })) as Record<string, unknown>;
        assert.equal(manifest.name, NODEJS_PACKAGE_NAME);
        assert.equal(manifest.version, VERSION);
        assert.deepEqual(manifest.pulumi, { resource: true, name: "kaleyra", version: VERSION, server: PLUGIN_DOWNLOAD_URL });
        const files = execFileSync("tar", ["-tzf", tgz], { encoding: "utf8" }).split("\n");
        for (const f of ["package/index.js", "package/index.d.ts", "package/whatsAppNumberProfile.js", "package/provider.d.ts"]) assert.ok(files.includes(f), `${f} is not in the SDK`);
    });

    // The Node.js language host reads every package.json under a program's node_modules, which holds
    // this repository itself (self-linked for the examples): one marked package.json here would make
    // every dynamic-resource program of this repository require the kaleyra plugin.
    it("no package.json in the repository declares a resource plugin", function () {
        const manifests = execFileSync("git", ["ls-files", "--cached", "--others", "--exclude-standard", "*package.json"], { cwd: ROOT, encoding: "utf8" }).split("\n").filter(Boolean);
        assert.ok(manifests.includes("sdk/nodejs/package.json"), manifests.join(", "));
        for (const m of manifests) {
            const pulumi = (JSON.parse(fs.readFileSync(path.join(ROOT, m), "utf8")) as { pulumi?: { resource?: boolean } }).pulumi;
            assert.ok(!pulumi?.resource, `${m} declares a resource plugin`);
        }
    });
});
