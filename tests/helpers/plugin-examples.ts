/**
 * What the real-CLI tests of the `kaleyra` plugin share: skipping (or failing, in CI) when the CLI
 * cannot run a YAML or Go program, editing a copied example the way a user would, and searching
 * everything a workspace wrote for a secret.
 */
import { strict as assert } from "node:assert";
import { spawnSync } from "node:child_process";
import * as fs from "node:fs";
import * as path from "node:path";

import { PROFILE_TOKEN } from "../../provider/plugin/schema";
import { cliRequired, findPulumi, urnName, type CliResult, type CliWorkspace } from "../../tools/cli";
import { languageHostAvailable, type ExtraLanguage } from "../../tools/cli/find";
import { filesUnder } from "./cli-stack";

/** examples/yaml's and examples/go's numbers. */
export const SUPPORT = "+919876543221";
export const SALES = "+919876543220";

/** The requests examples/yaml and examples/go make on their first `up`, in Kaleyra's JSON. */
export const SEED_BODIES: Record<string, Record<string, string>> = {
    [SALES]: {
        wa_number: SALES,
        incoming_url: "https://hooks.example.com/whatsapp/sales",
        business_category: "Shopping and Retail",
        about: "New orders and offers, 9am-9pm",
    },
    [SUPPORT]: {
        wa_number: SUPPORT,
        incoming_url: "https://hooks.example.com/whatsapp/support",
        business_category: "Shopping and Retail",
        website: "https://shop.example.com",
        contact_email: "care@shop.example.com",
        about: "Order help, returns and refunds",
    },
};

/**
 * Skip the test, saying why, when the CLI cannot run `language` programs here (no CLI, no host
 * beside it, or for Go no toolchain on PATH); fail instead when the CLI is required (CI).
 */
export function requireLanguage(ctx: Mocha.Context, language: ExtraLanguage, what = `examples/${language}`): void {
    const cli = findPulumi();
    if (cli.available && languageHostAvailable(language, cli)) return;
    const why = !cli.available
        ? cli.reason
        : `pulumi-language-${language} beside ${cli.path}${language === "go" ? " and Go on PATH" : ""} (npm run pulumi:install builds the host)`;
    if (cliRequired()) assert.fail(`${what} needs ${why}`);
    console.log(`      skipped: ${what} needs ${why}`);
    ctx.skip();
}

/** Fail with the command's output when it exited non-zero. */
export function assertOk(r: CliResult): void {
    assert.equal(r.code, 0, `pulumi ${r.args.join(" ")} failed:\n${r.stdout}\n${r.stderr}`);
}

/** Replace a symlink the copy layout made with a real copy of its target, so the test can edit it. */
export function materialize(file: string): void {
    const text = fs.readFileSync(file, "utf8");
    fs.unlinkSync(file);
    fs.writeFileSync(file, text);
}

/** Replace `from` (which must be there) by `to` in a project file. */
export function edit(file: string, [from, to]: readonly [string, string]): void {
    const text = fs.readFileSync(file, "utf8");
    assert.ok(text.includes(from), `${path.basename(file)} no longer contains ${JSON.stringify(from)}; update the test with the example`);
    fs.writeFileSync(file, text.replace(from, to));
}

/**
 * Point a copied examples/go at this repository's Go SDK (its go.mod has `replace … => ../../sdk`).
 * @param project the copy's project directory.
 * @param sdk the SDK module to use (default: the repository's `sdk/`).
 */
export function useGoSdk(project: string, sdk: string): void {
    for (const f of ["go.mod", "go.sum", "main.go"]) materialize(path.join(project, f));
    edit(path.join(project, "go.mod"), ["=> ../../sdk", `=> ${sdk}`]);
}

/**
 * Build the Go program of a copied examples/go into `<project>/.bin/program` and make its
 * Pulumi.yaml run that (`runtime.options.binary`), so that the Go language host runs the binary
 * instead of compiling the program on every command. Call it again after editing the program.
 */
export function useGoBinary(project: string): void {
    const binary = path.join(project, ".bin", "program");
    const built = spawnSync("go", ["build", "-o", binary, "."], { cwd: project, encoding: "utf8" });
    assert.equal(built.status, 0, `go build failed:\n${built.stdout}${built.stderr}`);
    const file = path.join(project, "Pulumi.yaml");
    const text = fs.readFileSync(file, "utf8");
    if (!text.includes(`binary: ${binary}`)) edit(file, ["runtime: go\n", `runtime:\n  name: go\n  options:\n    binary: ${binary}\n`]);
}

/**
 * After the first `up` of examples/yaml or examples/go: the emulator got exactly the seed bodies,
 * and the state holds `sales` and `support` with their numbers as ids.
 */
export async function assertSeeded(ws: CliWorkspace, bodies: readonly Record<string, string>[]): Promise<void> {
    assert.deepEqual(
        [...bodies].sort((a, b) => a.wa_number!.localeCompare(b.wa_number!)),
        [SEED_BODIES[SALES], SEED_BODIES[SUPPORT]],
    );
    const resources = (await ws.resources("dev")).filter((r) => r.type === PROFILE_TOKEN);
    assert.deepEqual(resources.map((r) => `${urnName(r.urn)}=${r.id}`).sort(), [`sales=${SALES}`, `support=${SUPPORT}`]);
}

/**
 * Assert that `secret` is in no byte of what the workspace's commands printed and of the files
 * under its backend and `PULUMI_HOME` (state, history, logs, the plugin's included).
 */
export function assertSecretNowhere(ws: CliWorkspace, dir: string, secret: string): void {
    for (const r of ws.history) assert.ok(!`${r.stdout}${r.stderr}`.includes(secret), `the secret is in the output of pulumi ${r.args.join(" ")}`);
    for (const sub of ["backend", "home"]) {
        for (const f of filesUnder(path.join(dir, sub))) assert.ok(!fs.readFileSync(f, "latin1").includes(secret), `the secret is in ${f}`);
    }
}
