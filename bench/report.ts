/**
 * Turns the measured figures into the Markdown report: the tables (printed by `npm run bench`)
 * and RESULTS.md (the same tables, how to read them, and the machine they came from).
 */
import type { ApplyFigures } from "./apply";
import { bytes, fixed, int, mib, ms, ratio, table } from "./format";
import type { InProcessFigures } from "./in-process";
import type { LifecycleFigures, LifecycleStep } from "./lifecycle";
import type { MachineInfo } from "./machine";
import type { SerializedProviders } from "./serialization";
import { utf8Bytes } from "./serialization";

/** What the baseline provider did when run through the host. */
export interface BaselineThroughHost {
    /** Profiles in the preview. */
    readonly n: number;
    /** Whether the preview succeeded. */
    readonly ok: boolean;
    /** The first error, shortened. */
    readonly error?: string;
}

/** Everything one `npm run bench` measured. */
export interface BenchResults {
    /** Where. */
    readonly machine: MachineInfo;
    /** Total run time, ms. */
    readonly totalMs: number;
    /** 1-minute load average when the run ended. */
    readonly loadAtEnd: number;
    /** The two designs' `__provider`. */
    readonly serialized: SerializedProviders;
    /** The baseline provider run through the host. */
    readonly baselineThroughHost: BaselineThroughHost;
    /** One lifecycle per stack size, smallest first. */
    readonly lifecycles: readonly LifecycleFigures[];
    /** check / diff in-process. */
    readonly inProcess: InProcessFigures;
    /** The apply scenarios. */
    readonly applies: readonly ApplyFigures[];
}

const STEP_ROWS: readonly { step: LifecycleStep; label: string; ideal: (f: LifecycleFigures) => number; idealText: string }[] = [
    { step: "previewNew", label: "`preview`, new stack", ideal: () => 0, idealText: "0" },
    { step: "upNew", label: "`up`, new stack (create N)", ideal: (f) => f.n, idealText: "N" },
    { step: "previewSame", label: "`preview`, nothing changed", ideal: () => 0, idealText: "0" },
    { step: "upSame", label: "`up`, nothing changed", ideal: () => 0, idealText: "0" },
    { step: "upChangeOne", label: "`up`, k = 1 changed", ideal: (f) => f.changed.upChangeOne, idealText: "k = 1" },
    { step: "upChangeTen", label: "`up`, k = 10 changed", ideal: (f) => f.changed.upChangeTen, idealText: "k = 10" },
];

function callsTable(r: BenchResults): string {
    const headers = ["operation", "ideal", ...r.lifecycles.map((f) => `N = ${int(f.n)}`)];
    const rows = STEP_ROWS.map(({ step, label, ideal, idealText }) => [
        label,
        idealText,
        ...r.lifecycles.map((f) => {
            const s = f.steps[step];
            const mark = s.puts === ideal(f) && s.createUpdate === ideal(f) ? "" : " ⚠";
            return `${int(s.puts)} / ${int(s.createUpdate)}${mark}`;
        }),
    ]);
    return table(headers, rows, ["l", "r", ...r.lifecycles.map(() => "r" as const)]);
}

/** The shim's `__provider` exactly as the state records it (falls back to the one serialized here). */
function recordedShim(r: BenchResults): string {
    return r.lifecycles[0]?.recordedProvider || r.serialized.shim;
}

function providerSizeTable(r: BenchResults): string {
    const escaped = (text: string) => utf8Bytes(JSON.stringify(text));
    const shim = recordedShim(r);
    const base = r.serialized.baseline;
    const row = (name: string, text: string) =>
        text === ""
            ? [name, "not serializable", "—", ...r.lifecycles.map(() => "—")]
            : [name, bytes(utf8Bytes(text)), bytes(2 * escaped(text)), ...r.lifecycles.map((f) => bytes(2 * escaped(text) * f.n))];
    return table(
        ["design", "`__provider`", "per resource in state (inputs + outputs)", ...r.lifecycles.map((f) => `N = ${int(f.n)}`)],
        [row("thin shim (this package), as recorded in state", shim), row("baseline: provider code copied in", base)],
        ["l", "r", "r", ...r.lifecycles.map(() => "r" as const)],
    );
}

function stateFileTable(r: BenchResults): string {
    const perBaseline = 2 * utf8Bytes(JSON.stringify(r.serialized.baseline));
    const rows = r.lifecycles.map((f) => {
        const baselineFile = f.stateFileBytes - f.providerBytesInState + perBaseline * f.n;
        const refused = r.serialized.baseline === "";
        return [
            int(f.n),
            bytes(f.stateFileBytes),
            `${bytes(f.providerBytesInState)} (${((100 * f.providerBytesInState) / f.stateFileBytes).toFixed(0)}%)`,
            refused ? "—" : bytes(baselineFile),
            refused ? "—" : ratio(baselineFile / f.stateFileBytes),
        ];
    });
    return table(["N", "state file, shim (measured)", "of which `__provider`", "state file, baseline (derived)", "baseline / shim"], rows, [
        "r",
        "r",
        "r",
        "r",
        "r",
    ]);
}

function inProcessTable(r: BenchResults): string {
    const p = r.inProcess;
    return table(
        ["call (in-process, `new KaleyraProfileProvider()`)", "µs per call"],
        [
            ["`check`, full profile", fixed(p.checkUs, 1)],
            ["`diff`, nothing changed", fixed(p.diffSameUs, 2)],
            ["`diff`, one field changed", fixed(p.diffChangedUs, 2)],
        ],
        ["l", "r"],
    );
}

function hostTable(r: BenchResults): string {
    const rows = r.lifecycles.map((f, i) => {
        const p = f.steps.previewSame;
        const prev = i > 0 ? r.lifecycles[0] : undefined;
        const marginal = prev ? (p.durationMs - prev.steps.previewSame.durationMs) / (f.n - prev.n) : undefined;
        const cpuMarginal =
            prev && p.hostCpuMs !== undefined && prev.steps.previewSame.hostCpuMs !== undefined
                ? (p.hostCpuMs - prev.steps.previewSame.hostCpuMs) / (f.n - prev.n)
                : undefined;
        return [
            int(f.n),
            ms(p.durationMs),
            fixed(p.durationMs / f.n, 2),
            marginal === undefined ? "—" : fixed(marginal, 2),
            ms(p.hostCpuMs),
            cpuMarginal === undefined ? "—" : fixed(cpuMarginal, 3),
            mib(p.hostPeakRssBytes),
            mib(f.steps.upNew.hostPeakRssBytes),
        ];
    });
    return table(
        [
            "N",
            "`preview`, nothing changed (N Check + N Diff)",
            "ms / resource",
            `marginal ms / resource (over N = ${int(r.lifecycles[0]?.n ?? 0)})`,
            "host CPU",
            `marginal host CPU ms / resource (over N = ${int(r.lifecycles[0]?.n ?? 0)})`,
            "host peak RSS, that preview",
            "host peak RSS, `up` creating N",
        ],
        rows,
        ["r", "r", "r", "r", "r", "r", "r", "r"],
    );
}

function applyTable(r: BenchResults): string {
    const rows = r.applies.map((a) => [
        int(a.n),
        `${a.latencyMs} ms`,
        String(a.concurrency),
        a.rateLimitProbability > 0 ? `${(a.rateLimitProbability * 100).toFixed(0)}%, Retry-After ${a.retryAfterSeconds} s` : "none",
        `${int(a.okPuts)} / ${int(a.rateLimited)}`,
        ms(a.putPhaseMs),
        ms(a.idealMs),
        ratio(a.putPhaseMs / a.idealMs),
        ms(a.idleMs),
        ms(a.upMs),
    ]);
    return table(
        ["N", "latency", "maxConcurrency", "429s injected", "PUTs 200 / 429", "PUT phase", "ideal", "PUT phase / ideal", "nothing in flight", "whole `up`"],
        rows,
        ["r", "r", "r", "l", "r", "r", "r", "r", "r", "r"],
    );
}

/** The tables, as printed to stdout. */
export function renderTables(r: BenchResults): string {
    const b = r.baselineThroughHost;
    const f = r.serialized.factoryFunctionBytes;
    return [
        "### 1. Calls per operation — PUTs seen by the emulator / Create + Update gRPC calls",
        "",
        callsTable(r),
        "",
        "### 2. `__provider` per resource, and what a stack of N carries for it",
        "",
        providerSizeTable(r),
        "",
        r.serialized.baselineError !== undefined
            ? `Serialized here with the SDK's call: shim ${bytes(utf8Bytes(r.serialized.shim))} (the recorded one but for the arrow function's spacing); ` +
              `with \`{ isFactoryFunction: true }\`: ${bytes(f.shim)}. The baseline cannot be serialized at all with this build: the SDK's serializer ` +
              `refuses the provider's code (\`${r.serialized.baselineError}\`), so it has no size and no state-file figures this run.`
            : `Serialized here with the SDK's call: shim ${bytes(utf8Bytes(r.serialized.shim))} (the recorded one but for the arrow function's spacing), ` +
              `baseline ${bytes(utf8Bytes(r.serialized.baseline))}; with \`{ isFactoryFunction: true }\`: shim ${bytes(f.shim)}, baseline ${bytes(f.baseline)}. ` +
              `The baseline \`require\`s ${r.serialized.baselineRequires.map((x) => `\`${x}\``).join(", ")}; everything else it references is copied in ` +
              "— except the entries of module-level `Map`s (the field schemas, the category table, the pacing gates), which the serializer writes as empty objects. " +
              "A working copy would be larger still; the missing entries are why it fails through the host (below).",
        "",
        stateFileTable(r),
        "",
        `Baseline through the host (\`preview\`, N = ${b.n}): ${b.ok ? "succeeded" : `**fails** — \`${b.error ?? "unknown error"}\``}.`,
        "",
        "### 3. check + diff cost per resource",
        "",
        inProcessTable(r),
        "",
        hostTable(r),
        "",
        "### 4. Wall time to apply N new profiles",
        "",
        applyTable(r),
    ].join("\n");
}

function machineBlock(m: MachineInfo, totalMs: number, loadAtEnd: number): string {
    return [
        "```text",
        `date:    ${m.date}`,
        `node:    ${m.node}`,
        `cpu:     ${m.cpuModel}`,
        `cores:   ${m.cores}`,
        `memory:  ${m.memoryGiB} GiB`,
        `os:      ${m.os}`,
        `load:    ${m.loadAtStart} at the start, ${loadAtEnd} at the end (1-minute load average; the machine is shared)`,
        `run:     ${ms(totalMs)} for the whole npm run bench`,
        "```",
    ].join("\n");
}

const HOW_TO_READ = `## How to read this

Everything is measured in one \`npm run bench\` run (\`bench/run.ts\`), through the same pieces as the
tests: the fixture program \`tools/harness/fixtures/soak\` (N \`WhatsAppNumberProfile\`s) run by the engine-side
harness (\`tools/harness\`: the real SDK closure serializer and the real dynamic-provider host over
gRPC) against the local emulator. Nothing here is a pass/fail threshold; the tests are.

1. **Calls per operation.** Each cell is *PUTs the emulator received / Create + Update gRPC calls to
   the host*. The ideal is 0 for a preview and a no-op \`up\`, N for creating N, and k when k
   profiles changed. ⚠ marks a cell that differs from the ideal. Each column is one stack taken
   through the six operations in order.
2. **\`__provider\`.** The text the SDK serializes into every resource's \`__provider\` input (and the host
   copies into its outputs), measured with \`pulumi.runtime.serializeFunction(() => provider,
   { allowSecrets: true })\` — the call \`dynamic.Resource\` makes, so the shim's figure is exactly what
   the state records. The *baseline* is the straightforward design: the real provider object
   (\`new KaleyraProfileProvider()\`) serialized the same way, so its code and everything it references
   is copied in. "Per resource in state" counts the JSON-escaped text twice (inputs and outputs), as
   the state file stores it. The state-file table measures the harness's state file (pretty-printed
   JSON, like a checkpoint) for the shim; the baseline's is derived from it by swapping the
   \`__provider\` texts, because the baseline cannot run through the host (see the line under it).
3. **check + diff.** In-process: the provider's own cost, on the real provider object (best of 3
   rounds of up to 20,000 calls). Through the host: a \`preview\` of an applied stack with nothing
   changed (N Check + N Diff gRPC calls; fastest of 3 runs). Its wall time includes fixed costs
   (program child start, closure serialization, host start), so *ms / resource* falls with N;
   *marginal* is the growth over the smallest N divided by the added resources — the cost per
   resource once start-up is paid (at N = 100 the growth is small next to the run-to-run noise). Host CPU and peak RSS (\`VmHWM\`) are read from \`/proc\` for the
   host process the harness spawns (CPU includes its start-up; sampled every 20 ms, so the last few
   ms may be missing). Wall times move with the machine's load (see the machine block); call
   counts and sizes do not.
4. **Apply wall time.** New stacks of N profiles against the emulator with a fixed latency per request
   and \`kaleyra:maxConcurrency\` = 8. *PUT phase* runs from the first request's arrival to the last
   one's answer. *Ideal*, for every row: \`ceil(N / maxConcurrency) × latency\` — every slot busy
   all the time, each profile sent once, no 429 — so for the rows with injected 429s (seeded: the
   same count every run) the ratio is what rate limiting costs on top. *Nothing in flight* is the
   part of the PUT phase with no request outstanding: for the 429 rows, the account-wide pauses (each
   429 holds every request to the account for max(Retry-After, that request's jittered backoff)).
   *Whole \`up\`* adds the program, host start, checks and state writes.
`;

/** RESULTS.md: title, how to read, the tables, the machine. */
export function renderResultsFile(r: BenchResults): string {
    return [
        "# Benchmark results",
        "",
        "Written by `npm run bench` (bench/run.ts); the last run's figures. Re-run to refresh.",
        "",
        HOW_TO_READ,
        "## Results",
        "",
        renderTables(r),
        "",
        "## Machine",
        "",
        machineBlock(r.machine, r.totalMs, r.loadAtEnd),
        "",
    ].join("\n");
}
