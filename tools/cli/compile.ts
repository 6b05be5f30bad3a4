/**
 * Test and bench programs are written in TypeScript; the language host would run them through
 * ts-node on every command, which costs about 3 s per `pulumi preview` or `up` here (7.0 s against
 * 3.4 s for the lifecycle fixture). The repository's type-check already covers them, so the
 * workspaces run them as JavaScript instead: the program's own files bundled into one CommonJS
 * file (what `tsc` would emit, joined), every npm package left as a `require` resolved at run time
 * from the project's `node_modules` — so `pulumi-kaleyra-whatsapp` and `@pulumi/pulumi` are the
 * installed ones, exactly as for the TypeScript program.
 */
import { buildSync } from "esbuild";

/**
 * Compiles the program whose entry file is `entry` into `outFile` (CommonJS, Node 22 syntax).
 * @throws when the program does not compile, with esbuild's messages.
 */
export function compileProgram(entry: string, outFile: string): void {
    buildSync({
        entryPoints: [entry],
        outfile: outFile,
        bundle: true,
        packages: "external",
        platform: "node",
        format: "cjs",
        target: "node22",
        logLevel: "silent",
    });
}
