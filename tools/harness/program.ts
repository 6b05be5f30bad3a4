/**
 * Parent side of the program run: spawns the collector child (fresh Node process, fresh Pulumi
 * runtime, this stack's config only), hands the registrations to the caller in batches ("waves":
 * everything registered before the program went quiet waiting for answers), relays the answers, and
 * resolves with the stack outputs or the program's error.
 */
import { spawn } from "node:child_process";
import * as path from "node:path";
import { resolveSdkDir } from "./sdk";
import { ChildMessage, CollectorSettings, ParentMessage, Registration } from "./protocol";
import { ConfigValue, JsonObject, StackRef } from "./types";

/** How the program run ended. */
export type ProgramOutcome = { ok: true; outputs: JsonObject } | { ok: false; error: string };

/** Answers registrations (each must be answered or rejected exactly once). */
export interface Responder {
    /** The resource's step is done: its ID ("" = unknown, preview only) and outputs in wire form. */
    answer(seq: number, id: string, outputs: JsonObject): void;
    /** The resource's step failed: the program sees the registration fail with `message`. */
    reject(seq: number, message: string): void;
}

/** Processes one batch of registrations; called sequentially, never concurrently. */
export type WaveHandler = (registrations: Registration[], respond: Responder) => Promise<void>;

/** Options of one program run. */
export interface ProgramRunOptions {
    /** The stack. */
    stack: StackRef;
    /** Preview (dry run). */
    dryRun: boolean;
    /** Quiet period before a batch is processed, ms. */
    settleMs: number;
    /** Kill the program after this long, ms. */
    timeoutMs: number;
}

/** A running program. */
export interface ProgramRun {
    /** Resolves when the program has finished (or failed) and every wave handler has returned. */
    outcome: Promise<ProgramOutcome>;
    /** The program's stdout and stderr so far. */
    log(): string;
    /** Kills the program if it is still running. */
    kill(): void;
}

/** `PULUMI_CONFIG` and `PULUMI_CONFIG_SECRET_KEYS` for a stack config, as the language host sets them. */
export function configEnv(config: Record<string, ConfigValue>): { PULUMI_CONFIG: string; PULUMI_CONFIG_SECRET_KEYS: string } {
    const plain: Record<string, string> = {};
    const secretKeys: string[] = [];
    for (const [k, v] of Object.entries(config)) {
        if (typeof v === "string") {
            plain[k] = v;
        } else {
            plain[k] = v.secret;
            secretKeys.push(k);
        }
    }
    return { PULUMI_CONFIG: JSON.stringify(plain), PULUMI_CONFIG_SECRET_KEYS: JSON.stringify(secretKeys) };
}

/** Starts the program in a collector child process. */
export function runProgram(opts: ProgramRunOptions, onWave: WaveHandler): ProgramRun {
    const { stack } = opts;
    const settings: CollectorSettings = {
        program: path.resolve(stack.program),
        projectDir: path.resolve(stack.projectDir),
        project: stack.project,
        stack: stack.stack,
        dryRun: opts.dryRun,
        settleMs: opts.settleMs,
    };
    // The SDK (and its closure serializer, which loads TypeScript) is preloaded natively before tsx
    // registers its loader: running those large JS files through tsx's transform would double the start-up time.
    const sdkDir = resolveSdkDir(settings.projectDir);
    const preload = [path.join(sdkDir, "index.js"), path.join(sdkDir, "runtime", "closure", "serializeClosure.js"), require.resolve("tsx/cjs")];
    const args = [...preload.flatMap((p) => ["--require", p]), path.join(__dirname, "collector.ts")];
    const child = spawn(process.execPath, args, {
        cwd: settings.projectDir,
        env: {
            ...process.env,
            ...stack.env,
            ...configEnv(stack.config),
            PULUMI_NODEJS_PROJECT: stack.project,
            PULUMI_NODEJS_STACK: stack.stack,
            PULUMI_NODEJS_DRY_RUN: String(opts.dryRun),
            HARNESS_COLLECTOR: JSON.stringify(settings),
        },
        stdio: ["ignore", "pipe", "pipe", "ipc"],
    });
    let log = "";
    child.stdout?.setEncoding("utf8").on("data", (d: string) => (log += d));
    child.stderr?.setEncoding("utf8").on("data", (d: string) => (log += d));

    const respond: Responder = {
        answer: (seq, id, outputs) => post({ kind: "answer", seq, id, outputs }),
        reject: (seq, message) => post({ kind: "reject", seq, message }),
    };
    function post(msg: ParentMessage): void {
        if (child.connected) {
            child.send(msg);
        }
    }

    let buffer: Registration[] = [];
    let chain: Promise<void> = Promise.resolve();
    const enqueueWave = (): void => {
        const wave = buffer;
        buffer = [];
        if (wave.length === 0) {
            return;
        }
        chain = chain.then(() =>
            onWave(wave, respond).catch((e: unknown) => {
                for (const r of wave) {
                    respond.reject(r.seq, `harness error: ${String(e)}`);
                }
            }),
        );
    };

    const finished = new Promise<ProgramOutcome>((resolve) => {
        let outcome: ProgramOutcome | undefined;
        const timer = setTimeout(() => {
            outcome ??= { ok: false, error: `program timed out after ${opts.timeoutMs} ms` };
            child.kill("SIGKILL");
        }, opts.timeoutMs);
        child.on("message", (msg: ChildMessage) => {
            switch (msg.kind) {
                case "register":
                    buffer.push(msg.registration);
                    break;
                case "idle":
                    enqueueWave();
                    break;
                case "done":
                    outcome ??= { ok: true, outputs: msg.outputs };
                    break;
                case "error":
                    outcome ??= { ok: false, error: msg.message };
                    break;
            }
        });
        child.on("error", (e) => {
            outcome ??= { ok: false, error: `could not run the program: ${e.message}` };
        });
        child.on("exit", (code, signal) => {
            clearTimeout(timer);
            resolve(outcome ?? { ok: false, error: `program exited (${code ?? signal}) without finishing:\n${log}` });
        });
    });

    return {
        outcome: finished.then(async (o) => {
            await chain;
            return o;
        }),
        log: () => log,
        kill: () => {
            if (child.exitCode === null && child.signalCode === null) {
                child.kill("SIGKILL");
            }
        },
    };
}
