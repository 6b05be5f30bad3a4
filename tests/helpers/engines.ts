/**
 * The two engines a lifecycle test runs under, behind one interface:
 *
 * - `harness`: the engine-side harness (tools/harness): Pulumi's dynamic-provider host driven over
 *   gRPC by our own stand-in for the engine, with a JSON state file. Always available.
 * - `pulumi`: the real Pulumi CLI (tools/cli): `pulumi preview|up|refresh|destroy` with a file
 *   backend, read back through the engine's event log and `pulumi stack export`. Available where
 *   a CLI is found; `KALEYRA_REQUIRE_PULUMI_CLI=1` turns its absence into a failure.
 *
 * A test writes what it expects once, and it must hold under both.
 */
import { strict as assert } from "node:assert";
import * as fs from "node:fs";
import * as path from "node:path";

import { cliRequired, CliWorkspace, findPulumi, urnName, type CliResult, type PulumiCli } from "../../tools/cli";
import {
    destroy,
    isSecret,
    preview,
    readState,
    refresh,
    unwrapSecrets,
    up,
    type ConfigValue,
    type JsonObject,
    type JsonValue,
    type OperationResult,
    type StackRef,
} from "../../tools/harness";

/** Which engine. */
export type EngineKind = "harness" | "pulumi";

/** The resource type the suites look at. */
export const PROFILE_TYPE = "pulumi-nodejs:dynamic/kaleyra:WhatsAppNumberProfile";

/** One profile resource's step in an operation. */
export interface EngineStep {
    /** The resource name. */
    readonly name: string;
    /** `create`, `update`, `replace`, `same`, `delete`, … (a replacement's other halves are left out). */
    readonly op: string;
    /** `planned` (preview), `done` or `failed`. */
    readonly status: string;
}

/** What an operation did. */
export interface EngineRun {
    /** True when it succeeded (the CLI exited 0). */
    readonly ok: boolean;
    /** The profile resources' steps. */
    readonly steps: readonly EngineStep[];
    /** Everything a user would read: the CLI's output, or the harness's errors, check failures and logs. */
    readonly text: string;
}

/** A profile resource as recorded in state: values in plaintext, `__provider` left out. */
export interface RecordedProfile {
    readonly name: string;
    readonly id: string;
    readonly inputs: Record<string, unknown>;
    readonly outputs: Record<string, unknown>;
    /** Output properties recorded as secrets. */
    readonly secretOutputs: readonly string[];
}

/** Options of an operation. */
export interface RunOptions {
    /** Replace these resources (by name) even if nothing changed (`pulumi up --replace <urn>`). CLI only. */
    readonly replace?: readonly string[];
    /** Fail when anything would change (`--expect-no-changes`). CLI only. */
    readonly expectNoChanges?: boolean;
    /** Print the property diff (`--diff`). CLI only. */
    readonly diff?: boolean;
    /**
     * `up` as a plain `pulumi up --yes` runs: preview first, then apply (default `--skip-preview`).
     * The harness's `up` always behaves so for check failures: one stops the whole update.
     */
    readonly withPreview?: boolean;
}

/** One stack of one program under one engine. */
export interface EngineStack {
    readonly kind: EngineKind;
    /** Merges stack config: plain values and secrets. */
    configure(plain: Readonly<Record<string, string>>, secret?: Readonly<Record<string, string>>): Promise<void>;
    preview(opts?: RunOptions): Promise<EngineRun>;
    up(opts?: RunOptions): Promise<EngineRun>;
    refresh(opts?: RunOptions): Promise<EngineRun>;
    destroy(): Promise<EngineRun>;
    /** The profile resources in state, by name (the engine records them in the order they finished). */
    profiles(): Promise<RecordedProfile[]>;
    /** The stack's outputs, in plaintext. */
    outputs(): Promise<Record<string, unknown>>;
    /** Every text this stack produced or left on disk, named, for searches for a secret. */
    texts(): Promise<[string, string][]>;
}

/** An engine that opens stacks. */
export interface Engine {
    readonly kind: EngineKind;
    /** Whether it can run here, and if not, why. */
    readonly availability: { readonly ok: true; readonly description: string } | { readonly ok: false; readonly reason: string };
    /**
     * A new, empty stack of a program.
     * @param dir a directory of the stack's own (state, workspace).
     */
    open(program: string, project: string, stack: string, dir: string): Promise<EngineStack>;
}

/** Every file under `dir`. */
export function filesUnder(dir: string): string[] {
    if (!fs.existsSync(dir)) return [];
    return fs.readdirSync(dir, { withFileTypes: true }).flatMap((e) => {
        const p = path.join(dir, e.name);
        return e.isDirectory() ? filesUnder(p) : e.isFile() ? [p] : [];
    });
}

function byName(a: { name: string }, b: { name: string }): number {
    return a.name.localeCompare(b.name);
}

function withoutProvider(values: Record<string, unknown>): Record<string, unknown> {
    const { __provider: _p, ...rest } = values;
    return rest;
}

// ---------------------------------------------------------------------------------------------
// The harness

function harnessRun(r: OperationResult): EngineRun {
    const steps = r.steps.filter((s) => s.type === PROFILE_TYPE && s.op !== "delete-replaced").map((s) => ({ name: s.name, op: s.op, status: s.status }));
    const text = [
        ...r.checkFailures.map((f) => `${f.name}: ${f.property}: ${f.reason}`),
        ...r.errors,
        r.programLog,
        r.hostLog,
    ].join("\n");
    return { ok: r.ok, steps, text };
}

class HarnessStack implements EngineStack {
    readonly kind = "harness";
    private readonly config: Record<string, ConfigValue> = {};
    private readonly results: OperationResult[] = [];

    constructor(
        private readonly program: string,
        private readonly project: string,
        private readonly stack: string,
        private readonly stateFile: string,
    ) {}

    async configure(plain: Readonly<Record<string, string>>, secret: Readonly<Record<string, string>> = {}): Promise<void> {
        Object.assign(this.config, plain);
        for (const [k, v] of Object.entries(secret)) this.config[k] = { secret: v };
    }

    private ref(): StackRef {
        return { projectDir: path.dirname(this.program), program: this.program, project: this.project, stack: this.stack, config: { ...this.config }, stateFile: this.stateFile };
    }

    private async run(op: (s: StackRef) => Promise<OperationResult>, opts: RunOptions = {}): Promise<EngineRun> {
        assert.ok(!opts.replace && !opts.expectNoChanges, "the harness has no --replace or --expect-no-changes");
        const r = await op(this.ref());
        this.results.push(r);
        return harnessRun(r);
    }

    preview(opts?: RunOptions): Promise<EngineRun> {
        return this.run(preview, opts);
    }
    up(opts?: RunOptions): Promise<EngineRun> {
        return this.run(up, opts);
    }
    refresh(opts?: RunOptions): Promise<EngineRun> {
        return this.run(refresh, opts);
    }
    destroy(): Promise<EngineRun> {
        return this.run(destroy);
    }

    async profiles(): Promise<RecordedProfile[]> {
        return readState(this.stateFile)
            .resources.filter((r) => r.type === PROFILE_TYPE)
            .map((r) => ({
                name: r.name,
                id: r.id,
                inputs: withoutProvider(unwrapSecrets(r.inputs) as Record<string, unknown>),
                outputs: withoutProvider(unwrapSecrets(r.outputs) as Record<string, unknown>),
                secretOutputs: Object.entries(r.outputs)
                    .filter(([, v]) => isSecret(v as JsonValue))
                    .map(([k]) => k),
            }))
            .sort(byName);
    }

    async outputs(): Promise<Record<string, unknown>> {
        return unwrapSecrets(readState(this.stateFile).outputs as JsonObject) as Record<string, unknown>;
    }

    async texts(): Promise<[string, string][]> {
        const texts: [string, string][] = [];
        for (const [i, r] of this.results.entries()) {
            texts.push([`${r.operation} #${i + 1}: result`, JSON.stringify(r)]);
            texts.push([`${r.operation} #${i + 1}: host log`, r.hostLog]);
            texts.push([`${r.operation} #${i + 1}: program log`, r.programLog]);
        }
        for (const f of filesUnder(path.dirname(this.stateFile))) texts.push([f, fs.readFileSync(f, "utf8")]);
        return texts;
    }
}

/** The engine-side harness. */
export const harnessEngine: Engine = {
    kind: "harness",
    availability: { ok: true, description: "the engine-side harness (tools/harness)" },
    async open(program, project, stack, dir) {
        fs.mkdirSync(dir, { recursive: true });
        return new HarnessStack(program, project, stack, path.join(dir, `${stack}.json`));
    },
};

// ---------------------------------------------------------------------------------------------
// The real CLI

/** The secret marker of Pulumi's state (`pulumi stack export --show-secrets` writes `plaintext` beside it). */
const SECRET_SIG_KEY = "4dabf18193072939515e22adb298388d";

/** `value` with `--show-secrets` secrets decoded; `secrets` collects the top-level keys that were secret. */
function decodeExported(values: Record<string, unknown> | undefined, secrets?: string[]): Record<string, unknown> {
    const out: Record<string, unknown> = {};
    for (const [k, v] of Object.entries(values ?? {})) {
        if (v && typeof v === "object" && SECRET_SIG_KEY in v) {
            secrets?.push(k);
            const plaintext = (v as { plaintext?: string }).plaintext;
            out[k] = plaintext === undefined ? v : JSON.parse(plaintext);
        } else {
            out[k] = v;
        }
    }
    return out;
}

function cliRun(r: CliResult): EngineRun {
    const steps = r.events.steps
        .filter((s) => s.type === PROFILE_TYPE && !["create-replacement", "delete-replaced", "discard-replaced"].includes(s.op))
        .map((s) => ({ name: s.name, op: s.op, status: s.status }));
    return { ok: r.code === 0, steps, text: `${r.stdout}\n${r.stderr}` };
}

class CliStack implements EngineStack {
    readonly kind = "pulumi";

    constructor(
        private readonly ws: CliWorkspace,
        private readonly stack: string,
        private readonly dir: string,
    ) {}

    async configure(plain: Readonly<Record<string, string>>, secret: Readonly<Record<string, string>> = {}): Promise<void> {
        await this.ws.setConfig(this.stack, plain, secret);
    }

    private async urnsOf(names: readonly string[]): Promise<string[]> {
        const resources = await this.ws.resources(this.stack);
        return names.map((n) => {
            const found = resources.find((r) => r.type === PROFILE_TYPE && urnName(r.urn) === n);
            assert.ok(found, `no resource ${n} in the stack`);
            return found.urn;
        });
    }

    async preview(opts: RunOptions = {}): Promise<EngineRun> {
        return cliRun(await this.ws.preview(this.stack, { allowFailure: true, diff: opts.diff, expectNoChanges: opts.expectNoChanges, replace: await this.urnsOf(opts.replace ?? []) }));
    }
    async up(opts: RunOptions = {}): Promise<EngineRun> {
        return cliRun(
            await this.ws.up(this.stack, {
                allowFailure: true,
                diff: opts.diff,
                expectNoChanges: opts.expectNoChanges,
                withPreview: opts.withPreview,
                replace: await this.urnsOf(opts.replace ?? []),
            }),
        );
    }
    async refresh(opts: RunOptions = {}): Promise<EngineRun> {
        return cliRun(await this.ws.refresh(this.stack, { allowFailure: true, expectNoChanges: opts.expectNoChanges }));
    }
    async destroy(): Promise<EngineRun> {
        return cliRun(await this.ws.destroy(this.stack, { allowFailure: true }));
    }

    async profiles(): Promise<RecordedProfile[]> {
        const resources = await this.ws.resources(this.stack, true);
        return resources
            .filter((r) => r.type === PROFILE_TYPE && !r.delete)
            .map((r) => {
                const secretOutputs: string[] = [];
                return {
                    name: urnName(r.urn),
                    id: r.id ?? "",
                    inputs: withoutProvider(decodeExported(r.inputs)),
                    outputs: withoutProvider(decodeExported(r.outputs, secretOutputs)),
                    secretOutputs,
                };
            })
            .sort(byName);
    }

    async outputs(): Promise<Record<string, unknown>> {
        return this.ws.outputs(this.stack);
    }

    async texts(): Promise<[string, string][]> {
        // The state as `pulumi stack export` writes it (secrets encrypted) is part of what is searched.
        await this.ws.exportStack(this.stack);
        const texts: [string, string][] = this.ws.history.map((r) => [`pulumi ${r.args.join(" ")}`, `${r.stdout}\n${r.stderr}`]);
        // The backend (state, history, backups), PULUMI_HOME, the event logs and the stack files.
        for (const f of filesUnder(this.dir)) {
            if (fs.lstatSync(f).isFile()) texts.push([f, fs.readFileSync(f, "latin1")]);
        }
        for (const f of fs.readdirSync(this.ws.projectDir).filter((n) => /^Pulumi\..*ya?ml$/.test(n))) {
            texts.push([f, fs.readFileSync(path.join(this.ws.projectDir, f), "utf8")]);
        }
        return texts;
    }
}

/** The CLI this run uses (found once). */
let found: PulumiCli | undefined;
function cli(): PulumiCli {
    found ??= findPulumi();
    return found;
}

/** The real Pulumi CLI. */
export function pulumiEngine(nodeModules: string): Engine {
    const c = cli();
    return {
        kind: "pulumi",
        availability: c.available ? { ok: true, description: `pulumi ${c.version} (${c.source})` } : { ok: false, reason: c.reason },
        async open(program, project, stack, dir) {
            assert.ok(c.available, "the pulumi CLI is not available");
            const ws = CliWorkspace.create({
                pulumi: c.path,
                dir,
                layout: { kind: "program", program, projectName: project, nodeModules },
                passphrase: "lifecycle-tests-only",
                // The repository's type-check covers the fixture programs; the root project's test type-checks through the CLI.
                transpileOnly: true,
            });
            await ws.selectStack(stack);
            return new CliStack(ws, stack, dir);
        },
    };
}

/**
 * Skips the current test (printing why) when the engine cannot run here — or fails it when
 * `KALEYRA_REQUIRE_PULUMI_CLI=1` says the real CLI is required.
 */
export function requireEngine(engine: Engine, ctx: Mocha.Context): void {
    if (engine.availability.ok) return;
    if (cliRequired()) assert.fail(`the real Pulumi CLI is required (KALEYRA_REQUIRE_PULUMI_CLI=1) but ${engine.availability.reason}`);
    console.log(`      skipped: ${engine.availability.reason}`);
    ctx.skip();
}
