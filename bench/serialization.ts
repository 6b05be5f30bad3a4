/**
 * What `__provider` costs: the shim as the SDK serializes it, against the straightforward design
 * (the real provider object serialized, its code and everything it references copied in).
 */
import * as pulumi from "@pulumi/pulumi";
import { KaleyraProfileProvider, profileProvider } from "pulumi-kaleyra-whatsapp/provider";

/** The serialized text of each design. */
export interface SerializedProviders {
    /** The shim (`profileProvider`), serialized as `dynamic.Resource` does it: what lands in state. */
    readonly shim: string;
    /** `new KaleyraProfileProvider()`, serialized the same way; `""` when the serializer refuses it (see {@link baselineError}). */
    readonly baseline: string;
    /** Why the serializer refused the baseline (its first line), when it did. */
    readonly baselineError?: string;
    /** Sizes with `{ isFactoryFunction: true }` instead, for reference: shim, baseline (bytes; 0 when refused). */
    readonly factoryFunctionBytes: { readonly shim: number; readonly baseline: number };
    /** The module specifiers the baseline text `require`s (npm modules are not copied). */
    readonly baselineRequires: string[];
}

/** Bytes of a string as UTF-8. */
export function utf8Bytes(text: string): number {
    return Buffer.byteLength(text, "utf8");
}

/**
 * Serialize both designs. `dynamic.Resource` calls `serializeFunction(() => provider, { allowSecrets: true })`;
 * the same call is made here, so the shim's text matches the `__provider` recorded in state but for
 * the arrow function's spacing (this file is compiled by tsx, the SDK's by tsc).
 */
export async function serializeProviders(): Promise<SerializedProviders> {
    const baselineProvider = new KaleyraProfileProvider();
    // The captured variable is called `provider`, as in the SDK, because its name is part of the text.
    const sdkWay = (provider: object) => pulumi.runtime.serializeFunction(() => provider, { allowSecrets: true });
    const factoryWay = (provider: object) => pulumi.runtime.serializeFunction(() => provider, { isFactoryFunction: true });
    const [shim, shimFactory] = await Promise.all([sdkWay(profileProvider), factoryWay(profileProvider)]);
    let baseline: { text: string; factory: string } | { error: string };
    try {
        const [sdk, factory] = await Promise.all([sdkWay(baselineProvider), factoryWay(baselineProvider)]);
        baseline = { text: sdk.text, factory: factory.text };
    } catch (e) {
        // The serializer gives up on some code (e.g. a closure over a `const` declared after it).
        const message = e instanceof Error ? e.message : String(e);
        const lines = message.split("\n").map((l) => l.trim());
        const at = lines.findIndex((l) => l.includes("could not be serialized"));
        baseline = { error: at >= 0 ? `${lines[at]} ${lines[at + 1] ?? ""}`.trim() : lines[0] };
    }
    if ("error" in baseline) {
        return { shim: shim.text, baseline: "", baselineError: baseline.error, factoryFunctionBytes: { shim: utf8Bytes(shimFactory.text), baseline: 0 }, baselineRequires: [] };
    }
    const requires = [...new Set([...baseline.text.matchAll(/require\("([^"]+)"\)/g)].map((m) => m[1]))];
    return {
        shim: shim.text,
        baseline: baseline.text,
        factoryFunctionBytes: { shim: utf8Bytes(shimFactory.text), baseline: utf8Bytes(baseline.factory) },
        baselineRequires: requires,
    };
}
