/**
 * The API key never leaks, even from a server that echoes it back. The emulator's `echoApiKey`
 * fault repeats the request's `api-key` in every response's headers (`X-Echoed-Api-Key`,
 * `X-Request-Id`) and in every error message; the provider runs under the real CLI against it —
 * creates through retries, rejections, an HTML error page, a key the server refuses, a retry budget
 * that runs out, refresh and destroy — and everything is searched for the key: what the CLI printed,
 * the state and its backups, the engine's event logs, `PULUMI_HOME`, the stack files, and the
 * emulator's own request log (through the library and the admin API).
 */
import { strict as assert } from "node:assert";
import * as fs from "node:fs";
import * as os from "node:os";
import * as path from "node:path";

import { startEmulator, type RunningEmulator } from "../../provider/emulator";
import { requireCli, TestStack, type StackRun } from "../helpers/cli-stack";
import { fullProfile } from "../helpers/profiles";

const PROGRAM = path.join(__dirname, "..", "fixtures", "profile-program", "index.ts");
/** A distinctive key: any trace of it anywhere is a leak. */
const KEY = "Aecho0e2e0SECRET0key0c0ffee0d00d7";
const A = "+919876543210";
const B = "+919876543211";

/** One place the key was found: where, and the text around it. */
interface Leak {
    readonly where: string;
    readonly context: string;
}

function leaksIn(texts: readonly (readonly [string, string])[]): Leak[] {
    const found: Leak[] = [];
    for (const [where, text] of texts) {
        for (let at = text.indexOf(KEY); at >= 0; at = text.indexOf(KEY, at + KEY.length)) {
            found.push({ where, context: text.slice(Math.max(0, at - 120), at + KEY.length + 40) });
        }
    }
    return found;
}

describe("the API key against a server that echoes it (emulator echoApiKey fault, under the real CLI)", function () {
    this.timeout(240_000);
    let emulator: RunningEmulator;
    let tmp: string;
    let stack: TestStack;
    /** What each operation printed, for the checks that the echo really reached the provider. */
    const said: Record<string, string> = {};

    before(async function () {
        const cli = requireCli(this);
        tmp = fs.mkdtempSync(path.join(os.tmpdir(), "kaleyra-echo-key-"));
        emulator = await startEmulator({ numbers: [A, B], apiKey: KEY, faults: { echoApiKey: true }, quiet: true });
        stack = await TestStack.open(cli, { program: PROGRAM, project: "echo-key", stack: "test", dir: path.join(tmp, "stack") });
        await stack.configure({ "kaleyra:sid": emulator.sid, "kaleyra:endpoint": emulator.url, "kaleyra:maxRetries": "2" }, { "kaleyra:apiKey": KEY });
    });
    after(async () => {
        await emulator?.close();
        if (tmp) fs.rmSync(tmp, { recursive: true, force: true });
    });

    /** Runs one operation of the program declaring `profiles`, and keeps what it printed. */
    async function run(name: string, operation: "preview" | "up" | "refresh" | "destroy", profiles: Record<string, object>): Promise<StackRun> {
        const r = await stack[operation]({ env: { PROFILES_JSON: JSON.stringify(profiles) } });
        said[name] = r.text;
        return r;
    }

    const support = fullProfile({ waNumber: A });
    const sales = { waNumber: B, about: "Sales, 10-7", incomingUrl: "https://hooks.example.com/wa/sales" };
    const edited = { support: { ...support, about: "Open 24/7" }, sales };

    it("preview: no call, nothing to leak", async () => {
        const r = await run("preview", "preview", { support, sales });
        assert.ok(r.ok, r.text);
        assert.equal(emulator.kaleyraRequests().length, 0);
    });

    it("up through retries: a 503 and a 429 whose bodies and headers echo the key, then success", async () => {
        emulator.failNext(1, { status: 503 });
        emulator.failNext(1, { status: 429, headers: { "Retry-After": "0" } });
        const r = await run("up (retried create)", "up", { support, sales });
        assert.ok(r.ok, r.text);
        assert.deepEqual(r.steps.map((s) => s.op), ["create", "create"]);
        assert.deepEqual(
            emulator.kaleyraRequests().map((e) => e.status).sort(),
            [200, 200, 429, 503],
        );
        assert.match(r.text, /attempt 1 failed/, "the retries were reported");
    });

    it("up rejected with a validation error whose message echoes the key", async () => {
        emulator.failNext(1, {
            status: 400,
            body: { error: { code: "E13001", type: "VALIDATION_ERROR", parameter: "about", message: "about was refused", reference: "" } },
        });
        const r = await run("up (400)", "up", edited);
        assert.equal(r.ok, false);
        assert.match(r.text, /E13001/);
        assert.match(r.text, /about was refused/, "Kaleyra's message (minus the key) reaches the user");
    });

    it("up failed by HTML 502 pages that echo the key, until the retries run out", async () => {
        emulator.failNext(3, { status: 502, body: "<html><body>Bad Gateway</body></html>" });
        const r = await run("up (HTML 502)", "up", edited);
        assert.equal(r.ok, false);
        assert.match(r.text, /Bad Gateway/);
        assert.match(r.text, /3 attempts/);
    });

    it("up refused with 401 while the server echoes the key it refused", async () => {
        emulator.setApiKey("Aanother0key0the0server0wants0001");
        try {
            const r = await run("up (401)", "up", edited);
            assert.equal(r.ok, false);
            assert.match(r.text, /RBC001/);
        } finally {
            emulator.setApiKey(KEY);
        }
    });

    it("up with a retry budget that runs out on echoed 500s", async () => {
        await stack.configure({ "kaleyra:maxRetries": "1" });
        try {
            emulator.failNext(2, { status: 500 });
            const r = await run("up (budget)", "up", edited);
            assert.equal(r.ok, false);
            assert.match(r.text, /WA500/);
        } finally {
            await stack.configure({ "kaleyra:maxRetries": "2" });
        }
    });

    it("up, refresh and destroy succeed with the echo still on", async () => {
        const faults = (await (await fetch(`${emulator.url}/__emulator/faults`)).json()) as { pending: number };
        assert.equal(faults.pending, 0, "every scripted fault was used");
        const updated = await run("up (update)", "up", edited);
        assert.ok(updated.ok, updated.text);
        assert.equal(emulator.profile(A)?.about, "Open 24/7");
        const refreshed = await run("refresh", "refresh", edited);
        assert.ok(refreshed.ok, refreshed.text);
        const destroyed = await run("destroy", "destroy", {});
        assert.ok(destroyed.ok, destroyed.text);
        assert.deepEqual(await stack.profiles(), []);
    });

    it("the key is in nothing the CLI printed or left on disk, nor in the emulator's request log", async () => {
        assert.equal(Object.keys(said).length, 9, "every operation ran");
        const adminLog = await (await fetch(`${emulator.url}/__emulator/requests`)).text();
        const leaks = leaksIn([...(await stack.texts()), ["emulator request log", JSON.stringify(emulator.requests())], ["emulator request log (admin API)", adminLog]]);
        const report = leaks.map((l) => `- ${l.where}: …${l.context.replace(/\s+/g, " ")}…`).join("\n");
        assert.deepEqual(
            leaks.map((l) => l.where),
            [],
            `the API key leaked:\n${report}`,
        );
    });
});
