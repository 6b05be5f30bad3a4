/**
 * The plugin tarball Pulumi's CLI installs (`pulumi plugin install … --file`, or downloads from a
 * `pluginDownloadURL`): a gzipped tar with the executable at its root. Made reproducibly — sorted,
 * owner 0, a fixed mtime, no gzip timestamp — so the same binary gives the same bytes and hash.
 */
import { execFileSync } from "node:child_process";
import * as crypto from "node:crypto";
import * as fs from "node:fs";
import * as path from "node:path";
import * as zlib from "node:zlib";

/**
 * Write `output`: the files `names` of `dir`, at the tarball's root.
 * @returns the tarball's size in bytes.
 */
export function writeTarball(dir: string, names: readonly string[], output: string): number {
    const tar = execFileSync(
        "tar",
        ["--create", "--file=-", "--format=gnu", "--sort=name", "--mtime=@0", "--owner=0", "--group=0", "--numeric-owner", "-C", dir, ...names],
        { maxBuffer: 1 << 30 },
    );
    const gz = zlib.gzipSync(tar, { level: 9 });
    fs.writeFileSync(output, gz);
    return gz.length;
}

/** The SHA-256 of a file, in hex. */
export function sha256(file: string): string {
    return crypto.createHash("sha256").update(fs.readFileSync(file)).digest("hex");
}

/**
 * Write `SHA256SUMS` in `dir` for `files` (names in `dir`), in `sha256sum`'s format, so that
 * `sha256sum -c SHA256SUMS` checks them.
 */
export function writeChecksums(dir: string, files: readonly string[]): string {
    const out = path.join(dir, "SHA256SUMS");
    fs.writeFileSync(out, [...files].sort().map((f) => `${sha256(path.join(dir, f))}  ${f}\n`).join(""));
    return out;
}
