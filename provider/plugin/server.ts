/**
 * The `kaleyra` resource provider plugin: Pulumi's provider gRPC protocol over the same
 * {@link KaleyraProfileProvider} the dynamic resource runs. This module only translates — protobuf
 * structs in, the provider's check / diff / create / update / read / delete, protobuf out — so
 * the rules, the request bodies and the client are one code for both entry points.
 *
 * It is written against the SDK's generated protocol stubs rather than `@pulumi/pulumi/provider`'s
 * `main()`, because that server drops the provider configuration sent to `Configure` and cannot
 * return a per-property diff; both are part of what this plugin offers.
 */

import type * as GrpcJs from "@grpc/grpc-js";
import type * as StructPb from "google-protobuf/google/protobuf/struct_pb";
import type * as ProviderGrpc from "@pulumi/pulumi/proto/provider_grpc_pb";
import type * as ProviderPb from "@pulumi/pulumi/proto/provider_pb";

import { AsyncLocalStorage } from "node:async_hooks";

import { diffProfile } from "../engine/diff";
import { KaleyraProfileProvider, KaleyraProfileProviderOptions } from "../engine/provider";
import type { ProfileInputs, ProfileOutputs } from "../contract/types";
import { checkConfigInputs, configSource, settingsFailures } from "./config";
import { detailedDiff, PropertyChange } from "./detailed-diff";
import { emptyproto, enginerpc, engineproto, grpc, pluginproto, providerproto, providerrpc, structproto } from "./protocol";
import { packageSchema, PROFILE_TOKEN } from "./schema";

type Props = Record<string, unknown>;

const KINDS: Record<PropertyChange, ProviderPb.PropertyDiff.Kind> = {
    add: providerproto.PropertyDiff.Kind.ADD,
    update: providerproto.PropertyDiff.Kind.UPDATE,
    delete: providerproto.PropertyDiff.Kind.DELETE,
    "update-replace": providerproto.PropertyDiff.Kind.UPDATE_REPLACE,
};

/** A protobuf struct as a plain object (`{}` when absent). */
function plain(value: StructPb.Struct | undefined): Props {
    return (value?.toJavaScript() ?? {}) as Props;
}

/** A plain object as a protobuf struct. */
function struct(value: object): StructPb.Struct {
    return structproto.Struct.fromJavaScript(value as Record<string, StructPb.JavaScriptValue>);
}

/** The type token of a resource URN (`urn:pulumi:stack::project::type::name`). */
function typeOf(urn: string): string {
    return urn.split("::")[2] ?? "";
}

/** A gRPC error whose details are the message the engine prints. */
function failure(error: unknown): GrpcJs.ServiceError {
    const message = error instanceof Error ? error.message : String(error);
    return Object.assign(new Error(message), { code: grpc.status.UNKNOWN, details: message, metadata: new grpc.Metadata() });
}

/** The URN of the resource whose operation is running, through every await and timer it starts. */
const operation = new AsyncLocalStorage<string>();

/**
 * Send a line to the engine's log, under the resource whose operation wrote it (so a retry line
 * shows beside its resource, as a dynamic provider's would); to stderr when no engine is known.
 */
export function engineLogger(address: string | undefined): (line: string) => void {
    if (!address) return (line) => process.stderr.write(`${line}\n`);
    const client = new enginerpc.EngineClient(address, grpc.credentials.createInsecure());
    return (line) => {
        const request = new engineproto.LogRequest().setSeverity(engineproto.LogSeverity.INFO).setMessage(line);
        const urn = operation.getStore();
        if (urn) request.setUrn(urn);
        client.log(request, () => undefined);
    };
}

/** Options of {@link KaleyraPlugin}. */
export interface KaleyraPluginOptions extends KaleyraProfileProviderOptions {
    /** The plugin's version, served by `GetPluginInfo` and in the schema. */
    readonly version: string;
}

/**
 * The provider service's handlers. One instance per plugin process; the engine configures it
 * once, then calls check / diff / create / update / read / delete per resource.
 */
export class KaleyraPlugin {
    private provider: KaleyraProfileProvider;

    constructor(private readonly options: KaleyraPluginOptions) {
        this.provider = new KaleyraProfileProvider(options);
    }

    /** The handlers, to add to a gRPC server with {@link providerrpc.ResourceProviderService}. */
    service(): GrpcJs.UntypedServiceImplementation {
        const unary =
            <Req, Res>(handler: (request: Req) => Promise<Res> | Res): GrpcJs.handleUnaryCall<Req, Res> =>
            (call, callback) => {
                Promise.resolve()
                    .then(() => handler(call.request))
                    .then((response) => callback(null, response), (error: unknown) => callback(failure(error)));
            };
        const handlers: Partial<ProviderGrpc.IResourceProviderServer> = {
            getPluginInfo: unary(() => new pluginproto.PluginInfo().setVersion(this.options.version)),
            getSchema: unary((req: ProviderPb.GetSchemaRequest) => {
                if (req.getVersion() !== 0) throw new Error(`unsupported schema version ${req.getVersion()}`);
                return new providerproto.GetSchemaResponse().setSchema(JSON.stringify(packageSchema(this.options.version)));
            }),
            checkConfig: unary((req: ProviderPb.CheckRequest) => {
                const news = plain(req.getNews());
                const response = new providerproto.CheckResponse().setInputs(struct(checkConfigInputs(news)));
                for (const f of settingsFailures(news, this.options.env ?? process.env)) {
                    response.addFailures(new providerproto.CheckFailure().setProperty(f.property).setReason(f.reason));
                }
                return response;
            }),
            diffConfig: unary(() =>
                // Settings are read at each operation; a change never replaces the provider or its resources.
                new providerproto.DiffResponse().setChanges(providerproto.DiffResponse.DiffChanges.DIFF_NONE),
            ),
            configure: unary((req: ProviderPb.ConfigureRequest) => {
                const variables = new Map<string, string>(req.getVariablesMap().toArray());
                this.provider.useConfig(configSource(req.hasArgs() ? plain(req.getArgs()) : undefined, variables));
                return new providerproto.ConfigureResponse().setAcceptsecrets(false).setAcceptresources(false).setSupportspreview(false);
            }),
            check: unary(async (req: ProviderPb.CheckRequest) => {
                this.known(req.getUrn());
                const result = await this.provider.check(plain(req.getOlds()) as unknown as ProfileInputs, plain(req.getNews()) as unknown as ProfileInputs);
                const response = new providerproto.CheckResponse().setInputs(struct(result.inputs ?? {}));
                for (const f of result.failures ?? []) {
                    response.addFailures(new providerproto.CheckFailure().setProperty(f.property).setReason(f.reason));
                }
                return response;
            }),
            diff: unary((req: ProviderPb.DiffRequest) => {
                const olds = plain(req.getOlds());
                const diff = diffProfile(olds, plain(req.getNews()));
                const response = new providerproto.DiffResponse()
                    .setChanges(diff.changes ? providerproto.DiffResponse.DiffChanges.DIFF_SOME : providerproto.DiffResponse.DiffChanges.DIFF_NONE)
                    .setReplacesList(diff.replaces)
                    .setDeletebeforereplace(false)
                    .setHasdetaileddiff(true);
                const details = detailedDiff(olds, diff);
                response.setDiffsList(Object.keys(details));
                for (const [name, change] of Object.entries(details)) {
                    response.getDetaileddiffMap().set(name, new providerproto.PropertyDiff().setKind(KINDS[change]).setInputdiff(true));
                }
                return response;
            }),
            create: unary(async (req: ProviderPb.CreateRequest) => {
                this.known(req.getUrn());
                const { id, outs } = await operation.run(req.getUrn(), () => this.provider.create(plain(req.getProperties()) as unknown as ProfileInputs));
                return new providerproto.CreateResponse().setId(id).setProperties(struct(outs ?? {}));
            }),
            update: unary(async (req: ProviderPb.UpdateRequest) => {
                const { outs } = await operation.run(req.getUrn(), () =>
                    this.provider.update(req.getId(), plain(req.getOlds()) as unknown as ProfileOutputs, plain(req.getNews()) as unknown as ProfileInputs),
                );
                return new providerproto.UpdateResponse().setProperties(struct(outs ?? {}));
            }),
            read: unary(async (req: ProviderPb.ReadRequest) => {
                const state = plain(req.getProperties());
                const { id, props } = await this.provider.read(req.getId(), Object.keys(state).length > 0 ? (state as unknown as ProfileOutputs) : undefined);
                const response = new providerproto.ReadResponse().setId(id ?? req.getId()).setProperties(struct(props ?? {}));
                if (req.hasInputs()) response.setInputs(req.getInputs());
                return response;
            }),
            delete: unary(async () => {
                await this.provider.delete();
                return new emptyproto.Empty();
            }),
            cancel: unary(() => new emptyproto.Empty()),
            attach: unary(() => new emptyproto.Empty()),
        };
        return handlers as GrpcJs.UntypedServiceImplementation;
    }

    /** Reject a type this package does not define, naming the one it does. */
    private known(urn: string): void {
        const type = typeOf(urn);
        if (type !== PROFILE_TOKEN) throw new Error(`The kaleyra plugin has no resource type ${type}; it offers ${PROFILE_TOKEN}.`);
    }
}

/**
 * Serve the plugin on a loopback port and print the port on stdout, as the engine expects.
 * @returns the gRPC server (for tests to shut down) and its port.
 */
export async function serve(plugin: KaleyraPlugin): Promise<{ server: GrpcJs.Server; port: number }> {
    const server = new grpc.Server({ "grpc.max_receive_message_length": 400 * 1024 * 1024 });
    server.addService(providerrpc.ResourceProviderService, plugin.service());
    const port = await new Promise<number>((resolve, reject) =>
        server.bindAsync("127.0.0.1:0", grpc.ServerCredentials.createInsecure(), (error, bound) => (error ? reject(error) : resolve(bound))),
    );
    return { server, port };
}
