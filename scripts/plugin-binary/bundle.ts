/**
 * The plugin as one CommonJS script (esbuild): provider/plugin/main.ts with every module it loads —
 * the engine code, axios, gRPC, protobuf and Pulumi's protocol stubs — so that it runs where
 * `require` reaches only Node's built-in modules, as in a single executable application.
 *
 * provider/plugin/protocol.ts loads gRPC, protobuf and the stubs through `createRequire` from
 * `@pulumi/pulumi`'s own location (one copy of each, whatever npm's layout). A bundler cannot follow
 * that, so the build rewrites those calls into plain `require`s and resolves `@grpc/grpc-js` and
 * `google-protobuf` from the same place the stubs do: the bundle has exactly one copy of each.
 */
import * as fs from "node:fs";
import { isBuiltin } from "node:module";
import * as path from "node:path";

import * as esbuild from "esbuild";

import { REPO_ROOT } from "../../tools/cli/find";

/** The plugin's entry point. */
export const PLUGIN_ENTRY = path.join(REPO_ROOT, "provider", "plugin", "main.ts");

/** The module whose `createRequire` loads are rewritten. */
const PROTOCOL_MODULE = path.join(REPO_ROOT, "provider", "plugin", "protocol.ts");

/** Where Pulumi's generated stubs live: `@grpc/grpc-js` and `google-protobuf` resolve from here. */
const STUBS_DIR = path.dirname(require.resolve("@pulumi/pulumi/proto/provider_pb", { paths: [REPO_ROOT] }));

/** What the bundle is built with; the version is compiled in (`KALEYRA_PLUGIN_VERSION`). */
export interface BundleOptions {
    /** The plugin's version, served by `GetPluginInfo` and in the schema. */
    readonly version: string;
    /** The script to write. */
    readonly outfile: string;
}

/** `protocol.ts` with its `fromPulumi("<id>")` loads as static `require`s of the same modules. */
function staticProtocol(source: string): string {
    const rewritten = source
        .replace(/const fromPulumi = createRequire\([^;]*\);/, "")
        .replace(/fromPulumi\("\.\/([a-z_]+)"\)/g, 'require("@pulumi/pulumi/proto/$1")')
        .replace(/fromPulumi\(/g, "require(");
    if (rewritten.includes("fromPulumi")) throw new Error(`${PROTOCOL_MODULE}: a fromPulumi load the bundle cannot rewrite`);
    return rewritten;
}

/** Resolves the protocol's dependencies from the stubs' location, and makes protocol.ts static. */
const protocolPlugin: esbuild.Plugin = {
    name: "kaleyra-protocol",
    setup(build) {
        build.onLoad({ filter: /[\\/]provider[\\/]plugin[\\/]protocol\.ts$/ }, (args) => {
            return { contents: staticProtocol(fs.readFileSync(args.path, "utf8")), loader: "ts", resolveDir: path.dirname(args.path) };
        });
        build.onResolve({ filter: /^(@grpc\/grpc-js|google-protobuf)(\/|$)/ }, async (args) => {
            if (args.pluginData === STUBS_DIR) return undefined;
            const resolved = await build.resolve(args.path, { kind: args.kind, resolveDir: STUBS_DIR, pluginData: STUBS_DIR });
            return resolved.errors.length > 0 ? { errors: resolved.errors } : { path: resolved.path };
        });
    },
};

/**
 * Bundle the plugin into one script.
 * @returns the script's size in bytes.
 * @throws when esbuild reports an error, or a module stays outside the bundle.
 */
export async function bundlePlugin(options: BundleOptions): Promise<number> {
    const result = await esbuild.build({
        entryPoints: [PLUGIN_ENTRY],
        outfile: options.outfile,
        bundle: true,
        platform: "node",
        format: "cjs",
        target: "node22",
        minify: true,
        legalComments: "eof",
        define: { KALEYRA_PLUGIN_VERSION: JSON.stringify(options.version) },
        plugins: [protocolPlugin],
        metafile: true,
        logLevel: "silent",
    });
    const external = Object.values(result.metafile.outputs)
        .flatMap((o) => o.imports)
        .filter((i) => i.external && !isBuiltin(i.path));
    if (external.length > 0) throw new Error(`the plugin bundle leaves modules outside it: ${external.map((i) => i.path).join(", ")}`);
    return Object.values(result.metafile.outputs).reduce((sum, o) => sum + o.bytes, 0);
}

