/**
 * The Pulumi CLI behind `npm run demo`: the one found (`pulumi` on PATH, then the one
 * `npm run pulumi:install` built into `.tools/pulumi/bin`), or — on a machine with Go 1.24 or newer
 * and no CLI — the one `npm run pulumi:install` builds now; and one stack of the repository's project
 * applied with it, against a file backend in the demo's directory.
 */
import { spawnSync } from "node:child_process";
import * as path from "node:path";

import { CliWorkspace, findPulumi, PulumiCommandError, REPO_ROOT, type PulumiCli } from "../tools/cli";

/** The resource type the demo reports on. */
export const PROFILE_TYPE = "pulumi-nodejs:dynamic/kaleyra:WhatsAppNumberProfile";

/** The oldest Go that builds the pinned CLI. */
export const MIN_GO: readonly [number, number] = [1, 24];

/** An expected failure: the demo prints its message, without a stack trace, and exits non-zero. */
export class DemoError extends Error {
    constructor(message: string) {
        super(message);
        this.name = "DemoError";
    }
}

/** What to do for a CLI: use the one found, build one with Go, or stop and say how to get one. */
export type CliPlan =
    | { readonly action: "use"; readonly cli: PulumiCli & { available: true } }
    | { readonly action: "build"; readonly go: string }
    | { readonly action: "stop"; readonly message: string };

/** `go1.26.8` → `[1, 26]`; undefined when `version` is not Go's. */
export function goMinor(version: string): [number, number] | undefined {
    const m = /\bgo(\d+)\.(\d+)/.exec(version);
    return m ? [Number(m[1]), Number(m[2])] : undefined;
}

/**
 * The demo's plan for a CLI.
 * @param found what {@link findPulumi} found.
 * @param goVersion what `go version` printed, or undefined when there is no `go`.
 */
export function planCli(found: PulumiCli, goVersion: string | undefined): CliPlan {
    if (found.available) return { action: "use", cli: found };
    const go = goVersion === undefined ? undefined : goMinor(goVersion);
    if (go && (go[0] > MIN_GO[0] || (go[0] === MIN_GO[0] && go[1] >= MIN_GO[1]))) return { action: "build", go: `go${go.join(".")}` };
    const why = goVersion === undefined ? "no `go` on PATH to build one with" : `${goVersion.trim()} is older than the go${MIN_GO.join(".")} the build needs`;
    return {
        action: "stop",
        message: [
            `the demo runs the real Pulumi CLI, and there is none here (${found.reason}), and ${why}. Either:`,
            "  - install the Pulumi CLI (https://www.pulumi.com/docs/install/) so that `pulumi` is on PATH, or",
            `  - install Go ${MIN_GO.join(".")} or newer (https://go.dev/dl/) and run \`npm run demo\` again: it builds the CLI with \`npm run pulumi:install\` (about 12 minutes once).`,
        ].join("\n"),
    };
}

/** What `go version` prints, or undefined when there is no `go`. */
function goVersion(): string | undefined {
    const r = spawnSync("go", ["version"], { encoding: "utf8" });
    return r.status === 0 ? r.stdout.trim() : undefined;
}

/**
 * The CLI to run the demo with: the one found, else the one `npm run pulumi:install` builds now
 * (its output shown), else a {@link DemoError} naming the two ways to get one.
 */
export function demoCli(log: (line: string) => void): PulumiCli & { available: true } {
    const plan = planCli(findPulumi(), goVersion());
    if (plan.action === "use") return plan.cli;
    if (plan.action === "stop") throw new DemoError(plan.message);
    log(`  pulumi    no Pulumi CLI on PATH or in .tools/pulumi/bin: building it from Go modules with ${plan.go}`);
    log("            (`npm run pulumi:install`: about 12 minutes the first time, seconds after)");
    const npm = process.platform === "win32" ? "npm.cmd" : "npm";
    const build = spawnSync(npm, ["run", "--silent", "pulumi:install"], { cwd: REPO_ROOT, stdio: ["ignore", "inherit", "inherit"] });
    if (build.status !== 0) throw new DemoError(`npm run pulumi:install failed (${build.error?.message ?? `exit ${build.status}`}); its output is above`);
    const built = findPulumi();
    if (!built.available) throw new DemoError(`npm run pulumi:install finished, but ${built.reason}`);
    return built;
}

/** What applying one stack did. */
export interface AppliedStack {
    /** Each profile resource of the stack and what happened to it (`create`, `update`, `replace`, `same`, `delete`). */
    readonly resources: { readonly name: string; readonly op: string }[];
    /** The stack's outputs after the update. */
    readonly outputs: Record<string, unknown>;
}

/** Where the program is and where state goes. */
export interface DemoStacksOptions {
    /** The CLI. */
    readonly cli: PulumiCli & { available: true };
    /** The Pulumi project directory of the program (the repository root for the company program). */
    readonly projectDir: string;
    /** The `node_modules` the program resolves from. */
    readonly nodeModules: string;
    /** The demo's own directory (workspace, backend). */
    readonly demoDir: string;
    /**
     * Run the TypeScript program through the language host, type-checked, as `pulumi up` at the root
     * does (default true); false runs it compiled to JavaScript instead (the tests: the root
     * project's TypeScript path is tests/e2e/promotion.test.ts's subject).
     */
    readonly typeCheck?: boolean;
}

/**
 * The stacks of the repository's project on a copy of it in `<demoDir>/pulumi` (its `Pulumi.yaml`
 * and stack files copied, everything else linked), with a file backend and `PULUMI_HOME` beside it.
 */
export class DemoStacks {
    private readonly workspace: CliWorkspace;

    constructor(options: DemoStacksOptions) {
        this.workspace = CliWorkspace.create({
            pulumi: options.cli.path,
            dir: path.join(options.demoDir, "pulumi"),
            layout: { kind: "copy", source: options.projectDir, nodeModules: options.nodeModules, compile: options.typeCheck === false },
            // Encrypts the demo's stack config in the local backend only; never use it for a real stack.
            passphrase: "kaleyra-demo-local-only",
        });
    }

    /** The file backend's directory. */
    get backendDir(): string {
        return this.workspace.backendDir;
    }

    /** Brings `stack` up to date with the program and this config; throws {@link DemoError} on failure. */
    async apply(stack: string, plain: Record<string, string>, secret: Record<string, string>): Promise<AppliedStack> {
        try {
            await this.workspace.selectStack(stack);
            await this.workspace.setConfig(stack, plain, secret);
            const result = await this.workspace.up(stack);
            const resources = result.events.steps
                .filter((s) => s.type === PROFILE_TYPE && !["create-replacement", "delete-replaced"].includes(s.op))
                .map((s) => ({ name: s.name, op: s.op }));
            return { resources, outputs: await this.workspace.outputs(stack) };
        } catch (e) {
            if (e instanceof PulumiCommandError) throw new DemoError(`stack ${stack}: ${e.message}`);
            throw e;
        }
    }
}
