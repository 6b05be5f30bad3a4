/**
 * Runs a program without any provider host and returns what it registered: type, name, URN, the
 * inputs exactly as the SDK serialized them (`__provider` included, secrets wrapped) and options —
 * for tests that inspect registrations (e.g. the size or content of `__provider`).
 */
import { runProgram } from "./program";
import { Registration } from "./protocol";
import { readState } from "./state";
import { JsonObject, OperationOptions, StackRef } from "./types";
import { containsSecret, unwrapSecrets } from "./wire";

/** What {@link collect} returns. */
export interface CollectResult {
    /** True when the program finished without error. */
    ok: boolean;
    /** The program's error, if any. */
    error?: string;
    /** Every custom-resource registration, in registration order. */
    registrations: Registration[];
    /** Stack outputs, plain JSON (may contain the `UNKNOWN` sentinel). */
    outputs: JsonObject;
    /** Names of secret stack outputs. */
    secretOutputs: string[];
    /** The program's stdout and stderr. */
    programLog: string;
}

/**
 * Runs the program as in a preview, but answers each registration itself, without a provider: with
 * the recorded ID and outputs when the stack's state has the URN, otherwise with an unknown ID and
 * the program's own inputs as outputs. Nothing is written.
 */
export async function collect(stack: StackRef, opts: OperationOptions = {}): Promise<CollectResult> {
    const state = readState(stack.stateFile, stack.project, stack.stack);
    const recorded = new Map(state.resources.filter((r) => !r.delete).map((r) => [r.urn, r]));
    const registrations: Registration[] = [];
    const run = runProgram({ stack, dryRun: true, settleMs: opts.settleMs ?? 50, timeoutMs: opts.timeoutMs ?? 120_000 }, async (regs, respond) => {
        for (const r of regs) {
            registrations.push(r);
            const old = recorded.get(r.urn);
            respond.answer(r.seq, old ? old.id : "", old ? old.outputs : r.inputs);
        }
    });
    const outcome = await run.outcome;
    const outputs = outcome.ok ? outcome.outputs : {};
    return {
        ok: outcome.ok,
        error: outcome.ok ? undefined : outcome.error,
        registrations,
        outputs: unwrapSecrets(outputs) as JsonObject,
        secretOutputs: Object.keys(outputs).filter((k) => containsSecret(outputs[k])),
        programLog: run.log(),
    };
}
