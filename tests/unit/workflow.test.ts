/**
 * Examples that cannot rot: the GitHub Actions workflow under examples/github-actions/ is checked
 * by actionlint (built from tools/actionlint's pins by scripts/install-actionlint.sh, which
 * `npm run pulumi:install` runs), and its Node.js version must satisfy the package's "engines".
 *
 * Without the binary the actionlint test is skipped, saying why; KALEYRA_REQUIRE_PULUMI_CLI=1
 * (what CI sets) makes that a failure.
 */

import { strict as assert } from "node:assert";
import { spawnSync } from "node:child_process";
import * as fs from "node:fs";
import * as path from "node:path";

import * as yaml from "js-yaml";

import { cliRequired } from "../../tools/cli/find";

const ROOT = path.resolve(__dirname, "..", "..");
const WORKFLOWS = path.join(ROOT, "examples", "github-actions", "workflows");
const ACTIONLINT = path.join(ROOT, ".tools", "actionlint", "bin", "actionlint");
const INSTALL = path.join(ROOT, "scripts", "install-actionlint.sh");

/** The workflow files. */
function workflows(): string[] {
    return fs
        .readdirSync(WORKFLOWS)
        .filter((f) => /\.ya?ml$/.test(f))
        .map((f) => path.join(WORKFLOWS, f));
}

/** Whether `go` runs here. */
function haveGo(): boolean {
    return spawnSync("go", ["version"], { encoding: "utf8" }).status === 0;
}

/** A `major.minor.patch` as numbers (missing parts `undefined`). */
function parts(version: string): [number, number | undefined, number | undefined] {
    const m = /^v?(\d+)(?:\.(\d+))?(?:\.(\d+))?$/.exec(version.trim());
    if (!m) throw new Error(`not a Node.js version: ${JSON.stringify(version)}`);
    return [Number(m[1]), m[2] === undefined ? undefined : Number(m[2]), m[3] === undefined ? undefined : Number(m[3])];
}

/**
 * Whether actions/setup-node, given `spec` ("22", "22.9", "22.9.0"), installs a Node.js that
 * satisfies `engines` (">=22.9.0", the only form this package uses). setup-node takes the newest
 * release of a partial version, so "22" satisfies ">=22.9.0" and "20" does not.
 */
export function satisfiesEngines(spec: string, engines: string): boolean {
    const range = /^>=\s*(\S+)$/.exec(engines.trim());
    if (!range) throw new Error(`unsupported engines range ${JSON.stringify(engines)}: teach this test its form`);
    const [minMajor, minMinor = 0, minPatch = 0] = parts(range[1]);
    const [major, minor, patch] = parts(spec);
    if (major !== minMajor) return major > minMajor;
    if (minor === undefined) return true; // the newest release of this major line
    if (minor !== minMinor) return minor > minMinor;
    return patch === undefined || patch >= minPatch;
}

describe("examples/github-actions: the workflow", function () {
    this.timeout(60_000);

    it("sets up a Node.js that satisfies the package's engines (and the check can fail)", () => {
        const engines = (JSON.parse(fs.readFileSync(path.join(ROOT, "package.json"), "utf8")) as { engines: { node: string } }).engines.node;
        for (const file of workflows()) {
            const workflow = yaml.load(fs.readFileSync(file, "utf8")) as { env?: Record<string, unknown>; jobs: Record<string, { steps?: { uses?: string; with?: Record<string, unknown> }[] }> };
            const setups = Object.values(workflow.jobs).flatMap((job) => (job.steps ?? []).filter((step) => step.uses?.startsWith("actions/setup-node@")));
            assert.ok(setups.length > 0, `${path.basename(file)} sets up no Node.js`);
            for (const step of setups) {
                const raw = String(step.with?.["node-version"] ?? "");
                // `${{ env.NODE_VERSION }}`: the workflow's env; anything else as written.
                const ref = /^\$\{\{\s*env\.(\w+)\s*\}\}$/.exec(raw);
                const spec = ref ? String(workflow.env?.[ref[1]] ?? "") : raw;
                assert.ok(satisfiesEngines(spec, engines), `${path.basename(file)} sets up Node.js ${spec}, but package.json's engines says ${engines}`);
            }
        }
        // The control: a workflow on Node 20, as this one was, fails the check.
        assert.equal(satisfiesEngines("20", ">=22.9.0"), false);
        assert.equal(satisfiesEngines("22.8", ">=22.9.0"), false);
        assert.equal(satisfiesEngines("22.9.0", ">=22.9.0"), true);
        assert.equal(satisfiesEngines("24", ">=22.9.0"), true);
    });

    it("passes actionlint", function () {
        if (!fs.existsSync(ACTIONLINT)) {
            // The unit tier builds nothing: `npm run pulumi:install` builds actionlint with the CLI.
            const reason = `actionlint is not built (.tools/actionlint/bin): ${haveGo() ? "run npm run pulumi:install" : "install Go and run npm run pulumi:install"} (it runs ${path.relative(ROOT, INSTALL)})`;
            if (cliRequired()) assert.fail(`actionlint is required (KALEYRA_REQUIRE_PULUMI_CLI=1) but ${reason}`);
            console.log(`      skipped: ${reason}`);
            this.skip();
        }
        const files = workflows();
        const run = spawnSync(ACTIONLINT, ["-no-color", ...files], { encoding: "utf8", cwd: ROOT });
        assert.equal(run.status, 0, `actionlint found problems:\n${run.stdout}${run.stderr}`);
        // The control: actionlint does read and judge a workflow (a job without runs-on is an error).
        const broken = path.join(fs.mkdtempSync(path.join(ROOT, "node_modules", ".actionlint-")), "broken.yml");
        try {
            fs.writeFileSync(broken, "on: push\njobs:\n  a:\n    steps:\n      - run: echo hi\n");
            assert.notEqual(spawnSync(ACTIONLINT, ["-no-color", broken], { encoding: "utf8" }).status, 0, "actionlint accepted a job without runs-on");
        } finally {
            fs.rmSync(path.dirname(broken), { recursive: true, force: true });
        }
    });
});
