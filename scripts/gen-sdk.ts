/**
 * `npm run sdk:gen`: regenerate `sdk/` from the schema the plugin serves — `sdk/schema.json` first,
 * then the Go and Python SDKs, with Pulumi's own code generators (tools/pulumi/sdkgen, built
 * by `npm run pulumi:install` into .tools/pulumi/bin/kaleyra-sdkgen). Never edit `sdk/*` by hand:
 * change the field table or provider/plugin/schema.ts and run this; a test fails when they differ.
 */

import { execFileSync } from "node:child_process";
import * as fs from "node:fs";
import * as path from "node:path";

import { packageSchema } from "../provider/plugin/schema";
import { REPO_ROOT, TOOLS_BIN } from "../tools/cli/find";

/** The SDK languages generated into `sdk/<language>`. */
/**
 * The SDK languages generated into `sdk/<language>`. Not Node.js: Node.js programs use the dynamic
 * resource, and a generated Node.js SDK in this repository breaks every Node.js program here — the
 * Node.js language host searches the self-linked package (node_modules/pulumi-kaleyra-whatsapp →
 * the repository) for package.json files marked `"pulumi": {"resource": true}` and fails on the
 * SDK's `"version": "${VERSION}"` placeholder ("illegal semver returned by language host").
 */
export const SDK_LANGUAGES = ["go", "python"] as const;

/** The code generator `npm run pulumi:install` builds. */
export const SDKGEN = path.join(TOOLS_BIN, "kaleyra-sdkgen");

/** The package's version: the plugin's and the schema's. */
export function packageVersion(): string {
    return (JSON.parse(fs.readFileSync(path.join(REPO_ROOT, "package.json"), "utf8")) as { version: string }).version;
}

/** The schema exactly as committed in `sdk/schema.json`. */
export function schemaText(): string {
    return `${JSON.stringify(packageSchema(packageVersion()), null, 4)}\n`;
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
}

if (require.main === module) {
    generateSdks(path.join(REPO_ROOT, "sdk"));
}
