/**
 * Engine-side test harness for Pulumi dynamic providers: runs a program under mocks in a child
 * process, drives the real dynamic-provider host over gRPC in the engine's order, and keeps a JSON
 * state file per stack. See docs/harness.md.
 */
export { preview, up, refresh, destroy, configureArgs } from "./operations";
export { collect } from "./collect";
export type { CollectResult } from "./collect";
export type { Registration, RegistrationOptions } from "./protocol";
export { readState, writeState } from "./state";
export { UNKNOWN } from "./types";
export type {
    CheckFailureRecord,
    ConfigValue,
    GrpcMethod,
    JsonObject,
    JsonValue,
    Operation,
    OperationOptions,
    OperationResult,
    ResourceState,
    StackRef,
    StackState,
    StepOp,
    StepRecord,
    StepStatus,
} from "./types";
export { SIG_KEY, SECRET_SIG, isSecret, unwrapSecrets } from "./wire";
