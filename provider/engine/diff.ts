/**
 * `diff`: what an update must change. A different number is a different resource (replace);
 * a changed, added or removed field is an update; otherwise nothing happens and no call is made.
 */

import { FIELD_NAMES, ProfileFieldName } from "../contract/fields";
import type { ProfileFields } from "../contract/types";

/** The difference between the recorded profile and the desired one. */
export interface ProfileDiff {
    /** Whether anything differs. */
    readonly changes: boolean;
    /** Properties whose change needs a new resource: `["waNumber"]` or none. */
    readonly replaces: string[];
    /** Fields to send: set in the desired profile and different from (or absent in) the recorded one. */
    readonly changed: ProfileFieldName[];
    /** Fields no longer in the program: they stop being managed; Kaleyra keeps their values. */
    readonly removed: ProfileFieldName[];
}

type Profile = Readonly<ProfileFields & { waNumber?: unknown }> | Readonly<Record<string, unknown>>;

/** Compare the recorded profile (`olds`) with the desired one (`news`). */
export function diffProfile(olds: Profile, news: Profile): ProfileDiff {
    const old = olds as Readonly<Record<string, unknown>>;
    const next = news as Readonly<Record<string, unknown>>;
    const replaces = old.waNumber !== next.waNumber ? ["waNumber"] : [];
    const changed = FIELD_NAMES.filter((name) => next[name] !== undefined && next[name] !== old[name]);
    const removed = FIELD_NAMES.filter((name) => next[name] === undefined && old[name] !== undefined);
    return { changes: replaces.length + changed.length + removed.length > 0, replaces, changed, removed };
}
