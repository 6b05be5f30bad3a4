/** Builds the JSON body of `PUT /v1/<sid>/whatsapp/number` from a checked profile. */

import type { NumberUpdateBody } from "./client";
import { FIELD_LIST, ProfileFieldName, WA_NUMBER_KEY } from "../contract/fields";
import type { ProfileInputs } from "../contract/types";

/**
 * `wa_number` first, then the fields in the contract's order with Kaleyra's snake_case keys.
 * @param only send just these fields (an update's changes); all set fields when omitted.
 */
export function requestBody(profile: ProfileInputs, only?: readonly ProfileFieldName[]): NumberUpdateBody {
    const body: Record<string, string> = { [WA_NUMBER_KEY]: profile.waNumber };
    for (const field of FIELD_LIST) {
        const value = profile[field.name];
        if (value !== undefined && (only === undefined || only.includes(field.name))) body[field.key] = value;
    }
    return body as NumberUpdateBody;
}
