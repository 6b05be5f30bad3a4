/**
 * What only the real Pulumi CLI can show (tests/lifecycle.test.ts runs the shared lifecycle under
 * both engines): `preview --diff`, `up --replace <urn>`, `pulumi stack export`, the package
 * installed from its `npm pack` tarball into a fresh project, the repository's own project promoted
 * dev → staging → prod with the language host type-checking it, and every program under
 * `examples/`. All against the emulator, offline, with a file backend.
 *
 * Skipped (saying why) where no CLI is found; `KALEYRA_REQUIRE_PULUMI_CLI=1` (CI) makes that a failure.
 */
import { strict as assert } from "node:assert";
import * as fs from "node:fs";
import * as net from "node:net";
import * as os from "node:os";
import * as path from "node:path";
import * as tls from "node:tls";

import { startEmulator, type RunningEmulator } from "../../provider/emulator";
import { readProjectName, readStackConfig } from "../../scripts/stack-config";
import { CliWorkspace, findPulumi, urnName, type CliResult, type ProjectLayout } from "../../tools/cli";
import { filesUnder, pulumiEngine, PROFILE_TYPE, requireEngine } from "../helpers/engines";
import { fullProfile } from "../helpers/profiles";
import { startProxy } from "../helpers/proxy";
import { installFromTarball } from "../helpers/tarball";
import { makeTestPki } from "../helpers/tls";

const ROOT = path.resolve(__dirname, "..", "..");
const PROGRAM = path.join(__dirname, "..", "fixtures", "lifecycle", "index.ts");
const KEY = "Acli0only0SECRET0key0000feedface42";
const A = "+919876543210";
const B = "+919876543211";
const ENGINE = pulumiEngine(path.join(ROOT, "node_modules"));

const FULL_A: Record<string, string> = { ...fullProfile({ waNumber: A, incomingUrl: "https://hooks.example.com/wa/a" }) };
const BODY_A = {
    wa_number: A,
    about: FULL_A.about,
    address: FULL_A.address,
    business_description: FULL_A.businessDescription,
    business_category: FULL_A.businessCategory,
    contact_email: FULL_A.contactEmail,
    website: FULL_A.website,
    display_image: FULL_A.displayImage,
    incoming_url: FULL_A.incomingUrl,
};

function assertOk(r: CliResult): void {
    assert.equal(r.code, 0, `pulumi ${r.args.join(" ")} failed:\n${r.stdout}\n${r.stderr}`);
}

/** Fails if `secret` is in any byte the workspace printed or left on disk. */
function assertNowhere(ws: CliWorkspace, dir: string, secret: string, what: string): void {
    for (const r of ws.history) assert.ok(!`${r.stdout}${r.stderr}`.includes(secret), `${what} is in the output of pulumi ${r.args.join(" ")}`);
    for (const f of filesUnder(dir)) assert.ok(!fs.readFileSync(f, "latin1").includes(secret), `${what} is in ${f}`);
}

describe("only under the real Pulumi CLI, against the emulator", function () {
    this.timeout(300_000);
    let emulator: RunningEmulator;
    let tmp: string;

    before(async function () {
        requireEngine(ENGINE, this.currentTest?.ctx ?? this);
        emulator = await startEmulator({ apiKey: KEY, numbers: [A, B, "+919876543212", "+919876543220", "+919876543221", "+919876543222"], quiet: true });
    });
    after(async () => emulator?.close());
    beforeEach(function () {
        requireEngine(ENGINE, this);
        emulator.reset();
        tmp = fs.mkdtempSync(path.join(os.tmpdir(), "cli-test-"));
    });
    afterEach(() => fs.rmSync(tmp, { recursive: true, force: true }));

    /** A workspace in `tmp` with the emulator's settings on stack `stack`. */
    async function workspace(layout: ProjectLayout, stack = "dev", transpileOnly = true): Promise<CliWorkspace> {
        const cli = findPulumi();
        assert.ok(cli.available);
        const ws = CliWorkspace.create({ pulumi: cli.path, dir: tmp, layout, passphrase: "cli-tests-only", transpileOnly });
        await ws.selectStack(stack);
        await ws.setConfig(stack, { "kaleyra:endpoint": emulator.url, "kaleyra:sid": emulator.sid, "kaleyra:maxRetries": "0" }, { "kaleyra:apiKey": KEY });
        return ws;
    }

    function fixture(): Promise<CliWorkspace> {
        return workspace({ kind: "program", program: PROGRAM, projectName: "lifecycle", nodeModules: path.join(ROOT, "node_modules") });
    }

    const profiles = (p: Record<string, Record<string, string>>, extra: Record<string, string> = {}): Record<string, string> => ({
        "lifecycle:profiles": JSON.stringify(p),
        ...extra,
    });

    it("preview --diff names the edited property; up --replace <urn> sends every field again", async () => {
        const ws = await fixture();
        await ws.setConfig("dev", profiles({ a: FULL_A }));
        assertOk(await ws.up("dev"));
        await ws.setConfig("dev", profiles({ a: { ...FULL_A, about: "Open 24/7" } }));
        emulator.clearRequests();
        const diff = await ws.preview("dev", { diff: true });
        assertOk(diff);
        assert.match(diff.stdout, /~ about\s*: "Open 9-6, Mon-Sat" => "Open 24\/7"/);
        assert.doesNotMatch(diff.stdout, /~ (website|address|incomingUrl)/);
        // The dynamic-provider host reports no per-property diff (its DiffResult has none): the
        // engine's own comparison of old and new inputs is what `--diff` prints.
        assert.deepEqual(diff.events.steps.filter((s) => s.type === PROFILE_TYPE).map((s) => s.op), ["update"]);
        assert.equal(emulator.kaleyraRequests().length, 0);

        assertOk(await ws.up("dev"));
        const [resource] = (await ws.resources("dev")).filter((r) => r.type === PROFILE_TYPE);
        emulator.clearRequests();
        const replaced = await ws.up("dev", { replace: [resource.urn] });
        assertOk(replaced);
        assert.deepEqual(emulator.kaleyraRequests().map((r) => r.body), [{ ...BODY_A, about: "Open 24/7" }]);
        assert.ok(replaced.events.steps.some((s) => s.type === PROFILE_TYPE && s.op === "replace"), JSON.stringify(replaced.events.steps));
    });

    it("a pulumi.secret() incomingUrl stays secret in pulumi stack export, and an invalid one is not echoed", async () => {
        const ws = await fixture();
        const url = "https://hooks.example.com/wa/very-secret-token-1234";
        // The profiles themselves go in as secret config: plain config is recorded in plaintext (as
        // the default pulumi-nodejs provider's inputs), which would put the URL in the state.
        await ws.setConfig("dev", { "lifecycle:secretFields": JSON.stringify(["incomingUrl"]) }, profiles({ a: { ...FULL_A, incomingUrl: url } }));
        assertOk(await ws.up("dev"));
        const exported = await ws.exportStack("dev");
        assert.ok(exported.includes(PROFILE_TYPE));
        assert.ok(!exported.includes("very-secret-token-1234"), "the secret URL is in plaintext in the export");
        assert.match(exported, /"incomingUrl": \{\s*"4dabf18193072939515e22adb298388d": "1b47061264138c4ac30d75fd1eb44270",\s*"ciphertext"/);
        assert.ok((await ws.exportStack("dev", true)).includes("very-secret-token-1234"), "control: --show-secrets shows it");

        const bad = "ftp://hooks.example.com/secret-bad-token-5678";
        await ws.setConfig("dev", {}, profiles({ a: { ...FULL_A, incomingUrl: bad } }));
        const failed = await ws.preview("dev", { allowFailure: true });
        assert.notEqual(failed.code, 0);
        assert.match(failed.stdout + failed.stderr, /incomingUrl/);
        assertNowhere(ws, path.join(tmp, "backend"), "secret-bad-token-5678", "the invalid secret URL");
        assertNowhere(ws, tmp, KEY, "the API key");
    });

    it("pulumi up behind an HTTPS CONNECT proxy goes through the tunnel; with the endpoint in NO_PROXY it goes direct", async () => {
        // TLS in front of the emulator with a throwaway CA, trusted through NODE_EXTRA_CA_CERTS,
        // which the engine passes on to the dynamic-provider host with the rest of its environment.
        const pki = makeTestPki();
        const emulatorPort = Number(new URL(emulator.url).port);
        const front = tls.createServer({ key: pki.key, cert: pki.cert }, (socket) => {
            const upstream = net.connect(emulatorPort, "127.0.0.1");
            socket.pipe(upstream).pipe(socket);
            socket.on("error", () => upstream.destroy());
            upstream.on("error", () => socket.destroy());
        });
        await new Promise<void>((resolve) => front.listen(0, "127.0.0.1", () => resolve()));
        const proxy = await startProxy();
        try {
            const endpoint = `https://localhost:${(front.address() as net.AddressInfo).port}`;
            const ws = await fixture();
            await ws.setConfig("dev", { "kaleyra:endpoint": endpoint, ...profiles({ a: FULL_A }) });
            const noProxy = { https_proxy: "", http_proxy: "", all_proxy: "", ALL_PROXY: "", no_proxy: "", NO_PROXY: "", HTTP_PROXY: "" };
            const env = { ...noProxy, HTTPS_PROXY: proxy.url, NODE_EXTRA_CA_CERTS: pki.caFile };
            assertOk(await ws.up("dev", { env }));
            assert.deepEqual(proxy.tunnels, [new URL(endpoint).host], "one CONNECT tunnel to the endpoint");
            assert.deepEqual(emulator.kaleyraRequests().map((r) => r.body), [BODY_A]);

            await ws.setConfig("dev", profiles({ a: { ...FULL_A, about: "Direct" } }));
            assertOk(await ws.up("dev", { env: { ...env, NO_PROXY: "localhost" } }));
            assert.equal(proxy.tunnels.length, 1, "the update went through the proxy although NO_PROXY lists the host");
            assert.equal(emulator.profile(A)?.about, "Direct");
            assertNowhere(ws, tmp, KEY, "the API key");
        } finally {
            await proxy.close();
            await new Promise<void>((resolve) => front.close(() => resolve()));
            pki.cleanup();
        }
    });

    it("the package installed from its npm pack tarball into a fresh project (no self-link) previews, applies and destroys", async () => {
        const project = path.join(tmp, "consumer");
        const installed = installFromTarball(project);
        assert.equal(fs.lstatSync(installed).isSymbolicLink(), false);
        fs.writeFileSync(
            path.join(project, "Pulumi.yaml"),
            "name: consumer\nruntime:\n  name: nodejs\n  options:\n    typescript: true\nmain: index.ts\n",
        );
        fs.writeFileSync(
            path.join(project, "index.ts"),
            [
                'import * as pulumi from "@pulumi/pulumi";',
                'import { WhatsAppNumberProfile } from "pulumi-kaleyra-whatsapp";',
                "const config = new pulumi.Config();",
                'const p = new WhatsAppNumberProfile("support", { waNumber: config.require("number"), about: config.require("about") });',
                "export const id = p.id;",
                "",
            ].join("\n"),
        );
        fs.writeFileSync(
            path.join(project, "tsconfig.json"),
            JSON.stringify({ compilerOptions: { strict: true, target: "ES2022", module: "commonjs", moduleResolution: "node10", skipLibCheck: true, types: [] }, files: ["index.ts"] }),
        );
        const ws = await workspace({ kind: "copy", source: project }, "dev", false);
        await ws.setConfig("dev", { "consumer:number": A, "consumer:about": "Installed from the tarball" });
        const planned = await ws.preview("dev");
        assertOk(planned);
        assert.deepEqual(planned.events.steps.filter((s) => s.type === PROFILE_TYPE).map((s) => s.op), ["create"]);
        assertOk(await ws.up("dev"));
        assert.deepEqual(emulator.kaleyraRequests().map((r) => r.body), [{ wa_number: A, about: "Installed from the tarball" }]);
        assert.deepEqual(await ws.outputs("dev"), { id: A });
        const [recorded] = await ws.resources("dev");
        assert.ok(recorded);
        const provider = (await ws.resources("dev")).find((r) => r.type === PROFILE_TYPE)?.inputs?.__provider;
        assert.match(String(provider), /require\("pulumi-kaleyra-whatsapp\/runtime"\)/);
        emulator.clearRequests();
        assertOk(await ws.up("dev", { expectNoChanges: true }));
        assertOk(await ws.destroy("dev"));
        assert.equal(emulator.kaleyraRequests().length, 0);
        assertNowhere(ws, path.join(tmp, "backend"), KEY, "the API key");
    });

    it("the repository's project is promoted dev → staging → prod, type-checked by the language host; a second pass makes no PUT", async () => {
        const project = readProjectName(ROOT);
        const cli = findPulumi();
        assert.ok(cli.available);
        const ws = CliWorkspace.create({ pulumi: cli.path, dir: tmp, layout: { kind: "copy", source: ROOT }, passphrase: "cli-tests-only", transpileOnly: false });
        const stacks = ["dev", "staging", "prod"] as const;
        const numberOf = (s: string): string => readStackConfig(ROOT, s)[`${project}:supportNumber`];
        const webhookOf = (s: string): string => readStackConfig(ROOT, s)[`${project}:incomingUrl`];
        for (const pass of [1, 2]) {
            for (const s of stacks) {
                emulator.clearRequests();
                await ws.selectStack(s);
                await ws.setConfig(s, { "kaleyra:endpoint": emulator.url, "kaleyra:sid": emulator.sid }, { "kaleyra:apiKey": KEY });
                const r = await ws.up(s);
                assertOk(r);
                const puts = emulator.kaleyraRequests();
                if (pass === 1) {
                    assert.equal(puts.length, 1, `${s}: ${JSON.stringify(puts.map((p) => p.body))}`);
                    const body = puts[0].body as Record<string, string>;
                    assert.equal(body.wa_number, numberOf(s));
                    assert.equal(body.incoming_url, webhookOf(s));
                } else {
                    assert.equal(puts.length, 0, `second pass of ${s} made PUTs`);
                    assert.deepEqual(r.events.steps.filter((x) => x.type === PROFILE_TYPE).map((x) => x.op), ["same"]);
                }
                assert.equal((await ws.outputs(s)).supportNumber, numberOf(s));
            }
        }
        // The stacks' shared text is identical on the three numbers.
        const shared = stacks.map((s) => {
            const { wa_number: _n, incoming_url: _u, ...rest } = emulator.profile(numberOf(s)) ?? {};
            return rest;
        });
        assert.deepEqual(shared[1], shared[0]);
        assert.deepEqual(shared[2], shared[0]);
        // The repository's stack files were not touched.
        for (const s of stacks) assert.ok(!fs.readFileSync(path.join(ROOT, `Pulumi.${s}.yaml`), "utf8").includes("encryptionsalt"));
        assertNowhere(ws, path.join(tmp, "backend"), KEY, "the API key");
    });

    for (const example of ["minimal", "multiple-numbers"]) {
        it(`examples/${example} previews and applies against the emulator`, async () => {
            const dir = path.join(ROOT, "examples", example);
            const project = readProjectName(dir);
            const ws = await workspace({ kind: "copy", source: dir, nodeModules: path.join(ROOT, "node_modules") }, "dev", false);
            if (example === "minimal") {
                await ws.setConfig("dev", { [`${project}:waNumber`]: A, [`${project}:incomingUrl`]: "https://hooks.example.com/wa/minimal" });
            }
            const planned = await ws.preview("dev");
            assertOk(planned);
            const creates = planned.events.steps.filter((s) => s.type === PROFILE_TYPE);
            assert.ok(creates.length > 0 && creates.every((s) => s.op === "create"), JSON.stringify(creates));
            assert.equal(emulator.kaleyraRequests().length, 0);
            assertOk(await ws.up("dev"));
            const puts = emulator.kaleyraRequests();
            assert.equal(puts.length, creates.length);
            const resources = (await ws.resources("dev")).filter((r) => r.type === PROFILE_TYPE);
            assert.deepEqual(resources.map((r) => urnName(r.urn)).sort(), creates.map((s) => s.name).sort());
            for (const r of resources) assert.ok(puts.some((p) => (p.body as Record<string, string>).wa_number === r.id));
        });
    }
});
