import { strict as assert } from "node:assert";
import { ChildProcess, spawn, spawnSync } from "node:child_process";
import * as fs from "node:fs";
import * as path from "node:path";
import { NUMBER, SAMPLE_BODY, SUCCESS_TEXT, json, removeDir, request, tempDir } from "./helpers";

const ROOT = path.resolve(__dirname, "..", "..", "..");
const CLI = ["--require", "tsx/cjs", path.join("provider", "emulator", "cli.ts")];

interface Started {
    child: ChildProcess;
    url: string;
    stdout: () => string;
}

/** Spawn the CLI and resolve once it prints its URL. */
function startCli(args: string[]): Promise<Started> {
    const child = spawn(process.execPath, [...CLI, ...args], { cwd: ROOT, stdio: ["ignore", "pipe", "pipe"] });
    let out = "";
    let err = "";
    return new Promise((resolve, reject) => {
        child.stdout?.on("data", (chunk: Buffer) => {
            out += chunk.toString("utf8");
            const match = /listening on (http:\/\/\S+)/.exec(out);
            if (match) resolve({ child, url: match[1], stdout: () => out });
        });
        child.stderr?.on("data", (chunk: Buffer) => (err += chunk.toString("utf8")));
        child.on("exit", (code, signal) => reject(new Error(`the CLI exited (${code ?? signal}) before listening: ${err}`)));
    });
}

function exited(child: ChildProcess): Promise<{ code: number | null; signal: NodeJS.Signals | null }> {
    if (child.exitCode !== null || child.signalCode !== null) return Promise.resolve({ code: child.exitCode, signal: child.signalCode });
    return new Promise((resolve) => child.once("exit", (code, signal) => resolve({ code, signal })));
}

function runCli(args: string[]): { status: number | null; stdout: string; stderr: string } {
    const r = spawnSync(process.execPath, [...CLI, ...args], { cwd: ROOT, encoding: "utf8", timeout: 15_000 });
    return { status: r.status, stdout: r.stdout, stderr: r.stderr };
}

describe("emulator: the CLI", function () {
    this.timeout(20_000);
    let dir: string;
    const children: ChildProcess[] = [];

    beforeEach(() => {
        dir = tempDir();
    });
    afterEach(async () => {
        for (const child of children.splice(0)) {
            if (child.exitCode === null && child.signalCode === null) {
                child.kill("SIGKILL");
                await exited(child);
            }
        }
        removeDir(dir);
    });

    async function start(args: string[]): Promise<Started> {
        const started = await startCli(args);
        children.push(started.child);
        return started;
    }

    it("keeps an accepted update when killed with SIGKILL right after the 200", async () => {
        const data = path.join(dir, "state.json");
        const first = await start(["--port", "0", "--number", NUMBER, "--data", data]);
        assert.match(first.url, /^http:\/\/127\.0\.0\.1:\d+$/);
        assert.doesNotMatch(first.url, /:0$/);
        const stdout = first.stdout();
        assert.match(stdout, /SID: +HXEMULATOR0001/);
        assert.match(stdout, new RegExp(`pulumi config set kaleyra:endpoint ${first.url.replace(/\./g, "\\.")}`));
        assert.match(stdout, /pulumi config set --secret kaleyra:apiKey \S+/);
        assert.match(stdout, /export KALEYRA_SID=HXEMULATOR0001/);
        const apiKey = /export KALEYRA_API_KEY=(\S+)/.exec(stdout)?.[1];
        assert.ok(apiKey, "no KALEYRA_API_KEY line");
        assert.ok(stdout.includes(NUMBER));

        const res = await request(`${first.url}/v1/HXEMULATOR0001/whatsapp/number`, {
            method: "PUT",
            headers: { "api-key": apiKey, "Content-Type": "application/json" },
            body: SAMPLE_BODY,
        });
        first.child.kill("SIGKILL");
        assert.equal(res.status, 200);
        assert.equal(res.text, SUCCESS_TEXT);
        assert.equal((await exited(first.child)).signal, "SIGKILL");

        const second = await start(["--port", "0", "--number", NUMBER, "--data", data]);
        const profile = await request(`${second.url}/__emulator/numbers/${encodeURIComponent(NUMBER)}`);
        assert.equal(profile.status, 200);
        assert.deepEqual(json(profile), SAMPLE_BODY);
        assert.deepEqual(fs.readdirSync(dir), ["state.json"]);
    });

    it("stops cleanly on SIGTERM and SIGINT (exit 0)", async () => {
        for (const signal of ["SIGTERM", "SIGINT"] as const) {
            const started = await start(["--port", "0", "--sid", "HXCLI01", "--api-key", "Acli-key"]);
            assert.match(started.stdout(), /export KALEYRA_API_KEY=Acli-key/);
            started.child.kill(signal);
            assert.deepEqual(await exited(started.child), { code: 0, signal: null });
        }
    });

    it("prints --help with every flag and exits 0", () => {
        const r = runCli(["--help"]);
        assert.equal(r.status, 0);
        for (const flag of ["--port", "--host", "--sid", "--api-key", "--number", "--data", "--seed", "--rate-limit", "--retry-after", "--server-error", "--drop", "--hang", "--latency"]) {
            assert.ok(r.stdout.includes(flag), `--help does not mention ${flag}`);
        }
    });

    for (const args of [["--bogus"], ["--port", "http"], ["--number", "12345"], ["--rate-limit", "2"], ["stray"], ["--port"]]) {
        it(`exits 2 with a clear error on ${args.join(" ")}`, () => {
            const r = runCli(args);
            assert.equal(r.status, 2, r.stderr);
            assert.match(r.stderr, /^kaleyra-emulator: /);
            assert.equal(r.stdout, "");
        });
    }
});
