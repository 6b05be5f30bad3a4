/**
 * The per-property diff a native provider can return (the dynamic-provider host cannot): the
 * same {@link diffProfile} verdict, spelled per property so `pulumi preview` shows what it is —
 * `waNumber` replaces, a new field is an add, a changed one an update, and a field removed from
 * the program a delete (which makes no PUT: it stops being managed and Kaleyra keeps its value).
 */

import type { ProfileDiff } from "../engine/diff";

/** What happens to one property. */
export type PropertyChange = "add" | "update" | "delete" | "update-replace";

/**
 * The property-by-property form of a profile diff.
 * @param olds the recorded properties.
 * @param diff the verdict of `diffProfile(olds, news)`.
 * @returns each changed property and its change, in a stable order (`waNumber` first).
 */
export function detailedDiff(olds: Readonly<Record<string, unknown>>, diff: ProfileDiff): Record<string, PropertyChange> {
    const out: Record<string, PropertyChange> = {};
    for (const name of diff.replaces) out[name] = "update-replace";
    for (const name of diff.changed) out[name] = olds[name] === undefined ? "add" : "update";
    for (const name of diff.removed) out[name] = "delete";
    return out;
}
