/** The package as a user gets it: packed with `npm pack` and installed into a directory of its own. */

import { execFileSync } from "node:child_process";
import * as fs from "node:fs";
import * as path from "node:path";

const REPO = path.resolve(__dirname, "..", "..");
const NPM = process.platform === "win32" ? "npm.cmd" : "npm";

/**
 * Pack this repository and install the tarball into `dir` (a new `package.json` named `name`).
 * `@pulumi/pulumi`, the peer dependency a user installs beside it, is the repository's copy, linked
 * — or, with `pulumiVersion`, that release from the npm registry, installed beside it.
 * @returns the installed package's directory, `dir/node_modules/pulumi-kaleyra-whatsapp`.
 */
export function installFromTarball(dir: string, name = "consumer", pulumiVersion?: string): string {
    fs.mkdirSync(dir, { recursive: true });
    const packed = execFileSync(NPM, ["pack", "--ignore-scripts", "--silent", "--pack-destination", dir], { cwd: REPO, encoding: "utf8" }).trim().split("\n").pop()!;
    fs.writeFileSync(path.join(dir, "package.json"), JSON.stringify({ name, private: true }));
    const peer = pulumiVersion === undefined ? [] : [`@pulumi/pulumi@${pulumiVersion}`];
    execFileSync(NPM, ["install", "--no-audit", "--no-fund", "--prefer-offline", "--ignore-scripts", "--legacy-peer-deps", `./${packed}`, ...peer], { cwd: dir, stdio: "pipe" });
    if (pulumiVersion === undefined) fs.symlinkSync(path.join(REPO, "node_modules", "@pulumi"), path.join(dir, "node_modules", "@pulumi"), "dir");
    return path.join(dir, "node_modules", "pulumi-kaleyra-whatsapp");
}

/** The newest `@pulumi/pulumi` on the npm registry (`npm view`). */
export function newestPulumiSdk(): string {
    return execFileSync(NPM, ["view", "@pulumi/pulumi", "version"], { encoding: "utf8" }).trim();
}

/** The floor of the package's `@pulumi/pulumi` peer range (`^3.139.0` → `3.139.0`). */
export function pulumiSdkFloor(): string {
    const manifest = JSON.parse(fs.readFileSync(path.join(REPO, "package.json"), "utf8")) as { peerDependencies: Record<string, string> };
    const range = manifest.peerDependencies["@pulumi/pulumi"];
    const floor = /^\^(\d+\.\d+\.\d+)$/.exec(range);
    if (!floor) throw new Error(`the @pulumi/pulumi peer range ${range} is not a caret range: teach pulumiSdkFloor its form`);
    return floor[1];
}
