/**
 * Finds the Pulumi CLI that tests, the demo and the bench drive: a `pulumi` on PATH first (a user's
 * own install), then the one `npm run pulumi:install` builds into `.tools/pulumi/bin`.
 */
import { spawnSync } from "node:child_process";
import * as fs from "node:fs";
import * as path from "node:path";

/** The repository root (this file is `tools/cli/find.ts`). */
export const REPO_ROOT = path.resolve(__dirname, "..", "..");

/**
 * Where `npm run pulumi:install` puts the CLI, its Node.js language host, the dynamic-provider
 * launcher and the YAML and Go language hosts.
 */
export const TOOLS_BIN = path.join(REPO_ROOT, ".tools", "pulumi", "bin");

/**
 * Set to `1` (as `.ci/run` does) to make a missing CLI a failure instead of a skip: CI must never
 * pass without having run the real engine.
 */
export const REQUIRE_CLI_ENV = "KALEYRA_REQUIRE_PULUMI_CLI";

/**
 * The plugins the engine must find beside `pulumi` to run a Node.js program with a dynamic provider.
 * The YAML and Go hosts are not among them: a CLI without them still serves every Node.js test (see
 * {@link languageHostAvailable}).
 */
const COMPANIONS = ["pulumi-language-nodejs", "pulumi-resource-pulumi-nodejs"] as const;

/** Program languages beyond Node.js whose hosts `npm run pulumi:install` also builds. */
export type ExtraLanguage = "yaml" | "go";

/** A usable CLI, or why there is none. */
export type PulumiCli =
    | {
          readonly available: true;
          /** Absolute path of the `pulumi` executable. */
          readonly path: string;
          /** Its directory (also holds the language host and the dynamic-provider launcher). */
          readonly binDir: string;
          /** What `pulumi version` printed, e.g. `v3.274.1`. */
          readonly version: string;
          /** Where it was found. */
          readonly source: "PATH" | ".tools/pulumi/bin";
      }
    | { readonly available: false; readonly reason: string };

function isExecutable(file: string): boolean {
    try {
        fs.accessSync(file, fs.constants.X_OK);
        return fs.statSync(file).isFile();
    } catch {
        return false;
    }
}

/** The first `pulumi` on `PATH`, if any. */
function onPath(env: NodeJS.ProcessEnv): string | undefined {
    for (const dir of (env.PATH ?? "").split(path.delimiter)) {
        if (dir && isExecutable(path.join(dir, "pulumi"))) return path.join(dir, "pulumi");
    }
    return undefined;
}

/**
 * CLIs that answered `pulumi version` in this process, by path and modification time: a test file
 * asks several times, and each `pulumi version` costs about 0.2 s of CPU. A CLI that is rebuilt (the
 * demo's first run) has a new time and is probed again; one that failed is never remembered.
 */
const answered = new Map<string, PulumiCli & { available: true }>();

/** Checks one candidate: it runs, and its companions are beside it. */
function probe(exe: string, source: "PATH" | ".tools/pulumi/bin"): PulumiCli {
    const binDir = path.dirname(exe);
    const missing = COMPANIONS.filter((c) => !isExecutable(path.join(binDir, c)));
    if (missing.length > 0) {
        return { available: false, reason: `${exe} has no ${missing.join(" or ")} beside it (run \`npm run pulumi:install\`)` };
    }
    const key = `${exe}\0${fs.statSync(exe).mtimeMs}\0${source}`;
    const known = answered.get(key);
    if (known) return known;
    const run = spawnSync(exe, ["version"], { encoding: "utf8", timeout: 30_000, env: { ...process.env, PULUMI_SKIP_UPDATE_CHECK: "true" } });
    if (run.error) return { available: false, reason: `\`${exe} version\` could not run: ${run.error.message}` };
    if (run.status !== 0) return { available: false, reason: `\`${exe} version\` exited with ${run.status}: ${(run.stderr || run.stdout).trim()}` };
    const found = { available: true, path: exe, binDir, version: run.stdout.trim(), source } as const;
    answered.set(key, found);
    return found;
}

/**
 * The CLI to use: `pulumi` on PATH, else `.tools/pulumi/bin/pulumi`.
 * @param env the environment whose `PATH` is searched (default: this process's).
 */
export function findPulumi(env: NodeJS.ProcessEnv = process.env): PulumiCli {
    const fromPath = onPath(env);
    if (fromPath) {
        const found = probe(fromPath, "PATH");
        if (found.available) return found;
    }
    const built = path.join(TOOLS_BIN, "pulumi");
    if (isExecutable(built)) return probe(built, ".tools/pulumi/bin");
    return {
        available: false,
        reason: "no pulumi CLI on PATH or in .tools/pulumi/bin (install the Pulumi CLI, or run `npm run pulumi:install` to build it with Go)",
    };
}

/**
 * Whether the CLI can run a `runtime: yaml` or `runtime: go` program: `pulumi-language-<language>`
 * is beside it (the isolated environment lets the engine look nowhere else), and for Go a `go` on
 * `PATH` too, since the Go host compiles the program with it. Never affects {@link findPulumi}.
 * @param language `"yaml"` or `"go"`.
 * @param cli the CLI to check (default: {@link findPulumi}'s).
 * @param env the environment whose `PATH` is searched for `go` (default: this process's).
 */
export function languageHostAvailable(language: ExtraLanguage, cli: PulumiCli = findPulumi(), env: NodeJS.ProcessEnv = process.env): boolean {
    if (!cli.available || !isExecutable(path.join(cli.binDir, `pulumi-language-${language}`))) return false;
    return language !== "go" || (env.PATH ?? "").split(path.delimiter).some((dir) => dir !== "" && isExecutable(path.join(dir, "go")));
}

/** Whether this run must not skip the real-CLI tests (`KALEYRA_REQUIRE_PULUMI_CLI=1`). */
export function cliRequired(env: NodeJS.ProcessEnv = process.env): boolean {
    return env[REQUIRE_CLI_ENV] === "1" || env[REQUIRE_CLI_ENV] === "true";
}
