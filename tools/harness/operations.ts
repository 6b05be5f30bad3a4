/**
 * The four operations: `preview`, `up` (program + host), `refresh`, `destroy` (host only).
 */
import { Deployment } from "./deployment";
import { DeleteCandidate, runDeletes } from "./deletes";
import { ProviderHost, startHost } from "./host";
import { createLimiter } from "./limit";
import { ProgramOutcome, ProgramRun, runProgram } from "./program";
import { Recorder } from "./recorder";
import { readState, writeState } from "./state";
import { JsonObject, Operation, OperationOptions, OperationResult, ResourceState, StackRef, StackState } from "./types";
import { annotateSecrets, deepEqual, makeSecret, toProviderMap } from "./wire";

const DEFAULT_PARALLEL = 16;
const DEFAULT_TIMEOUT_MS = 120_000;
const DEFAULT_SETTLE_MS = 50;

/** The Configure args for a stack config: namespaced keys, secrets wrapped (what the engine sends dynamic providers). */
export function configureArgs(config: StackRef["config"]): JsonObject {
    const args: JsonObject = {};
    for (const [k, v] of Object.entries(config)) {
        args[k] = typeof v === "string" ? v : makeSecret(v.secret);
    }
    return args;
}

async function startConfiguredHost(stack: StackRef): Promise<ProviderHost> {
    const host = await startHost({ projectDir: stack.projectDir, project: stack.project, stack: stack.stack, env: stack.env });
    try {
        await host.configure(configureArgs(stack.config));
    } catch (e) {
        await host.stop();
        throw e;
    }
    return host;
}

/** Starts the host for refresh/destroy; on failure records the error and returns undefined. */
async function startOrFail(stack: StackRef, recorder: Recorder): Promise<ProviderHost | undefined> {
    try {
        return await startConfiguredHost(stack);
    } catch (e) {
        recorder.error(`provider host failed: ${(e as Error).message}`);
        return undefined;
    }
}

/** Kills the host (failing its pending calls) if the operation runs past its time limit. */
function stopOnTimeout(host: ProviderHost, recorder: Recorder, operation: Operation, timeoutMs = DEFAULT_TIMEOUT_MS): NodeJS.Timeout {
    return setTimeout(() => {
        recorder.error(`${operation} timed out after ${timeoutMs} ms`);
        void host.stop();
    }, timeoutMs);
}

function stateOf(stack: StackRef, resources: ResourceState[], outputs: JsonObject): StackState {
    return { version: 1, project: stack.project, stack: stack.stack, resources, outputs };
}

/**
 * Runs `preview` (`dryRun`) or `up`: the program in a child process, the host, waves of
 * Check → Diff → steps, then (after a fully successful program) the deletes.
 */
async function deploy(stack: StackRef, opts: OperationOptions, dryRun: boolean): Promise<OperationResult> {
    const startedAt = Date.now();
    const operation: Operation = dryRun ? "preview" : "up";
    const prior = readState(stack.stateFile, stack.project, stack.stack);
    const recorder = new Recorder();
    const limit = createLimiter(opts.parallel ?? DEFAULT_PARALLEL);
    const timeoutMs = opts.timeoutMs ?? DEFAULT_TIMEOUT_MS;

    const hostP = startConfiguredHost(stack);
    const deploymentP = hostP.then((host) => new Deployment(prior.resources, host, limit, recorder, dryRun));
    deploymentP.catch(() => undefined); // observed below
    const checkpoint = (d: Deployment): void => {
        if (!dryRun) {
            writeState(stack.stateFile, stateOf(stack, d.resources(), prior.outputs));
        }
    };
    const run: ProgramRun = runProgram({ stack, dryRun, settleMs: opts.settleMs ?? DEFAULT_SETTLE_MS, timeoutMs }, async (regs, respond) => {
        let d: Deployment;
        try {
            d = await deploymentP;
        } catch (e) {
            for (const r of regs) {
                respond.reject(r.seq, `provider host unavailable: ${(e as Error).message}`);
            }
            return;
        }
        await d.onWave(regs, respond);
        checkpoint(d);
    });
    const timer = setTimeout(() => {
        recorder.error(`${operation} timed out after ${timeoutMs} ms`);
        run.kill();
        void hostP.then((h) => h.stop(), () => undefined);
    }, timeoutMs);

    let host: ProviderHost | undefined;
    try {
        const outcome: ProgramOutcome = await run.outcome;
        let d: Deployment;
        try {
            host = await hostP;
            d = await deploymentP;
        } catch (e) {
            recorder.error(`provider host failed: ${(e as Error).message}`);
            return recorder.result({ operation, outputs: prior.outputs, hostLog: "", programLog: run.log(), startedAt, state: prior });
        }
        if (!outcome.ok && !d.failed) {
            recorder.error(`program failed: ${outcome.error}`);
        }
        const completed = outcome.ok && !d.failed && recorder.ok;
        const deleted = new Set<ResourceState>();
        if (completed) {
            const candidates = d.deleteCandidates();
            const survivors = new Set(await runDeletes({ host, limit, recorder, dryRun }, candidates));
            for (const c of candidates) {
                if (!survivors.has(c)) {
                    deleted.add(c.res);
                }
            }
        }
        const outputs = outcome.ok && !d.failed ? outcome.outputs : prior.outputs;
        const state = dryRun ? prior : stateOf(stack, d.resources(deleted), outputs);
        if (!dryRun) {
            writeState(stack.stateFile, state);
        }
        return recorder.result({
            operation,
            calls: host.calls,
            outputs: outcome.ok ? outcome.outputs : prior.outputs,
            hostLog: host.log(),
            programLog: run.log(),
            startedAt,
            state,
        });
    } finally {
        clearTimeout(timer);
        run.kill();
        await hostP.then((h) => h.stop(), () => undefined);
    }
}

/**
 * `pulumi preview`: runs the program and calls only Check and Diff. Steps are `planned`; the program
 * sees, as the engine gives it, old outputs for unchanged resources, the checked inputs as outputs of
 * updated/new ones, and unknown IDs for new ones. The state file is not written.
 */
export function preview(stack: StackRef, opts: OperationOptions = {}): Promise<OperationResult> {
    return deploy(stack, opts, true);
}

/**
 * `pulumi up`: runs the program; for each batch of registrations, Check all (any failure stops the
 * update before anything is applied), then Diff and Create / Update / Replace / nothing; after the
 * program succeeded, Delete what left the program and the old halves of replacements. Writes the state
 * file after each batch and at the end.
 */
export function up(stack: StackRef, opts: OperationOptions = {}): Promise<OperationResult> {
    return deploy(stack, opts, false);
}

/**
 * `pulumi refresh` (without running the program): Read for every resource in state; an empty ID means
 * the resource is gone and it leaves the state; otherwise its outputs (and inputs, if Read returned
 * them) are replaced. Steps: `same`, `update` (changed), `delete` (gone), or a failed `read`.
 */
export async function refresh(stack: StackRef, opts: OperationOptions = {}): Promise<OperationResult> {
    const startedAt = Date.now();
    const prior = readState(stack.stateFile, stack.project, stack.stack);
    const recorder = new Recorder();
    const limit = createLimiter(opts.parallel ?? DEFAULT_PARALLEL);
    const host = await startOrFail(stack, recorder);
    if (!host) {
        return recorder.result({ operation: "refresh", outputs: prior.outputs, hostLog: "", programLog: "", startedAt, state: prior });
    }
    const timer = stopOnTimeout(host, recorder, "refresh", opts.timeoutMs);
    try {
        const refreshed = await Promise.all(prior.resources.map((r) => limit(() => refreshOne(host, recorder, r))));
        const resources = refreshed.filter((r): r is ResourceState => r !== undefined);
        const state = stateOf(stack, resources, prior.outputs);
        writeState(stack.stateFile, state);
        return recorder.result({ operation: "refresh", calls: host.calls, outputs: prior.outputs, hostLog: host.log(), programLog: "", startedAt, state });
    } finally {
        clearTimeout(timer);
        await host.stop();
    }
}

async function refreshOne(host: ProviderHost, recorder: Recorder, r: ResourceState): Promise<ResourceState | undefined> {
    const base = { urn: r.urn, name: r.name, type: r.type };
    try {
        const resp = await host.read({ urn: r.urn, name: r.name, type: r.type, id: r.id, properties: toProviderMap(r.outputs), inputs: toProviderMap(r.inputs) });
        if (!resp.id) {
            recorder.step({ ...base, op: "delete", status: "done", id: r.id });
            return undefined;
        }
        const outputs = annotateSecrets(resp.properties, r.outputs);
        const inputs = resp.inputs ? annotateSecrets(resp.inputs, r.inputs) : r.inputs;
        const changed = resp.id !== r.id || !deepEqual(outputs, r.outputs) || !deepEqual(inputs, r.inputs);
        recorder.step({ ...base, op: changed ? "update" : "same", status: "done", id: resp.id });
        return { ...r, id: resp.id, outputs, inputs };
    } catch (e) {
        recorder.step({ ...base, op: "read", status: "failed", id: r.id, error: (e as Error).message });
        return r;
    }
}

/**
 * `pulumi destroy` (without running the program): Delete every resource in state, dependents first;
 * resources whose Delete failed (or was skipped after a failure) stay in state. Stack outputs are
 * cleared once the state is empty.
 */
export async function destroy(stack: StackRef, opts: OperationOptions = {}): Promise<OperationResult> {
    const startedAt = Date.now();
    const prior = readState(stack.stateFile, stack.project, stack.stack);
    const recorder = new Recorder();
    const limit = createLimiter(opts.parallel ?? DEFAULT_PARALLEL);
    const host = await startOrFail(stack, recorder);
    if (!host) {
        return recorder.result({ operation: "destroy", outputs: prior.outputs, hostLog: "", programLog: "", startedAt, state: prior });
    }
    const timer = stopOnTimeout(host, recorder, "destroy", opts.timeoutMs);
    try {
        const candidates: DeleteCandidate[] = prior.resources.map((res) => ({ res, op: res.delete ? "delete-replaced" : "delete" }));
        const survivors = new Set((await runDeletes({ host, limit, recorder, dryRun: false }, candidates)).map((c) => c.res));
        const resources = prior.resources.filter((r) => survivors.has(r));
        const state = stateOf(stack, resources, resources.length === 0 ? {} : prior.outputs);
        writeState(stack.stateFile, state);
        return recorder.result({ operation: "destroy", calls: host.calls, outputs: state.outputs, hostLog: host.log(), programLog: "", startedAt, state });
    } finally {
        clearTimeout(timer);
        await host.stop();
    }
}
