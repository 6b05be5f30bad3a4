/**
 * `npm run plugin:package`: the `kaleyra` plugin as a self-contained executable per platform — no
 * Node.js and no node_modules needed where it runs — packed the way Pulumi's CLI installs plugins:
 *
 *   dist/plugins/pulumi-resource-kaleyra-v<version>-linux-amd64.tar.gz
 *   dist/plugins/pulumi-resource-kaleyra-v<version>-linux-arm64.tar.gz
 *   dist/plugins/SHA256SUMS
 *
 * How: esbuild bundles the plugin into one script (bundle.ts), the pinned Node.js release makes a
 * single-executable blob of it and postject injects that into each platform's official `node`
 * binary (sea.ts), each executable is checked (ELF machine, fuse, blob) and packed (tarball.ts).
 * The run is skipped when dist/plugins/ already holds what the same inputs make (the bundle's hash,
 * the Node release, the version), or the cache does (a copy then), so the tests call
 * {@link packagePlugin} and pay for one build, and a new clone for none when the cache has it. Test
 * files in parallel workers call it at once, so a build holds a lock on the build folder
 * (proper-lockfile): one process builds, the others wait for it and then find the tarballs current.
 */
import * as crypto from "node:crypto";
import * as fs from "node:fs";
import * as path from "node:path";

import * as lockfile from "proper-lockfile";

import { bundlePlugin } from "./plugin-binary/bundle";
import { inspectExecutable } from "./plugin-binary/elf";
import { nodeBinary } from "./plugin-binary/node-binary";
import { injectBlob, seaBlob } from "./plugin-binary/sea";
import { sha256, writeChecksums, writeTarball } from "./plugin-binary/tarball";
import { CACHE_DIR, NODE_VERSION, packageVersion, PLUGIN_BINARY, PLUGIN_TARGETS, PLUGINS_DIR, tarballName, type PluginTarget } from "./plugin-binary/targets";

/** One built tarball. */
export interface PluginTarball {
    /** The platform. */
    readonly target: PluginTarget;
    /** The tarball's path. */
    readonly file: string;
    /** Its size in bytes. */
    readonly bytes: number;
    /** The unpacked executable (kept in the cache, for tests and the bench). */
    readonly executable: string;
}

/** What {@link packagePlugin} made. */
export interface PluginPackage {
    /** The plugin's version. */
    readonly version: string;
    /** One tarball per platform, in {@link PLUGIN_TARGETS} order. */
    readonly tarballs: readonly PluginTarball[];
    /** `SHA256SUMS` beside them. */
    readonly checksums: string;
    /** The single-executable preparation blob injected into every executable (kept in the cache). */
    readonly blob: string;
    /** Whether this call built them (false: they were current). */
    readonly built: boolean;
}

/** Where one build's intermediate files go. */
const BUILD_DIR = path.join(CACHE_DIR, "build");
/** The preparation blob. */
const BLOB = path.join(BUILD_DIR, "sea-prep.blob");
/** The record of the inputs dist/plugins/ was built from. */
const STAMP = path.join(BUILD_DIR, "stamp.json");

function log(line: string): void {
    process.stderr.write(`plugin:package: ${line}\n`);
}

/** The tarballs as they are on disk (paths only). */
function describe(version: string): PluginTarball[] {
    return PLUGIN_TARGETS.map((target) => {
        const file = path.join(PLUGINS_DIR, tarballName(version, target));
        return { target, file, bytes: fs.existsSync(file) ? fs.statSync(file).size : 0, executable: path.join(BUILD_DIR, target.arch, PLUGIN_BINARY) };
    });
}

/** The cache's copy of the last build's tarballs and `SHA256SUMS` (what a new clone copies). */
const OUT_DIR = path.join(BUILD_DIR, "out");

/** The stamp: the inputs of the last build and its tarballs' SHA-256, by file name. */
interface Stamp {
    readonly inputs: string;
    readonly sums: Readonly<Record<string, string>>;
}

/** Whether the tarballs in `dir` and `SHA256SUMS` beside them are the stamped ones. */
function holdsStamped(dir: string, stamp: Stamp, tarballs: readonly PluginTarball[]): boolean {
    return fs.existsSync(path.join(dir, "SHA256SUMS")) && tarballs.every((t) => {
        const file = path.join(dir, path.basename(t.file));
        return fs.existsSync(file) && stamp.sums[path.basename(t.file)] === sha256(file);
    });
}

/**
 * Where a current build of `inputs` is: `"dist"` (dist/plugins/ holds it), `"cache"` (only the
 * cache, shared by every clone of this user, does: a new clone copies it instead of building), or
 * `undefined` (none is).
 */
function currentBuild(inputs: string, tarballs: readonly PluginTarball[]): "dist" | "cache" | undefined {
    if (!fs.existsSync(STAMP)) return undefined;
    const stamp = JSON.parse(fs.readFileSync(STAMP, "utf8")) as Stamp;
    if (stamp.inputs !== inputs || !fs.existsSync(BLOB) || !tarballs.every((t) => fs.existsSync(t.executable))) return undefined;
    if (holdsStamped(PLUGINS_DIR, stamp, tarballs)) return "dist";
    return holdsStamped(OUT_DIR, stamp, tarballs) ? "cache" : undefined;
}

/** Build one platform's executable and tarball, after checking the executable. */
async function buildTarget(target: PluginTarget, blob: string, version: string, tarball: PluginTarball): Promise<PluginTarball> {
    const node = nodeBinary(target, NODE_VERSION, path.join(CACHE_DIR, "node"));
    const dir = path.dirname(tarball.executable);
    fs.rmSync(dir, { recursive: true, force: true });
    fs.mkdirSync(dir, { recursive: true });
    await injectBlob(node, blob, tarball.executable);
    const facts = inspectExecutable(tarball.executable, fs.readFileSync(blob));
    const problems = [
        !facts.elf || !facts.is64Bit || !facts.littleEndian ? "not a 64-bit little-endian ELF file" : "",
        facts.machine !== target.elfMachine ? `ELF machine ${facts.machine}, not ${target.elfMachine}` : "",
        !facts.fuseFlipped ? "the single-executable fuse is not set" : "",
        !facts.hasBlob ? "the plugin's blob is not in it" : "",
    ].filter(Boolean);
    if (problems.length > 0) throw new Error(`${target.os}-${target.arch} executable: ${problems.join("; ")}`);
    const bytes = writeTarball(dir, [PLUGIN_BINARY], tarball.file);
    log(`${path.relative(process.cwd(), tarball.file)}: ${(bytes / 1e6).toFixed(1)} MB (executable ${(fs.statSync(tarball.executable).size / 1e6).toFixed(1)} MB)`);
    return { ...tarball, bytes };
}

/**
 * Build the tarballs and `SHA256SUMS` into dist/plugins/, unless they are current.
 * @param force build even when current.
 */
export async function packagePlugin(force = false): Promise<PluginPackage> {
    fs.mkdirSync(BUILD_DIR, { recursive: true });
    // A cold build takes about 40 s; the lock's file is refreshed while it is held, and counts as
    // stale (its holder gone) 30 s after the last refresh.
    const release = await lockfile.lock(BUILD_DIR, { stale: 30_000, retries: { retries: 1_000, minTimeout: 250, maxTimeout: 1_000 } });
    try {
        return await packageUnlocked(force);
    } finally {
        await release();
    }
}

/** {@link packagePlugin}'s work, with the lock held. */
async function packageUnlocked(force: boolean): Promise<PluginPackage> {
    const version = packageVersion();
    const script = path.join(BUILD_DIR, "plugin.js");
    await bundlePlugin({ version, outfile: script });
    const inputs = crypto.createHash("sha256").update(fs.readFileSync(script)).update(`${NODE_VERSION}\0${version}\0${PLUGIN_TARGETS.map((t) => t.arch).join(",")}`).digest("hex");
    const planned = describe(version);
    const current = force ? undefined : currentBuild(inputs, planned);
    if (current !== undefined) {
        if (current === "cache") {
            fs.rmSync(PLUGINS_DIR, { recursive: true, force: true });
            fs.cpSync(OUT_DIR, PLUGINS_DIR, { recursive: true });
        }
        // Described again: a copy from the cache has just given the tarballs their sizes.
        return { version, tarballs: describe(version), checksums: path.join(PLUGINS_DIR, "SHA256SUMS"), blob: BLOB, built: false };
    }
    fs.mkdirSync(PLUGINS_DIR, { recursive: true });
    for (const stale of fs.readdirSync(PLUGINS_DIR)) fs.rmSync(path.join(PLUGINS_DIR, stale), { recursive: true, force: true });
    const blob = seaBlob(nodeBinary(PLUGIN_TARGETS[0]!, NODE_VERSION, path.join(CACHE_DIR, "node")), script, BUILD_DIR);
    const tarballs: PluginTarball[] = [];
    for (const [i, target] of PLUGIN_TARGETS.entries()) tarballs.push(await buildTarget(target, blob, version, planned[i]!));
    const checksums = writeChecksums(PLUGINS_DIR, tarballs.map((t) => path.basename(t.file)));
    fs.rmSync(OUT_DIR, { recursive: true, force: true });
    fs.cpSync(PLUGINS_DIR, OUT_DIR, { recursive: true });
    const stamp: Stamp = { inputs, sums: Object.fromEntries(tarballs.map((t) => [path.basename(t.file), sha256(t.file)])) };
    fs.writeFileSync(STAMP, JSON.stringify(stamp));
    return { version, tarballs, checksums, blob, built: true };
}

if (require.main === module) {
    const started = Date.now();
    packagePlugin(process.argv.includes("--force")).then(
        (p) => log(`${p.built ? "built" : "up to date:"} ${p.tarballs.map((t) => path.basename(t.file)).join(", ")} and SHA256SUMS in ${((Date.now() - started) / 1000).toFixed(1)} s`),
        (error: unknown) => {
            log(error instanceof Error ? error.message : String(error));
            process.exit(1);
        },
    );
}
