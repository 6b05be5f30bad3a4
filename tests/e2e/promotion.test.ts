/**
 * The repository's own project (Pulumi.yaml at the root, examples/company) promoted dev → staging →
 * prod under the real CLI, each stack with the config of its real `Pulumi.<stack>.yaml` and only
 * `kaleyra:endpoint`, `kaleyra:sid` and `kaleyra:apiKey` pointed at one emulator that holds the
 * three numbers. This is the suite's one program that runs as TypeScript through the language host
 * (ts-node, type-checked on the first pass), as a user's project does; every other test program is
 * compiled to JavaScript first (tools/cli/compile.ts). Then API key rotation on the same stacks.
 */
import { strict as assert } from "node:assert";
import * as fs from "node:fs";
import * as os from "node:os";
import * as path from "node:path";

import { SHARED_PROFILE } from "../../examples/company/profile";
import { startEmulator, type NumberProfile, type RunningEmulator } from "../../provider/emulator";
import { CliWorkspace, type CliResult } from "../../tools/cli";
import { filesUnder, PROFILE_TYPE, requireCli, ROOT } from "../helpers/cli-stack";
import { numberOf, PROJECT, STACKS, webhookOf, type StackName } from "../helpers/company-stacks";

const OLD_KEY = "Apromotion0OLD0key0SECRET0f00d";
const NEW_KEY = "Apromotion0NEW0key0SECRET0beef";

/** SHARED_PROFILE with Kaleyra's keys, written out here rather than taken from the provider. */
const SHARED_KALEYRA = {
    about: SHARED_PROFILE.about,
    address: SHARED_PROFILE.address,
    business_description: SHARED_PROFILE.businessDescription,
    business_category: SHARED_PROFILE.businessCategory,
    website: SHARED_PROFILE.website,
    contact_email: SHARED_PROFILE.contactEmail,
    display_image: SHARED_PROFILE.displayImage,
};

function assertOk(r: CliResult): void {
    assert.equal(r.code, 0, `pulumi ${r.args.join(" ")} failed:\n${r.stdout}\n${r.stderr}`);
}

/** A profile without the per-stack parts: what every stack must share. */
function sharedPart(profile: NumberProfile | undefined): Record<string, string | undefined> {
    assert.ok(profile);
    const { wa_number: _n, incoming_url: _u, ...rest } = profile;
    return rest;
}

/** The profile steps of a command, as `[name, op]`. */
function profileOps(r: CliResult): [string, string][] {
    return r.events.steps.filter((s) => s.type === PROFILE_TYPE).map((s) => [s.name, s.op]);
}

describe("the repository's project promoted dev → staging → prod under the real CLI (TypeScript through the language host)", function () {
    this.timeout(300_000);
    let emulator: RunningEmulator;
    let tmp: string;
    let ws: CliWorkspace;

    /** What each stack's first up did. */
    interface Promoted {
        result: CliResult;
        puts: unknown[];
        profilesBefore: Record<string, NumberProfile>;
        profilesAfter: Record<string, NumberProfile>;
        otherStatesBefore: string[];
        otherStatesAfter: string[];
    }
    const promoted = new Map<StackName, Promoted>();

    /** The stack's checkpoint file in the file backend ("" before the first update). */
    const stateText = (s: StackName): string => {
        const file = path.join(ws.backendDir, ".pulumi", "stacks", PROJECT, `${s}.json`);
        return fs.existsSync(file) ? fs.readFileSync(file, "utf8") : "";
    };

    /** Points stack `s` at the emulator with `key` and any `extra` config. */
    async function point(s: StackName, key: string, extra: Record<string, string> = {}): Promise<void> {
        await ws.setConfig(s, { "kaleyra:endpoint": emulator.url, "kaleyra:sid": emulator.sid, "kaleyra:maxRetries": "0", ...extra }, { "kaleyra:apiKey": key });
    }

    before(async function () {
        const cli = requireCli(this);
        assert.equal(new Set(STACKS.map(numberOf)).size, 3, "the stack files name three different numbers");
        assert.equal(new Set(STACKS.map(webhookOf)).size, 3, "the stack files name three different webhooks");
        emulator = await startEmulator({ apiKey: OLD_KEY, numbers: STACKS.map(numberOf), quiet: true });
        tmp = fs.mkdtempSync(path.join(os.tmpdir(), "promotion-"));
        ws = CliWorkspace.create({ pulumi: cli.path, dir: tmp, layout: { kind: "copy", source: ROOT }, passphrase: "e2e-tests-only", transpileOnly: false });
        for (const s of STACKS) {
            await ws.selectStack(s);
            await point(s, OLD_KEY);
        }
        for (const s of STACKS) {
            const others = STACKS.filter((o) => o !== s);
            emulator.clearRequests();
            const profilesBefore = emulator.profiles();
            const otherStatesBefore = others.map(stateText);
            const result = await ws.up(s, { allowFailure: true });
            promoted.set(s, {
                result,
                puts: emulator.kaleyraRequests().map((r) => r.body),
                profilesBefore,
                profilesAfter: emulator.profiles(),
                otherStatesBefore,
                otherStatesAfter: others.map(stateText),
            });
        }
    });
    after(async function () {
        if (ws && this.currentTest?.state !== "failed") {
            // Neither key anywhere: the CLI's output, the backend, PULUMI_HOME, the stack files.
            for (const key of [OLD_KEY, NEW_KEY]) {
                for (const r of ws.history) assert.ok(!`${r.stdout}${r.stderr}`.includes(key), `an API key is in the output of pulumi ${r.args.join(" ")}`);
                for (const f of filesUnder(tmp)) assert.ok(!fs.readFileSync(f, "latin1").includes(key), `an API key is in ${f}`);
            }
        }
        await emulator?.close();
        if (tmp) fs.rmSync(tmp, { recursive: true, force: true });
    });

    function stepOf(s: StackName): Promoted {
        const p = promoted.get(s);
        assert.ok(p, `no result for ${s}`);
        assertOk(p.result);
        return p;
    }

    it("each stack touches only its own number, with one PUT carrying its own webhook", () => {
        for (const s of STACKS) {
            const p = stepOf(s);
            assert.deepEqual(profileOps(p.result), [["support", "create"]], s);
            assert.deepEqual(p.puts, [{ wa_number: numberOf(s), ...SHARED_KALEYRA, incoming_url: webhookOf(s) }], s);
            for (const other of STACKS.filter((o) => o !== s)) {
                assert.deepEqual(p.profilesAfter[numberOf(other)], p.profilesBefore[numberOf(other)], `${s} changed ${other}'s number`);
            }
        }
    });

    it("each stack has its own state, with only its own resource, and leaves the others' alone", async () => {
        for (const s of STACKS) {
            const p = stepOf(s);
            assert.deepEqual(p.otherStatesAfter, p.otherStatesBefore, `${s}'s up wrote another stack's state`);
            const resources = (await ws.resources(s)).filter((r) => r.type === PROFILE_TYPE);
            assert.deepEqual(
                resources.map((r) => [r.urn, r.id]),
                [[`urn:pulumi:${s}::${PROJECT}::${PROFILE_TYPE}::support`, numberOf(s)]],
            );
        }
    });

    it("the shared text is identical on the three numbers, and is SHARED_PROFILE", () => {
        const profiles = emulator.profiles();
        for (const s of STACKS) {
            assert.deepEqual(sharedPart(profiles[numberOf(s)]), SHARED_KALEYRA, s);
            assert.equal(profiles[numberOf(s)].incoming_url, webhookOf(s));
        }
    });

    it("stack outputs: supportNumber, incomingUrl and numbers, none secret", async () => {
        for (const s of STACKS) {
            stepOf(s);
            assert.deepEqual(await ws.outputs(s), {
                supportNumber: numberOf(s),
                incomingUrl: webhookOf(s),
                numbers: { [numberOf(s)]: webhookOf(s) },
            });
            const stackResource = (await ws.resources(s)).find((r) => r.type === "pulumi:pulumi:Stack");
            assert.doesNotMatch(JSON.stringify(stackResource?.outputs), /4dabf18193072939515e22adb298388d/, `${s} has secret outputs`);
        }
    });

    it("the repository's stack files are not touched (the workspace copies them)", () => {
        for (const s of STACKS) assert.ok(!fs.readFileSync(path.join(ROOT, `Pulumi.${s}.yaml`), "utf8").includes("encryptionsalt"));
    });

    it("promoting the same program again changes nothing and makes no PUT", async () => {
        emulator.clearRequests();
        for (const s of STACKS) {
            // Type-checked once, on the first pass; transpiled only from here on.
            const r = await ws.up(s, { allowFailure: true, env: { PULUMI_NODEJS_TRANSPILE_ONLY: "true" } });
            assertOk(r);
            assert.deepEqual(profileOps(r), [["support", "same"]], s);
        }
        assert.equal(emulator.kaleyraRequests().length, 0);
    });

    it("a stack's own address changes only that number, with one PUT of the address; dropping it restores the shared one", async () => {
        const staging = numberOf("staging");
        const others = emulator.profiles();
        const transpileOnly = { allowFailure: true, env: { PULUMI_NODEJS_TRANSPILE_ONLY: "true" } };
        emulator.clearRequests();
        await ws.setConfig("staging", { [`${PROJECT}:address`]: "1 Staging Road, Pune 411001" });
        assertOk(await ws.up("staging", transpileOnly));
        assert.deepEqual(emulator.kaleyraRequests().map((r) => r.body), [{ wa_number: staging, address: "1 Staging Road, Pune 411001" }]);

        emulator.clearRequests();
        await ws.removeConfig("staging", `${PROJECT}:address`);
        assertOk(await ws.up("staging", transpileOnly));
        assert.deepEqual(emulator.kaleyraRequests().map((r) => r.body), [{ wa_number: staging, address: SHARED_PROFILE.address }]);
        assert.deepEqual(emulator.profiles(), others);
    });

    it("after a key rotation, a changing up and a destroy work with the new key; a stack still holding the old key gets RBC001 and keeps its state", async () => {
        const transpileOnly = { allowFailure: true, env: { PULUMI_NODEJS_TRANSPILE_ONLY: "true" } };
        emulator.setApiKey(NEW_KEY);
        emulator.clearRequests();
        const moved = "https://hooks.example.com/whatsapp/dev-v2";
        await point("dev", NEW_KEY, { [`${PROJECT}:incomingUrl`]: moved });
        assertOk(await ws.up("dev", transpileOnly));
        assert.deepEqual(emulator.kaleyraRequests().map((r) => [r.status, r.body]), [[200, { wa_number: numberOf("dev"), incoming_url: moved }]]);

        // Staging's config still holds the old key.
        emulator.clearRequests();
        const recordedProfiles = async (s: StackName) =>
            (await ws.resources(s)).filter((r) => r.type === PROFILE_TYPE).map((r) => ({ urn: r.urn, id: r.id, inputs: r.inputs, outputs: r.outputs }));
        const stagingBefore = await recordedProfiles("staging");
        const stagingProfile = emulator.profile(numberOf("staging"));
        await ws.setConfig("staging", { [`${PROJECT}:address`]: "2 Stale Key Lane" });
        const stale = await ws.up("staging", transpileOnly);
        assert.notEqual(stale.code, 0);
        assert.deepEqual(emulator.kaleyraRequests().map((r) => r.status), [401]);
        assert.match(stale.stdout + stale.stderr, /RBC001/);
        assert.match(stale.stdout + stale.stderr, /Check kaleyra:sid and kaleyra:apiKey/);
        assert.deepEqual(await recordedProfiles("staging"), stagingBefore);
        assert.deepEqual(emulator.profile(numberOf("staging")), stagingProfile);

        emulator.clearRequests();
        assertOk(await ws.destroy("dev", transpileOnly));
        assert.deepEqual((await ws.resources("dev")).filter((r) => r.type === PROFILE_TYPE), []);
        assert.equal(emulator.kaleyraRequests().length, 0);
    });
});
