/**
 * The `kaleyra` plugin against its floor under the real Pulumi CLI (issue 18): a Pulumi YAML
 * program of N `kaleyra:WhatsAppNumberProfile`s against the same YAML program of N resources of a
 * native provider that does nothing (bench/fixtures/floor-plugin: Check returns the news, the engine
 * diffs, Create returns its inputs; no validation, no HTTP), with the machinery of bench/floor.ts.
 *
 * The floor is a Node.js plugin speaking the protocol through the same modules and started the
 * same way as the kaleyra plugin, so the comparison is what the plugin does, not what Node.js costs
 * (a do-nothing provider in Go would start faster; no such plugin ships with the CLI).
 *
 * `tsx bench/yaml-floor.ts [N…] [--rounds R] [--no-warm-up]` runs it alone and prints the section.
 */
import * as fs from "node:fs";
import * as path from "node:path";

import { findPulumi, languageHostAvailable, type PulumiCli } from "../tools/cli/find";
import { CliWorkspace } from "../tools/cli/workspace";
import type { ProfileSpec } from "../tools/programs/profiles/profiles";
import { floorSection, renderComparison, runAsScript, type AvailableCli, type Contender, type ContenderStack, type FloorComparison, type FloorEmulator, type FloorResults, type Side } from "./floor";
import type { BenchSection } from "./section";

const ROOT = path.resolve(__dirname, "..");
/** The floor plugin's folder (it holds `pulumi-resource-floor`). */
export const FLOOR_PLUGIN_DIR = path.join(__dirname, "fixtures", "floor-plugin");

/** One side's package: its plugin's name and folder, and its resource type as YAML writes it and as the engine records it. */
interface YamlPackage {
    readonly plugin: string;
    readonly pluginDir: string;
    readonly yamlType: string;
    readonly resourceType: string;
}

const KALEYRA: YamlPackage = { plugin: "kaleyra", pluginDir: path.join(ROOT, "plugin"), yamlType: "kaleyra:WhatsAppNumberProfile", resourceType: "kaleyra:index:WhatsAppNumberProfile" };
const FLOOR: YamlPackage = { plugin: "floor", pluginDir: FLOOR_PLUGIN_DIR, yamlType: "floor:Profile", resourceType: "floor:index:Profile" };

/** The YAML program declaring `specs` as resources of `pkg`. */
export function yamlProgram(pkg: YamlPackage, specs: readonly ProfileSpec[]): string {
    const lines = [
        "# Written by bench/yaml-floor.ts.",
        `name: bench-yaml-${pkg.plugin}`,
        "runtime: yaml",
        "plugins:",
        "  providers:",
        `    - name: ${pkg.plugin}`,
        `      path: ${JSON.stringify(pkg.pluginDir)}`,
    ];
    if (specs.length > 0) lines.push("resources:");
    for (const spec of specs) {
        lines.push(`  ${spec.name}:`, `    type: ${pkg.yamlType}`, "    properties:");
        for (const [key, value] of Object.entries(spec.args)) if (value !== undefined) lines.push(`      ${key}: ${JSON.stringify(value)}`);
    }
    return `${lines.join("\n")}\n`;
}

function contender(pkg: YamlPackage, cli: AvailableCli): Contender {
    return {
        resourceType: pkg.resourceType,
        async open(dir: string, emulator: FloorEmulator): Promise<ContenderStack> {
            const source = path.join(dir, "source");
            fs.mkdirSync(source, { recursive: true });
            fs.writeFileSync(path.join(source, "Pulumi.yaml"), yamlProgram(pkg, []));
            const ws = CliWorkspace.create({ pulumi: cli.path, dir: path.join(dir, "ws"), layout: { kind: "copy", source }, passphrase: "bench-yaml-only", timeoutMs: 1_800_000 });
            await ws.selectStack("bench");
            await ws.setConfig("bench", { "kaleyra:endpoint": emulator.url, "kaleyra:sid": emulator.sid, "kaleyra:maxConcurrency": "8" }, { "kaleyra:apiKey": emulator.apiKey });
            return {
                ws,
                stack: "bench",
                declare: (specs) => fs.writeFileSync(path.join(ws.projectDir, "Pulumi.yaml"), yamlProgram(pkg, specs)),
            };
        },
    };
}

/** Why the YAML comparison cannot run here, or `undefined` when it can. */
export function yamlUnavailable(cli: PulumiCli = findPulumi()): string | undefined {
    if (!cli.available) return cli.reason;
    if (!languageHostAvailable("yaml", cli)) return `there is no pulumi-language-yaml beside ${cli.path} (\`npm run pulumi:install\` builds it)`;
    return undefined;
}

/** Ours (the kaleyra plugin) and the floor (the do-nothing plugin), as YAML programs under `cli`. */
export function yamlSides(cli: AvailableCli): Record<Side, Contender> {
    return { ours: contender(KALEYRA, cli), floor: contender(FLOOR, cli) };
}

const TITLE = "The kaleyra plugin from Pulumi YAML against the floor: a native provider that does nothing";

/** The section's Markdown. */
export function renderYamlFloor(r: FloorResults): string {
    return renderComparison(
        TITLE,
        r,
        [
            "*Ours*: a YAML program of N `kaleyra:WhatsAppNumberProfile`s (all nine fields set), the plugin from this repository's `plugin/`",
            "folder. *Floor*: the same program with N resources of bench/fixtures/floor-plugin, a native provider that does nothing (Check",
            "returns the news, the engine diffs, Create returns its inputs; no validation, no HTTP). It is a Node.js plugin speaking the",
            "protocol through the same modules and started the same way as ours, so the difference is what the plugin does, not what Node.js",
            "costs; no do-nothing native provider ships with the CLI to compare with instead. Same CLI and YAML language host, the same",
            "stack config, the emulator in a process of its own answering at once.",
        ],
        ["State after the creating `up` (first round): bytes per profile resource. A native provider records no `__provider`."],
    );
}

/** The comparison, as a section of `npm run bench` ({@link yamlFloorSection}) or from the command line. */
export const YAML_COMPARISON: FloorComparison = {
    id: "yaml",
    title: TITLE,
    label: "kaleyra plugin (YAML)",
    sizesEnv: "BENCH_YAML_SIZES",
    unavailable: yamlUnavailable,
    sides: (cli) => yamlSides(cli),
    render: (r) => renderYamlFloor(r),
};

/** The section of `npm run bench` (see {@link floorSection}; `BENCH_YAML_SIZES` sets its N alone). */
export const yamlFloorSection: BenchSection = floorSection(YAML_COMPARISON);

if (require.main === module) runAsScript(YAML_COMPARISON);
