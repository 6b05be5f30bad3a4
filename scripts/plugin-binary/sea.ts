/**
 * Node's single executable applications: the bundled plugin turned into a preparation blob by the
 * pinned `node --experimental-sea-config`, then injected into a copy of a platform's `node` binary
 * with `postject` (Node's documented way). The blob is made without a code cache or a startup
 * snapshot, which makes it platform-independent: the same blob goes into the amd64 and the arm64
 * binary, both at the release that made it.
 */
import { execFileSync } from "node:child_process";
import * as fs from "node:fs";
import * as path from "node:path";

import { inject } from "postject";

/** The name of the blob's ELF note / Mach-O section / PE resource, as Node looks it up. */
export const SEA_RESOURCE = "NODE_SEA_BLOB";

/** The fuse Node checks to know it carries a blob; postject flips its last character to `1`. */
export const SEA_FUSE = "NODE_SEA_FUSE_fce680ab2cc467b6e072b8b5df1996b2";

/**
 * Make the preparation blob of `script` with `node` (which must be the release the blob goes into).
 * @returns the blob's path, `<workDir>/sea-prep.blob`.
 */
export function seaBlob(node: string, script: string, workDir: string): string {
    const blob = path.join(workDir, "sea-prep.blob");
    const config = path.join(workDir, "sea-config.json");
    fs.writeFileSync(
        config,
        JSON.stringify({ main: script, output: blob, disableExperimentalSEAWarning: true, useSnapshot: false, useCodeCache: false }),
    );
    execFileSync(node, ["--experimental-sea-config", config], { stdio: ["ignore", "pipe", "pipe"] });
    return blob;
}

/**
 * Write `output`: a copy of `node` with `blob` injected, executable.
 * @throws when postject fails (e.g. the binary has no fuse).
 */
export async function injectBlob(node: string, blob: string, output: string): Promise<void> {
    fs.copyFileSync(node, output);
    fs.chmodSync(output, 0o755);
    await inject(output, SEA_RESOURCE, fs.readFileSync(blob), { sentinelFuse: SEA_FUSE });
}
