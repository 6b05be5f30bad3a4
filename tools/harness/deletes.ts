/**
 * Deletes, as the engine schedules them: in rounds ("antichains") so that a resource is deleted only
 * after every condemned resource that depends on it (or is its child); each round runs concurrently;
 * after a round with a failure, later rounds are skipped.
 */
import { ProviderHost } from "./host";
import { Limiter } from "./limit";
import { Recorder } from "./recorder";
import { ResourceState } from "./types";
import { toProviderMap } from "./wire";

/** A resource to delete and how to report it. */
export interface DeleteCandidate {
    /** The resource (its recorded state). */
    res: ResourceState;
    /** `delete` for a resource gone from the program / destroy; `delete-replaced` for the old half of a replacement. */
    op: "delete" | "delete-replaced";
}

function dependsOn(a: ResourceState, b: ResourceState): boolean {
    return a.parent === b.urn || a.dependencies.includes(b.urn);
}

/** Orders deletions into rounds: dependents first, then what they depend on. */
export function scheduleDeletes(candidates: DeleteCandidate[]): DeleteCandidate[][] {
    const rounds: DeleteCandidate[][] = [];
    let left = [...candidates];
    while (left.length > 0) {
        const round = left.filter((c) => !left.some((d) => d !== c && d.res.urn !== c.res.urn && dependsOn(d.res, c.res)));
        const taken = round.length > 0 ? round : left; // a cycle (should not happen): take everything
        rounds.push(taken);
        left = left.filter((c) => !taken.includes(c));
    }
    return rounds;
}

/** What the deletes need. */
export interface DeleteContext {
    /** The provider host (unused in preview). */
    host: ProviderHost;
    /** Concurrency limit. */
    limit: Limiter;
    /** Where steps go. */
    recorder: Recorder;
    /** Preview: report planned deletes only. */
    dryRun: boolean;
}

/**
 * Runs the deletes; returns the candidates that still exist afterwards (failed or skipped), so the
 * caller keeps them in state.
 */
export async function runDeletes(ctx: DeleteContext, candidates: DeleteCandidate[]): Promise<DeleteCandidate[]> {
    const survivors: DeleteCandidate[] = [];
    let stopped = false;
    for (const round of scheduleDeletes(candidates)) {
        if (stopped) {
            for (const c of round) {
                ctx.recorder.step({ urn: c.res.urn, name: c.res.name, type: c.res.type, op: c.op, status: "skipped", id: c.res.id });
                survivors.push(c);
            }
            continue;
        }
        const results = await Promise.all(round.map((c) => ctx.limit(() => deleteOne(ctx, c))));
        round.forEach((c, i) => {
            if (!results[i]) {
                survivors.push(c);
                stopped = true;
            }
        });
    }
    return survivors;
}

/** Deletes one resource; true on success (or planned in preview). */
export async function deleteOne(ctx: DeleteContext, c: DeleteCandidate): Promise<boolean> {
    const { res } = c;
    const base = { urn: res.urn, name: res.name, type: res.type, op: c.op, id: res.id };
    if (res.protect) {
        const error = `unable to delete resource "${res.urn}" as it is currently marked for protection`;
        ctx.recorder.step({ ...base, status: "failed", error });
        return false;
    }
    if (ctx.dryRun) {
        ctx.recorder.step({ ...base, status: "planned" });
        return true;
    }
    if (!res.retainOnDelete) {
        try {
            await ctx.host.delete({
                urn: res.urn,
                name: res.name,
                type: res.type,
                id: res.id,
                properties: toProviderMap(res.outputs),
                oldInputs: toProviderMap(res.inputs),
            });
        } catch (e) {
            ctx.recorder.step({ ...base, status: "failed", error: (e as Error).message });
            return false;
        }
    }
    ctx.recorder.step({ ...base, status: "done" });
    return true;
}
