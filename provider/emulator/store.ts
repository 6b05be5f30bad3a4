/**
 * The account's state: registered numbers and their profiles, in memory. Knows nothing about
 * HTTP or disk; every read returns a copy.
 */
import { FIELD_LIST, ProfileFieldKey } from "../contract/fields";
import { unregistrableNumber } from "../contract/messages";
import { checkWaNumberValue } from "../contract/rules";
import { NumberProfile } from "./types";

/** The state as persisted: registered numbers and their profiles. */
export interface StoreSnapshot {
    /** Format version. */
    version: 1;
    /** Profiles keyed by number (E.164), in registration order. */
    numbers: Record<string, NumberProfile>;
}

/** A copy of a profile with keys in a stable order: wa_number, then the contract's field order. */
function copyProfile(profile: NumberProfile): NumberProfile {
    const out: NumberProfile = { wa_number: profile.wa_number };
    for (const spec of FIELD_LIST) {
        const value = profile[spec.key];
        if (value !== undefined) out[spec.key] = value;
    }
    return out;
}

/**
 * Why a number cannot be registered, by the contract's E.164 rule — the rule every update's
 * `wa_number` must pass — or `undefined` when it can. (A shape-only check let `+999…` register,
 * and then every update to it failed.)
 */
export function numberProblem(waNumber: unknown): string | undefined {
    const verdict = checkWaNumberValue(waNumber);
    return verdict.ok ? undefined : unregistrableNumber(String(waNumber), verdict);
}

/**
 * Check that a number can be registered.
 * @throws RangeError when `waNumber` breaks the contract's E.164 rule, saying how.
 */
export function checkNumber(waNumber: string): void {
    const problem = numberProblem(waNumber);
    if (problem) throw new RangeError(problem);
}

/** Registered numbers and their profiles. */
export class ProfileStore {
    private readonly byNumber = new Map<string, NumberProfile>();

    /** True when `waNumber` is registered. */
    has(waNumber: string): boolean {
        return this.byNumber.has(waNumber);
    }

    /** A copy of the number's profile, or `undefined` when it is not registered. */
    get(waNumber: string): NumberProfile | undefined {
        const p = this.byNumber.get(waNumber);
        return p && copyProfile(p);
    }

    /** Copies of all profiles, keyed by number, in registration order. */
    all(): Record<string, NumberProfile> {
        const out: Record<string, NumberProfile> = {};
        for (const [n, p] of this.byNumber) out[n] = copyProfile(p);
        return out;
    }

    /**
     * Register a number (its profile starts empty). A known number keeps its profile.
     * @returns true when the number was new.
     * @throws RangeError when `waNumber` is not E.164.
     */
    register(waNumber: string): boolean {
        checkNumber(waNumber);
        if (this.byNumber.has(waNumber)) return false;
        this.byNumber.set(waNumber, { wa_number: waNumber });
        return true;
    }

    /**
     * Set fields of a registered number's profile; fields not given keep their values.
     * @throws Error when the number is not registered (nothing is changed then).
     */
    apply(waNumber: string, updates: Partial<Record<ProfileFieldKey, string>>): void {
        const p = this.byNumber.get(waNumber);
        if (!p) throw new Error(`${waNumber} is not registered`);
        Object.assign(p, updates);
    }

    /** Empty every registered number's profile (numbers stay registered). */
    clearProfiles(): void {
        for (const n of this.byNumber.keys()) this.byNumber.set(n, { wa_number: n });
    }

    /** The state to persist. */
    snapshot(): StoreSnapshot {
        return { version: 1, numbers: this.all() };
    }

    /** An independent copy: changing one leaves the other as it was. */
    clone(): ProfileStore {
        const copy = new ProfileStore();
        for (const [n, p] of this.byNumber) copy.byNumber.set(n, copyProfile(p));
        return copy;
    }

    /** Become a copy of `other` (numbers, order and profiles). */
    replaceWith(other: ProfileStore): void {
        this.byNumber.clear();
        for (const [n, p] of other.byNumber) this.byNumber.set(n, copyProfile(p));
    }

    /** Add a snapshot's numbers and profiles (replacing profiles of numbers already known). */
    load(snapshot: StoreSnapshot): void {
        for (const [n, p] of Object.entries(snapshot.numbers)) this.byNumber.set(n, copyProfile(p));
    }
}
