/**
 * The plugin executable started the way the engine starts it — it prints its gRPC port on the first
 * line of stdout — and asked over gRPC what every engine asks first: its version and its schema.
 */
import { spawn } from "node:child_process";
import * as fs from "node:fs";
import * as path from "node:path";

import * as grpc from "@grpc/grpc-js";
import * as emptyproto from "google-protobuf/google/protobuf/empty_pb";
import type * as PluginPb from "@pulumi/pulumi/proto/plugin_pb";
import * as providerrpc from "@pulumi/pulumi/proto/provider_grpc_pb";
import * as providerproto from "@pulumi/pulumi/proto/provider_pb";

/** What the plugin answered, and how long it took to print its port. */
export interface PluginAnswer {
    /** `GetPluginInfo`'s version. */
    readonly version: string;
    /** `GetSchema`'s schema, parsed. */
    readonly schema: Record<string, unknown>;
    /** From spawn to the port on stdout, in ms. */
    readonly startupMs: number;
}

/** Node.js and the tools that only run it. */
const NODE_TOOLS = new Set(["node", "nodejs", "npm", "npx", "corepack"]);

/**
 * `PATH` as on a machine without Node.js: every directory that holds a `node` executable is
 * replaced by `shimDir`, filled with links to everything else those directories hold (on Debian
 * `/usr/bin/node` sits beside `sh`, `tar` and `git`).
 * @param shimDir an empty directory of the caller's (made when missing).
 */
export function pathWithoutNode(shimDir: string, pathVar = process.env.PATH ?? ""): string {
    fs.mkdirSync(shimDir, { recursive: true });
    const kept: string[] = [];
    for (const dir of pathVar.split(path.delimiter).filter(Boolean)) {
        if (!fs.existsSync(path.join(dir, "node"))) {
            kept.push(dir);
            continue;
        }
        for (const name of fs.readdirSync(dir)) {
            const link = path.join(shimDir, name);
            if (!NODE_TOOLS.has(name) && !fs.existsSync(link)) fs.symlinkSync(path.join(dir, name), link);
        }
    }
    return [...kept, shimDir].join(path.delimiter);
}

/**
 * Start `command` (e.g. the plugin executable, or `qemu-aarch64 … <executable>`) and resolve with its
 * port once it prints it.
 * @throws when it exits or prints something else first, or after `timeoutMs`.
 */
export function startPlugin(command: string, args: readonly string[], env: NodeJS.ProcessEnv, timeoutMs = 60_000): Promise<{ port: number; startupMs: number; stop: () => void }> {
    const started = process.hrtime.bigint();
    const child = spawn(command, args, { env, stdio: ["ignore", "pipe", "pipe"] });
    let stdout = "";
    let stderr = "";
    return new Promise((resolve, reject) => {
        const timer = setTimeout(() => fail(`no port within ${timeoutMs} ms`), timeoutMs);
        const fail = (why: string) => {
            clearTimeout(timer);
            child.kill("SIGKILL");
            reject(new Error(`${command}: ${why}\n${stderr}`));
        };
        child.stderr.on("data", (d: Buffer) => (stderr += d.toString()));
        child.on("error", (e) => fail(e.message));
        child.on("exit", (code) => fail(`exited with ${code} before printing its port`));
        child.stdout.on("data", (d: Buffer) => {
            stdout += d.toString();
            const line = stdout.split("\n");
            if (line.length < 2) return;
            clearTimeout(timer);
            child.removeAllListeners("exit");
            const port = Number(line[0]);
            if (!Number.isInteger(port) || port <= 0) return fail(`printed ${JSON.stringify(line[0])}, not a port`);
            resolve({ port, startupMs: Number(process.hrtime.bigint() - started) / 1e6, stop: () => child.kill("SIGKILL") });
        });
    });
}

/** One unary call as a promise. */
function call<Req, Res>(client: providerrpc.ResourceProviderClient, method: "getPluginInfo" | "getSchema", request: Req): Promise<Res> {
    const fn = (client as unknown as Record<string, (r: Req, cb: (e: grpc.ServiceError | null, r: Res) => void) => void>)[method]!.bind(client);
    return new Promise((resolve, reject) => fn(request, (error, response) => (error ? reject(error) : resolve(response))));
}

/**
 * Start the plugin, ask it for its version and schema, and stop it.
 * @param command the executable (or an emulator such as qemu, with the executable in `args`).
 */
export async function askPlugin(command: string, args: readonly string[], env: NodeJS.ProcessEnv, timeoutMs?: number): Promise<PluginAnswer> {
    const plugin = await startPlugin(command, args, env, timeoutMs);
    const client = new providerrpc.ResourceProviderClient(`127.0.0.1:${plugin.port}`, grpc.credentials.createInsecure());
    try {
        const info = await call<emptyproto.Empty, PluginPb.PluginInfo>(client, "getPluginInfo", new emptyproto.Empty());
        const schema = await call<providerproto.GetSchemaRequest, providerproto.GetSchemaResponse>(client, "getSchema", new providerproto.GetSchemaRequest());
        return { version: info.getVersion(), schema: JSON.parse(schema.getSchema()) as Record<string, unknown>, startupMs: plugin.startupMs };
    } finally {
        client.close();
        plugin.stop();
    }
}
