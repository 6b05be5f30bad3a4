/**
 * What the provider host loads: the runtime entry point, check, diff, read and delete need no HTTP
 * stack — every `pulumi preview` and every no-op `pulumi up` runs only those — so the client
 * module (axios, p-limit and the transport around them) is loaded by the first PUT and
 * never before; the validation module by the first check, so the plugin's process that only serves
 * its schema to Pulumi YAML loads neither; and libphonenumber-js only for the hint of a rejected
 * `waNumber`. Each case runs in a fresh
 * Node.js process, whose module cache shows what loaded.
 */
import { strict as assert } from "node:assert";
import { spawnSync } from "node:child_process";
import * as path from "node:path";

const ROOT = path.resolve(__dirname, "..", "..");

/** The modules of the HTTP stack, as paths in the module cache. */
const HTTP_STACK = ["/node_modules/axios/", "/node_modules/p-limit/", "/provider/engine/client.ts", "/provider/engine/agents.ts", "/provider/engine/limiter.ts"];

/** The validation modules, likewise. */
const VALIDATION = ["/node_modules/libphonenumber-js/", "/provider/engine/check.ts"];

/** The phone-number library alone: only a rejected `waNumber`'s hint needs it. */
const PHONE_NUMBERS = ["/node_modules/libphonenumber-js/"];

/** How each contract's `__provider` reaches an operation: `op(shim, method, args)` in the scripts below. */
const OPERATION = {
    1: `(shim, method, args) => runtime.dispatch(1, shim, method, args)`,
    2: `(() => { const providers = new WeakMap(); return (shim, method, args) => { if (!providers.has(shim)) providers.set(shim, runtime.provider(2)); const p = providers.get(shim); return p[method](...args); }; })()`,
} as const;

/**
 * Runs `body` (statements; `op(shim, method, args)`, an operation through the runtime entry point as
 * a `__provider` of `contract` makes it, is in scope) in a fresh process and returns which of
 * `modules` (default: the HTTP stack) are loaded after it.
 */
function loadedAfter(body: string, modules: readonly string[] = HTTP_STACK, contract: 1 | 2 = 2): string[] {
    const script = `
        const runtime = require("./provider/engine/runtime");
        const op = ${OPERATION[contract]};
        (async () => {
            ${body}
            const loaded = Object.keys(require.cache).map((f) => f.split("\\\\").join("/"));
            process.stdout.write(JSON.stringify(${JSON.stringify(modules)}.filter((m) => loaded.some((f) => f.includes(m)))));
        })().catch((e) => { process.stderr.write(String(e && e.stack || e)); process.exit(1); });
    `;
    const child = spawnSync(process.execPath, ["--require", "tsx/cjs", "-e", script], { cwd: ROOT, encoding: "utf8", env: { ...process.env, KALEYRA_SID: "", KALEYRA_API_KEY: "" }, timeout: 60_000 });
    assert.equal(child.status, 0, child.stderr);
    return JSON.parse(child.stdout) as string[];
}

const PROFILE = { waNumber: "+919876543210", about: "Open 9-6", businessCategory: "Hotel and Lodging" };

describe("the provider host's modules (runtime entry point)", function () {
    this.timeout(120_000);

    for (const contract of [1, 2] as const) {
        it(`configure, check, diff, read and delete load none of the HTTP stack (contract ${contract})`, () => {
            const loaded = loadedAfter(
                `
            const shim = {};
            const config = { get: (k) => ({ "kaleyra:sid": "HXTEST", "kaleyra:apiKey": "key", "kaleyra:endpoint": "http://127.0.0.1:9" })[k] };
            await op(shim, "configure", [{ config }]);
            const checked = await op(shim, "check", [{}, ${JSON.stringify(PROFILE)}]);
            if (!checked.inputs || (checked.failures && checked.failures.length > 0)) throw new Error("check failed: " + JSON.stringify(checked));
            await op(shim, "check", [{}, { waNumber: "98765 43210", about: "" }]);
            await op(shim, "diff", ["+919876543210", ${JSON.stringify(PROFILE)}, { ...${JSON.stringify(PROFILE)}, about: "changed" }]);
            await op(shim, "read", ["+919876543210", ${JSON.stringify(PROFILE)}]);
            await op(shim, "delete", ["+919876543210", ${JSON.stringify(PROFILE)}]);
        `,
                HTTP_STACK,
                contract,
            );
            assert.deepEqual(loaded, []);
        });
    }

    it("the first create loads it (and an update with nothing to send still does not)", () => {
        const noPut = loadedAfter(`
            await op({}, "update", ["+919876543210", ${JSON.stringify(PROFILE)}, { waNumber: "+919876543210", about: "Open 9-6" }]);
        `);
        assert.deepEqual(noPut, [], "an update that only removes fields makes no PUT, so needs no client");
        const loaded = loadedAfter(`
            const shim = {};
            const config = { get: (k) => ({ "kaleyra:sid": "HXTEST", "kaleyra:apiKey": "key", "kaleyra:endpoint": "http://127.0.0.1:9", "kaleyra:maxRetries": "0" })[k] };
            await op(shim, "configure", [{ config }]);
            await op(shim, "create", [${JSON.stringify(PROFILE)}]).then(() => { throw new Error("the PUT to a closed port succeeded"); }, () => undefined);
        `);
        assert.deepEqual(loaded, HTTP_STACK);
    });

    it("the validation library loads with the first check, not with the runtime or the plugin's server", () => {
        const before = loadedAfter(
            `
            const { KaleyraPlugin } = require("./provider/plugin/server");
            const plugin = new KaleyraPlugin({ version: "0.0.0", log: () => undefined });
            plugin.service();
            await op({}, "diff", ["+919876543210", ${JSON.stringify(PROFILE)}, ${JSON.stringify(PROFILE)}]);
        `,
            VALIDATION,
        );
        assert.deepEqual(before, []);
        const after = loadedAfter(`await op({}, "check", [{}, ${JSON.stringify(PROFILE)}]);`, VALIDATION);
        assert.deepEqual(after, ["/provider/engine/check.ts"], "a valid profile's check loads check.ts, not libphonenumber-js");
    });

    it("libphonenumber-js loads with the first rejected waNumber, for its E.164 hint", () => {
        const loaded = loadedAfter(
            `
            const checked = await op({}, "check", [{}, { waNumber: "+91 98765 43210" }]);
            const reason = checked.failures && checked.failures[0] && checked.failures[0].reason;
            if (!reason || !reason.includes("+919876543210")) throw new Error("expected the E.164 hint, got " + JSON.stringify(checked));
        `,
            PHONE_NUMBERS,
        );
        assert.deepEqual(loaded, PHONE_NUMBERS);
    });

    it("missing credentials fail the create before the HTTP stack is loaded, with the usual message", () => {
        const loaded = loadedAfter(`
            const error = await op({}, "create", [${JSON.stringify(PROFILE)}]).then(() => undefined, (e) => e);
            if (!error || !/Missing Kaleyra credentials/.test(error.message)) throw new Error("expected the missing-credentials error, got " + (error && error.message));
        `);
        assert.deepEqual(loaded, []);
    });
});
