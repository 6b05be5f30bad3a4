/**
 * The single-executable plugin (`npm run plugin:package`), measured: each tarball's size, the
 * plugin's start-up time (spawn to the port on stdout, as the engine waits for it) beside the
 * development launcher's (`node dist/plugin/main.js`), and a Pulumi YAML `pulumi up` of 100 new
 * profiles through the installed executable, with no `node` on PATH, against the emulator.
 */
import * as fs from "node:fs";
import * as os from "node:os";
import * as path from "node:path";

import { startEmulator } from "../provider/emulator";
import type { BenchSection } from "./section";
import { packagePlugin } from "../scripts/package-plugin";
import { pathWithoutNode, startPlugin } from "../scripts/plugin-binary/probe";
import { CliWorkspace, findPulumi, REPO_ROOT } from "../tools/cli";
import { languageHostAvailable } from "../tools/cli/find";
import { numberAt } from "../tools/programs/profiles/profiles";

/** Start-up runs per launcher (the median is reported). */
const STARTS = 9;
/** Profiles in the YAML `up`. */
const PROFILES = 100;

const median = (xs: number[]) => [...xs].sort((a, b) => a - b)[Math.floor(xs.length / 2)]!;
const mb = (bytes: number) => `${(bytes / 1e6).toFixed(1)} MB`;

/** Median spawn-to-port time of `command args` over {@link STARTS} runs, in ms. */
async function startup(command: string, args: readonly string[], env: NodeJS.ProcessEnv): Promise<{ median: number; all: number[] }> {
    const all: number[] = [];
    for (let i = 0; i < STARTS; i++) {
        const plugin = await startPlugin(command, args, env);
        plugin.stop();
        all.push(plugin.startupMs);
    }
    return { median: median(all), all };
}

/** A Pulumi YAML program of `n` profiles, numbers `numberAt(0…n-1)`. */
function yamlProgram(n: number): string {
    const lines = ["name: plugin-binary-bench", "runtime: yaml", "resources:"];
    for (let i = 0; i < n; i++) {
        lines.push(`  p${i}:`, "    type: kaleyra:WhatsAppNumberProfile", "    properties:", `      waNumber: "${numberAt(i)}"`, `      about: Bench profile ${i}`);
    }
    return `${lines.join("\n")}\n`;
}

/** `pulumi up` of the YAML program through the installed executable; its wall time in ms, or why not. */
async function yamlUp(tmp: string, tarball: string, version: string, noNode: string): Promise<string> {
    const cli = findPulumi();
    if (!cli.available) return `not measured: ${cli.reason}`;
    if (!languageHostAvailable("yaml", cli)) return "not measured: no pulumi-language-yaml beside the CLI";
    const emulator = await startEmulator({ numbers: Array.from({ length: PROFILES }, (_, i) => numberAt(i)), quiet: true });
    try {
        const source = path.join(tmp, "source");
        fs.mkdirSync(source, { recursive: true });
        fs.writeFileSync(path.join(source, "Pulumi.yaml"), yamlProgram(PROFILES));
        const ws = CliWorkspace.create({
            pulumi: cli.path,
            dir: path.join(tmp, "ws"),
            layout: { kind: "copy", source },
            passphrase: "bench-only",
            env: { PATH: [cli.binDir, noNode].join(path.delimiter) },
        });
        await ws.run(["plugin", "install", "resource", "kaleyra", version, "--file", tarball]);
        await ws.selectStack("bench");
        await ws.setConfig("bench", { "kaleyra:endpoint": emulator.url, "kaleyra:sid": emulator.sid }, { "kaleyra:apiKey": emulator.apiKey });
        const up = await ws.up("bench");
        const puts = emulator.kaleyraRequests().length;
        if (puts !== PROFILES) throw new Error(`the YAML up made ${puts} PUTs, not ${PROFILES}`);
        return `${(up.durationMs / 1000).toFixed(1)} s (${puts} PUTs; ${cli.version})`;
    } finally {
        await emulator.close();
    }
}

/**
 * Measure and render the section.
 * @param tmp a scratch directory of the bench's.
 */
export async function pluginBinarySection(tmp: string, progress: (line: string) => void): Promise<string> {
    progress("plugin binary: packaging (cached when current)");
    const pkg = await packagePlugin();
    const dir = path.join(tmp, "plugin-binary");
    const noNode = pathWithoutNode(path.join(dir, "no-node"));
    const amd64 = pkg.tarballs.find((t) => t.target.arch === "amd64")!;
    progress(`plugin binary: start-up, ${STARTS} runs each`);
    const binary = await startup(amd64.executable, [], { PATH: noNode, HOME: dir });
    const launcher = await startup(process.execPath, [path.join(REPO_ROOT, "dist", "plugin", "main.js")], { PATH: process.env.PATH, HOME: dir });
    progress(`plugin binary: YAML up of ${PROFILES} profiles`);
    const up = await yamlUp(dir, amd64.file, pkg.version, noNode);
    const runs = (r: { all: number[] }) => r.all.map((x) => x.toFixed(0)).join(", ");
    return [
        "### The single-executable plugin (`npm run plugin:package`)",
        "",
        "| what | figure |",
        "|---|---|",
        ...pkg.tarballs.map((t) => `| ${path.basename(t.file)} | ${mb(t.bytes)} (executable ${mb(fs.statSync(t.executable).size)}) |`),
        `| start-up, spawn to port: the executable, no node on PATH | median ${binary.median.toFixed(0)} ms (${runs(binary)}) |`,
        `| start-up, spawn to port: \`node dist/plugin/main.js\` (the development launcher) | median ${launcher.median.toFixed(0)} ms (${runs(launcher)}) |`,
        `| Pulumi YAML \`pulumi up\` of ${PROFILES} new profiles through the executable | ${up} |`,
    ].join("\n");
}

/** The section of `npm run bench` (bench/section.ts). */
export const pluginBinaryBenchSection: BenchSection = {
    id: "plugin-binary",
    title: "the single-executable plugin: sizes, start-up, a YAML up",
    needsCli: true,
    async run(ctx) {
        return { markdown: await pluginBinarySection(ctx.tmp, ctx.progress) };
    },
};

if (require.main === module) {
    // `npx tsx bench/plugin-binary.ts`: this section alone (npm run bench runs it with the rest).
    const tmp = fs.mkdtempSync(path.join(os.tmpdir(), "bench-plugin-binary-"));
    pluginBinarySection(tmp, (line) => process.stderr.write(`bench: ${line}\n`))
        .then((section) => process.stdout.write(`${section}\n`))
        .finally(() => fs.rmSync(tmp, { recursive: true, force: true }));
}
