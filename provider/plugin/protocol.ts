/**
 * The protocol modules the plugin speaks through — gRPC, the protobuf well-known types and
 * Pulumi's generated provider and engine stubs — all loaded from the one `@pulumi/pulumi`
 * installation. The stubs construct clients and check messages with *their* copies of
 * `@grpc/grpc-js` and `google-protobuf`; a second copy (npm does not always dedupe) fails at
 * run time with "Channel credentials must be a ChannelCredentials object". Resolving every module
 * from `@pulumi/pulumi`'s own location makes that impossible.
 */

import { createRequire } from "node:module";

import type * as GrpcJs from "@grpc/grpc-js";
import type * as EmptyPb from "google-protobuf/google/protobuf/empty_pb";
import type * as StructPb from "google-protobuf/google/protobuf/struct_pb";
import type * as EngineGrpc from "@pulumi/pulumi/proto/engine_grpc_pb";
import type * as EnginePb from "@pulumi/pulumi/proto/engine_pb";
import type * as PluginPb from "@pulumi/pulumi/proto/plugin_pb";
import type * as ProviderGrpc from "@pulumi/pulumi/proto/provider_grpc_pb";
import type * as ProviderPb from "@pulumi/pulumi/proto/provider_pb";

/** `require` as seen from `@pulumi/pulumi`'s generated stubs. */
const fromPulumi = createRequire(require.resolve("@pulumi/pulumi/proto/provider_pb"));

/** `@grpc/grpc-js`, the copy Pulumi's stubs use. */
export const grpc = fromPulumi("@grpc/grpc-js") as typeof GrpcJs;
/** `google.protobuf.Empty`. */
export const emptyproto = fromPulumi("google-protobuf/google/protobuf/empty_pb") as typeof EmptyPb;
/** `google.protobuf.Struct`. */
export const structproto = fromPulumi("google-protobuf/google/protobuf/struct_pb") as typeof StructPb;
/** The engine service client (logging). */
export const enginerpc = fromPulumi("./engine_grpc_pb") as typeof EngineGrpc;
/** The engine service messages. */
export const engineproto = fromPulumi("./engine_pb") as typeof EnginePb;
/** Plugin info messages. */
export const pluginproto = fromPulumi("./plugin_pb") as typeof PluginPb;
/** The resource provider service definition. */
export const providerrpc = fromPulumi("./provider_grpc_pb") as typeof ProviderGrpc;
/** The resource provider messages. */
export const providerproto = fromPulumi("./provider_pb") as typeof ProviderPb;
