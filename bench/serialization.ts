/**
 * What `__provider` costs: the one-line shim new resources record (contract 2), against the
 * straightforward design (the real provider object serialized by the SDK, its code and everything
 * it references copied in).
 */
import * as pulumi from "@pulumi/pulumi";
import { KaleyraProfileProvider } from "pulumi-kaleyra-whatsapp/provider";

import { PROVIDER_SHIM } from "../provider/contract/shim";

/** The text of each design. */
export interface SerializedProviders {
    /** The shim (contract/shim.ts): what lands in state. */
    readonly shim: string;
    /** `new KaleyraProfileProvider()`, serialized as `dynamic.Resource` does it; `""` when the serializer refuses it (see {@link baselineError}). */
    readonly baseline: string;
    /** Why the serializer refused the baseline (its first line), when it did. */
    readonly baselineError?: string;
}

/** Bytes of a string as UTF-8. */
export function utf8Bytes(text: string): number {
    return Buffer.byteLength(text, "utf8");
}

/** The shim, and the baseline serialized with `dynamic.Resource`'s call, `serializeFunction(() => provider, { allowSecrets: true })`. */
export async function serializeProviders(): Promise<SerializedProviders> {
    // The captured variable is called `provider`, as in the SDK, because its name is part of the text.
    const provider = new KaleyraProfileProvider();
    try {
        const serialized = await pulumi.runtime.serializeFunction(() => provider, { allowSecrets: true });
        return { shim: PROVIDER_SHIM, baseline: serialized.text };
    } catch (e) {
        // The serializer gives up on some code (e.g. a closure over a `const` declared after it).
        const message = e instanceof Error ? e.message : String(e);
        const lines = message.split("\n").map((l) => l.trim());
        const at = lines.findIndex((l) => l.includes("could not be serialized"));
        return { shim: PROVIDER_SHIM, baseline: "", baselineError: at >= 0 ? `${lines[at]} ${lines[at + 1] ?? ""}`.trim() : lines[0] };
    }
}
