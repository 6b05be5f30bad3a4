/**
 * One stack of N profiles through its life: preview and up of a new stack, preview and up with
 * nothing changed, then ups with k profiles changed. Counts PUTs and gRPC calls per operation,
 * measures the state file and the provider host (time, CPU, memory).
 */
import * as path from "node:path";

import type { RunningEmulator } from "../provider/emulator";
import { makeProfiles, withChanged } from "../tools/programs/profiles/profiles";
import type { StackState } from "../tools/harness";
import { BenchStack, Measured } from "./stack";

/** The operations of a lifecycle, in the order they run. */
export const LIFECYCLE_STEPS = ["previewNew", "upNew", "previewSame", "upSame", "upChangeOne", "upChangeTen"] as const;

/** One operation of a lifecycle. */
export type LifecycleStep = (typeof LIFECYCLE_STEPS)[number];

/** The unchanged-stack preview is timed this many times; the fastest run is kept (background load only adds time). */
export const PREVIEW_REPEATS = 3;

/** The counts and costs of one operation. */
export interface StepFigures {
    /** Whether the operation succeeded. */
    readonly ok: boolean;
    /** PUTs the emulator received. */
    readonly puts: number;
    /** Create + Update gRPC calls to the host. */
    readonly createUpdate: number;
    /** Check gRPC calls. */
    readonly check: number;
    /** Diff gRPC calls. */
    readonly diff: number;
    /** Wall time of the whole operation (program, host start, every call), ms. */
    readonly durationMs: number;
    /** Host CPU time (user + system, including its start-up), ms, if measured. */
    readonly hostCpuMs?: number;
    /** Host peak RSS, bytes, if measured. */
    readonly hostPeakRssBytes?: number;
}

/** A lifecycle of one stack size. */
export interface LifecycleFigures {
    /** Profiles in the stack. */
    readonly n: number;
    /** Profiles changed by `upChangeOne` / `upChangeTen`. */
    readonly changed: { readonly upChangeOne: number; readonly upChangeTen: number };
    /** Per operation. */
    readonly steps: Record<LifecycleStep, StepFigures>;
    /** State file size after the first up, bytes. */
    readonly stateFileBytes: number;
    /** Bytes of that file taken by `__provider` (JSON-escaped, in inputs and outputs of every resource). */
    readonly providerBytesInState: number;
    /** Distinct `__provider` texts in the state (1: every resource shares the shim's text). */
    readonly distinctProviders: number;
    /** The `__provider` text recorded in state. */
    readonly recordedProvider: string;
}

/** Run `measure` `times` times (sequentially) and keep the fastest run. */
async function fastestOf(times: number, measure: () => Promise<StepFigures>): Promise<StepFigures> {
    let best: StepFigures | undefined;
    for (let i = 0; i < times; i++) {
        const run = await measure();
        if (!best || run.durationMs < best.durationMs) best = run;
    }
    return best as StepFigures;
}

function figures(m: Measured): StepFigures {
    const calls = m.result.grpcCalls;
    if (!m.result.ok) throw new Error(`${m.result.operation} failed: ${m.result.errors.slice(0, 3).join("; ")}`);
    return {
        ok: m.result.ok,
        puts: m.puts,
        createUpdate: calls.Create + calls.Update,
        check: calls.Check,
        diff: calls.Diff,
        durationMs: m.result.durationMs,
        hostCpuMs: m.host?.cpuMs,
        hostPeakRssBytes: m.host?.peakRssBytes,
    };
}

/** `__provider` bytes as the state file stores them (JSON-escaped), per resource, inputs and outputs. */
function providerBytes(state: StackState): { bytes: number; texts: Set<string> } {
    let bytes = 0;
    const texts = new Set<string>();
    for (const r of state.resources) {
        for (const props of [r.inputs, r.outputs]) {
            const text = props.__provider;
            if (typeof text === "string") {
                bytes += Buffer.byteLength(JSON.stringify(text), "utf8");
                texts.add(text);
            }
        }
    }
    return { bytes, texts };
}

/**
 * Run the lifecycle for `n` profiles.
 * @param emulator with at least `n` numbers registered, no faults.
 * @param dir a fresh directory.
 */
export async function runLifecycle(emulator: RunningEmulator, n: number, dir: string): Promise<LifecycleFigures> {
    const stack = new BenchStack(emulator, path.join(dir, `lifecycle-${n}`));
    const base = makeProfiles(n);
    const ten = Math.min(10, n);
    const steps: Partial<Record<LifecycleStep, StepFigures>> = {};

    stack.declare(base);
    steps.previewNew = figures(await stack.run("preview"));
    const created = await stack.run("up");
    steps.upNew = figures(created);
    const stateFileBytes = stack.stateFileBytes();
    const { bytes, texts } = providerBytes(created.result.state);
    steps.previewSame = await fastestOf(PREVIEW_REPEATS, async () => figures(await stack.run("preview")));
    steps.upSame = figures(await stack.run("up"));
    stack.declare(withChanged(base, 1, 1));
    steps.upChangeOne = figures(await stack.run("up"));
    stack.declare(withChanged(base, ten, 2));
    steps.upChangeTen = figures(await stack.run("up"));

    return {
        n,
        changed: { upChangeOne: 1, upChangeTen: ten },
        steps: steps as Record<LifecycleStep, StepFigures>,
        stateFileBytes,
        providerBytesInState: bytes,
        distinctProviders: texts.size,
        recordedProvider: [...texts][0] ?? "",
    };
}
