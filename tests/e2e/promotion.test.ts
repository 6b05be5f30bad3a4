/**
 * Promotion of the company program (the repository's root project: Pulumi.yaml,
 * examples/company) from dev to staging to prod, through the engine-side harness against one
 * emulator that holds the three numbers. Each stack's config is read from its real
 * `Pulumi.<stack>.yaml`; only `kaleyra:endpoint`, `kaleyra:sid` and `kaleyra:apiKey` are pointed
 * at the emulator. Also: API key rotation, and unit tests of the examples' pure helpers.
 */
import { strict as assert } from "node:assert";
import * as fs from "node:fs";
import * as os from "node:os";
import * as path from "node:path";

import { SHARED_PROFILE } from "../../examples/company/profile";
import { startEmulator, type NumberProfile, type RunningEmulator } from "../../provider/emulator";
import { readProjectName, readStackConfig, type StackConfigValues } from "../../scripts/stack-config";
import { destroy, readState, up, type OperationResult, type StackRef } from "../../tools/harness";
import { operationTexts } from "../helpers/leaks";

const ROOT = path.resolve(__dirname, "..", "..");
const PROGRAM = path.join(ROOT, "examples", "company", "index.ts");
const PROJECT = readProjectName(ROOT);
const STACKS = ["dev", "staging", "prod"] as const;
type StackName = (typeof STACKS)[number];

/** Each stack's config as its Pulumi.<stack>.yaml says. */
const FILES: Record<StackName, StackConfigValues> = {
    dev: readStackConfig(ROOT, "dev"),
    staging: readStackConfig(ROOT, "staging"),
    prod: readStackConfig(ROOT, "prod"),
};
const numberOf = (s: StackName): string => FILES[s][`${PROJECT}:supportNumber`];
const webhookOf = (s: StackName): string => FILES[s][`${PROJECT}:incomingUrl`];

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

function assertOk(r: OperationResult): void {
    assert.ok(r.ok, `${r.operation} failed: ${JSON.stringify(r.errors)} ${JSON.stringify(r.checkFailures)}\n${r.programLog}\n${r.hostLog}`);
}

/** A profile without the per-stack parts: what every stack must share. */
function sharedPart(profile: NumberProfile | undefined): Record<string, string | undefined> {
    assert.ok(profile);
    const { wa_number: _n, incoming_url: _u, ...rest } = profile;
    return rest;
}

/** The company stack `s`, its file's config with the Kaleyra settings pointed at `emulator`. */
function companyStack(s: StackName, emulator: RunningEmulator, stateDir: string, extra: Record<string, string> = {}, apiKey = emulator.apiKey): StackRef {
    return {
        projectDir: ROOT,
        program: PROGRAM,
        project: PROJECT,
        stack: s,
        config: {
            ...FILES[s],
            "kaleyra:endpoint": emulator.url,
            "kaleyra:sid": emulator.sid,
            "kaleyra:apiKey": { secret: apiKey },
            "kaleyra:maxRetries": "0",
            ...extra,
        },
        stateFile: path.join(stateDir, `${s}.json`),
    };
}

describe("promotion of the company program: dev → staging → prod", function () {
    this.timeout(60_000);
    const KEY = "Apromotion0SECRET0key0d15ea5e0b0a7";
    let emulator: RunningEmulator;
    let stateDir: string;

    /** What each stack's first up did. */
    interface Promoted {
        result: OperationResult;
        puts: unknown[];
        profilesBefore: Record<string, NumberProfile>;
        profilesAfter: Record<string, NumberProfile>;
        otherStateFilesBefore: string[];
        otherStateFilesAfter: string[];
    }
    const promoted = new Map<StackName, Promoted>();

    const stateText = (s: StackName): string => {
        const file = path.join(stateDir, `${s}.json`);
        return fs.existsSync(file) ? fs.readFileSync(file, "utf8") : "";
    };

    before(async () => {
        assert.equal(new Set(STACKS.map(numberOf)).size, 3, "the stack files name three different numbers");
        assert.equal(new Set(STACKS.map(webhookOf)).size, 3, "the stack files name three different webhooks");
        emulator = await startEmulator({ apiKey: KEY, numbers: STACKS.map(numberOf), quiet: true });
        stateDir = fs.mkdtempSync(path.join(os.tmpdir(), "promotion-"));
        for (const s of STACKS) {
            const others = STACKS.filter((o) => o !== s);
            emulator.clearRequests();
            const profilesBefore = emulator.profiles();
            const otherStateFilesBefore = others.map(stateText);
            const result = await up(companyStack(s, emulator, stateDir));
            promoted.set(s, {
                result,
                puts: emulator.kaleyraRequests().map((r) => r.body),
                profilesBefore,
                profilesAfter: emulator.profiles(),
                otherStateFilesBefore,
                otherStateFilesAfter: others.map(stateText),
            });
        }
    });
    after(async () => {
        await emulator.close();
        fs.rmSync(stateDir, { recursive: true, force: true });
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
            assert.deepEqual(p.puts, [{ wa_number: numberOf(s), ...SHARED_KALEYRA, incoming_url: webhookOf(s) }], s);
            for (const other of STACKS.filter((o) => o !== s)) {
                assert.deepEqual(p.profilesAfter[numberOf(other)], p.profilesBefore[numberOf(other)], `${s} changed ${other}'s number`);
            }
        }
    });

    it("each stack has its own state file, with only its own resource, and leaves the others' files alone", () => {
        for (const s of STACKS) {
            const p = stepOf(s);
            assert.deepEqual(p.otherStateFilesAfter, p.otherStateFilesBefore, `${s}'s up wrote another stack's state`);
            const state = readState(path.join(stateDir, `${s}.json`));
            assert.equal(state.stack, s);
            assert.deepEqual(
                state.resources.map((r) => [r.urn, r.id]),
                [[`urn:pulumi:${s}::${PROJECT}::pulumi-nodejs:dynamic/kaleyra:WhatsAppNumberProfile::support`, numberOf(s)]],
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

    it("stack outputs: supportNumber, incomingUrl and numbers", () => {
        for (const s of STACKS) {
            const { result } = stepOf(s);
            assert.deepEqual(result.outputs, {
                supportNumber: numberOf(s),
                incomingUrl: webhookOf(s),
                numbers: { [numberOf(s)]: webhookOf(s) },
            });
            assert.deepEqual(result.secretOutputs, []);
        }
    });

    it("promoting the same program again changes nothing and makes no PUT", async () => {
        emulator.clearRequests();
        for (const s of STACKS) {
            const r = await up(companyStack(s, emulator, stateDir));
            assertOk(r);
            assert.equal(r.summary.same, 1, s);
            assert.deepEqual([r.grpcCalls.Create, r.grpcCalls.Update], [0, 0], s);
        }
        assert.equal(emulator.kaleyraRequests().length, 0);
    });

    it("a stack's own address changes only that number, with one PUT of the address; dropping it restores the shared one", async () => {
        const staging = numberOf("staging");
        const others = emulator.profiles();
        emulator.clearRequests();
        const own = await up(companyStack("staging", emulator, stateDir, { [`${PROJECT}:address`]: "1 Staging Road, Pune 411001" }));
        assertOk(own);
        assert.deepEqual(emulator.kaleyraRequests().map((r) => r.body), [{ wa_number: staging, address: "1 Staging Road, Pune 411001" }]);

        emulator.clearRequests();
        const back = await up(companyStack("staging", emulator, stateDir));
        assertOk(back);
        assert.deepEqual(emulator.kaleyraRequests().map((r) => r.body), [{ wa_number: staging, address: SHARED_PROFILE.address }]);
        assert.deepEqual(emulator.profiles(), others);
    });
});

describe("API key rotation on the company program", function () {
    this.timeout(60_000);
    const OLD_KEY = "Arotation0OLD0key0SECRET0f00d";
    const NEW_KEY = "Arotation0NEW0key0SECRET0beef";
    let emulator: RunningEmulator;
    let stateDir: string;

    before(async () => {
        emulator = await startEmulator({ apiKey: OLD_KEY, numbers: STACKS.map(numberOf), quiet: true });
        stateDir = fs.mkdtempSync(path.join(os.tmpdir(), "rotation-"));
    });
    after(async () => {
        await emulator.close();
        fs.rmSync(stateDir, { recursive: true, force: true });
    });

    it("after a rotation, a changing up and destroy work with the new key; the old key gets RBC001; neither key leaks", async () => {
        const results: [OperationResult, string][] = [];
        const run = async (op: typeof up, s: StackRef): Promise<OperationResult> => {
            const r = await op(s);
            results.push([r, s.stateFile]);
            return r;
        };

        assertOk(await run(up, companyStack("dev", emulator, stateDir, {}, OLD_KEY)));

        emulator.setApiKey(NEW_KEY);
        emulator.clearRequests();
        const moved = "https://hooks.example.com/whatsapp/dev-v2";
        const changed = await run(up, companyStack("dev", emulator, stateDir, { [`${PROJECT}:incomingUrl`]: moved }, NEW_KEY));
        assertOk(changed);
        assert.deepEqual(emulator.kaleyraRequests().map((r) => [r.status, r.body]), [[200, { wa_number: numberOf("dev"), incoming_url: moved }]]);

        // A stack whose config still holds the old key.
        emulator.clearRequests();
        const stale = await run(up, companyStack("staging", emulator, stateDir, {}, OLD_KEY));
        assert.equal(stale.ok, false);
        assert.deepEqual(emulator.kaleyraRequests().map((r) => r.status), [401]);
        const message = stale.errors.join("\n");
        assert.match(message, /RBC001/);
        assert.match(message, /Check kaleyra:sid and kaleyra:apiKey/);
        assert.deepEqual(readState(path.join(stateDir, "staging.json")).resources, []);
        assert.deepEqual(emulator.profile(numberOf("staging")), { wa_number: numberOf("staging") });

        emulator.clearRequests();
        const gone = await run(destroy, companyStack("dev", emulator, stateDir, { [`${PROJECT}:incomingUrl`]: moved }, NEW_KEY));
        assertOk(gone);
        assert.deepEqual(readState(path.join(stateDir, "dev.json")).resources, []);
        assert.equal(emulator.kaleyraRequests().length, 0);

        for (const [r, stateFile] of results) {
            for (const [what, text] of operationTexts(r, stateFile)) {
                for (const key of [OLD_KEY, NEW_KEY]) {
                    assert.ok(!text.includes(key), `an API key is in the ${what} of ${r.operation} ${r.state.stack}`);
                }
            }
        }
    });
});
