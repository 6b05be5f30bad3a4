/**
 * Loads the pieces of the Pulumi SDK the harness talks through — from the *program's* project
 * directory, so that message classes and the gRPC library are the very instances the host uses.
 * Types come from this repository's copy of the SDK; only the runtime objects are resolved per project.
 */
import * as path from "node:path";
import type * as grpcTypes from "@grpc/grpc-js";
import type * as providerPb from "@pulumi/pulumi/proto/provider_pb";
import type * as providerGrpcPb from "@pulumi/pulumi/proto/provider_grpc_pb";
import type * as structPb from "google-protobuf/google/protobuf/struct_pb";
import type * as anyPb from "google-protobuf/google/protobuf/any_pb";
import type * as statusPb from "@pulumi/pulumi/proto/status_pb";

/** The SDK modules needed to drive a provider host. */
export interface SdkModules {
    /** Directory of `@pulumi/pulumi` as resolved from the project. */
    sdkDir: string;
    /** The SDK's own `@grpc/grpc-js`. */
    grpc: typeof grpcTypes;
    /** `proto/provider_pb.js`. */
    provider: typeof providerPb;
    /** `proto/provider_grpc_pb.js`. */
    providerGrpc: typeof providerGrpcPb;
    /** `google-protobuf/google/protobuf/struct_pb`. */
    struct: typeof structPb;
    /** `google-protobuf/google/protobuf/any_pb`. */
    any: typeof anyPb;
    /** `proto/status_pb.js`. */
    status: typeof statusPb;
}

const cache = new Map<string, SdkModules>();

/** Directory of the `@pulumi/pulumi` package that `projectDir` resolves. */
export function resolveSdkDir(projectDir: string): string {
    return path.dirname(require.resolve("@pulumi/pulumi/package.json", { paths: [projectDir] }));
}

/** Loads (once per SDK directory) the SDK modules used by the gRPC client. */
export function loadSdk(projectDir: string): SdkModules {
    const sdkDir = resolveSdkDir(projectDir);
    const cached = cache.get(sdkDir);
    if (cached) {
        return cached;
    }
    const fromSdk = (id: string): string => require.resolve(id, { paths: [sdkDir] });
    const modules: SdkModules = {
        sdkDir,
        grpc: require(fromSdk("@grpc/grpc-js")) as typeof grpcTypes,
        provider: require(path.join(sdkDir, "proto", "provider_pb.js")) as typeof providerPb,
        providerGrpc: require(path.join(sdkDir, "proto", "provider_grpc_pb.js")) as typeof providerGrpcPb,
        struct: require(fromSdk("google-protobuf/google/protobuf/struct_pb")) as typeof structPb,
        any: require(fromSdk("google-protobuf/google/protobuf/any_pb")) as typeof anyPb,
        status: require(path.join(sdkDir, "proto", "status_pb.js")) as typeof statusPb,
    };
    cache.set(sdkDir, modules);
    return modules;
}
