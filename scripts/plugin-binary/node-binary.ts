/**
 * The official `node` binary of one platform, at the pinned release, from the npm registry's
 * `node-linux-<arch>` package (the Node.js project's own builds, repackaged). `npm pack` fetches
 * the package without installing it — so an arm64 binary comes down on an x64 machine too — and
 * checks it against the registry's integrity hash. Kept in the cache between runs.
 */
import { execFileSync } from "node:child_process";
import * as fs from "node:fs";
import * as path from "node:path";

import type { PluginTarget } from "./targets";

const NPM = process.platform === "win32" ? "npm.cmd" : "npm";

/**
 * The path of `target`'s `node` executable at `version`, fetched into `cacheDir` on first use.
 * @throws when npm cannot fetch the package or it holds no `bin/node`.
 */
export function nodeBinary(target: PluginTarget, version: string, cacheDir: string): string {
    const dir = path.join(cacheDir, `${target.nodePackage}-${version}`);
    const node = path.join(dir, "package", "bin", "node");
    if (fs.existsSync(node)) return node;
    const partial = `${dir}.partial`;
    fs.rmSync(partial, { recursive: true, force: true });
    fs.mkdirSync(partial, { recursive: true });
    const packed = execFileSync(NPM, ["pack", "--silent", "--pack-destination", partial, `${target.nodePackage}@${version}`], { encoding: "utf8" })
        .trim()
        .split("\n")
        .pop()!;
    execFileSync("tar", ["-xzf", path.join(partial, packed), "-C", partial, "package/bin/node"]);
    fs.rmSync(path.join(partial, packed));
    fs.rmSync(dir, { recursive: true, force: true });
    fs.renameSync(partial, dir);
    return node;
}
