// Run after `tsc -p tsconfig.build.json`: deletes whatever in dist/ no longer has a source in
// provider/ (a moved or removed module), so `npm pack` ships no stale copy. It prunes after the
// build rather than emptying dist/ before it, so dist/ is never missing while something else (a
// test run, the provider host) is loading it.
import { existsSync, readdirSync, rmSync, rmdirSync } from "node:fs";
import { join, relative } from "node:path";
import { fileURLToPath } from "node:url";

const root = fileURLToPath(new URL("..", import.meta.url));
const dist = join(root, "dist");
const source = join(root, "provider");
const OUTPUT = /\.(d\.ts\.map|d\.ts|js\.map|js)$/;

function prune(dir) {
    for (const entry of readdirSync(dir, { withFileTypes: true })) {
        const file = join(dir, entry.name);
        if (entry.isDirectory()) {
            prune(file);
            if (readdirSync(file).length === 0) rmdirSync(file);
        } else if (!existsSync(join(source, relative(dist, file)).replace(OUTPUT, ".ts"))) {
            rmSync(file);
        }
    }
}

if (existsSync(dist)) prune(dist);
