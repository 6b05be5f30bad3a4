/**
 * The object serialized into every resource's `__provider`. It holds no provider code and no
 * configuration: each method hands its call to the installed package's runtime entry point
 * (engine/runtime.ts). So state stays small, upgrades cause no `__provider` churn, every operation —
 * even the delete of a resource recorded long ago — runs the installed code, and the API key
 * is read from the current stack config, never captured.
 *
 * Keep the methods free of references to anything but `require` and their arguments: the
 * serializer copies whatever they reference. `require` is never captured; in the provider host
 * it resolves from the program's directory.
 */

import type * as pulumi from "@pulumi/pulumi";

import type { ProfileInputs, ProfileOutputs } from "../contract/types";

/** The serialized provider's shape. */
export type ProfileProviderShim = pulumi.dynamic.ResourceProvider<ProfileInputs, ProfileOutputs>;

/** The serialized provider of `WhatsAppNumberProfile` (runtime contract 1). */
export const profileProvider: ProfileProviderShim = {
    configure(req) {
        return require("pulumi-kaleyra-whatsapp/runtime").dispatch(1, this, "configure", [req]);
    },
    check(olds, news) {
        return require("pulumi-kaleyra-whatsapp/runtime").dispatch(1, this, "check", [olds, news]);
    },
    diff(id, olds, news) {
        return require("pulumi-kaleyra-whatsapp/runtime").dispatch(1, this, "diff", [id, olds, news]);
    },
    create(inputs) {
        return require("pulumi-kaleyra-whatsapp/runtime").dispatch(1, this, "create", [inputs]);
    },
    read(id, props) {
        return require("pulumi-kaleyra-whatsapp/runtime").dispatch(1, this, "read", [id, props]);
    },
    update(id, olds, news) {
        return require("pulumi-kaleyra-whatsapp/runtime").dispatch(1, this, "update", [id, olds, news]);
    },
    delete(id, props) {
        return require("pulumi-kaleyra-whatsapp/runtime").dispatch(1, this, "delete", [id, props]);
    },
};
