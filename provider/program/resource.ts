/** The `WhatsAppNumberProfile` resource a Pulumi program declares. */

import * as pulumi from "@pulumi/pulumi";

import { FIELD_NAMES } from "../contract/fields";
import { PROVIDER_KEY, PROVIDER_SHIM } from "../contract/shim";
import { plaintextApiKeyError } from "./plaintext-key";
import type { WhatsAppNumberProfileArgs } from "../contract/types";

/** The type token of a dynamic resource (what `dynamic.Resource` registers) of module `kaleyra`. */
const TYPE = "pulumi-nodejs:dynamic/kaleyra:WhatsAppNumberProfile";

/**
 * One Kaleyra WhatsApp Business number's public profile and webhook, applied with
 * `PUT /v1/<sid>/whatsapp/number`.
 *
 * - The id is the number (E.164); a different `waNumber` replaces the resource.
 * - Create sends every set field; update sends only the changed ones.
 * - Delete makes no call: Kaleyra cannot delete a number or clear a profile.
 * - Refresh returns the recorded state: Kaleyra has no API that reads a profile.
 *
 * Credentials come from `kaleyra:sid` / `kaleyra:apiKey` (or `KALEYRA_SID` / `KALEYRA_API_KEY`) at
 * run time; never pass them to the resource.
 *
 * Every field output is `undefined` when the program does not set that field (it is not managed).
 *
 * A dynamic resource, run by Pulumi's Node.js dynamic-provider host, like a `dynamic.Resource`; it
 * registers its `__provider` itself (contract/shim.ts), a one-line text instead of a serialized
 * object, because the engine rewrites the whole state after every step.
 */
export class WhatsAppNumberProfile extends pulumi.CustomResource {
    /** The number in E.164 form (also the resource's `id`). */
    declare public readonly waNumber: pulumi.Output<string>;
    /** The profile's "About" text. */
    declare public readonly about: pulumi.Output<string>;
    /** The business's address. */
    declare public readonly address: pulumi.Output<string>;
    /** The business description. */
    declare public readonly businessDescription: pulumi.Output<string>;
    /** The business category, in Kaleyra's spelling. */
    declare public readonly businessCategory: pulumi.Output<string>;
    /** The contact email. */
    declare public readonly contactEmail: pulumi.Output<string>;
    /** The website. */
    declare public readonly website: pulumi.Output<string>;
    /** The display image URL. */
    declare public readonly displayImage: pulumi.Output<string>;
    /** The webhook URL for incoming messages. */
    declare public readonly incomingUrl: pulumi.Output<string>;

    /**
     * @param name the Pulumi resource name (unique in the stack).
     * @param args the profile; only `waNumber` and at least one field are required.
     * @param opts the usual resource options.
     */
    constructor(name: string, args: WhatsAppNumberProfileArgs, opts?: pulumi.CustomResourceOptions) {
        const keyError = plaintextApiKeyError();
        if (keyError !== undefined) throw new Error(keyError);
        // Everything the program passed goes to check, so an unknown property (from JavaScript or
        // a config object) fails there instead of vanishing; and every known property is
        // registered, set or not, so each output exists on the resource.
        const props: Record<string, unknown> = { ...args };
        if (PROVIDER_KEY in props) throw new Error(`WhatsAppNumberProfile ${name}: ${PROVIDER_KEY} is the resource's own; remove it from the arguments.`);
        for (const field of ["waNumber", ...FIELD_NAMES]) if (!(field in props)) props[field] = undefined;
        props[PROVIDER_KEY] = PROVIDER_SHIM;
        super(TYPE, name, props, opts);
    }
}
