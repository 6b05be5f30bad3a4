/**
 * The emulator as a process of its own (`kaleyra-emulator`, the package's CLI, from dist/), driven
 * through its admin API (`/__emulator/requests`). The bench runs it out of process so that what
 * the bench process does between commands — sampling /proc, parsing event logs — never delays an
 * answer: the emulator answers at once, for ours and for nothing else.
 */
import { spawn, type ChildProcess } from "node:child_process";
import * as path from "node:path";

import type { RequestLogEntry } from "../provider/emulator";

/** The emulator's Kaleyra API paths (what the bench counts as PUTs). */
const KALEYRA_PREFIX = "/v1/";

/** Options of {@link EmulatorProcess.start}. */
export interface EmulatorProcessOptions {
    /** Numbers registered on the account. */
    readonly numbers: readonly string[];
    /** Milliseconds added before each Kaleyra request is handled. */
    readonly latencyMs?: number;
    /** Probability of a 429 per request. */
    readonly rateLimit?: number;
    /** `Retry-After` seconds with those 429s. */
    readonly retryAfterSeconds?: number;
    /** Seed of the fault generator. */
    readonly seed?: number;
}

/** A running `kaleyra-emulator` process. */
export class EmulatorProcess {
    private constructor(
        private readonly child: ChildProcess,
        /** The origin, for `kaleyra:endpoint`. */
        readonly url: string,
        /** The account SID it accepts. */
        readonly sid: string,
        /** The API key it accepts. */
        readonly apiKey: string,
    ) {}

    /** Starts the emulator on a free loopback port and waits for its banner. */
    static async start(options: EmulatorProcessOptions): Promise<EmulatorProcess> {
        const sid = "HXBENCH000001IN";
        const apiKey = "bench-emulator-key";
        const cli = path.resolve(__dirname, "..", "dist", "emulator", "cli.js");
        const args = [cli, "--port", "0", "--quiet", "--sid", sid, "--api-key", apiKey];
        for (const n of options.numbers) args.push("--number", n);
        if (options.latencyMs !== undefined) args.push("--latency", String(options.latencyMs));
        if (options.rateLimit !== undefined) args.push("--rate-limit", String(options.rateLimit));
        if (options.retryAfterSeconds !== undefined) args.push("--retry-after", String(options.retryAfterSeconds));
        if (options.seed !== undefined) args.push("--seed", String(options.seed));
        const child = spawn(process.execPath, args, { stdio: ["ignore", "pipe", "pipe"] });
        const url = await new Promise<string>((resolve, reject) => {
            let out = "";
            let err = "";
            const timer = setTimeout(() => reject(new Error(`kaleyra-emulator did not start within 30 s: ${err}`)), 30_000);
            child.stdout?.on("data", (d: Buffer) => {
                out += d.toString();
                const m = /listening on (http:\/\/\S+)/.exec(out);
                if (m) {
                    clearTimeout(timer);
                    resolve(m[1]);
                }
            });
            child.stderr?.on("data", (d: Buffer) => (err += d.toString()));
            child.on("exit", (code) => {
                clearTimeout(timer);
                reject(new Error(`kaleyra-emulator exited with ${code}: ${err}`));
            });
        });
        child.stdout?.resume();
        child.removeAllListeners("exit");
        return new EmulatorProcess(child, url, sid, apiKey);
    }

    private async admin(method: "GET" | "DELETE", route: string): Promise<unknown> {
        const response = await fetch(`${this.url}/__emulator/${route}`, { method });
        if (!response.ok) throw new Error(`${method} /__emulator/${route}: ${response.status}`);
        return response.status === 204 ? undefined : response.json();
    }

    /** Empties the request log. */
    async clearRequests(): Promise<void> {
        await this.admin("DELETE", "requests");
    }

    /** The requests to Kaleyra's paths since the last {@link clearRequests} (each one a PUT). */
    async kaleyraRequests(): Promise<RequestLogEntry[]> {
        return ((await this.admin("GET", "requests")) as RequestLogEntry[]).filter((e) => e.path.startsWith(KALEYRA_PREFIX));
    }

    /** Stops the process. */
    async close(): Promise<void> {
        if (this.child.exitCode !== null) return;
        const exited = new Promise<void>((resolve) => this.child.once("exit", () => resolve()));
        this.child.kill("SIGTERM");
        const timer = setTimeout(() => this.child.kill("SIGKILL"), 5_000);
        await exited;
        clearTimeout(timer);
    }
}
