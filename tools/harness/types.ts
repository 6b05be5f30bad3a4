/**
 * Public types of the engine-side harness: what a stack is, what the state file holds, and what an
 * operation reports.
 */

/** A JSON scalar. */
export type JsonPrimitive = string | number | boolean | null;
/** Any JSON value. */
export type JsonValue = JsonPrimitive | JsonValue[] | { [key: string]: JsonValue };
/** A JSON object. */
export type JsonObject = { [key: string]: JsonValue };

/** A stack config value: a plain string, or a secret (marked secret for the program and `configure`). */
export type ConfigValue = string | { secret: string };

/** Everything the harness needs to know about one stack of one program. */
export interface StackRef {
    /** The Pulumi project directory: `@pulumi/pulumi` is resolved from here, and it is the cwd of the program and host. */
    projectDir: string;
    /** Path of the program file (TypeScript or JavaScript), like a project's `index.ts`. */
    program: string;
    /** Project name (`PULUMI_NODEJS_PROJECT`, the URN's project part, the default config namespace). */
    project: string;
    /** Stack name. */
    stack: string;
    /** Stack config with namespaced keys, e.g. `{ "kaleyra:sid": "SID1", "kaleyra:apiKey": { secret: "k" } }`. */
    config: Record<string, ConfigValue>;
    /** The stack's JSON state file (created on first `up`). */
    stateFile: string;
    /** Extra environment variables for both the program and the provider host. */
    env?: Record<string, string>;
}

/** Options common to every operation. */
export interface OperationOptions {
    /** How many resource steps (Check/Diff/Create/Update/Delete/Read) may run at once. Default 16. */
    parallel?: number;
    /** Abort (kill the program and host) after this many milliseconds. Default 120 000. */
    timeoutMs?: number;
    /**
     * How long the program must be quiet (no new registrations) before the registrations received so
     * far are processed as one batch. Default 50 ms.
     */
    settleMs?: number;
}

/** One resource as recorded in the stack's state file. Values are in wire form (see docs/harness.md). */
export interface ResourceState {
    /** The resource's URN. */
    urn: string;
    /** Type token, e.g. `pulumi-nodejs:dynamic/kaleyra:WhatsAppNumberProfile`. */
    type: string;
    /** Logical name. */
    name: string;
    /** Provider-assigned ID. */
    id: string;
    /** Inputs as returned by Check (including `__provider`); secrets wrapped, values in plaintext. */
    inputs: JsonObject;
    /** Outputs as returned by Create/Update/Read (including `__provider`); secrets wrapped, values in plaintext. */
    outputs: JsonObject;
    /** Parent URN, if any. */
    parent?: string;
    /** URNs this resource depends on. */
    dependencies: string[];
    /** The `protect` resource option. */
    protect: boolean;
    /** The `deleteBeforeReplace` resource option, when the program set it. */
    deleteBeforeReplace?: boolean;
    /** The `ignoreChanges` resource option (top-level property names). */
    ignoreChanges?: string[];
    /** The `replaceOnChanges` resource option. */
    replaceOnChanges?: string[];
    /** The `additionalSecretOutputs` resource option. */
    additionalSecretOutputs?: string[];
    /** The `retainOnDelete` resource option. */
    retainOnDelete?: boolean;
    /** Reasons from a Create/Update that reported a partial failure (`ErrorResourceInitFailed`). */
    initErrors?: string[];
    /** True for the old half of a create-before-delete replacement whose Delete has not succeeded yet. */
    delete?: boolean;
}

/** The JSON content of a stack's state file. */
export interface StackState {
    /** Format version. */
    version: 1;
    /** Project name. */
    project: string;
    /** Stack name. */
    stack: string;
    /** Resources, in the order they were registered. */
    resources: ResourceState[];
    /** Stack outputs in wire form (secrets wrapped). */
    outputs: JsonObject;
}

/** The operations the harness runs. */
export type Operation = "preview" | "up" | "refresh" | "destroy";

/** What happened (or, in preview, would happen) to one resource. */
export type StepOp = "create" | "update" | "replace" | "delete" | "delete-replaced" | "same" | "read";

/** The outcome of one step. `planned` is used by preview; `skipped` when an earlier failure stopped it. */
export type StepStatus = "done" | "planned" | "failed" | "skipped";

/** One resource step of an operation. */
export interface StepRecord {
    /** The resource's URN. */
    urn: string;
    /** Logical name. */
    name: string;
    /** Type token. */
    type: string;
    /** The step. For refresh: `same` (no change), `update` (outputs changed), `delete` (gone). */
    op: StepOp;
    /** Its outcome. */
    status: StepStatus;
    /** For replacements: the properties the provider said force replacement. */
    replaces?: string[];
    /** For replacements: whether the old resource was (or would be) deleted first. */
    deleteBeforeReplace?: boolean;
    /** The resource ID after the step (when known). */
    id?: string;
    /** The error message (gRPC details) when the step failed. */
    error?: string;
}

/** A Check failure reported by the provider. */
export interface CheckFailureRecord {
    /** The resource's URN. */
    urn: string;
    /** Logical name. */
    name: string;
    /** The property (may be empty for a whole-resource failure). */
    property: string;
    /** The reason. */
    reason: string;
}

/** The provider gRPC methods the harness calls. */
export type GrpcMethod = "Configure" | "Check" | "Diff" | "Create" | "Update" | "Read" | "Delete";

/** The result of one operation. */
export interface OperationResult {
    /** Which operation ran. */
    operation: Operation;
    /** True when every step, every Check and the program succeeded. */
    ok: boolean;
    /** Per-resource steps, in the order they finished. */
    steps: StepRecord[];
    /** Check failures (any of them fails `preview` and stops `up` before it applies anything). */
    checkFailures: CheckFailureRecord[];
    /** Error messages: failed steps, program errors, host errors, timeouts. */
    errors: string[];
    /** Count of steps by op (failed and skipped steps excluded; preview counts planned steps). */
    summary: Record<StepOp, number>;
    /** Number of gRPC calls made to the provider host, by method. */
    grpcCalls: Record<GrpcMethod, number>;
    /**
     * Stack outputs as plain JSON (secrets unwrapped; see `secretOutputs`). For `up`, what the program
     * computed from the resources' final outputs; for `preview`, may contain {@link UNKNOWN}; for
     * `refresh`, the recorded outputs; for `destroy`, empty.
     */
    outputs: JsonObject;
    /** Names of stack outputs that are secret. */
    secretOutputs: string[];
    /** Everything the provider host wrote to stdout and stderr. */
    hostLog: string;
    /** Everything the program wrote to stdout and stderr (empty for refresh/destroy). */
    programLog: string;
    /** Wall-clock duration of the operation. */
    durationMs: number;
    /** The stack state after the operation (for preview: unchanged). */
    state: StackState;
}

/** The wire value of an unknown (preview) property, as the engine and SDK encode it. */
export const UNKNOWN = "04da6b54-80e4-46f7-96ec-b56ff0331ba9";
