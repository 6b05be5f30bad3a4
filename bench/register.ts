/**
 * The program side in-process: how long a Node.js program takes to declare N profiles under
 * `pulumi.runtime.setMocks` (no engine, no provider host), for `WhatsAppNumberProfile` against the
 * minimal dynamic resource (the same nine properties, a provider that does nothing). Each
 * measurement runs in a fresh child process (`node --require tsx/cjs bench/register.ts --child
 * <kind> <n>`), so module loading, the one `__provider` serialization and JIT warm-up are counted
 * as a program pays them; the two kinds alternate, and each figure is the median over the runs.
 * Stack config is set as the language host passes it (`PULUMI_CONFIG`, the API key among the
 * secret keys), so the constructor's plaintext-key guard runs as in a real program.
 */
import { spawnSync } from "node:child_process";
import * as path from "node:path";

import { makeProfiles } from "../tools/programs/profiles/profiles";
import { median, ratioOf } from "./stats";

/** The two programs compared. */
export type RegisterKind = "kaleyra" | "minimal";

/** One child's figures. */
export interface RegisterRun {
    readonly kind: RegisterKind;
    /** `require` of the resource's module (ours: `pulumi-kaleyra-whatsapp`; the minimal one is defined in place), ms. */
    readonly loadMs: number;
    /** From the first constructor call until the mock monitor has seen every registration, ms. */
    readonly registerMs: number;
    /** CPU time (user + system) of the child over the same span, ms. */
    readonly registerCpuMs: number;
}

/** What {@link measureRegistration} measured. */
export interface RegisterFigures {
    readonly n: number;
    readonly runs: readonly RegisterRun[];
}

const CHILD_CONFIG = {
    "kaleyra:sid": "HXBENCH00000",
    "kaleyra:endpoint": "http://127.0.0.1:9",
    "kaleyra:maxConcurrency": "8",
    "kaleyra:apiKey": "bench-only-secret",
};

function runChild(kind: RegisterKind, n: number): RegisterRun {
    const child = spawnSync(process.execPath, ["--require", "tsx/cjs", __filename, "--child", kind, String(n)], {
        cwd: path.resolve(__dirname, ".."),
        encoding: "utf8",
        env: { ...process.env, PULUMI_DEBUG_PROMISE_LEAKS: "", PULUMI_CONFIG: JSON.stringify(CHILD_CONFIG), PULUMI_CONFIG_SECRET_KEYS: JSON.stringify(["kaleyra:apiKey"]) },
        timeout: 120_000,
    });
    const line = child.stdout.trim().split("\n").pop() ?? "";
    // The child exits as soon as it has printed (its resources' outputs are left pending, which the
    // SDK reports on exit); its figures are the JSON line.
    if (!line.startsWith("{")) throw new Error(`registration child (${kind}, ${n}) failed: ${child.stderr.slice(-800)}`);
    return { kind, ...(JSON.parse(line) as Omit<RegisterRun, "kind">) };
}

/**
 * Declare `n` profiles of each kind `rounds` times, alternating (ours first in even rounds).
 */
export function measureRegistration(n = 150, rounds = 5): RegisterFigures {
    const runs: RegisterRun[] = [];
    for (let r = 0; r < rounds; r++) {
        const order: RegisterKind[] = r % 2 === 0 ? ["kaleyra", "minimal"] : ["minimal", "kaleyra"];
        for (const kind of order) runs.push(runChild(kind, n));
    }
    return { n, runs };
}

/** The section's Markdown. */
export function renderRegistration(f: RegisterFigures): string {
    const of = (kind: RegisterKind, pick: (r: RegisterRun) => number) => median(f.runs.filter((r) => r.kind === kind).map(pick));
    const row = (label: string, pick: (r: RegisterRun) => number) => {
        const ours = of("kaleyra", pick);
        const min = of("minimal", pick);
        return `| ${label} | ${ours.toFixed(0)} ms | ${min.toFixed(0)} ms | ${ratioOf(ours, min).toFixed(2)}× | ${((ours - min) / f.n).toFixed(3)} ms |`;
    };
    const rounds = f.runs.length / 2;
    return [
        `In-process, under \`pulumi.runtime.setMocks\` (no engine, no provider host): a fresh Node.js process declares N = ${f.n} profiles`,
        `of each kind (all nine fields set), ${rounds} times each, alternating; medians. *Per resource* is (ours − min) / N.`,
        "",
        "| figure | ours | minimal | ratio | per resource |",
        "| --- | ---: | ---: | ---: | ---: |",
        row("loading the resource's module", (r) => r.loadMs),
        row("declaring N, wall (until every registration reached the monitor)", (r) => r.registerMs),
        row("declaring N, CPU", (r) => r.registerCpuMs),
    ].join("\n");
}

/** The child: declare `n` resources of `kind` under mocks and print the figures as one JSON line. */
async function child(kind: RegisterKind, n: number): Promise<void> {
    const pulumi = await import("@pulumi/pulumi");
    let registered = 0;
    let done: () => void = () => undefined;
    const all = new Promise<void>((resolve) => (done = resolve));
    await pulumi.runtime.setMocks(
        {
            newResource(args) {
                if (args.type.startsWith("pulumi-nodejs:dynamic/") && ++registered === n) done();
                return { id: String(args.inputs.waNumber ?? args.name), state: args.inputs };
            },
            call: (args) => args.inputs,
        },
        "bench",
        "bench",
        false,
    );
    const loadStart = performance.now();
    let make: (name: string, args: Record<string, string>) => void;
    if (kind === "kaleyra") {
        const { WhatsAppNumberProfile } = await import("pulumi-kaleyra-whatsapp");
        make = (name, args) => new WhatsAppNumberProfile(name, args as unknown as ConstructorParameters<typeof WhatsAppNumberProfile>[1]);
    } else {
        const minimal: import("@pulumi/pulumi").dynamic.ResourceProvider = {
            async create(inputs: Record<string, string>) {
                return { id: inputs.waNumber, outs: inputs };
            },
        };
        class MinimalProfile extends pulumi.dynamic.Resource {
            constructor(name: string, args: Record<string, string>) {
                super(minimal, name, { ...args }, undefined, "kaleyra", "WhatsAppNumberProfile");
            }
        }
        make = (name, args) => new MinimalProfile(name, args);
    }
    const loadMs = performance.now() - loadStart;
    const specs = makeProfiles(n);
    const cpu = process.cpuUsage();
    const start = performance.now();
    for (const spec of specs) make(spec.name, { ...spec.args });
    await all;
    const registerMs = performance.now() - start;
    const used = process.cpuUsage(cpu);
    process.stdout.write(`${JSON.stringify({ loadMs, registerMs, registerCpuMs: (used.user + used.system) / 1000 })}\n`);
}

if (require.main === module) {
    const args = process.argv.slice(2);
    if (args[0] === "--child") {
        child(args[1] as RegisterKind, Number(args[2])).then(
            () => process.exit(0),
            (e: unknown) => {
                process.stderr.write(`${e instanceof Error ? (e.stack ?? e.message) : String(e)}\n`);
                process.exit(1);
            },
        );
    } else {
        const n = Number(args[0] ?? 150);
        const rounds = Number(args[1] ?? 5);
        process.stdout.write(`${renderRegistration(measureRegistration(n, rounds))}\n`);
    }
}
