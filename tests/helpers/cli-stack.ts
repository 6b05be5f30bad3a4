/**
 * One stack of a test program under the real Pulumi CLI (tools/cli), with what the end-to-end tests
 * read back: the profile resources' steps from the engine's event log, the recorded profiles and
 * outputs from `pulumi stack export`, and every text the stack printed or left on disk (for the
 * searches for the API key). Also the skip-or-fail rule when no CLI is found.
 */
import { strict as assert } from "node:assert";
import * as fs from "node:fs";
import * as path from "node:path";

import { cliRequired, CliWorkspace, findPulumi, urnName, type CliResult, type OperationOptions, type PulumiCli } from "../../tools/cli";

/** The repository root. */
export const ROOT = path.resolve(__dirname, "..", "..");

/** The dynamic resource's type token. */
export const PROFILE_TYPE = "pulumi-nodejs:dynamic/kaleyra:WhatsAppNumberProfile";

/** The secret marker of Pulumi's state (`pulumi stack export --show-secrets` writes `plaintext` beside it). */
const SECRET_SIG_KEY = "4dabf18193072939515e22adb298388d";

/** One profile resource's step in an operation. */
export interface ProfileStep {
    /** The resource name. */
    readonly name: string;
    /** `create`, `update`, `replace`, `same`, `delete`, … (a replacement's other halves are left out). */
    readonly op: string;
    /** `planned` (preview), `done` or `failed`. */
    readonly status: string;
}

/** What an operation did. */
export interface StackRun {
    /** True when the CLI exited 0. */
    readonly ok: boolean;
    /** The profile resources' steps. */
    readonly steps: readonly ProfileStep[];
    /** Everything the CLI printed. */
    readonly text: string;
    /** The CLI's result (events, timing). */
    readonly result: CliResult;
}

/** A profile resource as recorded in state: values in plaintext, `__provider` left out. */
export interface RecordedProfile {
    readonly name: string;
    readonly id: string;
    readonly inputs: Record<string, unknown>;
    readonly outputs: Record<string, unknown>;
    /** Output properties recorded as secrets. */
    readonly secretOutputs: readonly string[];
    /** The recorded `__provider` input (what Check and Diff load). */
    readonly provider: string;
    /** The recorded `__provider` output (what Read and Delete load). */
    readonly outputProvider: string;
}

/** Options of an operation. */
export interface StackRunOptions {
    /** Replace these resources (by name) even if nothing changed (`--replace <urn>`). */
    readonly replace?: readonly string[];
    /** Fail when anything would change (`--expect-no-changes`). */
    readonly expectNoChanges?: boolean;
    /** Print the property diff (`--diff`). */
    readonly diff?: boolean;
    /** Run the preview first, as a plain `pulumi up --yes` does (default `--skip-preview`). */
    readonly withPreview?: boolean;
    /** `--parallel <n>`. */
    readonly parallel?: number;
    /** Extra environment for this command. */
    readonly env?: Readonly<Record<string, string>>;
}

/** Where a test stack's program is and how it runs. */
export interface TestStackOptions {
    /** The program's entry file. */
    readonly program: string;
    /** The project name. */
    readonly project: string;
    /** The stack name. Default `dev`. */
    readonly stack?: string;
    /** A directory of the stack's own (workspace, backend, `PULUMI_HOME`). */
    readonly dir: string;
    /** Run the TypeScript through the language host instead of compiling it first. Default false. */
    readonly typescript?: boolean;
    /** Extra environment for every command. */
    readonly env?: Readonly<Record<string, string>>;
}

/** Every file under `dir`. */
export function filesUnder(dir: string): string[] {
    if (!fs.existsSync(dir)) return [];
    return fs.readdirSync(dir, { withFileTypes: true }).flatMap((e) => {
        const p = path.join(dir, e.name);
        return e.isDirectory() ? filesUnder(p) : e.isFile() ? [p] : [];
    });
}

/** `values` with `--show-secrets` secrets decoded; `secrets` collects the top-level keys that were secret. */
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

function withoutProvider(values: Record<string, unknown>): Record<string, unknown> {
    const { __provider: _p, ...rest } = values;
    return rest;
}

/** The profile steps of a command's event log, without a replacement's other halves. */
function runOf(r: CliResult): StackRun {
    const steps = r.events.steps
        .filter((s) => s.type === PROFILE_TYPE && !["create-replacement", "delete-replaced", "discard-replaced"].includes(s.op))
        .map((s) => ({ name: s.name, op: s.op, status: s.status }));
    return { ok: r.code === 0, steps, text: `${r.stdout}\n${r.stderr}`, result: r };
}

/** name → op of the profile steps, sorted by name. */
export function ops(r: StackRun): [string, string][] {
    return r.steps.map((s): [string, string] => [s.name, s.op]).sort(([a], [b]) => a.localeCompare(b));
}

/** Asserts that an operation succeeded, showing its output when it did not. */
export function assertOk(r: StackRun, what: string): void {
    assert.ok(r.ok, `${what} failed:\n${r.text}`);
}

/** One stack of a program in a CLI workspace of its own. */
export class TestStack {
    private constructor(
        /** The workspace (for commands this class does not wrap). */
        readonly ws: CliWorkspace,
        /** The stack name. */
        readonly stack: string,
        private readonly dir: string,
    ) {}

    /** Lays out a new workspace in `options.dir` and selects (creates) the stack. */
    static async open(cli: PulumiCli & { available: true }, options: TestStackOptions): Promise<TestStack> {
        const ws = CliWorkspace.create({
            pulumi: cli.path,
            dir: options.dir,
            layout: { kind: "program", program: options.program, projectName: options.project, nodeModules: path.join(ROOT, "node_modules"), typescript: options.typescript },
            passphrase: "e2e-tests-only",
            // The repository's type-check covers the test programs.
            transpileOnly: true,
            env: options.env,
        });
        const stack = options.stack ?? "dev";
        await ws.selectStack(stack);
        return new TestStack(ws, stack, options.dir);
    }

    /** Merges stack config: plain values and secrets. */
    async configure(plain: Readonly<Record<string, string>>, secret: Readonly<Record<string, string>> = {}): Promise<void> {
        // A plain value this stack already holds is not set again (one CLI command less); a secret
        // always is, and then no longer counts as a plain value held.
        const changed = Object.fromEntries(Object.entries(plain).filter(([k, v]) => this.plain.get(k) !== v));
        if (Object.keys(changed).length === 0 && Object.keys(secret).length === 0) return;
        await this.ws.setConfig(this.stack, changed, secret);
        for (const [k, v] of Object.entries(changed)) this.plain.set(k, v);
        for (const k of Object.keys(secret)) this.plain.delete(k);
    }

    /** The plain config values this object set on the stack. */
    private readonly plain = new Map<string, string>();

    /** The URNs of these profile resources (asserts each exists). */
    async urnsOf(names: readonly string[]): Promise<string[]> {
        if (names.length === 0) return [];
        const resources = await this.ws.resources(this.stack);
        return names.map((n) => {
            const found = resources.find((r) => r.type === PROFILE_TYPE && urnName(r.urn) === n);
            assert.ok(found, `no resource ${n} in the stack`);
            return found.urn;
        });
    }

    private async options(opts: StackRunOptions): Promise<OperationOptions> {
        return {
            allowFailure: true,
            diff: opts.diff,
            expectNoChanges: opts.expectNoChanges,
            withPreview: opts.withPreview,
            parallel: opts.parallel,
            env: opts.env,
            replace: await this.urnsOf(opts.replace ?? []),
        };
    }

    /** `pulumi preview`. */
    async preview(opts: StackRunOptions = {}): Promise<StackRun> {
        return runOf(await this.ws.preview(this.stack, await this.options(opts)));
    }

    /** `pulumi up --yes --skip-preview` (with the preview when `withPreview`). */
    async up(opts: StackRunOptions = {}): Promise<StackRun> {
        return runOf(await this.ws.up(this.stack, await this.options(opts)));
    }

    /** `pulumi refresh --yes --skip-preview`. */
    async refresh(opts: StackRunOptions = {}): Promise<StackRun> {
        return runOf(await this.ws.refresh(this.stack, await this.options(opts)));
    }

    /** `pulumi destroy --yes --skip-preview`. */
    async destroy(opts: StackRunOptions = {}): Promise<StackRun> {
        return runOf(await this.ws.destroy(this.stack, await this.options(opts)));
    }

    /** The profile resources in state, sorted by name. */
    async profiles(): Promise<RecordedProfile[]> {
        // `--show-secrets` costs the passphrase's key derivation: asked for only when a secret is there.
        let resources = await this.ws.resources(this.stack);
        if (JSON.stringify(resources.filter((r) => r.type === PROFILE_TYPE)).includes(SECRET_SIG_KEY)) resources = await this.ws.resources(this.stack, true);
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
                    provider: String(r.inputs?.__provider ?? ""),
                    outputProvider: String(r.outputs?.__provider ?? ""),
                };
            })
            .sort((a, b) => a.name.localeCompare(b.name));
    }

    /** The stack's outputs, in plaintext. */
    outputs(): Promise<Record<string, unknown>> {
        return this.ws.outputs(this.stack);
    }

    /**
     * Every text this stack produced or left on disk, named: what every command printed, the state
     * as `pulumi stack export` writes it (secrets encrypted), the backend (state, history, backups),
     * `PULUMI_HOME`, the stack files and — unless `eventLogs` is false — the engine's event logs.
     * (The event logs carry the Node.js SDK's debug messages, which print every registered
     * resource's outputs, secret ones in plaintext: a secret *output* is in them by the SDK's doing;
     * the API key, never an output, must not be.)
     */
    async texts(eventLogs = true): Promise<[string, string][]> {
        await this.ws.exportStack(this.stack);
        const texts: [string, string][] = this.ws.history.map((r) => [`pulumi ${r.args.join(" ")}`, `${r.stdout}\n${r.stderr}`]);
        for (const f of filesUnder(this.dir)) {
            if (!eventLogs && path.dirname(f) === this.ws.logDir) continue;
            if (fs.lstatSync(f).isFile()) texts.push([f, fs.readFileSync(f, "latin1")]);
        }
        return texts;
    }

    /** Asserts that `secret` is in no text of {@link texts}. */
    async assertNowhere(secret: string, what = "the API key", eventLogs = true): Promise<void> {
        const texts = await this.texts(eventLogs);
        assert.ok(texts.length > 0);
        for (const [where, text] of texts) assert.ok(!text.includes(secret), `${what} is in ${where}`);
    }
}

/** The CLI found once per process. */
let found: PulumiCli | undefined;

/**
 * The Pulumi CLI, when there is one. Without one, skips the current test or hook (printing why), or
 * fails it when `KALEYRA_REQUIRE_PULUMI_CLI=1` says the real CLI is required (CI).
 */
export function requireCli(ctx: Mocha.Context): PulumiCli & { available: true } {
    found ??= findPulumi();
    if (found.available) return found;
    if (cliRequired()) assert.fail(`the real Pulumi CLI is required (KALEYRA_REQUIRE_PULUMI_CLI=1) but ${found.reason}`);
    console.log(`      skipped: ${found.reason}`);
    ctx.skip();
}
