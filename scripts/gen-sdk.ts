/**
 * `npm run sdk:gen`: regenerate `sdk/` from the schema the plugin serves — `sdk/schema.json` first,
 * then the Go, Node.js and Python SDKs with Pulumi's own code generators (tools/pulumi/sdkgen, built
 * by `npm run pulumi:install` into .tools/pulumi/bin/kaleyra-sdkgen), and Pulumi YAML's package
 * declaration. Never edit `sdk/*` by hand: change the field table or provider/plugin/schema.ts and
 * run this; a test fails when they differ.
 */
import { execFileSync } from "node:child_process";
import * as fs from "node:fs";
import * as path from "node:path";

import { packageSchema, type PackageSchema } from "../provider/plugin/schema";
import { REPO_ROOT, TOOLS_BIN } from "../tools/cli/find";
import { packageVersion } from "./package-version";

/** The SDK languages Pulumi's code generators write into `sdk/<language>`. */
export const SDK_LANGUAGES = ["go", "nodejs", "python"] as const;

/** Every generated folder under `sdk/`: the code generators' and YAML's package declaration. */
export const SDK_DIRS = [...SDK_LANGUAGES, "yaml"] as const;

/** The code generator `npm run pulumi:install` builds. */
export const SDKGEN = path.join(TOOLS_BIN, "kaleyra-sdkgen");

/** The schema exactly as committed in `sdk/schema.json`. */
export function schemaText(): string {
    return `${JSON.stringify(packageSchema(packageVersion()), null, 4)}\n`;
}

/**
 * The `pulumi` block of the Node.js SDK's package.json, which tells a Node.js program's language host
 * that the package needs the plugin (name, version, download URL). It is left out of the committed
 * `sdk/nodejs/package.json` and put back by `npm run sdk:pack`: this repository links itself into its
 * own node_modules (for the examples), and the Node.js language host reads every package.json under a
 * program's node_modules, so a marked package.json here would make every Node.js program of this
 * repository — the dynamic resource's — require the kaleyra plugin.
 */
export function nodejsPluginBlock(schema: Pick<PackageSchema, "name" | "version" | "pluginDownloadURL">): Record<string, unknown> {
    return { resource: true, name: schema.name, version: schema.version, server: schema.pluginDownloadURL };
}

/** Take the `pulumi` block out of the generated Node.js package.json (see {@link nodejsPluginBlock}). */
function unmarkNodejsSdk(dir: string): void {
    const file = path.join(dir, "package.json");
    const manifest = JSON.parse(fs.readFileSync(file, "utf8")) as Record<string, unknown>;
    delete manifest.pulumi;
    fs.writeFileSync(file, `${JSON.stringify(manifest, null, 4)}\n`);
}

/**
 * Pulumi YAML's "SDK": the package declaration `pulumi package add` writes for a YAML project (what
 * pulumi-yaml's GeneratePackage makes). A YAML project that holds it asks the CLI for this plugin
 * version from this download URL before the program runs.
 */
export function yamlPackageDeclaration(schema: Pick<PackageSchema, "name" | "version" | "pluginDownloadURL">): { file: string; text: string } {
    return {
        file: `${schema.name}-${schema.version}.yaml`,
        text: ["packageDeclarationVersion: 1", `name: ${schema.name}`, `version: ${schema.version}`, `downloadUrl: ${schema.pluginDownloadURL}`, ""].join("\n"),
    };
}

/**
 * Write `schema.json` and every SDK under `out` (replacing `out/<language>`).
 * @throws when the generator is not built, naming the command that builds it.
 */
export function generateSdks(out: string): void {
    if (!fs.existsSync(SDKGEN)) {
        throw new Error(`${path.relative(REPO_ROOT, SDKGEN)} is missing: run \`npm run pulumi:install\` (it builds the SDK generator with the CLI).`);
    }
    fs.mkdirSync(out, { recursive: true });
    const schema = path.join(out, "schema.json");
    fs.writeFileSync(schema, schemaText());
    execFileSync(SDKGEN, [schema, out, ...SDK_LANGUAGES], { stdio: ["ignore", "inherit", "inherit"] });
    unmarkNodejsSdk(path.join(out, "nodejs"));
    const yaml = path.join(out, "yaml");
    fs.rmSync(yaml, { recursive: true, force: true });
    writeYamlDeclaration(yaml);
}

/** The YAML example, which carries the package declaration like a user's project (`pulumi package add`). */
export const YAML_EXAMPLE = path.join(REPO_ROOT, "examples", "yaml");

/**
 * Write the package declaration into `dir`, replacing any of another version.
 * @returns the file's name.
 */
export function writeYamlDeclaration(dir: string): string {
    const declaration = yamlPackageDeclaration(packageSchema(packageVersion()));
    fs.mkdirSync(dir, { recursive: true });
    for (const old of fs.readdirSync(dir).filter((f) => /^kaleyra-.*\.yaml$/.test(f))) fs.rmSync(path.join(dir, old));
    fs.writeFileSync(path.join(dir, declaration.file), declaration.text);
    return declaration.file;
}

if (require.main === module) {
    generateSdks(path.join(REPO_ROOT, "sdk"));
    writeYamlDeclaration(YAML_EXAMPLE);
}
