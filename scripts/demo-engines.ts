/**
 * The two ways `npm run demo` applies a stack: the real `pulumi` CLI with a local file backend,
 * or — where the CLI is not installed — the engine-side harness (tools/harness), which drives
 * Pulumi's own dynamic-provider host over gRPC with a JSON state file per stack. Both run the
 * same program with the same stack config and leave their state under the demo directory, so a
 * second run finds nothing to do.
 */
import * as path from "node:path";

import { CliWorkspace, PulumiCommandError } from "../tools/cli";
import { up, type OperationResult } from "../tools/harness";

/** The resource type the demo reports on. */
export const PROFILE_TYPE = "pulumi-nodejs:dynamic/kaleyra:WhatsAppNumberProfile";

/** An expected failure: the demo prints its message, without a stack trace, and exits non-zero. */
export class DemoError extends Error {
    constructor(message: string) {
        super(message);
        this.name = "DemoError";
    }
}

/** What applying one stack did. */
export interface AppliedStack {
    /** Each profile resource of the stack and what happened to it (`create`, `update`, `replace`, `same`, `delete`). */
    readonly resources: { readonly name: string; readonly op: string }[];
    /** The stack's outputs after the update. */
    readonly outputs: Record<string, unknown>;
}

/** A way to run `pulumi up` for one stack of the program. */
export interface DemoEngine {
    /** `pulumi` or `harness`. */
    readonly kind: "pulumi" | "harness";
    /** One line saying what it is and where its state lives. */
    readonly description: string;
    /** Brings the stack up to date with the program and this config; throws {@link DemoError} on failure. */
    apply(stack: string, plain: Record<string, string>, secret: Record<string, string>): Promise<AppliedStack>;
}

/** Where the program is and where state goes. */
export interface EngineOptions {
    /** The Pulumi project directory of the program (the repository root for the company program). */
    readonly projectDir: string;
    /** The program's entry file. */
    readonly program: string;
    /** The project name. */
    readonly project: string;
    /** The demo's own directory (state, backend). */
    readonly demoDir: string;
    /** How to show a path to the user. */
    readonly show: (p: string) => string;
}

/** The harness's failure as one readable message. */
function harnessFailure(stack: string, r: OperationResult): DemoError {
    const lines = [
        ...r.checkFailures.map((f) => `${f.name}.${f.property}: ${f.reason}`),
        ...r.errors.map((e) => e.replace(/^\w+ urn:pulumi:[^ ]*::([^:]+): /, "$1: ")),
    ];
    const detail = lines.length > 0 ? lines : [r.programLog.trim() || r.hostLog.trim() || "no details"];
    return new DemoError(`pulumi up failed for stack ${stack}:\n  ${detail.join("\n  ")}`);
}

/** The engine-side harness: Pulumi's dynamic-provider host over gRPC, state in `<demoDir>/state/<stack>.json`. */
export function harnessEngine(options: EngineOptions): DemoEngine {
    const stateDir = path.join(options.demoDir, "state");
    return {
        kind: "harness",
        description: `Pulumi's dynamic-provider host, driven by tools/harness; state in ${options.show(stateDir)}`,
        async apply(stack, plain, secret) {
            const config: Record<string, string | { secret: string }> = { ...plain };
            for (const [k, v] of Object.entries(secret)) config[k] = { secret: v };
            const r = await up({
                projectDir: options.projectDir,
                program: options.program,
                project: options.project,
                stack,
                config,
                stateFile: path.join(stateDir, `${stack}.json`),
            });
            if (!r.ok) throw harnessFailure(stack, r);
            const resources = r.steps.filter((s) => s.type === PROFILE_TYPE).map((s) => ({ name: s.name, op: s.op }));
            return { resources, outputs: r.outputs };
        },
    };
}

/**
 * The real CLI on a copy of the repository's project in `<demoDir>/pulumi` (its `Pulumi.yaml` and
 * stack files copied, everything else linked), with a file backend and `PULUMI_HOME` beside it.
 * The language host compiles and type-checks the program, exactly as `pulumi up` at the root does.
 */
export function pulumiEngine(options: EngineOptions & { readonly cli: string; readonly version: string; readonly nodeModules: string }): DemoEngine {
    const dir = path.join(options.demoDir, "pulumi");
    const workspace = CliWorkspace.create({
        pulumi: options.cli,
        dir,
        layout: { kind: "copy", source: options.projectDir, nodeModules: options.nodeModules },
        // Encrypts the demo's stack config in the local backend only; never use it for a real stack.
        passphrase: "kaleyra-demo-local-only",
    });
    return {
        kind: "pulumi",
        description: `pulumi ${options.version} with a local file backend in ${options.show(workspace.backendDir)}`,
        async apply(stack, plain, secret) {
            try {
                await workspace.selectStack(stack);
                await workspace.setConfig(stack, plain, secret);
                const result = await workspace.up(stack);
                const resources = result.events.steps
                    .filter((s) => s.type === PROFILE_TYPE && !["create-replacement", "delete-replaced"].includes(s.op))
                    .map((s) => ({ name: s.name, op: s.op }));
                return { resources, outputs: await workspace.outputs(stack) };
            } catch (e) {
                if (e instanceof PulumiCommandError) throw new DemoError(`stack ${stack}: ${e.message}`);
                throw e;
            }
        },
    };
}
