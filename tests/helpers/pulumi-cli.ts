/**
 * Drives the real `pulumi` CLI with a local file backend: used by tests/pulumi-cli.test.ts and by
 * `npm run demo` when `pulumi` is on PATH.
 *
 * The CLI writes into the project it runs in (`pulumi stack init` adds `encryptionsalt:` to
 * `Pulumi.<stack>.yaml`, `pulumi config set` writes there too), so it never runs in the
 * repository's own project. {@link PulumiWorkspace.create} writes a small project directory
 * instead:
 *
 *   <projectDir>/Pulumi.yaml       name and runtime of the real project, `main: program/<entry>`
 *   <projectDir>/program  →        symlink to the program's real directory (Pulumi requires `main`
 *                                  to be inside the project; the program then runs from its real
 *                                  path, exactly as from the repository)
 *   <projectDir>/node_modules  →   symlink to the repository's node_modules, where the dynamic
 *                                  provider host (`require.resolve('@pulumi/pulumi/cmd/dynamic-provider')`)
 *                                  and the serialized `__provider`'s `require` find their modules
 *   <projectDir>/Pulumi.<stack>.yaml  written by the CLI (stack init, config set)
 *
 * Every command runs with `PULUMI_BACKEND_URL=file://<backendDir>`, the given passphrase in
 * `PULUMI_CONFIG_PASSPHRASE`, `--non-interactive`, no colour, no update check, and
 * `PULUMI_NODEJS_TRANSPILE_ONLY=true` (the repository's type-check covers the programs). `KALEYRA_*`
 * variables are removed from the environment, so only stack config reaches the provider.
 *
 * Commands are spawned asynchronously: an emulator running in the same Node process keeps
 * answering while the CLI runs.
 */
import { spawn, spawnSync } from "child_process";
import * as fs from "fs";
import * as path from "path";

/** Whether the CLI can be used here. */
export type PulumiAvailability = { available: true; version: string } | { available: false; reason: string };

/**
 * Looks for `pulumi` on PATH by running `pulumi version`.
 * @returns its version, or why it cannot be used.
 */
export function detectPulumi(): PulumiAvailability {
    const probe = spawnSync("pulumi", ["version"], { encoding: "utf8", timeout: 30_000, env: { ...process.env, PULUMI_SKIP_UPDATE_CHECK: "true" } });
    if (probe.error) {
        const code = (probe.error as NodeJS.ErrnoException).code;
        return {
            available: false,
            reason: code === "ENOENT" ? "the pulumi CLI is not on PATH" : `\`pulumi version\` could not run (${code ?? probe.error.message})`,
        };
    }
    if (probe.status !== 0) {
        return { available: false, reason: `\`pulumi version\` exited with ${probe.status}: ${(probe.stderr || probe.stdout).trim()}` };
    }
    return { available: true, version: probe.stdout.trim() };
}

/** What one CLI command did. */
export interface CliResult {
    /** The arguments after `pulumi`. */
    readonly args: readonly string[];
    /** Exit code (`null` when killed). */
    readonly code: number | null;
    /** Standard output. */
    readonly stdout: string;
    /** Standard error. */
    readonly stderr: string;
}

/** A failed CLI command; the message has the command and the CLI's own output. */
export class PulumiCommandError extends Error {
    constructor(readonly result: CliResult) {
        const output = `${result.stdout}\n${result.stderr}`.trim().split("\n").slice(-40).join("\n");
        super(`pulumi ${result.args.join(" ")} exited with ${result.code}:\n${output}`);
        this.name = "PulumiCommandError";
    }
}

/** How to lay out a project for the CLI. */
export interface PulumiWorkspaceOptions {
    /** The project directory to write (created if missing). */
    readonly projectDir: string;
    /** The file backend's directory (created if missing). */
    readonly backendDir: string;
    /** The project name (`name:` in Pulumi.yaml, the first part of config keys without a namespace). */
    readonly projectName: string;
    /** The program's entry file, e.g. `<repo>/examples/company/index.ts`. */
    readonly program: string;
    /** The `node_modules` the program and the provider host use (the repository's). */
    readonly nodeModules: string;
    /** The passphrase that encrypts secrets in the file backend (for local demos and tests only). */
    readonly passphrase: string;
    /** Per-command time limit in milliseconds. Default 180 000. */
    readonly timeoutMs?: number;
}

/** A stack's `pulumi preview --json` step, reduced to what callers use. */
export interface PreviewStep {
    /** `create`, `update`, `replace`, `same`, `delete`, ... */
    readonly op: string;
    /** The resource's URN. */
    readonly urn: string;
}

/** Creates the symlink `link` → `target` unless it already points there. */
function ensureSymlink(target: string, link: string): void {
    let existing: fs.Stats | undefined;
    try {
        existing = fs.lstatSync(link);
    } catch {
        existing = undefined;
    }
    if (existing) {
        if (!existing.isSymbolicLink()) throw new Error(`${link} exists and is not a symbolic link; remove it`);
        if (path.resolve(path.dirname(link), fs.readlinkSync(link)) === target) return;
        fs.unlinkSync(link);
    }
    fs.symlinkSync(target, link, process.platform === "win32" ? "junction" : "dir");
}

/** The `Pulumi.yaml` of the workspace project. */
function projectYaml(name: string, entry: string): string {
    return [
        `# Written by tests/helpers/pulumi-cli.ts: runs program/${entry} (a symlink to the real program).`,
        `name: ${name}`,
        "runtime:",
        "  name: nodejs",
        "  options:",
        "    typescript: true",
        `main: program/${entry}`,
        "",
    ].join("\n");
}

/** One Pulumi project directory with a local file backend. */
export class PulumiWorkspace {
    private constructor(private readonly options: PulumiWorkspaceOptions) {}

    /**
     * Writes (or refreshes) the project directory and the backend directory. Existing stacks and
     * their `Pulumi.<stack>.yaml` files are kept.
     */
    static create(options: PulumiWorkspaceOptions): PulumiWorkspace {
        fs.mkdirSync(options.projectDir, { recursive: true });
        fs.mkdirSync(options.backendDir, { recursive: true });
        ensureSymlink(path.dirname(path.resolve(options.program)), path.join(options.projectDir, "program"));
        ensureSymlink(path.resolve(options.nodeModules), path.join(options.projectDir, "node_modules"));
        fs.writeFileSync(path.join(options.projectDir, "Pulumi.yaml"), projectYaml(options.projectName, path.basename(options.program)));
        return new PulumiWorkspace(options);
    }

    /** The project directory. */
    get projectDir(): string {
        return this.options.projectDir;
    }

    /** The environment every command runs with. */
    env(): NodeJS.ProcessEnv {
        const env: NodeJS.ProcessEnv = {};
        for (const [k, v] of Object.entries(process.env)) if (!k.startsWith("KALEYRA_")) env[k] = v;
        return {
            ...env,
            PULUMI_BACKEND_URL: `file://${path.resolve(this.options.backendDir)}`,
            PULUMI_CONFIG_PASSPHRASE: this.options.passphrase,
            PULUMI_SKIP_UPDATE_CHECK: "true",
            PULUMI_NODEJS_TRANSPILE_ONLY: "true",
            NO_COLOR: "1",
        };
    }

    /**
     * Runs `pulumi <args> --non-interactive --color never` in the project directory.
     * @throws PulumiCommandError when it exits non-zero (unless `allowFailure`).
     */
    run(args: readonly string[], opts: { allowFailure?: boolean } = {}): Promise<CliResult> {
        const full = [...args, "--non-interactive", "--color", "never"];
        return new Promise<CliResult>((resolve, reject) => {
            const child = spawn("pulumi", full, { cwd: this.options.projectDir, env: this.env(), stdio: ["ignore", "pipe", "pipe"] });
            let stdout = "";
            let stderr = "";
            child.stdout.on("data", (d: Buffer) => (stdout += d.toString()));
            child.stderr.on("data", (d: Buffer) => (stderr += d.toString()));
            const timer = setTimeout(() => child.kill("SIGTERM"), this.options.timeoutMs ?? 180_000);
            child.on("error", (e) => {
                clearTimeout(timer);
                reject(e);
            });
            child.on("close", (code) => {
                clearTimeout(timer);
                const result: CliResult = { args: full, code, stdout, stderr };
                if (code !== 0 && !opts.allowFailure) reject(new PulumiCommandError(result));
                else resolve(result);
            });
        });
    }

    /** Selects the stack, creating it on first use. */
    async selectStack(stack: string): Promise<void> {
        await this.run(["stack", "select", "--create", stack]);
    }

    /** Sets stack config in one command: plain values and secrets (encrypted with the passphrase). */
    async setConfig(stack: string, plain: Record<string, string>, secret: Record<string, string> = {}): Promise<void> {
        const args = ["config", "set-all", "--stack", stack];
        for (const [k, v] of Object.entries(plain)) args.push("--plaintext", `${k}=${v}`);
        for (const [k, v] of Object.entries(secret)) args.push("--secret", `${k}=${v}`);
        await this.run(args);
    }

    /** Removes one config key from the stack. */
    async removeConfig(stack: string, key: string): Promise<void> {
        await this.run(["config", "rm", "--stack", stack, key]);
    }

    /** `pulumi preview --json`: the planned steps (every resource, `same` included). */
    async preview(stack: string): Promise<PreviewStep[]> {
        const result = await this.run(["preview", "--stack", stack, "--json"]);
        // The JSON document is the whole of stdout; skip anything a plugin may have printed before it.
        const parsed = JSON.parse(result.stdout.slice(Math.max(0, result.stdout.indexOf("{")))) as { steps?: { op?: string; urn?: string }[] };
        return (parsed.steps ?? []).map((s) => ({ op: String(s.op), urn: String(s.urn) }));
    }

    /** `pulumi up --yes --skip-preview`. */
    up(stack: string, opts: { allowFailure?: boolean } = {}): Promise<CliResult> {
        return this.run(["up", "--stack", stack, "--yes", "--skip-preview"], opts);
    }

    /** `pulumi refresh --yes --skip-preview`. */
    refresh(stack: string): Promise<CliResult> {
        return this.run(["refresh", "--stack", stack, "--yes", "--skip-preview"]);
    }

    /** `pulumi destroy --yes --skip-preview`. */
    destroy(stack: string): Promise<CliResult> {
        return this.run(["destroy", "--stack", stack, "--yes", "--skip-preview"]);
    }

    /** The stack's outputs, secrets shown. */
    async outputs(stack: string): Promise<Record<string, unknown>> {
        const result = await this.run(["stack", "output", "--stack", stack, "--json", "--show-secrets"]);
        return JSON.parse(result.stdout) as Record<string, unknown>;
    }

    /** `pulumi stack export` (with `--show-secrets` when asked): the stack's deployment as text. */
    async exportStack(stack: string, showSecrets = false): Promise<string> {
        const result = await this.run(["stack", "export", "--stack", stack, ...(showSecrets ? ["--show-secrets"] : [])]);
        return result.stdout;
    }
}

/** The type token of a URN (`urn:pulumi:<stack>::<project>::<type>::<name>`), parent types dropped. */
export function urnType(urn: string): string {
    const parts = urn.split("::");
    const types = parts[2] ?? "";
    return types.split("$").pop() ?? types;
}

/** The resource name of a URN. */
export function urnName(urn: string): string {
    return urn.split("::").slice(3).join("::");
}
