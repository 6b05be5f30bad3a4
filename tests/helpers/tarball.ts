/** The package as a user gets it: packed with `npm pack` and installed into a directory of its own. */

import { execFileSync } from "node:child_process";
import * as fs from "node:fs";
import * as path from "node:path";

const REPO = path.resolve(__dirname, "..", "..");
const NPM = process.platform === "win32" ? "npm.cmd" : "npm";

/**
 * Pack this repository and install the tarball into `dir` (a new `package.json` named `name`).
 * `@pulumi/pulumi`, the peer dependency a user installs beside it, is the repository's copy, linked.
 * @returns the installed package's directory, `dir/node_modules/pulumi-kaleyra-whatsapp`.
 */
export function installFromTarball(dir: string, name = "consumer"): string {
    fs.mkdirSync(dir, { recursive: true });
    const packed = execFileSync(NPM, ["pack", "--ignore-scripts", "--silent", "--pack-destination", dir], { cwd: REPO, encoding: "utf8" }).trim().split("\n").pop()!;
    fs.writeFileSync(path.join(dir, "package.json"), JSON.stringify({ name, private: true }));
    execFileSync(NPM, ["install", "--no-audit", "--no-fund", "--prefer-offline", "--ignore-scripts", "--legacy-peer-deps", `./${packed}`], { cwd: dir, stdio: "pipe" });
    fs.symlinkSync(path.join(REPO, "node_modules", "@pulumi"), path.join(dir, "node_modules", "@pulumi"), "dir");
    return path.join(dir, "node_modules", "pulumi-kaleyra-whatsapp");
}
