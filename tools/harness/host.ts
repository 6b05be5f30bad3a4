/**
 * The real dynamic-provider host (`@pulumi/pulumi/cmd/dynamic-provider`, what the engine runs as
 * `pulumi-resource-pulumi-nodejs`): spawned per operation, spoken to over gRPC with the SDK's own
 * client classes, logs captured, killed at the end.
 */
import { ChildProcess, spawn } from "node:child_process";
import { randomBytes } from "node:crypto";
import * as path from "node:path";
import type * as grpcTypes from "@grpc/grpc-js";
import { loadSdk, SdkModules } from "./sdk";
import { GrpcMethod, JsonObject } from "./types";
import { unwrapSecrets } from "./wire";

/** Where to start a host. */
export interface HostOptions {
    /** Project directory (the host's cwd; `@pulumi/pulumi` is resolved from here). */
    projectDir: string;
    /** Project name (`PULUMI_NODEJS_PROJECT`: `configure`'s `req.config.get("key")` default namespace). */
    project: string;
    /** Stack name (`PULUMI_NODEJS_STACK`). */
    stack: string;
    /** Extra environment for the host. */
    env?: Record<string, string>;
    /** Give up waiting for the port after this long. Default 30 s. */
    startTimeoutMs?: number;
}

/** A Check result. */
export interface CheckResult {
    /** The checked inputs (the host adds `__provider`). */
    inputs: JsonObject;
    /** Failures reported by the provider's `check`. */
    failures: { property: string; reason: string }[];
}

/** A Diff result, as the host reports it. */
export interface DiffResult {
    /** `unknown` when the provider has no `diff` or its `changes` was undefined. */
    changes: "unknown" | "none" | "some";
    /** Properties that force replacement. */
    replaces: string[];
    /** Whether the provider asked for delete-before-replace. */
    deleteBeforeReplace: boolean;
    /** Changed keys, if the provider reported any (the Node.js host never does). */
    changedKeys: string[];
}

/** The payload of an `ErrorResourceInitFailed` error detail (a resource created but not healthy). */
export interface InitFailure {
    /** The ID of the resource that was created. */
    id: string;
    /** Its properties. */
    properties: JsonObject;
    /** The reasons it failed to initialize. */
    reasons: string[];
}

/** An error returned by the host for one call. */
export class HostCallError extends Error {
    /** The gRPC method. */
    readonly method: GrpcMethod;
    /** The gRPC status code. */
    readonly code: number;
    /** A partial-failure payload, when the host sent one. */
    readonly initFailure?: InitFailure;

    /** Wraps a gRPC error of `method`. */
    constructor(method: GrpcMethod, code: number, details: string, initFailure?: InitFailure) {
        super(details);
        this.name = "HostCallError";
        this.method = method;
        this.code = code;
        this.initFailure = initFailure;
    }
}

/** Common identity fields of a resource request. */
export interface ResourceIdentity {
    /** URN. */
    urn: string;
    /** Logical name. */
    name: string;
    /** Type token. */
    type: string;
}

/** A running provider host and a typed client for it. */
export interface ProviderHost {
    /** gRPC calls made so far, by method. */
    readonly calls: Record<GrpcMethod, number>;
    /** Everything the host wrote so far to stdout (after the port line) and stderr. */
    log(): string;
    /** Configure, with `args` in wire form (secrets wrapped). */
    configure(args: JsonObject): Promise<void>;
    /** Check; `olds` are the old inputs, `news` the new inputs. */
    check(req: ResourceIdentity & { olds: JsonObject; news: JsonObject; oldOutputs?: JsonObject }): Promise<CheckResult>;
    /** Diff; `olds` are the old outputs, `oldInputs` the old inputs, `news` the checked new inputs. */
    diff(req: ResourceIdentity & { id: string; olds: JsonObject; oldInputs: JsonObject; news: JsonObject; ignoreChanges: string[] }): Promise<DiffResult>;
    /** Create with the checked inputs. */
    create(req: ResourceIdentity & { properties: JsonObject }): Promise<{ id: string; properties: JsonObject }>;
    /** Update; `olds` are the old outputs, `oldInputs` the old inputs, `news` the checked new inputs. */
    update(req: ResourceIdentity & { id: string; olds: JsonObject; oldInputs: JsonObject; news: JsonObject; ignoreChanges: string[] }): Promise<{ properties: JsonObject }>;
    /** Read; `properties` are the old outputs, `inputs` the old inputs. */
    read(req: ResourceIdentity & { id: string; properties: JsonObject; inputs: JsonObject }): Promise<{ id: string; properties: JsonObject; inputs?: JsonObject }>;
    /** Delete; `properties` are the old outputs, `oldInputs` the old inputs. */
    delete(req: ResourceIdentity & { id: string; properties: JsonObject; oldInputs: JsonObject }): Promise<void>;
    /** Closes the client and kills the host. */
    stop(): Promise<void>;
}

/** Zeroed call counters. */
export function zeroCalls(): Record<GrpcMethod, number> {
    return { Configure: 0, Check: 0, Diff: 0, Create: 0, Update: 0, Read: 0, Delete: 0 };
}

/** Spawns the host, waits for its port and connects. */
export async function startHost(opts: HostOptions): Promise<ProviderHost> {
    const sdk = loadSdk(opts.projectDir);
    const entry = path.join(sdk.sdkDir, "cmd", "dynamic-provider");
    const child = spawn(process.execPath, [entry, "127.0.0.1:1" /* engine address: unused by the host */], {
        cwd: opts.projectDir,
        env: {
            ...process.env,
            ...opts.env,
            PULUMI_NODEJS_PROJECT: opts.project,
            PULUMI_NODEJS_STACK: opts.stack,
        },
        stdio: ["ignore", "pipe", "pipe"],
    });
    let log = "";
    child.stderr?.setEncoding("utf8").on("data", (d: string) => (log += d));
    let port: number;
    try {
        port = await readPort(child, opts.startTimeoutMs ?? 30_000, (rest) => (log += rest), () => log);
    } catch (e) {
        child.kill("SIGKILL");
        throw e;
    }
    const client = new sdk.providerGrpc.ResourceProviderClient(`127.0.0.1:${port}`, sdk.grpc.credentials.createInsecure());
    return makeHost(sdk, child, client, () => log);
}

function readPort(child: ChildProcess, timeoutMs: number, onRest: (s: string) => void, log: () => string): Promise<number> {
    return new Promise<number>((resolve, reject) => {
        let buf = "";
        let done = false;
        const timer = setTimeout(() => finish(new Error(`provider host did not print its port within ${timeoutMs} ms:\n${log()}`)), timeoutMs);
        const finish = (err: Error | undefined, port?: number): void => {
            if (done) {
                return;
            }
            done = true;
            clearTimeout(timer);
            if (err) {
                reject(err);
            } else {
                resolve(port as number);
            }
        };
        child.stdout?.setEncoding("utf8").on("data", (d: string) => {
            if (done) {
                onRest(d);
                return;
            }
            buf += d;
            const nl = buf.indexOf("\n");
            if (nl >= 0) {
                const port = Number(buf.slice(0, nl).trim());
                onRest(buf.slice(nl + 1));
                finish(Number.isInteger(port) && port > 0 ? undefined : new Error(`unexpected host output: ${buf}`), port);
            }
        });
        child.on("exit", (code) => finish(new Error(`provider host exited (${String(code)}) before printing its port:\n${log()}`)));
        child.on("error", (e) => finish(e));
    });
}

type Callback<R> = (err: grpcTypes.ServiceError | null, resp: R) => void;

function makeHost(
    sdk: SdkModules,
    child: ChildProcess,
    client: InstanceType<SdkModules["providerGrpc"]["ResourceProviderClient"]>,
    log: () => string,
): ProviderHost {
    const calls = zeroCalls();
    const pb = sdk.provider;
    const toStruct = (o: JsonObject): InstanceType<SdkModules["struct"]["Struct"]> => sdk.struct.Struct.fromJavaScript(o);
    const fromStruct = (s: { toJavaScript(): unknown } | undefined): JsonObject => (s ? (s.toJavaScript() as JsonObject) : {});

    function call<R>(method: GrpcMethod, invoke: (cb: Callback<R>) => void): Promise<R> {
        calls[method]++;
        return new Promise<R>((resolve, reject) => {
            invoke((err, resp) => (err ? reject(toHostError(sdk, method, err)) : resolve(resp)));
        });
    }

    return {
        calls,
        log,
        async configure(args) {
            const req = new pb.ConfigureRequest();
            req.setArgs(toStruct(args));
            // The deprecated `variables` map, spelled as the engine does (the Node.js host ignores it).
            const vars = req.getVariablesMap();
            for (const [k, v] of Object.entries(args)) {
                const plain = unwrapSecrets(v);
                vars.set(`pulumi-nodejs:config:${k}`, typeof plain === "string" ? plain : JSON.stringify(plain));
            }
            req.setAcceptsecrets(true);
            req.setAcceptresources(true);
            req.setSendsOldInputs(true);
            req.setSendsOldInputsToDelete(true);
            await call("Configure", (cb) => client.configure(req, cb));
        },
        async check(r) {
            const req = new pb.CheckRequest();
            req.setUrn(r.urn).setName(r.name).setType(r.type);
            req.setOlds(toStruct(r.olds));
            req.setNews(toStruct(r.news));
            if (r.oldOutputs) {
                req.setOldOutputs(toStruct(r.oldOutputs));
            }
            req.setRandomseed(new Uint8Array(randomBytes(32)));
            const resp = await call<InstanceType<typeof pb.CheckResponse>>("Check", (cb) => client.check(req, cb));
            return {
                inputs: fromStruct(resp.getInputs()),
                failures: resp.getFailuresList().map((f) => ({ property: f.getProperty(), reason: f.getReason() })),
            };
        },
        async diff(r) {
            const req = new pb.DiffRequest();
            req.setId(r.id).setUrn(r.urn).setName(r.name).setType(r.type);
            req.setOlds(toStruct(r.olds));
            req.setOldInputs(toStruct(r.oldInputs));
            req.setNews(toStruct(r.news));
            req.setIgnorechangesList(r.ignoreChanges);
            const resp = await call<InstanceType<typeof pb.DiffResponse>>("Diff", (cb) => client.diff(req, cb));
            const C = pb.DiffResponse.DiffChanges;
            const changes = resp.getChanges();
            return {
                changes: changes === C.DIFF_SOME ? "some" : changes === C.DIFF_NONE ? "none" : "unknown",
                replaces: resp.getReplacesList(),
                deleteBeforeReplace: resp.getDeletebeforereplace(),
                changedKeys: resp.getDiffsList(),
            };
        },
        async create(r) {
            const req = new pb.CreateRequest();
            req.setUrn(r.urn).setName(r.name).setType(r.type);
            req.setProperties(toStruct(r.properties));
            req.setPreview(false);
            const resp = await call<InstanceType<typeof pb.CreateResponse>>("Create", (cb) => client.create(req, cb));
            return { id: resp.getId(), properties: fromStruct(resp.getProperties()) };
        },
        async update(r) {
            const req = new pb.UpdateRequest();
            req.setId(r.id).setUrn(r.urn).setName(r.name).setType(r.type);
            req.setOlds(toStruct(r.olds));
            req.setOldInputs(toStruct(r.oldInputs));
            req.setNews(toStruct(r.news));
            req.setIgnorechangesList(r.ignoreChanges);
            req.setPreview(false);
            const resp = await call<InstanceType<typeof pb.UpdateResponse>>("Update", (cb) => client.update(req, cb));
            return { properties: fromStruct(resp.getProperties()) };
        },
        async read(r) {
            const req = new pb.ReadRequest();
            req.setId(r.id).setUrn(r.urn).setName(r.name).setType(r.type);
            req.setProperties(toStruct(r.properties));
            req.setInputs(toStruct(r.inputs));
            const resp = await call<InstanceType<typeof pb.ReadResponse>>("Read", (cb) => client.read(req, cb));
            const inputs = resp.getInputs();
            return { id: resp.getId(), properties: fromStruct(resp.getProperties()), inputs: inputs ? fromStruct(inputs) : undefined };
        },
        async delete(r) {
            const req = new pb.DeleteRequest();
            req.setId(r.id).setUrn(r.urn).setName(r.name).setType(r.type);
            req.setProperties(toStruct(r.properties));
            req.setOldInputs(toStruct(r.oldInputs));
            await call("Delete", (cb) => client.delete(req, cb));
        },
        async stop() {
            client.close();
            if (child.exitCode === null && child.signalCode === null) {
                const exited = new Promise<void>((resolve) => child.once("exit", () => resolve()));
                child.kill("SIGKILL");
                await exited;
            }
        },
    };
}

function toHostError(sdk: SdkModules, method: GrpcMethod, err: grpcTypes.ServiceError): HostCallError {
    return new HostCallError(method, err.code, err.details || err.message, initFailureOf(sdk, err));
}

/** Decodes an `ErrorResourceInitFailed` detail from a gRPC error's trailers, if present. */
function initFailureOf(sdk: SdkModules, err: grpcTypes.ServiceError): InitFailure | undefined {
    const raw = err.metadata?.get("grpc-status-details-bin")[0];
    if (!raw || typeof raw === "string") {
        return undefined;
    }
    const status = sdk.status.Status.deserializeBinary(new Uint8Array(raw));
    for (const detail of status.getDetailsList()) {
        const failed = detail.unpack(sdk.provider.ErrorResourceInitFailed.deserializeBinary, "pulumirpc.ErrorResourceInitFailed");
        if (failed) {
            const props = failed.getProperties();
            return { id: failed.getId(), properties: props ? (props.toJavaScript() as JsonObject) : {}, reasons: failed.getReasonsList() };
        }
    }
    return undefined;
}
