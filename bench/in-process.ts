/**
 * `check` and `diff` measured in-process on the real provider object (no host, no gRPC): the
 * provider's own cost per resource.
 */
import { KaleyraProfileProvider, ProfileInputs } from "pulumi-kaleyra-whatsapp/provider";

import { makeProfiles } from "../tools/programs/profiles/profiles";

/** Microseconds per call. */
export interface InProcessFigures {
    /** `check` of a full profile (every field set). */
    readonly checkUs: number;
    /** `diff` of an unchanged profile. */
    readonly diffSameUs: number;
    /** `diff` with one field changed. */
    readonly diffChangedUs: number;
    /** Calls timed per round (at most; a round also stops after a time limit). */
    readonly calls: number;
    /** Rounds; each figure is the best round. */
    readonly rounds: number;
}

const ROUNDS = 3;

/**
 * Time `calls` awaited calls of `fn` (after `calls / 10` warm-up calls), stopping early after
 * `maxMs`; returns µs per call.
 */
async function timePerCall(fn: (i: number) => Promise<unknown>, calls: number, maxMs: number): Promise<number> {
    for (let i = 0; i < Math.ceil(calls / 10); i++) await fn(i);
    const started = process.hrtime.bigint();
    const deadline = started + BigInt(maxMs) * 1_000_000n;
    let done = 0;
    while (done < calls) {
        await fn(done++);
        if ((done & 255) === 0 && process.hrtime.bigint() > deadline) break;
    }
    return Number(process.hrtime.bigint() - started) / 1000 / done;
}

/** Measure check and diff on `profiles` distinct full profiles. */
export async function measureInProcess(calls = 20_000, profiles = 1000, maxMs = 3000): Promise<InProcessFigures> {
    const provider = new KaleyraProfileProvider();
    const inputs: ProfileInputs[] = makeProfiles(profiles).map((s) => ({ ...s.args }));
    const changed: ProfileInputs[] = inputs.map((p) => ({ ...p, about: `${p.about ?? ""} (changed)` }));
    const empty = {} as ProfileInputs;
    const at = (i: number) => i % profiles;

    const best = { checkUs: Infinity, diffSameUs: Infinity, diffChangedUs: Infinity };
    // Each figure is the best of a few rounds: the first round also pays for JIT warm-up.
    for (let round = 0; round < ROUNDS; round++) {
        best.checkUs = Math.min(best.checkUs, await timePerCall((i) => provider.check(empty, inputs[at(i)]), calls, maxMs));
        best.diffSameUs = Math.min(best.diffSameUs, await timePerCall((i) => provider.diff(inputs[at(i)].waNumber, inputs[at(i)], inputs[at(i)]), calls, maxMs));
        best.diffChangedUs = Math.min(
            best.diffChangedUs,
            await timePerCall((i) => provider.diff(inputs[at(i)].waNumber, inputs[at(i)], changed[at(i)]), calls, maxMs),
        );
    }
    return { ...best, calls, rounds: ROUNDS };
}
