/**
 * `pulumi-kaleyra-whatsapp/runtime`: the entry point the serialized shim requires at run time.
 *
 * This is a contract with every `__provider` ever written to a state file. A shim written
 * against contract 1 calls `dispatch(1, shim, method, args)` for each operation and expects
 * the provider to handle the inputs and outputs that version recorded. Change it only
 * compatibly; if the shape of state must change, add contract 2 and keep serving 1.
 */

import * as fs from "node:fs";
import * as path from "node:path";

import { KaleyraProfileProvider } from "./provider";

/** The contract version this package's shim is written against. */
export const RUNTIME_CONTRACT = 1;

const PACKAGE = "pulumi-kaleyra-whatsapp";

/** The installed package's version (from its package.json, two levels up in src and dist alike), or `undefined`. */
function installedVersion(): string | undefined {
    try {
        const manifest = JSON.parse(fs.readFileSync(path.join(__dirname, "..", "..", "package.json"), "utf8")) as { name?: unknown; version?: unknown };
        return manifest.name === PACKAGE && typeof manifest.version === "string" ? manifest.version : undefined;
    } catch {
        return undefined;
    }
}

/**
 * The error for a shim written against another contract: names both contracts, the installed
 * version, and what to do.
 */
export function contractMismatchError(contract: unknown): Error {
    const version = installedVersion();
    const installed = `the installed ${PACKAGE}${version ? ` ${version}` : ""} speaks contract ${RUNTIME_CONTRACT}`;
    const fix =
        typeof contract === "number" && Number.isInteger(contract) && contract > RUNTIME_CONTRACT
            ? `It was written by a newer ${PACKAGE}: upgrade the package in the program's directory (npm install ${PACKAGE}@latest) and run the command again.`
            : `Install a version of ${PACKAGE} that supports contract ${String(contract)} in the program's directory and run the command again.`;
    return new Error(`This resource's __provider was written for ${PACKAGE} provider contract ${String(contract)}, but ${installed}. ${fix}`);
}

/** The operations a shim forwards. */
export type ProviderMethod = "configure" | "check" | "diff" | "create" | "read" | "update" | "delete";

/** One real provider per shim object (the host keeps one shim per distinct `__provider`). */
const providers = new WeakMap<object, KaleyraProfileProvider>();

/** The provider behind a shim, created on first use. */
export function providerFor(shim: object): KaleyraProfileProvider {
    let provider = providers.get(shim);
    if (!provider) {
        provider = new KaleyraProfileProvider();
        providers.set(shim, provider);
    }
    return provider;
}

/**
 * Run one operation for a shim.
 * @param contract the contract version the shim was written against.
 * @param shim the deserialized shim (its identity keys the provider and its config).
 * @param method the operation.
 * @param args the operation's arguments, as the host passed them.
 */
export async function dispatch(contract: number, shim: object, method: ProviderMethod, args: unknown[]): Promise<unknown> {
    if (contract !== RUNTIME_CONTRACT) throw contractMismatchError(contract);
    const provider = providerFor(shim);
    const operation = provider[method] as (...a: unknown[]) => Promise<unknown>;
    return operation.apply(provider, args);
}
