/**
 * The package as users get it: `npm pack`, installed from the tarball into an empty project,
 * type-checked against its published types, checked to load no engine-side library from its root,
 * and run under the real CLI from that installed copy (this is where an `exports` map that hides
 * the runtime entry would break).
 */
import { strict as assert } from "node:assert";
import { execFileSync, spawnSync } from "node:child_process";
import * as fs from "node:fs";
import * as os from "node:os";
import * as path from "node:path";

import { startEmulator } from "../../provider/emulator";
import { CliWorkspace } from "../../tools/cli";
import { filesUnder, PROFILE_TYPE, requireCli } from "../helpers/cli-stack";
import { installFromTarball } from "../helpers/tarball";

const REPO = path.resolve(__dirname, "..", "..");
/** What only the engine side (and the emulator) may load: never a program that requires the package root. */
const ENGINE_LIBRARIES = ["axios", "libphonenumber-js", "p-limit", "write-file-atomic"];

const CONSUMER = `
import * as pulumi from "@pulumi/pulumi";
import { WhatsAppNumberProfile, WhatsAppNumberProfileArgs, BUSINESS_CATEGORIES } from "pulumi-kaleyra-whatsapp";
import { KaleyraValidationError } from "pulumi-kaleyra-whatsapp/provider";
import { startEmulator, RunningEmulator } from "pulumi-kaleyra-whatsapp/emulator";

const args: WhatsAppNumberProfileArgs = { waNumber: "+919876543210", about: process.env.ABOUT ?? "Open 9-6" };
const support = new WhatsAppNumberProfile("support", args, { protect: false });
const about: pulumi.Output<string> = support.about;
const id: pulumi.Output<string> = support.id;
export { about, id };
export const categories: number = BUSINESS_CATEGORIES.length;
export type Checks = [KaleyraValidationError["code"], RunningEmulator["url"], typeof startEmulator];

// The types must be real: each of these is an error the compiler has to catch (never called).
export function typeErrors(): void {
    // @ts-expect-error waNumber is required
    new WhatsAppNumberProfile("missing", { about: "x" });
    // @ts-expect-error arguments are strings
    new WhatsAppNumberProfile("typed", { waNumber: "+919876543210", about: 42 });
    // @ts-expect-error unknown properties are rejected
    new WhatsAppNumberProfile("typo", { waNumber: "+919876543210", business_catregory: "Other" });
}
`;

function tsconfig(moduleResolution: "node16" | "node10"): object {
    return {
        compilerOptions: {
            strict: true, noEmit: true, skipLibCheck: true, types: [], target: "ES2022",
            module: moduleResolution === "node16" ? "node16" : "commonjs", moduleResolution,
        },
        files: ["index.ts"],
    };
}

describe("the package installed from its npm pack tarball", function () {
    this.timeout(120_000);
    let project: string;

    before(() => {
        project = fs.mkdtempSync(path.join(os.tmpdir(), "kaleyra-consumer-"));
        installFromTarball(project);
        fs.writeFileSync(path.join(project, "index.ts"), CONSUMER);
    });
    after(() => fs.rmSync(project, { recursive: true, force: true }));

    it("is a real copy, not a link to the repository", () => {
        const installed = path.join(project, "node_modules", "pulumi-kaleyra-whatsapp");
        assert.equal(fs.lstatSync(installed).isSymbolicLink(), false);
        const files = fs.readdirSync(path.join(installed, "dist"));
        assert.ok(files.includes("index.d.ts") && fs.existsSync(path.join(installed, "dist", "engine", "runtime.js")));
        assert.ok(!fs.existsSync(path.join(installed, "provider")), "sources are not shipped");
        assert.ok(!fs.existsSync(path.join(installed, "tests")), "tests are not shipped");
    });

    for (const resolution of ["node16", "node10"] as const) {
        it(`type-checks a consumer with moduleResolution ${resolution} (exports map and types)`, () => {
            fs.writeFileSync(path.join(project, "tsconfig.json"), JSON.stringify(tsconfig(resolution)));
            const tsc = spawnSync(process.execPath, [path.join(REPO, "node_modules", "typescript", "bin", "tsc"), "-p", project], { encoding: "utf8" });
            assert.equal(tsc.status, 0, tsc.stdout + tsc.stderr);
        });
    }

    it("exposes the runtime entry point, the provider subpath, the emulator and its bin", () => {
        const script = `
            const api = require("pulumi-kaleyra-whatsapp");
            const runtime = require("pulumi-kaleyra-whatsapp/runtime");
            const provider = require("pulumi-kaleyra-whatsapp/provider");
            const emulator = require("pulumi-kaleyra-whatsapp/emulator");
            console.log(JSON.stringify([typeof api.WhatsAppNumberProfile, typeof provider.KaleyraProfileProvider, typeof runtime.provider, typeof runtime.dispatch, runtime.RUNTIME_CONTRACTS, typeof emulator.startEmulator]));`;
        const out = execFileSync(process.execPath, ["-e", script], { cwd: project, encoding: "utf8" });
        assert.deepEqual(JSON.parse(out), ["function", "function", "function", "function", [1, 2], "function"]);
        const help = spawnSync(path.join(project, "node_modules", ".bin", "kaleyra-emulator"), ["--help"], { encoding: "utf8" });
        assert.equal(help.status, 0, help.stderr);
        assert.match(help.stdout, /--number/);
    });

    it("loads no engine-side library when a program requires the package root", () => {
        // Run in the consumer project, as a program would. @pulumi/pulumi (the peer dependency, which
        // itself loads write-file-atomic among hundreds of modules) is loaded first, so what is new
        // after requiring the root is what this package brings. The package's own module graph is
        // walked too (module.children also records modules that were already cached).
        const script = `
            const path = require("node:path");
            const ENGINE_LIBRARIES = ${JSON.stringify(ENGINE_LIBRARIES)};
            const packageOf = (file) => { const m = file.split(path.sep).join("/").match(/.*node_modules\\/((?:@[^/]+\\/)?[^/]+)/); return m ? m[1] : undefined; };
            const loadedLibraries = (files) => ENGINE_LIBRARIES.filter((name) => files.some((f) => packageOf(f) === name));
            require("@pulumi/pulumi");
            const before = new Set(Object.keys(require.cache));
            const api = require("pulumi-kaleyra-whatsapp");
            const added = Object.keys(require.cache).filter((f) => !before.has(f));
            const rootFile = require.resolve("pulumi-kaleyra-whatsapp");
            const packageDir = path.dirname(require.resolve("pulumi-kaleyra-whatsapp/package.json"));
            const own = new Set(), external = new Set();
            const walk = (m) => {
                if (own.has(m.id)) return;
                own.add(m.id);
                for (const child of m.children) {
                    if (child.id.startsWith(packageDir + path.sep)) walk(child); else external.add(packageOf(child.id) ?? child.id);
                }
            };
            walk(require.cache[rootFile]);
            const rel = (f) => path.relative(packageDir, f).split(path.sep).join("/");
            const root = { exports: Object.keys(api).sort(), added: [...new Set(added.map((f) => f.startsWith(packageDir) ? rel(f) : packageOf(f) ?? f))], ownFiles: [...own].map(rel).sort(), external: [...external].sort(), libraries: loadedLibraries(added) };
            // The control: the provider and the emulator do load them — the provider on its first PUT and
            // on its first rejected waNumber (the E.164 hint), which load their libraries lazily — so the
            // check above can see them.
            const { KaleyraProfileProvider } = require("pulumi-kaleyra-whatsapp/provider");
            const { startEmulator } = require("pulumi-kaleyra-whatsapp/emulator");
            (async () => {
                const emulator = await startEmulator({ numbers: ["+919876543210"], quiet: true });
                const provider = new KaleyraProfileProvider({ env: { KALEYRA_SID: emulator.sid, KALEYRA_API_KEY: emulator.apiKey, KALEYRA_ENDPOINT: emulator.url } });
                const profile = { waNumber: "+919876543210", about: "Open 9-6" };
                await provider.check({}, profile);
                const rejected = await provider.check({}, { ...profile, waNumber: "+91 98765 43210" });
                if (!(rejected.failures ?? []).some((f) => f.reason.includes('"+919876543210"'))) throw new Error("the control's bad waNumber got no E.164 hint: " + JSON.stringify(rejected));
                await provider.create(profile);
                await emulator.close();
                const engine = { libraries: loadedLibraries(Object.keys(require.cache).filter((f) => !before.has(f))) };
                console.log(JSON.stringify({ root, engine }));
            })();`;
        const out = JSON.parse(execFileSync(process.execPath, ["-e", script], { cwd: project, encoding: "utf8" }));
        const detail = JSON.stringify(out.root, null, 1);
        assert.deepEqual(out.root.libraries, [], detail);
        assert.deepEqual(out.root.external, ["@pulumi/pulumi"], detail);
        for (const file of out.root.ownFiles) assert.match(file, /^dist\/(index|program\/[\w-]+|contract\/[\w-]+)\.js$/, detail);
        assert.ok(out.root.added.every((f: string) => f.startsWith("dist/")), `requiring the root loaded modules from outside the package: ${detail}`);
        assert.deepEqual(out.root.exports, ["BUSINESS_CATEGORIES", "FIELD_NAMES", "WhatsAppNumberProfile"]);
        assert.deepEqual(out.engine.libraries, ENGINE_LIBRARIES, "the control: the provider (checking a bad waNumber, then creating) and the emulator load them");
    });

    it("previews, applies and destroys under the real CLI from the installed copy (no self-link)", async function () {
        const cli = requireCli(this);
        assert.equal(fs.lstatSync(path.join(project, "node_modules", "pulumi-kaleyra-whatsapp")).isSymbolicLink(), false);
        fs.writeFileSync(path.join(project, "Pulumi.yaml"), "name: consumer\nruntime: nodejs\nmain: index.ts\n");
        const emulator = await startEmulator({ numbers: ["+919876543210"], quiet: true });
        const tmp = fs.mkdtempSync(path.join(os.tmpdir(), "kaleyra-consumer-cli-"));
        try {
            const ws = CliWorkspace.create({ pulumi: cli.path, dir: tmp, layout: { kind: "copy", source: project, compile: true }, passphrase: "e2e-tests-only", env: { ABOUT: "Installed from the tarball" } });
            await ws.selectStack("dev");
            await ws.setConfig("dev", { "kaleyra:sid": emulator.sid, "kaleyra:endpoint": emulator.url }, { "kaleyra:apiKey": emulator.apiKey });
            const planned = await ws.preview("dev");
            assert.deepEqual(planned.events.steps.filter((st) => st.type === PROFILE_TYPE).map((st) => st.op), ["create"]);
            await ws.up("dev");
            assert.deepEqual(emulator.kaleyraRequests().map((r) => r.body), [{ wa_number: "+919876543210", about: "Installed from the tarball" }]);
            const outputs = await ws.outputs("dev");
            assert.deepEqual([outputs.about, outputs.categories, outputs.id], ["Installed from the tarball", 17, "+919876543210"]);
            const recorded = (await ws.resources("dev")).find((r) => r.type === PROFILE_TYPE);
            assert.equal(recorded?.inputs?.__provider, 'exports.handler = () => require("pulumi-kaleyra-whatsapp/runtime").provider(2);\n');
            await ws.up("dev", { expectNoChanges: true });
            await ws.destroy("dev");
            assert.equal(emulator.kaleyraRequests().length, 1, "the no-op up and the destroy make no call");
            for (const r of ws.history) assert.ok(!`${r.stdout}${r.stderr}`.includes(emulator.apiKey), `the API key is in the output of pulumi ${r.args.join(" ")}`);
            for (const f of filesUnder(tmp)) assert.ok(!fs.readFileSync(f, "latin1").includes(emulator.apiKey), `the API key is in ${f}`);
        } finally {
            await emulator.close();
            fs.rmSync(tmp, { recursive: true, force: true });
        }
    });
});
