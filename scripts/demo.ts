/**
 * `npm run demo`: the company program (examples/company, the root Pulumi.yaml) applied against a
 * local Kaleyra emulator — dev first, then promoted to staging and prod, each stack with the
 * config of its own `Pulumi.<stack>.yaml` and the emulator's endpoint, SID and key — and the
 * profiles the emulator then holds.
 *
 * Runs the real `pulumi` CLI (local file backend): the one on PATH, or the one `npm run
 * pulumi:install` built into `.tools/pulumi/bin`; with neither, it builds that one first when Go
 * 1.24+ is there, and otherwise says the two ways to get one (scripts/demo-cli.ts). The emulator's
 * data file and the stacks' state persist under `.demo/`, so a second run changes nothing and makes
 * no PUT. `--reset` starts over.
 *
 *   npm run demo                     apply dev, staging, prod
 *   npm run demo -- --reset          forget .demo/ first
 *   npm run demo -- --port 0         emulator port (default 4010, or a free one if it is taken)
 */
import { spawnSync } from "node:child_process";
import * as fs from "node:fs";
import * as path from "node:path";

import { profileFor } from "../examples/company/profile";
import { DEFAULT_API_KEY, startEmulator, type NumberProfile, type RunningEmulator } from "../provider/emulator";
import { requestBody } from "../provider/engine/request";
import { DemoError, demoCli, DemoStacks } from "./demo-cli";
import { count, fit, profilesSummary, row, seconds, showPath } from "./demo-format";
import { readProjectName, readStackConfig, type StackConfigValues } from "./stack-config";

export { DemoError } from "./demo-cli";

/** The stacks, in promotion order. */
export const DEMO_STACKS = ["dev", "staging", "prod"] as const;

/** The emulator's preferred port: the one `Pulumi.dev.yaml` names. */
const PREFERRED_PORT = 4010;

/** Kaleyra's profile keys, in the order the demo prints them. */
const PROFILE_KEYS = ["about", "address", "business_description", "business_category", "contact_email", "website", "display_image", "incoming_url"];

/** How to run the demo. Every field is optional. */
export interface DemoOptions {
    /** The directory holding `.demo/` (state, emulator data). Default: the repository root. */
    readonly workDir?: string;
    /** Where output lines go. Default: stdout. */
    readonly log?: (line: string) => void;
    /** Delete `.demo/` first. */
    readonly reset?: boolean;
    /** The emulator's port; `0` for any free one. Default 4010, or a free port when 4010 is taken. */
    readonly port?: number;
    /** Run the program as TypeScript, type-checked, as `pulumi up` at the root does (default true); false runs it compiled. */
    readonly typeCheck?: boolean;
}

/** What one stack's apply did. */
export interface StackOutcome {
    /** The stack name. */
    readonly stack: string;
    /** Its support number. */
    readonly number: string;
    /** Its webhook. */
    readonly incomingUrl: string;
    /** What happened to each profile resource: `create`, `update`, `replace`, `same`, ... */
    readonly ops: string[];
    /** PUTs the emulator received while the stack was applied. */
    readonly puts: number;
}

/** What the demo did. */
export interface DemoResult {
    /** The CLI's version, e.g. `v3.274.1`. */
    readonly pulumi: string;
    /** The emulator's URL. */
    readonly endpoint: string;
    /** Each stack, in promotion order. */
    readonly stacks: StackOutcome[];
    /** PUTs in total. */
    readonly puts: number;
    /** The emulator's profiles afterwards, by number. */
    readonly profiles: Record<string, NumberProfile>;
    /** Numbers whose profile in the emulator differs from what their stack applied. */
    readonly drift: string[];
    /** Wall-clock time. */
    readonly durationMs: number;
}

/** The repository root (this file is in `<root>/scripts`). */
const REPO = path.resolve(__dirname, "..");

/** Files the program and the provider host load from `dist/`. */
const DIST_FILES = ["dist/index.js", "dist/engine/runtime.js", "dist/emulator/index.js"];

/** The newest modification time of the `.ts` files under `dir`. */
function newestSource(dir: string): number {
    let newest = 0;
    for (const entry of fs.readdirSync(dir, { withFileTypes: true })) {
        const p = path.join(dir, entry.name);
        if (entry.isDirectory()) newest = Math.max(newest, newestSource(p));
        else if (entry.name.endsWith(".ts")) newest = Math.max(newest, fs.statSync(p).mtimeMs);
    }
    return newest;
}

/** Builds the package when `dist/` is missing (the provider host loads it from there); says what it found. */
function ensureBuilt(log: (line: string) => void): void {
    const missing = DIST_FILES.filter((f) => !fs.existsSync(path.join(REPO, f)));
    if (missing.length === 0) {
        const stale = newestSource(path.join(REPO, "provider")) > fs.statSync(path.join(REPO, "dist/index.js")).mtimeMs;
        log(`  build     dist/ is built${stale ? " (provider/ changed since: `npm run build` to use the changes)" : ""}`);
        return;
    }
    log(`  build     dist/ is missing (${missing[0]} ...): running npm run build`);
    const started = Date.now();
    const build = spawnSync(process.platform === "win32" ? "npm.cmd" : "npm", ["run", "build"], { cwd: REPO, encoding: "utf8" });
    if (build.status !== 0) {
        const output = `${build.stdout ?? ""}${build.stderr ?? ""}`.trim().split("\n").slice(-20).join("\n  ");
        throw new DemoError(`npm run build failed (${build.error?.message ?? `exit ${build.status}`}):\n  ${output}`);
    }
    log(`            built in ${seconds(Date.now() - started)}`);
}

/** Starts the emulator on the preferred port, or on a free one when that port is taken. */
async function startDemoEmulator(numbers: string[], dataFile: string, port: number): Promise<RunningEmulator> {
    const options = { numbers, dataFile, apiKey: DEFAULT_API_KEY, quiet: true };
    try {
        return await startEmulator({ ...options, port });
    } catch (e) {
        if ((e as NodeJS.ErrnoException).code !== "EADDRINUSE" || port === 0) {
            throw new DemoError(`could not start the emulator: ${(e as Error).message}`);
        }
        return startEmulator({ ...options, port: 0 });
    }
}

/** The profile a stack's config asks for, as Kaleyra's body keys. */
function expectedProfile(config: StackConfigValues, project: string): Record<string, string> {
    const args = profileFor({
        supportNumber: config[`${project}:supportNumber`],
        incomingUrl: config[`${project}:incomingUrl`],
        address: config[`${project}:address`],
    });
    return requestBody({ ...args });
}

/**
 * Runs the demo: starts the emulator (data in `<workDir>/.demo/emulator.json`), applies dev,
 * staging and prod, prints what changed and the resulting profiles, and stops the emulator.
 * @throws DemoError for expected failures (build, emulator start, a failed stack), with a message for the user.
 */
export async function runDemo(options: DemoOptions = {}): Promise<DemoResult> {
    const started = Date.now();
    const log = options.log ?? ((line: string) => console.log(line));
    const demoDir = path.join(path.resolve(options.workDir ?? REPO), ".demo");
    const project = readProjectName(REPO);

    log("Kaleyra WhatsApp demo: the company program (examples/company), dev -> staging -> prod");
    log("");
    if (options.reset) {
        fs.rmSync(demoDir, { recursive: true, force: true });
        log(`  reset     removed ${showPath(demoDir)}/`);
    }
    ensureBuilt(log);

    const configs = DEMO_STACKS.map((stack) => ({ stack, config: readStackConfig(REPO, stack) }));
    const numberOf = (config: StackConfigValues): string => config[`${project}:supportNumber`];
    const cli = demoCli(log);
    const stacksOf = new DemoStacks({ cli, projectDir: REPO, nodeModules: path.join(REPO, "node_modules"), demoDir, typeCheck: options.typeCheck });
    const dataFile = path.join(demoDir, "emulator.json");
    const emulator = await startDemoEmulator(configs.map((c) => numberOf(c.config)), dataFile, options.port ?? PREFERRED_PORT);
    try {
        log(`  pulumi    ${cli.version} (${cli.source}), with a local file backend in ${showPath(stacksOf.backendDir)}`);
        log(`  emulator  ${emulator.url}  (data: ${showPath(dataFile)}, SID ${emulator.sid})`);
        log("");

        const columns = fit(
            [["stack", "number", "change", "PUTs", "webhook"], ...configs.map((c) => [c.stack, numberOf(c.config), "replace", "PUTs"])],
            [3],
        );
        log(row(["stack", "number", "change", "PUTs", "webhook"], columns));
        const stacks: StackOutcome[] = [];
        for (const { stack, config } of configs) {
            emulator.clearRequests();
            const applied = await stacksOf.apply(
                stack,
                { ...config, "kaleyra:endpoint": emulator.url, "kaleyra:sid": emulator.sid },
                { "kaleyra:apiKey": emulator.apiKey },
            );
            const puts = emulator.kaleyraRequests().filter((r) => r.method === "PUT").length;
            const outcome: StackOutcome = {
                stack,
                number: String(applied.outputs.supportNumber ?? numberOf(config)),
                incomingUrl: String(applied.outputs.incomingUrl ?? ""),
                ops: applied.resources.map((r) => r.op),
                puts,
            };
            stacks.push(outcome);
            log(row([stack, outcome.number, outcome.ops.join(",") || "same", String(puts), outcome.incomingUrl], columns));
        }

        const profiles = emulator.profiles();
        const drift = configs
            .filter(({ config }) => {
                const held = profiles[numberOf(config)] as unknown as Record<string, string | undefined> | undefined;
                return Object.entries(expectedProfile(config, project)).some(([k, v]) => held?.[k] !== v);
            })
            .map(({ config }) => numberOf(config));

        log("");
        log("Profiles as the emulator holds them:");
        const labelled = configs.map(({ stack, config }) => {
            const { wa_number: _number, ...fields } = profiles[numberOf(config)] ?? { wa_number: numberOf(config) };
            return { label: `${numberOf(config)}  ${stack}`, fields };
        });
        for (const line of profilesSummary(labelled, PROFILE_KEYS)) log(line);

        const total = stacks.reduce((n, s) => n + s.puts, 0);
        const tally = (op: string): number => stacks.reduce((n, s) => n + s.ops.filter((o) => o === op).length, 0);
        const durationMs = Date.now() - started;
        log("");
        if (drift.length > 0) {
            log(`  warning: the emulator's profile of ${drift.join(", ")} differs from what the stack applied: its data was`);
            log("           edited or deleted. A refresh cannot see that (Kaleyra has no read API); `npm run demo -- --reset` starts over.");
            log("");
        }
        if (total === 0) {
            const verdict = drift.length > 0 ? "nothing changed in the program or the stacks' config" : "nothing changed, every profile already matches the program";
            log(`0 PUTs were made: ${verdict} (${seconds(durationMs)}).`);
            log("`npm run demo -- --reset` starts from scratch.");
        } else {
            const parts = [`${tally("create")} created`, `${tally("update") + tally("replace")} updated`, `${tally("same")} unchanged`];
            log(`${count(total, "PUT")}: ${parts.join(", ")} (${seconds(durationMs)}).`);
            log("Run `npm run demo` again: nothing changes and no PUT is made.");
        }
        return { pulumi: cli.version, endpoint: emulator.url, stacks, puts: total, profiles, drift, durationMs };
    } finally {
        await emulator.close();
    }
}

const USAGE = `usage: npm run demo [-- [--reset] [--port <n>]]

  --reset           forget the demo's state and emulator data (.demo/) first
  --port <n>        the emulator's port (default 4010, or a free one if taken; 0 = any)

Runs the pulumi CLI on PATH, or the one \`npm run pulumi:install\` builds (it builds it first
when there is none and Go 1.24+ is installed).`;

/** Parses the command line; `undefined` means print the usage. */
function parseArgs(argv: readonly string[]): (DemoOptions & { help?: boolean }) | undefined {
    const options: { reset?: boolean; port?: number; help?: boolean } = {};
    for (let i = 0; i < argv.length; i++) {
        const arg = argv[i];
        if (arg === "--reset") options.reset = true;
        else if (arg === "-h" || arg === "--help") options.help = true;
        else if (arg === "--port" && /^\d+$/.test(argv[i + 1] ?? "") && Number(argv[i + 1]) <= 65535) options.port = Number(argv[++i]);
        else return undefined;
    }
    return options;
}

/** The command: runs the demo, returns the exit code. */
export async function main(argv: readonly string[]): Promise<number> {
    const options = parseArgs(argv);
    if (!options || options.help) {
        (options ? console.log : console.error)(USAGE);
        return options ? 0 : 2;
    }
    try {
        await runDemo(options);
        return 0;
    } catch (e) {
        if (e instanceof DemoError) console.error(`\ndemo failed: ${e.message}`);
        else console.error(`\ndemo failed unexpectedly: ${e instanceof Error ? (e.stack ?? e.message) : String(e)}`);
        return 1;
    }
}

if (require.main === module) {
    void main(process.argv.slice(2)).then((code) => process.exit(code));
}
