/**
 * Messages between the harness (parent) and the collector child process that runs the program.
 */
import { JsonObject } from "./types";

/** What the collector needs to run a program (passed in the `HARNESS_COLLECTOR` env var as JSON). */
export interface CollectorSettings {
    /** Absolute path of the program file. */
    program: string;
    /** Project directory (`@pulumi/pulumi` is resolved from here). */
    projectDir: string;
    /** Project name. */
    project: string;
    /** Stack name. */
    stack: string;
    /** Preview (dry run): unknown values are allowed. */
    dryRun: boolean;
    /** Quiet period, in ms, after which pending registrations are reported as a batch. */
    settleMs: number;
}

/** Resource options that the engine acts on, as sent in the RegisterResource request. */
export interface RegistrationOptions {
    /** Parent URN (empty for none). */
    parent: string;
    /** Dependency URNs. */
    dependencies: string[];
    /** `protect`. */
    protect: boolean;
    /** `deleteBeforeReplace`, if the program set it. */
    deleteBeforeReplace?: boolean;
    /** `ignoreChanges`. */
    ignoreChanges: string[];
    /** `replaceOnChanges`. */
    replaceOnChanges: string[];
    /** `additionalSecretOutputs`. */
    additionalSecretOutputs: string[];
    /** `retainOnDelete`. */
    retainOnDelete: boolean;
    /** Explicit provider reference (empty for the default provider). */
    provider: string;
    /** `import` ID (not supported by the harness). */
    importId: string;
}

/** One custom-resource registration, with its inputs exactly as the SDK serialized them. */
export interface Registration {
    /** Sequence number, echoed in the answer. */
    seq: number;
    /** URN (computed as the engine does). */
    urn: string;
    /** Type token. */
    type: string;
    /** Logical name. */
    name: string;
    /** Inputs in wire form (secrets wrapped, unknowns as the sentinel, `__provider` included). */
    inputs: JsonObject;
    /** Options. */
    options: RegistrationOptions;
}

/** Child → parent. */
export type ChildMessage =
    | { kind: "register"; registration: Registration }
    | { kind: "idle" }
    | { kind: "done"; outputs: JsonObject }
    | { kind: "error"; message: string };

/** Parent → child: the engine's answer to a registration. */
export type ParentMessage =
    | { kind: "answer"; seq: number; id: string; outputs: JsonObject }
    | { kind: "reject"; seq: number; message: string };
