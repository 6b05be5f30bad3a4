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
/** What other scripts build into dist/, not tsc: `npm run plugin:package` and `npm run sdk:pack`. */
const OTHER_BUILDS = new Set([join(dist, "plugins"), join(dist, "sdk")]);

function prune(dir) {
    for (const entry of readdirSync(dir, { withFileTypes: true })) {
        const file = join(dir, entry.name);
        if (OTHER_BUILDS.has(file)) continue;
        if (entry.isDirectory()) {
            prune(file);
            if (readdirSync(file).length === 0) rmdirSync(file);
        } else if (!existsSync(join(source, relative(dist, file)).replace(OUTPUT, ".ts"))) {
            rmSync(file);
        }
    }
}

if (existsSync(dist)) prune(dist);
