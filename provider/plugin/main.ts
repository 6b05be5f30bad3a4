/**
 * The `pulumi-resource-kaleyra` plugin's entry point. The engine starts the plugin with its own
 * address as the first argument and reads the port the plugin listens on from the first line of
 * stdout; everything else the plugin says goes to the engine's log.
 */

import * as fs from "node:fs";
import * as path from "node:path";

import { engineLogger, KaleyraPlugin, serve } from "./server";

/** Compiled into the single-executable build (scripts/plugin-binary/bundle.ts); absent when run by Node. */
declare const KALEYRA_PLUGIN_VERSION: string | undefined;

/**
 * The plugin's version: the one compiled into the executable, else the package's (two levels up
 * from src and dist alike).
 */
function packageVersion(): string {
    if (typeof KALEYRA_PLUGIN_VERSION === "string") return KALEYRA_PLUGIN_VERSION;
    const manifest = JSON.parse(fs.readFileSync(path.join(__dirname, "..", "..", "package.json"), "utf8")) as { version: string };
    return manifest.version;
}

async function main(argv: readonly string[]): Promise<void> {
    const engine = argv.find((arg) => !arg.startsWith("-"));
    const { port } = await serve(new KaleyraPlugin({ version: packageVersion(), log: engineLogger(engine) }));
    process.stdout.write(`${port}\n`);
}

main(process.argv.slice(2)).catch((error: unknown) => {
    process.stderr.write(`pulumi-resource-kaleyra: ${error instanceof Error ? error.message : String(error)}\n`);
    process.exit(1);
});
