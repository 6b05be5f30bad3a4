/**
 * Two Kaleyra accounts in one stack, from TypeScript, under the real CLI: examples/two-accounts
 * uses the plugin's Node.js SDK (packed by `npm run sdk:pack`, installed as a user would) and two
 * explicit `kaleyra.Provider`s with different SIDs and secret API keys, with the plugin installed
 * from its tarball (`pulumi plugin install --file`). Each account is its own emulator that accepts
 * only its own SID and key: each PUT must reach its own SID with its own key, and neither key may
 * be anywhere in the output, the state (but encrypted) or the backend.
 */
import { strict as assert } from "node:assert";
import { execFileSync } from "node:child_process";
import * as fs from "node:fs";
import * as os from "node:os";
import * as path from "node:path";

import { startEmulator, type RunningEmulator } from "../../provider/emulator";
import { SECRET_SIGNATURE } from "../../provider/plugin/config";
import { NODEJS_PACKAGE_NAME, PROFILE_TOKEN } from "../../provider/plugin/schema";
import { packagePlugin } from "../../scripts/package-plugin";
import { packNodejsSdk } from "../../scripts/pack-nodejs-sdk";
import { CliWorkspace, findPulumi, urnName } from "../../tools/cli";
import { requireCli } from "../helpers/cli-stack";
import { assertOk, assertSecretNowhere, materialize } from "../helpers/plugin-examples";

const ROOT = path.resolve(__dirname, "..", "..");
const ACCOUNTS = {
    shop: { sid: "HXSHOP0000001IN", apiKey: "Ashop0account0SECRET0key00000a11", number: "+919876543230" },
    travel: { sid: "HXTRAVEL00002EU", apiKey: "Atravel0account0SECRET0key000b22", number: "+919876543231" },
} as const;
type Brand = keyof typeof ACCOUNTS;
const BRANDS = Object.keys(ACCOUNTS) as Brand[];

/** A node_modules for the program: the packed SDK unpacked as npm would, and the repository's @pulumi, @types and TypeScript. */
function programModules(dir: string, sdkTarball: string): string {
    const modules = path.join(dir, "node_modules");
    const sdk = path.join(modules, ...NODEJS_PACKAGE_NAME.split("/"));
    fs.mkdirSync(sdk, { recursive: true });
    execFileSync("tar", ["-xzf", sdkTarball, "-C", sdk, "--strip-components=1"]);
    for (const dep of ["@pulumi", "@types", "typescript"]) fs.symlinkSync(path.join(ROOT, "node_modules", dep), path.join(modules, dep), "dir");
    return modules;
}

describe("two Kaleyra accounts in one stack, from TypeScript with the Node.js SDK's explicit providers", function () {
    this.timeout(600_000);
    const emulators = {} as Record<Brand, RunningEmulator>;
    let tmp: string;

    before(async function () {
        requireCli(this.currentTest?.ctx ?? this);
        for (const brand of BRANDS) {
            const a = ACCOUNTS[brand];
            emulators[brand] = await startEmulator({ sid: a.sid, apiKey: a.apiKey, numbers: [a.number], quiet: true });
        }
        tmp = fs.mkdtempSync(path.join(os.tmpdir(), "two-accounts-"));
    });
    after(async () => {
        for (const e of Object.values(emulators)) await e?.close();
        if (tmp) fs.rmSync(tmp, { recursive: true, force: true });
    });

    it("each profile's PUT reaches its own account with its own key; neither key is in the output, the state or the backend", async () => {
        const [pkg, sdk] = [await packagePlugin(), packNodejsSdk()];
        const cli = findPulumi();
        assert.ok(cli.available);
        const ws = CliWorkspace.create({
            pulumi: cli.path,
            dir: tmp,
            layout: { kind: "copy", source: path.join(ROOT, "examples", "two-accounts"), nodeModules: programModules(tmp, sdk) },
            passphrase: "two-accounts-tests-only",
        });
        // A real copy of the program, so that it resolves the SDK from the project's node_modules.
        materialize(path.join(ws.projectDir, "index.ts"));
        const amd64 = pkg.tarballs.find((t) => t.target.arch === "amd64")!;
        assertOk(await ws.run(["plugin", "install", "resource", "kaleyra", pkg.version, "--file", amd64.file]));
        await ws.selectStack("dev");
        const project = "kaleyra-two-accounts";
        const plain: Record<string, string> = {};
        const secret: Record<string, string> = {};
        for (const brand of BRANDS) {
            plain[`${project}:${brand}Sid`] = ACCOUNTS[brand].sid;
            plain[`${project}:${brand}Endpoint`] = emulators[brand].url;
            plain[`${project}:${brand}Number`] = ACCOUNTS[brand].number;
            secret[`${project}:${brand}ApiKey`] = ACCOUNTS[brand].apiKey;
        }
        await ws.setConfig("dev", plain, secret);

        const up = await ws.up("dev", { withPreview: true });
        assertOk(up);
        for (const brand of BRANDS) {
            const requests = emulators[brand].kaleyraRequests();
            assert.deepEqual(
                requests.map((r) => `${r.method} ${r.path} ${r.status} ${(r.body as { wa_number?: string }).wa_number}`),
                [`PUT /v1/${ACCOUNTS[brand].sid}/whatsapp/number 200 ${ACCOUNTS[brand].number}`],
                `${brand}'s account got other requests than its own profile's`,
            );
        }
        assert.deepEqual(await ws.outputs("dev"), { shopNumber: ACCOUNTS.shop.number, travelNumber: ACCOUNTS.travel.number });

        // Two explicit providers in the state, each profile bound to its own, each key a ciphertext.
        const resources = await ws.resources("dev");
        const providers = resources.filter((r) => r.type === "pulumi:providers:kaleyra");
        assert.deepEqual(providers.map((p) => urnName(p.urn)).sort(), ["shop", "travel"]);
        for (const p of providers) {
            const apiKey = p.inputs?.apiKey as Record<string, unknown>;
            assert.equal(apiKey[SECRET_SIGNATURE.key], SECRET_SIGNATURE.value, `${urnName(p.urn)}'s apiKey is not a secret in the state`);
            assert.equal(typeof apiKey.ciphertext, "string");
            assert.equal(p.inputs?.sid, ACCOUNTS[urnName(p.urn) as Brand].sid);
        }
        assert.equal(resources.filter((r) => r.type === PROFILE_TOKEN).length, 2);
        const exported = JSON.parse(await ws.exportStack("dev")) as { deployment: { resources: { urn: string; type: string; provider?: string }[] } };
        for (const r of exported.deployment.resources.filter((x) => x.type === PROFILE_TOKEN)) {
            const brand = urnName(r.urn) === "shop-support" ? "shop" : "travel";
            assert.match(r.provider ?? "", new RegExp(`::pulumi:providers:kaleyra::${brand}::`), `${urnName(r.urn)} is not bound to the ${brand} provider`);
        }

        assertOk(await ws.up("dev", { expectNoChanges: true }));
        for (const brand of BRANDS) {
            assert.equal(emulators[brand].kaleyraRequests().length, 1, "a no-op up made a request");
            assertSecretNowhere(ws, tmp, ACCOUNTS[brand].apiKey);
        }
    });
});
