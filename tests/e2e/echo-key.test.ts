/**
 * The API key never leaks, even from a server that echoes it back. The emulator's `echoApiKey`
 * fault repeats the request's `api-key` in every response's headers (`X-Echoed-Api-Key`,
 * `X-Request-Id`) and in every error message; the provider runs through the engine-side harness
 * (Pulumi's real dynamic-provider host) against it — creates through retries, rejections, an HTML
 * error page, a key the server refuses, a retry budget that runs out, refresh and destroy — and
 * every output of every operation is searched for the key: the operation result (state, outputs,
 * steps, errors, check failures), the host's log, the program's log, the state file, and the
 * emulator's own request log (through the library and the admin API).
 */
import { strict as assert } from "node:assert";
import * as fs from "node:fs";
import * as os from "node:os";
import * as path from "node:path";

import { startEmulator, type RunningEmulator } from "../../provider/emulator";
import { destroy, preview, refresh, up, type OperationResult, type StackRef } from "../../tools/harness";
import { operationTexts } from "../helpers/leaks";
import { fullProfile } from "../helpers/profiles";

const PROJECT_DIR = path.join(__dirname, "..", "fixtures", "profile-program");
/** A distinctive key: any trace of it anywhere is a leak. */
const KEY = "Aecho0e2e0SECRET0key0c0ffee0d00d7";
const A = "+919876543210";
const B = "+919876543211";

/** One place the key was found: the operation, where, and the text around it. */
interface Leak {
    readonly operation: string;
    readonly where: string;
    readonly context: string;
}

function leaksIn(operation: string, texts: readonly (readonly [string, string])[]): Leak[] {
    const found: Leak[] = [];
    for (const [where, text] of texts) {
        for (let at = text.indexOf(KEY); at >= 0; at = text.indexOf(KEY, at + KEY.length)) {
            found.push({ operation, where, context: text.slice(Math.max(0, at - 120), at + KEY.length + 40) });
        }
    }
    return found;
}

describe("the API key against a server that echoes it (emulator echoApiKey fault, through the provider host)", function () {
    this.timeout(300_000);
    let emulator: RunningEmulator;
    let tmp: string;
    let stateFile: string;
    const leaks: Leak[] = [];
    /** What each operation's errors said, for the checks that the echo really reached the provider. */
    const said: Record<string, string> = {};

    before(async () => {
        tmp = fs.mkdtempSync(path.join(os.tmpdir(), "kaleyra-echo-key-"));
        stateFile = path.join(tmp, "state.json");
        emulator = await startEmulator({ numbers: [A, B], apiKey: KEY, faults: { echoApiKey: true }, quiet: true });
    });
    after(async () => {
        await emulator?.close();
        fs.rmSync(tmp, { recursive: true, force: true });
    });

    function stack(profiles: Record<string, object>, config: StackRef["config"] = {}): StackRef {
        return {
            projectDir: PROJECT_DIR,
            program: path.join(PROJECT_DIR, "index.ts"),
            project: "echo-key",
            stack: "test",
            config: {
                "kaleyra:sid": emulator.sid,
                "kaleyra:apiKey": { secret: KEY },
                "kaleyra:endpoint": emulator.url,
                "kaleyra:maxRetries": "2",
                ...config,
            },
            stateFile,
            env: { PROFILES_JSON: JSON.stringify(profiles) },
        };
    }

    /** Run one operation and record every place its outputs (and the emulator's log) hold the key. */
    async function run(name: string, operation: Promise<OperationResult>): Promise<OperationResult> {
        const r = await operation;
        said[name] = r.errors.join("\n");
        const adminLog = await (await fetch(`${emulator.url}/__emulator/requests`)).text();
        leaks.push(
            ...leaksIn(name, [
                ...operationTexts(r, stateFile),
                ["operation result (whole)", JSON.stringify(r)],
                ["emulator request log", JSON.stringify(emulator.requests())],
                ["emulator request log (admin API)", adminLog],
            ]),
        );
        return r;
    }

    const support = fullProfile({ waNumber: A });
    const sales = { waNumber: B, about: "Sales, 10-7", incomingUrl: "https://hooks.example.com/wa/sales" };

    it("preview: no call, nothing to leak", async () => {
        const r = await run("preview", preview(stack({ support, sales })));
        assert.ok(r.ok, r.errors.join("\n"));
        assert.equal(emulator.kaleyraRequests().length, 0);
    });

    it("up through retries: a 503 and a 429 whose bodies and headers echo the key, then success", async () => {
        emulator.failNext(1, { status: 503 });
        emulator.failNext(1, { status: 429, headers: { "Retry-After": "0" } });
        const r = await run("up (retried create)", up(stack({ support, sales })));
        assert.ok(r.ok, r.errors.join("\n"));
        assert.equal(r.summary.create, 2);
        assert.deepEqual(
            emulator.kaleyraRequests().map((e) => e.status).sort(),
            [200, 200, 429, 503],
        );
        assert.match(r.hostLog, /attempt 1 failed/, "the retries were reported in the host log");
    });

    it("up rejected with a validation error whose message echoes the key", async () => {
        emulator.failNext(1, {
            status: 400,
            body: { error: { code: "E13001", type: "VALIDATION_ERROR", parameter: "about", message: "about was refused", reference: "" } },
        });
        const r = await run("up (400)", up(stack({ support: { ...support, about: "Open 24/7" }, sales })));
        assert.equal(r.ok, false);
        assert.match(said["up (400)"], /E13001/);
        assert.match(said["up (400)"], /about was refused/, "Kaleyra's message (minus the key) reaches the user");
    });

    it("up failed by HTML 502 pages that echo the key, until the retries run out", async () => {
        emulator.failNext(3, { status: 502, body: "<html><body>Bad Gateway</body></html>" });
        const r = await run("up (HTML 502)", up(stack({ support: { ...support, about: "Open 24/7" }, sales })));
        assert.equal(r.ok, false);
        assert.match(said["up (HTML 502)"], /Bad Gateway/);
        assert.match(said["up (HTML 502)"], /3 attempts|attempts/);
    });

    it("up refused with 401 while the server echoes the key it refused", async () => {
        emulator.setApiKey("Aanother0key0the0server0wants0001");
        try {
            const r = await run("up (401)", up(stack({ support: { ...support, about: "Open 24/7" }, sales })));
            assert.equal(r.ok, false);
            assert.match(said["up (401)"], /RBC001/);
        } finally {
            emulator.setApiKey(KEY);
        }
    });

    it("up with a retry budget that runs out on echoed 500s", async () => {
        emulator.failNext(2, { status: 500 });
        const r = await run(
            "up (budget)",
            up(stack({ support: { ...support, about: "Open 24/7" }, sales }, { "kaleyra:maxRetries": "1" })),
        );
        assert.equal(r.ok, false);
        assert.match(said["up (budget)"], /WA500/);
    });

    it("up, refresh and destroy succeed with the echo still on", async () => {
        const faults = (await (await fetch(`${emulator.url}/__emulator/faults`)).json()) as { pending: number };
        assert.equal(faults.pending, 0, "every scripted fault was used");
        const updated = await run("up (update)", up(stack({ support: { ...support, about: "Open 24/7" }, sales })));
        assert.ok(updated.ok, updated.errors.join("\n"));
        assert.equal(emulator.profile(A)?.about, "Open 24/7");
        const refreshed = await run("refresh", refresh(stack({ support, sales })));
        assert.ok(refreshed.ok, refreshed.errors.join("\n"));
        const destroyed = await run("destroy", destroy(stack({})));
        assert.ok(destroyed.ok, destroyed.errors.join("\n"));
    });

    it("the key appears in none of the outputs of any of these operations", () => {
        assert.ok(Object.keys(said).length >= 8, "every operation ran");
        const report = leaks.map((l) => `- ${l.operation} → ${l.where}: …${l.context.replace(/\s+/g, " ")}…`).join("\n");
        assert.deepEqual(leaks.map((l) => `${l.operation} → ${l.where}`), [], `the API key leaked:\n${report}`);
    });
});
