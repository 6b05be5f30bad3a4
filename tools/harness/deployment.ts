/**
 * The step generator and executor of `preview` / `up`: turns each wave of registrations into
 * Check → Diff → Create/Update/Replace/Same with the old state, answers the program with the
 * resource's outputs after its step, and at the end computes the deletes.
 */
import { HostCallError, ProviderHost } from "./host";
import { Limiter } from "./limit";
import { Responder } from "./program";
import { Registration } from "./protocol";
import { Recorder } from "./recorder";
import { DeleteCandidate } from "./deletes";
import { JsonObject, ResourceState, StepRecord } from "./types";
import { annotateSecrets, applyIgnoreChanges, changedKeys, markSecret, toProviderMap } from "./wire";

const DYNAMIC_TYPE_PREFIX = "pulumi-nodejs:dynamic";

/** The engine's decision for an existing resource. */
type Decision = { op: "same" } | { op: "update" } | { op: "replace"; replaces: string[]; deleteBeforeReplace: boolean };

interface Checked {
    reg: Registration;
    old?: ResourceState;
    /** Checked inputs, wire form (secrets re-annotated from the program's inputs). */
    inputs: JsonObject;
}

/** One `preview` or `up` in progress. */
export class Deployment {
    private readonly olds = new Map<string, ResourceState>();
    private readonly pendingDeletes: ResourceState[] = [];
    private readonly seen = new Set<string>();
    private readonly transferred = new Set<ResourceState>();
    private readonly recorded: ResourceState[] = [];
    private readonly replaced: ResourceState[] = [];
    /** Set once a check or step fails: later waves are rejected and no deletes run. */
    failed = false;

    /**
     * @param prior the resources of the state before the operation
     * @param host the provider host
     * @param limit the concurrency limiter
     * @param recorder where steps go
     * @param dryRun preview: Check and Diff only
     */
    constructor(
        prior: ResourceState[],
        private readonly host: ProviderHost,
        private readonly limit: Limiter,
        private readonly recorder: Recorder,
        private readonly dryRun: boolean,
    ) {
        for (const r of prior) {
            if (r.delete) {
                this.pendingDeletes.push(r);
            } else {
                this.olds.set(r.urn, r);
            }
        }
    }

    /** Handles one wave: all Checks first; any failure stops the wave (and the deployment) before any step. */
    async onWave(regs: Registration[], respond: Responder): Promise<void> {
        if (this.failed) {
            for (const r of regs) {
                respond.reject(r.seq, "the update was stopped by an earlier failure");
            }
            return;
        }
        const invalid: Registration[] = [];
        for (const r of regs) {
            if (this.validate(r)) {
                invalid.push(r);
            }
            this.seen.add(r.urn);
        }
        const checks = await Promise.all(regs.filter((r) => !invalid.includes(r)).map((r) => this.limit(() => this.check(r))));
        if (invalid.length > 0 || checks.some((c) => c === undefined)) {
            this.failed = true;
            for (const r of regs) {
                respond.reject(r.seq, `resource ${r.urn} was not processed: the update has invalid resources`);
            }
            return;
        }
        await Promise.all((checks as Checked[]).map((c) => this.limit(() => this.step(c, respond))));
    }

    /** Records an error and returns true if the harness cannot process this registration. */
    private validate(r: Registration): boolean {
        let error: string | undefined;
        if (this.seen.has(r.urn)) {
            error = `Duplicate resource URN '${r.urn}'; try giving it a unique name`;
        } else if (!r.type.startsWith(DYNAMIC_TYPE_PREFIX)) {
            error = `unsupported resource type ${r.type}: the harness drives only dynamic resources`;
        } else if (r.options.provider !== "") {
            error = `explicit provider references are not supported by the harness (${r.options.provider})`;
        } else if (r.options.importId !== "") {
            error = "import is not supported (nor does it work for dynamic resources: pulumi/pulumi#16175)";
        }
        if (error !== undefined) {
            this.recorder.error(`${r.urn}: ${error}`);
        }
        return error !== undefined;
    }

    /** Check, with olds = old inputs (none when new), news = program inputs (ignoreChanges applied). */
    private async check(reg: Registration, ignoreOld = false): Promise<Checked | undefined> {
        const old = ignoreOld ? undefined : this.olds.get(reg.urn);
        const news = old ? applyIgnoreChanges(reg.inputs, old.inputs, reg.options.ignoreChanges) : reg.inputs;
        try {
            const resp = await this.host.check({
                urn: reg.urn,
                name: reg.name,
                type: reg.type,
                olds: old ? toProviderMap(old.inputs) : {},
                news: toProviderMap(news),
                oldOutputs: old ? toProviderMap(old.outputs) : undefined,
            });
            if (resp.failures.length > 0) {
                for (const f of resp.failures) {
                    this.recorder.checkFailures.push({ urn: reg.urn, name: reg.name, property: f.property, reason: f.reason });
                }
                return undefined;
            }
            return { reg, old: this.olds.get(reg.urn), inputs: annotateSecrets(resp.inputs, news) };
        } catch (e) {
            this.recorder.error(`check ${reg.urn}: ${(e as Error).message}`);
            return undefined;
        }
    }

    private baseState(c: Checked): ResourceState {
        const o = c.reg.options;
        return {
            urn: c.reg.urn,
            type: c.reg.type,
            name: c.reg.name,
            id: "",
            inputs: c.inputs,
            outputs: {},
            parent: o.parent || undefined,
            dependencies: o.dependencies,
            protect: o.protect,
            deleteBeforeReplace: o.deleteBeforeReplace,
            ignoreChanges: o.ignoreChanges.length > 0 ? o.ignoreChanges : undefined,
            replaceOnChanges: o.replaceOnChanges.length > 0 ? o.replaceOnChanges : undefined,
            additionalSecretOutputs: o.additionalSecretOutputs.length > 0 ? o.additionalSecretOutputs : undefined,
            retainOnDelete: o.retainOnDelete || undefined,
        };
    }

    private outputsOf(props: JsonObject, c: Checked): JsonObject {
        return markSecret(annotateSecrets(props, c.inputs), c.reg.options.additionalSecretOutputs);
    }

    private stepRecord(c: Checked, op: StepRecord["op"]): Pick<StepRecord, "urn" | "name" | "type" | "op"> {
        return { urn: c.reg.urn, name: c.reg.name, type: c.reg.type, op };
    }

    private async step(c: Checked, respond: Responder): Promise<void> {
        if (!c.old) {
            await this.create(c, respond);
            return;
        }
        const old = c.old;
        this.transferred.add(old);
        let decision: Decision;
        try {
            decision = await this.decide(c, old);
        } catch (e) {
            this.fail(c, "update", (e as Error).message, respond);
            this.recorded.push(old);
            return;
        }
        if (decision.op === "same") {
            this.recorded.push({ ...this.baseState(c), id: old.id, outputs: old.outputs });
            this.recorder.step({ ...this.stepRecord(c, "same"), status: "done", id: old.id });
            respond.answer(c.reg.seq, old.id, old.outputs);
        } else if (decision.op === "update") {
            await this.update(c, old, respond);
        } else {
            await this.replace(c, old, decision.replaces, decision.deleteBeforeReplace, respond);
        }
    }

    /** Diff (olds = old outputs, oldInputs = old inputs, news = checked inputs) and the engine's decision. */
    private async decide(c: Checked, old: ResourceState): Promise<Decision> {
        const ignore = c.reg.options.ignoreChanges;
        const diff = await this.host.diff({
            urn: c.reg.urn,
            name: c.reg.name,
            type: c.reg.type,
            id: old.id,
            olds: toProviderMap(old.outputs),
            oldInputs: toProviderMap(old.inputs),
            news: toProviderMap(c.inputs),
            ignoreChanges: ignore,
        });
        let changes = diff.changes;
        let keys = diff.changedKeys;
        if (changes === "unknown") {
            // The engine's fallback: compare old and new inputs.
            keys = changedKeys(old.inputs, applyIgnoreChanges(c.inputs, old.inputs, ignore));
            changes = keys.length > 0 ? "some" : "none";
        }
        const roc = c.reg.options.replaceOnChanges;
        const replaces = [...diff.replaces, ...keys.filter((k) => !diff.replaces.includes(k) && (roc.includes(k) || roc.includes("*")))];
        if (changes === "some") {
            if (replaces.length > 0) {
                return { op: "replace", replaces, deleteBeforeReplace: c.reg.options.deleteBeforeReplace ?? diff.deleteBeforeReplace };
            }
            return { op: "update" };
        }
        return old.initErrors && old.initErrors.length > 0 ? { op: "update" } : { op: "same" };
    }

    private async create(c: Checked, respond: Responder, op: "create" | "replace" = "create", extra: Partial<StepRecord> = {}): Promise<boolean> {
        if (this.dryRun) {
            this.recorder.step({ ...this.stepRecord(c, op), ...extra, status: "planned" });
            respond.answer(c.reg.seq, "", c.inputs);
            return true;
        }
        try {
            const resp = await this.host.create({ urn: c.reg.urn, name: c.reg.name, type: c.reg.type, properties: toProviderMap(c.inputs) });
            if (!resp.id) {
                throw new Error("provider did not return an ID from Create");
            }
            const outputs = this.outputsOf(resp.properties, c);
            this.recorded.push({ ...this.baseState(c), id: resp.id, outputs });
            this.recorder.step({ ...this.stepRecord(c, op), ...extra, status: "done", id: resp.id });
            respond.answer(c.reg.seq, resp.id, outputs);
            return true;
        } catch (e) {
            const init = e instanceof HostCallError ? e.initFailure : undefined;
            if (init) {
                this.recorded.push({ ...this.baseState(c), id: init.id, outputs: this.outputsOf(init.properties, c), initErrors: init.reasons });
            }
            this.fail(c, op, (e as Error).message, respond, extra);
            return false;
        }
    }

    private async update(c: Checked, old: ResourceState, respond: Responder): Promise<void> {
        if (this.dryRun) {
            this.recorder.step({ ...this.stepRecord(c, "update"), status: "planned", id: old.id });
            respond.answer(c.reg.seq, old.id, c.inputs);
            return;
        }
        try {
            const resp = await this.host.update({
                urn: c.reg.urn,
                name: c.reg.name,
                type: c.reg.type,
                id: old.id,
                olds: toProviderMap(old.outputs),
                oldInputs: toProviderMap(old.inputs),
                news: toProviderMap(c.inputs),
                ignoreChanges: c.reg.options.ignoreChanges,
            });
            const outputs = this.outputsOf(resp.properties, c);
            this.recorded.push({ ...this.baseState(c), id: old.id, outputs });
            this.recorder.step({ ...this.stepRecord(c, "update"), status: "done", id: old.id });
            respond.answer(c.reg.seq, old.id, outputs);
        } catch (e) {
            const init = e instanceof HostCallError ? e.initFailure : undefined;
            this.recorded.push(init ? { ...this.baseState(c), id: old.id, outputs: this.outputsOf(init.properties, c), initErrors: init.reasons } : old);
            this.fail(c, "update", (e as Error).message, respond, { id: old.id });
        }
    }

    private async replace(c: Checked, old: ResourceState, replaces: string[], deleteBeforeReplace: boolean, respond: Responder): Promise<void> {
        const extra = { replaces, deleteBeforeReplace };
        if (c.reg.options.protect && old.protect) {
            this.recorded.push(old);
            this.fail(c, "replace", `unable to replace resource "${c.reg.urn}" as it is currently marked for protection`, respond, extra);
            return;
        }
        // Like the engine: re-Check without the old inputs, since the replacement is a fresh resource.
        const rechecked = await this.check(c.reg, true);
        if (!rechecked) {
            this.recorded.push(old);
            this.fail(c, "replace", "check of the replacement failed", respond, extra);
            return;
        }
        if (this.dryRun) {
            await this.create(rechecked, respond, "replace", extra);
            return;
        }
        if (deleteBeforeReplace) {
            if (!old.retainOnDelete) {
                try {
                    await this.host.delete({ urn: old.urn, name: old.name, type: old.type, id: old.id, properties: toProviderMap(old.outputs), oldInputs: toProviderMap(old.inputs) });
                } catch (e) {
                    this.recorded.push(old);
                    this.fail(c, "replace", `delete before replace failed: ${(e as Error).message}`, respond, extra);
                    return;
                }
            }
            await this.create(rechecked, respond, "replace", extra);
            return;
        }
        if (await this.create(rechecked, respond, "replace", extra)) {
            this.replaced.push({ ...old, delete: true });
        } else {
            this.recorded.push(old);
        }
    }

    private fail(c: Checked, op: StepRecord["op"], error: string, respond: Responder, extra: Partial<StepRecord> = {}): void {
        this.failed = true;
        this.recorder.step({ ...this.stepRecord(c, op), ...extra, status: "failed", error });
        respond.reject(c.reg.seq, `${op} of ${c.reg.urn} failed: ${error}`);
    }

    /** What to delete once the program has finished successfully. */
    deleteCandidates(): DeleteCandidate[] {
        const gone = [...this.olds.values()].filter((r) => !this.seen.has(r.urn));
        return [
            ...this.pendingDeletes.map((res) => ({ res, op: "delete-replaced" as const })),
            ...this.replaced.map((res) => ({ res, op: "delete-replaced" as const })),
            ...gone.map((res) => ({ res, op: "delete" as const })),
        ];
    }

    /**
     * The resources to record: everything this run produced, plus every prior resource it did not
     * process (or failed to delete), plus replaced resources still awaiting deletion.
     * @param deleted resources that were deleted successfully
     */
    resources(deleted: ReadonlySet<ResourceState> = new Set()): ResourceState[] {
        const untouched = [...this.olds.values()].filter((r) => !this.transferred.has(r) && !deleted.has(r));
        return [
            ...this.recorded,
            ...untouched,
            ...this.replaced.filter((r) => !deleted.has(r)),
            ...this.pendingDeletes.filter((r) => !deleted.has(r)),
        ];
    }
}
