/**
 * Child-process entry point: runs one Pulumi program under `pulumi.runtime.setMocks`, with the stack
 * config in `PULUMI_CONFIG`/`PULUMI_CONFIG_SECRET_KEYS`, and plays the engine's resource monitor by
 * forwarding every custom-resource registration to the parent over IPC and waiting for the parent's
 * answer (the resource's ID and outputs after its step) — as the real engine does. Finally sends the
 * serialized stack outputs. Started by `program.ts` as `node --require tsx/cjs collector.ts`.
 */
import * as path from "node:path";
import type * as pulumiTypes from "@pulumi/pulumi";
import type * as resourcePb from "@pulumi/pulumi/proto/resource_pb";
import type * as structPb from "google-protobuf/google/protobuf/struct_pb";
import { ChildMessage, CollectorSettings, ParentMessage, Registration } from "./protocol";
import { JsonObject } from "./types";

type RegisterCallback = (err: Error | null, resp?: resourcePb.RegisterResourceResponse) => void;

/** The parts of the SDK's MockMonitor this collector replaces or uses. */
interface MockMonitorLike {
    resources: Map<string, { urn: string; id: string | null; state: JsonObject }>;
    newUrn(parent: string, type: string, name: string): string;
    registerResource(req: resourcePb.RegisterResourceRequest, callback: RegisterCallback): void;
    readResource(req: unknown, callback: (err: Error | null) => void): void;
}

interface SettingsModule {
    getMonitor(): MockMonitorLike;
    waitForRPCs(): Promise<void>;
}

function send(msg: ChildMessage): Promise<void> {
    return new Promise<void>((resolve) => {
        if (!process.send || !process.connected) {
            resolve();
            return;
        }
        process.send(msg, undefined, {}, () => resolve());
    });
}

let failing = false;
async function fail(err: unknown): Promise<void> {
    if (failing) {
        return;
    }
    failing = true;
    const message = err instanceof Error ? (err.stack ?? err.message) : String(err);
    await send({ kind: "error", message });
    process.exit(1);
}

async function main(): Promise<void> {
    const settings = JSON.parse(process.env.HARNESS_COLLECTOR ?? "{}") as CollectorSettings;
    const sdkDir = path.dirname(require.resolve("@pulumi/pulumi/package.json", { paths: [settings.projectDir] }));
    const pulumi = require(sdkDir) as typeof pulumiTypes;
    const sdkSettings = require(path.join(sdkDir, "runtime", "settings.js")) as SettingsModule;
    const resproto = require(path.join(sdkDir, "proto", "resource_pb.js")) as typeof resourcePb;
    const structproto = require(require.resolve("google-protobuf/google/protobuf/struct_pb", { paths: [sdkDir] })) as typeof structPb;

    await pulumi.runtime.setMocks(
        {
            newResource: () => {
                throw new Error("harness: unexpected mock newResource call");
            },
            call: (args) => {
                throw new Error(`harness: invokes are not supported (${args.token})`);
            },
        },
        settings.project,
        settings.stack,
        settings.dryRun,
    );

    const monitor = sdkSettings.getMonitor();
    const pending = new Map<number, { answer: (id: string, outputs: JsonObject) => void; reject: (message: string) => void }>();
    let seq = 0;
    let unreported = 0;
    let timer: NodeJS.Timeout | undefined;
    const touch = (): void => {
        if (timer) {
            clearTimeout(timer);
        }
        timer = setTimeout(() => {
            timer = undefined;
            if (unreported > 0) {
                unreported = 0;
                void send({ kind: "idle" });
            }
        }, settings.settleMs);
    };

    process.on("message", (msg: ParentMessage) => {
        const p = pending.get(msg.seq);
        if (!p) {
            return;
        }
        pending.delete(msg.seq);
        if (msg.kind === "answer") {
            p.answer(msg.id, msg.outputs);
        } else {
            p.reject(msg.message);
        }
    });

    monitor.registerResource = (req, callback) => {
        const type = req.getType();
        const name = req.getName();
        const parent = req.getParent();
        const urn = monitor.newUrn(parent, type, name);
        const answer = (id: string, outputs: JsonObject): void => {
            monitor.resources.set(urn, { urn, id: id || null, state: outputs });
            const resp = new resproto.RegisterResourceResponse();
            resp.setUrn(urn);
            resp.setId(id);
            resp.setObject(structproto.Struct.fromJavaScript(outputs));
            callback(null, resp);
        };
        if (!req.getCustom()) {
            // Components have no provider: the engine records them without any provider call.
            answer("", {});
            return;
        }
        const registration: Registration = {
            seq: seq++,
            urn,
            type,
            name,
            inputs: (req.getObject()?.toJavaScript() ?? {}) as JsonObject,
            options: {
                parent,
                dependencies: req.getDependenciesList(),
                protect: req.getProtect() === true,
                deleteBeforeReplace: req.getDeletebeforereplacedefined() ? req.getDeletebeforereplace() : undefined,
                ignoreChanges: req.getIgnorechangesList(),
                replaceOnChanges: req.getReplaceonchangesList(),
                additionalSecretOutputs: req.getAdditionalsecretoutputsList(),
                retainOnDelete: req.getRetainondelete() === true,
                provider: req.getProvider(),
                importId: req.getImportid(),
            },
        };
        pending.set(registration.seq, { answer, reject: (message) => callback(new Error(message)) });
        unreported++;
        void send({ kind: "register", registration });
        touch();
    };
    monitor.readResource = (_req, callback) => {
        callback(new Error("harness: reading existing resources (Resource.get / read) is not supported"));
    };

    // Load the program like the Node.js language host: a default export wins; a function is called.
    let exported = require(settings.program) as unknown;
    if (exported !== null && typeof exported === "object" && Object.getOwnPropertyDescriptor(exported, "default") !== undefined) {
        exported = (exported as { default: unknown }).default;
    }
    const result = await (typeof exported === "function" ? (exported as () => unknown)() : exported);
    const outputs =
        result !== null && typeof result === "object"
            ? ((await pulumi.runtime.serializeProperties("stack-outputs", result as Record<string, unknown>)) as JsonObject)
            : {};
    await sdkSettings.waitForRPCs();
    await send({ kind: "done", outputs });
    process.exit(0);
}

process.on("uncaughtException", (e) => void fail(e));
process.on("unhandledRejection", (e) => void fail(e));
main().catch((e: unknown) => fail(e));
