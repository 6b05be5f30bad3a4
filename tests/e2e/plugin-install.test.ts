/**
 * The `kaleyra` plugin installed the way every Pulumi provider is, under the real CLI, with no
 * `node` on PATH: the single executable from `npm run plugin:package` (built once per run, cached
 * by its inputs) —
 *
 * - answers the engine by itself (amd64 here; arm64 checked by its ELF header and blob, and run
 *   under qemu-user when this machine has it);
 * - `pulumi plugin install resource kaleyra <version> --file <tarball>`, then examples/yaml and
 *   examples/go, which have no `plugins.providers` entry, apply against the emulator;
 * - automatic acquisition: with dist/plugins/ served on 127.0.0.1 (standing in for the release URL
 *   the schema and SDKs carry, through Pulumi's PULUMI_PLUGIN_DOWNLOAD_URL_OVERRIDES) and
 *   acquisition on for these tests only, `pulumi preview` of each example downloads and installs
 *   the plugin by itself.
 */
import { strict as assert } from "node:assert";
import { execFileSync, spawnSync } from "node:child_process";
import * as fs from "node:fs";
import * as os from "node:os";
import * as path from "node:path";

import { startEmulator, type RunningEmulator } from "../../provider/emulator";
import { PLUGIN_DOWNLOAD_URL, PROFILE_TOKEN } from "../../provider/plugin/schema";
import { packagePlugin, type PluginPackage } from "../../scripts/package-plugin";
import { inspectExecutable } from "../../scripts/plugin-binary/elf";
import { PLUGIN_BINARY, tarballName } from "../../scripts/plugin-binary/targets";
import { CliWorkspace, findPulumi, type CliResult } from "../../tools/cli";
import { serveFiles, type FileServer } from "../helpers/file-server";
import { assertOk, assertSecretNowhere, requireLanguage, SALES, SEED_BODIES, SUPPORT, useGoSdk } from "../helpers/plugin-examples";
import { askPlugin, pathWithoutNode } from "../../scripts/plugin-binary/probe";

const ROOT = path.resolve(__dirname, "..", "..");
const KEY = "Aplugin0install0SECRET0key000c0de42";
const LANGUAGES = ["yaml", "go"] as const;
type Language = (typeof LANGUAGES)[number];

/** The bodies examples/yaml and examples/go PUT on their first `up`, by number. */
const FIRST_UP = [SEED_BODIES[SALES]!, SEED_BODIES[SUPPORT]!];

/** Extract `tarball` into `dir` and return the executable at its root. */
function unpack(tarball: string, dir: string): string {
    fs.mkdirSync(dir, { recursive: true });
    execFileSync("tar", ["-xzf", tarball, "-C", dir]);
    assert.deepEqual(fs.readdirSync(dir), [PLUGIN_BINARY], "the tarball holds the executable alone, at its root");
    return path.join(dir, PLUGIN_BINARY);
}

/** A regular expression matching `text` literally. */
function literal(text: string): string {
    return text.replace(/[.*+?^${}()|[\]\\]/g, "\\$&");
}

describe("the kaleyra plugin installed like any Pulumi provider (single executable, no node on PATH)", function () {
    this.timeout(600_000);
    let pkg: PluginPackage;
    let emulator: RunningEmulator;
    let tmp: string;
    let noNode: string;
    let shims: string;

    before(async function () {
        pkg = await packagePlugin();
        shims = fs.mkdtempSync(path.join(os.tmpdir(), "no-node-"));
        noNode = pathWithoutNode(shims);
        emulator = await startEmulator({ apiKey: KEY, numbers: [SUPPORT, SALES], quiet: true });
    });
    after(async () => {
        await emulator?.close();
        if (shims) fs.rmSync(shims, { recursive: true, force: true });
    });
    beforeEach(async () => {
        await emulator.reset();
        tmp = fs.mkdtempSync(path.join(os.tmpdir(), "plugin-install-"));
    });
    afterEach(() => fs.rmSync(tmp, { recursive: true, force: true }));

    const tarball = (arch: "amd64" | "arm64") => pkg.tarballs.find((t) => t.target.arch === arch)!;

    it("dist/plugins holds both tarballs under Pulumi's names and a SHA256SUMS that checks them", () => {
        assert.deepEqual(fs.readdirSync(path.dirname(pkg.checksums)).sort(), ["SHA256SUMS", tarballName(pkg.version, { os: "linux", arch: "amd64" }), tarballName(pkg.version, { os: "linux", arch: "arm64" })].sort());
        const check = spawnSync("sha256sum", ["--check", "--strict", "SHA256SUMS"], { cwd: path.dirname(pkg.checksums), encoding: "utf8" });
        assert.equal(check.status, 0, `${check.stdout}${check.stderr}`);
    });

    it("the amd64 executable answers GetPluginInfo and GetSchema with no node on PATH", async () => {
        const which = spawnSync("/bin/sh", ["-c", "command -v node"], { env: { PATH: noNode }, encoding: "utf8" });
        assert.ok(which.status !== 0 && which.stdout === "", `node is still on the PATH: ${which.stdout}`);
        const exe = unpack(tarball("amd64").file, path.join(tmp, "amd64"));
        const answer = await askPlugin(exe, [], { PATH: noNode, HOME: tmp });
        assert.equal(answer.version, pkg.version);
        assert.equal(answer.schema.version, pkg.version);
        assert.equal(answer.schema.pluginDownloadURL, PLUGIN_DOWNLOAD_URL);
    });

    it("the arm64 executable is an AArch64 ELF with the plugin's blob injected (and runs under qemu-user when installed)", async function () {
        const exe = unpack(tarball("arm64").file, path.join(tmp, "arm64"));
        const facts = inspectExecutable(exe, fs.readFileSync(pkg.blob));
        assert.deepEqual(facts, { elf: true, is64Bit: true, littleEndian: true, machine: 183, fuseFlipped: true, hasBlob: true });
        const sysroot = "/usr/aarch64-linux-gnu";
        const qemu = spawnSync("sh", ["-c", "command -v qemu-aarch64"], { encoding: "utf8" }).stdout.trim();
        if (!qemu || !fs.existsSync(path.join(sysroot, "lib", "ld-linux-aarch64.so.1"))) {
            console.log("      (not run: no qemu-aarch64 with an arm64 sysroot; `apt-get install qemu-user libc6-arm64-cross libstdc++6-arm64-cross` adds it)");
            return;
        }
        const answer = await askPlugin(qemu, ["-L", sysroot, exe], { PATH: noNode, HOME: tmp }, 180_000);
        assert.equal(answer.version, pkg.version);
    });

    /** A workspace running examples/<language> as it is, with no `node` on the CLI's PATH. */
    async function example(ctx: Mocha.Context, language: Language, env: Readonly<Record<string, string>> = {}): Promise<CliWorkspace> {
        requireLanguage(ctx, language);
        const cli = findPulumi();
        assert.ok(cli.available);
        const ws = CliWorkspace.create({
            pulumi: cli.path,
            dir: tmp,
            layout: { kind: "copy", source: path.join(ROOT, "examples", language) },
            passphrase: "plugin-install-tests-only",
            env: { PATH: [cli.binDir, noNode].join(path.delimiter), ...env },
        });
        if (language === "go") useGoSdk(ws.projectDir, path.join(ROOT, "sdk"));
        assert.ok(!fs.readFileSync(path.join(ws.projectDir, "Pulumi.yaml"), "utf8").includes("plugins:"), "the example must not point at a plugin path");
        await ws.selectStack("dev");
        await ws.setConfig("dev", { "kaleyra:endpoint": emulator.url, "kaleyra:sid": emulator.sid, "kaleyra:maxRetries": "0" }, { "kaleyra:apiKey": KEY });
        return ws;
    }
    /** The installed kaleyra plugins of the workspace's PULUMI_HOME. */
    const installed = (ws: CliWorkspace): string[] => {
        const dir = path.join(ws.pulumiHome, "plugins");
        if (!fs.existsSync(dir)) return [];
        return fs.readdirSync(dir, { withFileTypes: true }).filter((d) => d.isDirectory() && d.name.startsWith("resource-kaleyra-")).map((d) => d.name);
    };
    const planned = (r: CliResult) => r.events.steps.filter((s) => s.type === PROFILE_TOKEN).map((s) => `${s.op} ${s.name}`).sort();

    for (const language of LANGUAGES) {
        it(`pulumi plugin install --file, then examples/${language} (no plugins.providers) applies against the emulator`, async function () {
            const ws = await example(this, language);
            assertOk(await ws.run(["plugin", "install", "resource", "kaleyra", pkg.version, "--file", tarball("amd64").file]));
            assert.deepEqual(installed(ws), [`resource-kaleyra-v${pkg.version}`]);
            const up = await ws.up("dev");
            assertOk(up);
            assert.deepEqual(planned(up), ["create sales", "create support"]);
            const bodies = emulator.kaleyraRequests().map((r) => r.body as Record<string, string>);
            assert.deepEqual(bodies.sort((a, b) => a.wa_number!.localeCompare(b.wa_number!)), FIRST_UP);
            assert.deepEqual(await ws.outputs("dev"), { support: SUPPORT, sales: SALES, supportWebhook: FIRST_UP[1]!.incoming_url });
            assertSecretNowhere(ws, tmp, KEY);
        });
    }

    describe("automatic acquisition from the pluginDownloadURL", () => {
        let server: FileServer;
        before(async () => {
            server = await serveFiles(path.dirname(pkg.checksums), `/v${pkg.version}`);
        });
        after(async () => server?.close());

        for (const language of LANGUAGES) {
            it(`pulumi preview of examples/${language} downloads the plugin and installs it by itself`, async function () {
                const asked = server.requested.length;
                const release = PLUGIN_DOWNLOAD_URL.slice(0, PLUGIN_DOWNLOAD_URL.indexOf("$"));
                const ws = await example(this, language, {
                    PULUMI_DISABLE_AUTOMATIC_PLUGIN_ACQUISITION: "false",
                    // The release URL the SDK (Go) or package declaration (YAML) names, served from here;
                    // and Pulumi's own plugin source (the Go host's stray cloud-sdk, tools/README.md) answered at once.
                    PULUMI_PLUGIN_DOWNLOAD_URL_OVERRIDES: `^${literal(release)}=${server.url}/v$\{VERSION},^github://api\\.github\\.com/pulumi=${server.url}/none`,
                });
                assert.deepEqual(installed(ws), []);
                const preview = await ws.preview("dev");
                assertOk(preview);
                assert.deepEqual(planned(preview), ["create sales", "create support"]);
                const downloads = server.requested.slice(asked).filter((p) => p.includes("kaleyra"));
                assert.deepEqual(downloads, [`/v${pkg.version}/${tarballName(pkg.version, { os: "linux", arch: "amd64" })}`]);
                assert.deepEqual(installed(ws), [`resource-kaleyra-v${pkg.version}`]);
                assert.ok(fs.statSync(path.join(ws.pulumiHome, "plugins", `resource-kaleyra-v${pkg.version}`, PLUGIN_BINARY)).mode & 0o111);
                assert.equal(emulator.kaleyraRequests().length, 0, "preview made a request");
            });
        }
    });
});
