/**
 * Drives the real `pulumi` CLI in an isolated workspace: a project directory of its own, a file
 * backend, a private `PULUMI_HOME`, and the offline environment of env.ts. Used by the real-CLI
 * tests, `npm run demo` and the bench.
 *
 * The CLI writes into the project it runs in (`stack init` adds `encryptionsalt:` to
 * `Pulumi.<stack>.yaml`; `config set` writes there too), so it never runs in the repository's own
 * project directories. A workspace's project directory is built instead, one of two ways:
 *
 * - {@link ProjectLayout} `program`: a generated `Pulumi.yaml` and a symlink `node_modules` → the
 *   given `node_modules`; the program is compiled to JavaScript into `program/index.js` (compile.ts),
 *   or, with `typescript: true`, `program` is a symlink to the program's real directory and the
 *   language host runs the TypeScript (the program then runs from its real path).
 * - {@link ProjectLayout} `copy`: an existing project (the repository root, `examples/minimal`, …):
 *   its `Pulumi.yaml` and `Pulumi.<stack>.yaml` files are copied, every other entry is symlinked, so
 *   the CLI runs the project as it is, with its own stack files; with `compile: true`, its `main`
 *   is compiled to `.compiled/index.js` and the copied `Pulumi.yaml` runs that instead.
 *
 * Commands run asynchronously: an emulator in the same Node process keeps answering meanwhile.
 */
import { spawn } from "node:child_process";
import * as fs from "node:fs";
import * as path from "node:path";

import * as yaml from "js-yaml";

import { compileProgram } from "./compile";
import { isolatedEnv } from "./env";
import { readEvents, type CliEvents } from "./events";

/** How the workspace's project directory is made. */
export type ProjectLayout =
    | {
          readonly kind: "program";
          /** The program's entry file, e.g. `<repo>/tests/fixtures/lifecycle/index.ts`. */
          readonly program: string;
          /** `name:` of the generated `Pulumi.yaml`. */
          readonly projectName: string;
          /** The `node_modules` the program and the dynamic-provider host resolve from. */
          readonly nodeModules: string;
          /** Run the TypeScript through the language host (ts-node) instead of compiling it first. Default false. */
          readonly typescript?: boolean;
      }
    | {
          readonly kind: "copy";
          /** An existing Pulumi project directory (it has a `Pulumi.yaml`). */
          readonly source: string;
          /** A `node_modules` to link into the project when the source has none of its own (the examples). */
          readonly nodeModules?: string;
          /** Compile the project's TypeScript `main` to JavaScript and run that. Default false. */
          readonly compile?: boolean;
      };

/** Where a workspace lives and how it runs. */
export interface WorkspaceOptions {
    /** The `pulumi` executable. */
    readonly pulumi: string;
    /** A directory of its own: `project/`, `backend/` and `home/` are made inside it. */
    readonly dir: string;
    /** How the project directory is made. */
    readonly layout: ProjectLayout;
    /** Encrypts the stacks' secrets in the file backend (local use only). */
    readonly passphrase: string;
    /** Skip the language host's type-check of TypeScript programs. Default false. */
    readonly transpileOnly?: boolean;
    /** Extra environment for every command (e.g. `NODE_EXTRA_CA_CERTS`). */
    readonly env?: Readonly<Record<string, string>>;
    /** Per-command time limit in milliseconds. Default 300 000. */
    readonly timeoutMs?: number;
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
    /** The engine events, for commands run with an event log (preview, up, refresh, destroy). */
    readonly events: CliEvents;
    /** Wall-clock time of the command. */
    readonly durationMs: number;
}

/**
 * A command started with {@link CliWorkspace.start}: still running, so it can be interrupted. The
 * CLI runs in a process group of its own (spawned detached), with everything it starts — the
 * language host, the program, the dynamic-provider host — so {@link RunningCommand.signal} reaches
 * them all, as a terminal's Ctrl-C or a CI runner's kill of the job would.
 */
export interface RunningCommand {
    /** The CLI's process id (also its process group id). */
    readonly pid: number;
    /** Resolves when the CLI has exited (never rejects on a non-zero exit or a signal). */
    readonly result: Promise<CliResult>;
    /**
     * Sends `signal` to the CLI alone (`tree` false), or to the CLI's process group and every
     * process descended from it (default; the engine starts its plugins in process groups of
     * their own, so the group alone would miss them). Does nothing to processes already gone.
     */
    signal(signal: NodeJS.Signals, tree?: boolean): void;
    /** The CLI and its descendants now (read from /proc; empty elsewhere). */
    tree(): number[];
    /** Of every process seen in the tree so far, those still alive (not zombies). */
    survivors(): number[];
}

/** A CLI command that exited non-zero; the message has the command and the end of its output. */
export class PulumiCommandError extends Error {
    constructor(readonly result: CliResult) {
        const output = `${result.stdout}\n${result.stderr}`.trim().split("\n").slice(-40).join("\n");
        super(`pulumi ${result.args.join(" ")} exited with ${result.code}:\n${output}`);
        this.name = "PulumiCommandError";
    }
}

/** Options of every command. */
export interface RunOptions {
    /** Resolve with the result instead of throwing when the command exits non-zero. */
    readonly allowFailure?: boolean;
    /** Extra environment for this command. */
    readonly env?: Readonly<Record<string, string>>;
    /**
     * Keep the result out of {@link CliWorkspace.history}: for commands whose output holds secrets
     * on purpose (`--show-secrets`), so that searches of the history stay meaningful.
     */
    readonly unrecorded?: boolean;
}

/** Options of `preview`, `up`, `refresh` and `destroy`. */
export interface OperationOptions extends RunOptions {
    /** `--expect-no-changes`: fail if anything would change. */
    readonly expectNoChanges?: boolean;
    /** `--diff`: print the property-level diff. */
    readonly diff?: boolean;
    /** `--replace <urn>` for each URN (preview and up). */
    readonly replace?: readonly string[];
    /** `--parallel <n>`. */
    readonly parallel?: number;
    /** `up`, `refresh`, `destroy`: run the preview first, as a plain `pulumi up --yes` does (default: `--skip-preview`). */
    readonly withPreview?: boolean;
    /** Extra flags, e.g. `--clear-pending-creates`. */
    readonly flags?: readonly string[];
}

/** One resource of `pulumi stack export`. */
export interface ExportedResource {
    readonly urn: string;
    readonly type: string;
    readonly id?: string;
    readonly inputs?: Record<string, unknown>;
    readonly outputs?: Record<string, unknown>;
    readonly delete?: boolean;
}

/** A process's state letter and parent pid from /proc (undefined when it does not exist). */
function procStat(pid: number): { state: string; ppid: number } | undefined {
    try {
        const stat = fs.readFileSync(`/proc/${pid}/stat`, "utf8");
        const fields = stat.slice(stat.lastIndexOf(")") + 2).split(" ");
        return { state: fields[0], ppid: Number(fields[1]) };
    } catch {
        return undefined;
    }
}

/** A process's state letter (`R`, `S`, `Z`, …), or undefined when it does not exist. */
function processState(pid: number): string | undefined {
    return procStat(pid)?.state;
}

/** `root` and every process descended from it, from /proc (empty where there is no /proc). */
export function descendants(root: number): number[] {
    if (!fs.existsSync("/proc")) return [];
    const children = new Map<number, number[]>();
    for (const entry of fs.readdirSync("/proc")) {
        if (!/^\d+$/.test(entry)) continue;
        const stat = procStat(Number(entry));
        if (stat) children.set(stat.ppid, [...(children.get(stat.ppid) ?? []), Number(entry)]);
    }
    const out: number[] = [];
    const queue = procStat(root) ? [root] : [];
    while (queue.length > 0) {
        const p = queue.shift() as number;
        out.push(p);
        queue.push(...(children.get(p) ?? []));
    }
    return out;
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
    fs.symlinkSync(target, link, "dir");
}

/** Whether a project file is one the CLI may write (copied, never linked). */
function isStackFile(name: string): boolean {
    return name === "Pulumi.yaml" || name === "Pulumi.yml" || /^Pulumi\.[^.]+\.ya?ml$/.test(name);
}

/** The `Pulumi.yaml` of a Node.js project running `main`, as JavaScript or TypeScript. */
function nodeProjectYaml(name: string, main: string, typescript: boolean, extra: Record<string, unknown> = {}): string {
    const project = { ...extra, name, runtime: { name: "nodejs", options: { typescript } }, main };
    return `# Written by tools/cli/workspace.ts.\n${yaml.dump(project, { lineWidth: -1 })}`;
}

/** Makes (or refreshes) the project directory. Stack files already there are kept. */
function layOut(projectDir: string, layout: ProjectLayout): void {
    fs.mkdirSync(projectDir, { recursive: true });
    if (layout.kind === "program") {
        ensureSymlink(path.resolve(layout.nodeModules), path.join(projectDir, "node_modules"));
        const program = path.join(projectDir, "program");
        if (layout.typescript) {
            ensureSymlink(path.dirname(path.resolve(layout.program)), program);
            fs.writeFileSync(path.join(projectDir, "Pulumi.yaml"), nodeProjectYaml(layout.projectName, `program/${path.basename(layout.program)}`, true));
        } else {
            if (fs.existsSync(program) && fs.lstatSync(program).isSymbolicLink()) fs.unlinkSync(program);
            compileProgram(layout.program, path.join(program, "index.js"));
            fs.writeFileSync(path.join(projectDir, "Pulumi.yaml"), nodeProjectYaml(layout.projectName, "program/index.js", false));
        }
        return;
    }
    const source = path.resolve(layout.source);
    for (const entry of fs.readdirSync(source)) {
        if (entry === ".git" || entry === ".tools") continue;
        const from = path.join(source, entry);
        const to = path.join(projectDir, entry);
        if (isStackFile(entry)) {
            if (entry === "Pulumi.yaml" || !fs.existsSync(to)) fs.copyFileSync(from, to);
        } else if (fs.statSync(from).isDirectory()) {
            ensureSymlink(from, to);
        } else if (!fs.existsSync(to)) {
            fs.symlinkSync(from, to);
        }
    }
    if (layout.nodeModules && !fs.existsSync(path.join(source, "node_modules"))) {
        ensureSymlink(path.resolve(layout.nodeModules), path.join(projectDir, "node_modules"));
    }
    if (layout.compile) {
        const project = yaml.load(fs.readFileSync(path.join(source, "Pulumi.yaml"), "utf8")) as { name: string; main?: string } & Record<string, unknown>;
        const main = path.join(source, project.main ?? "index.ts");
        compileProgram(main, path.join(projectDir, ".compiled", "index.js"));
        const { name, runtime: _runtime, main: _main, ...rest } = project;
        fs.writeFileSync(path.join(projectDir, "Pulumi.yaml"), nodeProjectYaml(name, ".compiled/index.js", false, rest));
    }
}

/** One project with its own file backend and `PULUMI_HOME`, driven through the real CLI. */
export class CliWorkspace {
    /** Every command this workspace ran, in order (for searches of everything the CLI printed). */
    readonly history: CliResult[] = [];
    private eventLogs = 0;

    private constructor(private readonly options: WorkspaceOptions) {}

    /** Lays out the workspace under `options.dir`; existing stacks are kept. */
    static create(options: WorkspaceOptions): CliWorkspace {
        const ws = new CliWorkspace(options);
        for (const dir of [ws.projectDir, ws.backendDir, ws.pulumiHome, ws.logDir]) fs.mkdirSync(dir, { recursive: true });
        layOut(ws.projectDir, options.layout);
        return ws;
    }

    /** The project directory the CLI runs in. */
    get projectDir(): string {
        return path.join(this.options.dir, "project");
    }

    /** The file backend's directory. */
    get backendDir(): string {
        return path.join(this.options.dir, "backend");
    }

    /** This workspace's `PULUMI_HOME`. */
    get pulumiHome(): string {
        return path.join(this.options.dir, "home");
    }

    /** Where event logs go. */
    get logDir(): string {
        return path.join(this.options.dir, "events");
    }

    /** The environment every command runs with. */
    env(extra: Readonly<Record<string, string>> = {}): NodeJS.ProcessEnv {
        return isolatedEnv({
            binDir: path.dirname(this.options.pulumi),
            pulumiHome: this.pulumiHome,
            backendDir: this.backendDir,
            passphrase: this.options.passphrase,
            transpileOnly: this.options.transpileOnly,
            extra: { ...this.options.env, ...extra },
        });
    }

    /**
     * Runs `pulumi <args> --non-interactive --color never` in the project directory.
     * @param eventLog whether to pass `--event-log` (engine operations only).
     * @throws PulumiCommandError when it exits non-zero, unless `allowFailure`.
     */
    run(args: readonly string[], opts: RunOptions = {}, eventLog = false): Promise<CliResult> {
        const log = eventLog ? path.join(this.logDir, `${++this.eventLogs}.jsonl`) : undefined;
        const full = [...args, ...(log ? ["--event-log", log] : []), "--non-interactive", "--color", "never"];
        const started = Date.now();
        return new Promise<CliResult>((resolve, reject) => {
            const child = spawn(this.options.pulumi, full, { cwd: this.projectDir, env: this.env(opts.env), stdio: ["ignore", "pipe", "pipe"] });
            let stdout = "";
            let stderr = "";
            child.stdout.on("data", (d: Buffer) => (stdout += d.toString()));
            child.stderr.on("data", (d: Buffer) => (stderr += d.toString()));
            const timer = setTimeout(() => {
                child.kill("SIGTERM");
                setTimeout(() => child.kill("SIGKILL"), 10_000).unref();
            }, this.options.timeoutMs ?? 300_000);
            child.on("error", (e) => {
                clearTimeout(timer);
                reject(e);
            });
            child.on("close", (code) => {
                clearTimeout(timer);
                const result: CliResult = {
                    args: full,
                    code,
                    stdout,
                    stderr,
                    events: readEvents(log ?? ""),
                    durationMs: Date.now() - started,
                };
                if (!opts.unrecorded) this.history.push(result);
                if (code !== 0 && !opts.allowFailure) reject(new PulumiCommandError(result));
                else resolve(result);
            });
        });
    }

    /**
     * Starts `pulumi <args> --non-interactive --color never` (with an event log when `eventLog`) in
     * its own process group and returns at once, so that it can be signalled mid-run. The result
     * is recorded in {@link history} like {@link run}'s; a non-zero exit does not reject.
     */
    start(args: readonly string[], opts: RunOptions = {}, eventLog = true): RunningCommand {
        const log = eventLog ? path.join(this.logDir, `${++this.eventLogs}.jsonl`) : undefined;
        const full = [...args, ...(log ? ["--event-log", log] : []), "--non-interactive", "--color", "never"];
        const started = Date.now();
        const child = spawn(this.options.pulumi, full, { cwd: this.projectDir, env: this.env(opts.env), stdio: ["ignore", "pipe", "pipe"], detached: true });
        const pid = child.pid;
        if (pid === undefined) throw new Error(`pulumi ${full.join(" ")} could not start`);
        const seen = new Set<number>([pid]);
        const tree = (): number[] => {
            const found = descendants(pid);
            for (const p of found) seen.add(p);
            return found;
        };
        const signal = (sig: NodeJS.Signals, wholeTree = true): void => {
            const targets = wholeTree ? tree() : [pid];
            if (wholeTree) {
                try {
                    process.kill(-pid, sig);
                } catch {
                    // the group is gone
                }
            }
            for (const p of targets) {
                try {
                    process.kill(p, sig);
                } catch {
                    // already gone
                }
            }
        };
        let stdout = "";
        let stderr = "";
        child.stdout.on("data", (d: Buffer) => (stdout += d.toString()));
        child.stderr.on("data", (d: Buffer) => (stderr += d.toString()));
        const timer = setTimeout(() => {
            signal("SIGTERM");
            setTimeout(() => signal("SIGKILL"), 10_000).unref();
        }, this.options.timeoutMs ?? 300_000);
        const result = new Promise<CliResult>((resolve, reject) => {
            child.on("error", (e) => {
                clearTimeout(timer);
                reject(e);
            });
            child.on("close", (code) => {
                clearTimeout(timer);
                const r: CliResult = { args: full, code, stdout, stderr, events: readEvents(log ?? ""), durationMs: Date.now() - started };
                if (!opts.unrecorded) this.history.push(r);
                resolve(r);
            });
        });
        const survivors = (): number[] => {
            tree();
            return [...seen].filter((p) => processState(p) !== undefined && processState(p) !== "Z");
        };
        return { pid, result, signal, tree, survivors };
    }

    /** `up` (as {@link up} runs it), started so that it can be signalled mid-run. */
    startUp(stack: string, opts: OperationOptions = {}): RunningCommand {
        const args = ["up", "--stack", stack, ...(opts.withPreview ? ["--yes"] : ["--yes", "--skip-preview"])];
        if (opts.parallel !== undefined) args.push("--parallel", String(opts.parallel));
        args.push(...(opts.flags ?? []));
        return this.start(args, opts, true);
    }

    /** Selects the stack, creating it on first use. */
    async selectStack(stack: string): Promise<void> {
        await this.run(["stack", "select", "--create", stack]);
    }

    /** Sets stack config in one command: plain values and secrets (encrypted with the passphrase). */
    async setConfig(stack: string, plain: Readonly<Record<string, string>>, secret: Readonly<Record<string, string>> = {}): Promise<void> {
        const args = ["config", "set-all", "--stack", stack];
        for (const [k, v] of Object.entries(plain)) args.push("--plaintext", `${k}=${v}`);
        for (const [k, v] of Object.entries(secret)) args.push("--secret", `${k}=${v}`);
        await this.run(args);
    }

    /** Removes one config key from the stack. */
    async removeConfig(stack: string, key: string): Promise<void> {
        await this.run(["config", "rm", "--stack", stack, key]);
    }

    private operation(command: string, stack: string, opts: OperationOptions, extra: readonly string[]): Promise<CliResult> {
        const args = [command, "--stack", stack, ...extra];
        if (opts.expectNoChanges) args.push("--expect-no-changes");
        if (opts.diff) args.push("--diff");
        for (const urn of opts.replace ?? []) args.push("--replace", urn);
        if (opts.parallel !== undefined) args.push("--parallel", String(opts.parallel));
        args.push(...(opts.flags ?? []));
        return this.run(args, opts, true);
    }

    /** `pulumi preview`. */
    preview(stack: string, opts: OperationOptions = {}): Promise<CliResult> {
        return this.operation("preview", stack, opts, []);
    }

    /** `pulumi up --yes --skip-preview` (`--skip-preview` left out with `withPreview`). */
    up(stack: string, opts: OperationOptions = {}): Promise<CliResult> {
        return this.operation("up", stack, opts, opts.withPreview ? ["--yes"] : ["--yes", "--skip-preview"]);
    }

    /** `pulumi refresh --yes --skip-preview` (`--skip-preview` left out with `withPreview`). */
    refresh(stack: string, opts: OperationOptions = {}): Promise<CliResult> {
        return this.operation("refresh", stack, opts, opts.withPreview ? ["--yes"] : ["--yes", "--skip-preview"]);
    }

    /** `pulumi destroy --yes --skip-preview` (`--skip-preview` left out with `withPreview`). */
    destroy(stack: string, opts: OperationOptions = {}): Promise<CliResult> {
        return this.operation("destroy", stack, opts, opts.withPreview ? ["--yes"] : ["--yes", "--skip-preview"]);
    }

    /** The stack's outputs (secrets shown; not recorded in the history). */
    async outputs(stack: string): Promise<Record<string, unknown>> {
        const result = await this.run(["stack", "output", "--stack", stack, "--json", "--show-secrets"], { unrecorded: true });
        return JSON.parse(result.stdout) as Record<string, unknown>;
    }

    /** `pulumi stack export` (with `--show-secrets` when asked, then not recorded in the history), as text. */
    async exportStack(stack: string, showSecrets = false): Promise<string> {
        const result = await this.run(["stack", "export", "--stack", stack, ...(showSecrets ? ["--show-secrets"] : [])], { unrecorded: showSecrets });
        return result.stdout;
    }

    /**
     * `pulumi stack import` of `deployment` (what `pulumi stack export` writes): replaces the stack's
     * state, as a user restoring a backup or Pulumi's upgrade tests replaying recorded state do.
     */
    async importStack(stack: string, deployment: unknown): Promise<void> {
        const file = path.join(this.options.dir, `import-${stack}-${this.history.length}.json`);
        fs.writeFileSync(file, JSON.stringify(deployment, null, 2));
        await this.run(["stack", "import", "--stack", stack, "--file", file]);
    }

    /**
     * The resources recorded in the stack: with `showSecrets`, from `pulumi stack export
     * --show-secrets`; otherwise from the file backend's checkpoint, which holds the deployment
     * `pulumi stack export` prints (secrets encrypted), read without starting a CLI (about 0.2 s of
     * CPU each, a hundred times a test run). The CLI writes it atomically (a rename), so a read
     * sees the last checkpoint whole. Falls back to the export when there is none.
     */
    async resources(stack: string, showSecrets = false): Promise<ExportedResource[]> {
        const checkpoint = showSecrets ? undefined : this.checkpointFile(stack);
        if (checkpoint) {
            const recorded = JSON.parse(fs.readFileSync(checkpoint, "utf8")) as { checkpoint?: { latest?: { resources?: ExportedResource[] } } };
            return recorded.checkpoint?.latest?.resources ?? [];
        }
        const exported = JSON.parse(await this.exportStack(stack, showSecrets)) as { deployment?: { resources?: ExportedResource[] } };
        return exported.deployment?.resources ?? [];
    }

    /** The file backend's checkpoint of `stack` (`.pulumi/stacks/<project>/<stack>.json`), if there is one. */
    private checkpointFile(stack: string): string | undefined {
        const stacks = path.join(this.backendDir, ".pulumi", "stacks");
        if (!fs.existsSync(stacks)) return undefined;
        const found = fs.readdirSync(stacks).map((project) => path.join(stacks, project, `${stack}.json`)).filter((f) => fs.existsSync(f));
        return found.length === 1 ? found[0] : undefined;
    }
}
