/** What `npm run demo` does for a Pulumi CLI (scripts/demo-cli.ts `planCli`): use, build, or stop and say how. */
import { strict as assert } from "node:assert";

import { goMinor, planCli } from "../../scripts/demo-cli";
import type { PulumiCli } from "../../tools/cli";

const FOUND: PulumiCli = { available: true, path: "/usr/local/bin/pulumi", binDir: "/usr/local/bin", version: "v3.274.1", source: "PATH" };
const MISSING: PulumiCli = { available: false, reason: "no pulumi CLI on PATH or in .tools/pulumi/bin" };

describe("npm run demo: which Pulumi CLI (planCli)", () => {
    it("uses the CLI it found, whatever Go there is", () => {
        assert.deepEqual(planCli(FOUND, undefined), { action: "use", cli: FOUND });
        assert.deepEqual(planCli(FOUND, "go version go1.20.1 linux/amd64"), { action: "use", cli: FOUND });
    });

    it("builds one with `npm run pulumi:install` when there is none and Go is 1.24 or newer", () => {
        assert.deepEqual(planCli(MISSING, "go version go1.24.0 linux/amd64"), { action: "build", go: "go1.24" });
        assert.deepEqual(planCli(MISSING, "go version go1.26.8 linux/amd64"), { action: "build", go: "go1.26" });
        assert.deepEqual(planCli(MISSING, "go version go2.0 linux/amd64"), { action: "build", go: "go2.0" });
    });

    it("stops without Go, or with an older Go, naming both ways to get a CLI and why it cannot build one", () => {
        for (const [go, why] of [
            [undefined, /no `go` on PATH/],
            ["go version go1.23.4 linux/amd64", /go version go1\.23\.4 linux\/amd64 is older than the go1\.24/],
        ] as const) {
            const plan = planCli(MISSING, go);
            assert.equal(plan.action, "stop");
            if (plan.action !== "stop") return;
            assert.match(plan.message, why);
            assert.match(plan.message, /no pulumi CLI on PATH or in \.tools\/pulumi\/bin/);
            assert.match(plan.message, /install the Pulumi CLI \(https:\/\/www\.pulumi\.com\/docs\/install\/\)/);
            assert.match(plan.message, /install Go 1\.24 or newer .* `npm run pulumi:install`/);
        }
    });

    it("reads Go's version from `go version`", () => {
        assert.deepEqual(goMinor("go version go1.26.8 linux/amd64"), [1, 26]);
        assert.equal(goMinor("command not found"), undefined);
    });
});
