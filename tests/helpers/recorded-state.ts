/**
 * State recorded by an old version of the package (tests/fixtures/state-*), as a deployment that
 * `pulumi stack import` takes. A recorded state holds what the engine kept of each profile — URN,
 * id, inputs and outputs with the `__provider` of that version — and the stack's outputs; the
 * deployment adds what the engine keeps around them (the stack resource and the default
 * `pulumi-nodejs` provider each dynamic resource points at), as `pulumi stack export` writes them.
 */

/** One recorded resource. */
export interface RecordedResource {
    readonly urn: string;
    readonly type: string;
    readonly name: string;
    readonly id: string;
    readonly inputs: Record<string, unknown>;
    readonly outputs: Record<string, unknown>;
}

/** A recorded stack's state (tests/fixtures/state-0.1.0/state.json). */
export interface RecordedState {
    readonly project: string;
    readonly stack: string;
    readonly outputs: Record<string, unknown>;
    readonly resources: RecordedResource[];
}

/** The default provider's id in the deployment (any id the engine can compare works). */
const DEFAULT_PROVIDER_ID = "00000000-0000-4000-8000-000000000010";

/** `state` as an apiVersion 3 deployment for `pulumi stack import`. */
export function checkpointOf(state: RecordedState): { version: 3; deployment: Record<string, unknown> } {
    const prefix = `urn:pulumi:${state.stack}::${state.project}::`;
    const stackUrn = `${prefix}pulumi:pulumi:Stack::${state.project}-${state.stack}`;
    const providerUrn = `${prefix}pulumi:providers:pulumi-nodejs::default`;
    return {
        version: 3,
        deployment: {
            manifest: { time: new Date(0).toISOString(), magic: "", version: "" },
            resources: [
                { urn: stackUrn, custom: false, type: "pulumi:pulumi:Stack", outputs: state.outputs },
                { urn: providerUrn, custom: true, id: DEFAULT_PROVIDER_ID, type: "pulumi:providers:pulumi-nodejs", inputs: {}, outputs: {} },
                ...state.resources.map((r) => ({
                    urn: r.urn,
                    custom: true,
                    id: r.id,
                    type: r.type,
                    inputs: r.inputs,
                    outputs: r.outputs,
                    parent: stackUrn,
                    provider: `${providerUrn}::${DEFAULT_PROVIDER_ID}`,
                })),
            ],
        },
    };
}
