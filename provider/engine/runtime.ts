/**
 * `pulumi-kaleyra-whatsapp/runtime`: the entry point every serialized `__provider` requires at run
 * time. This is a contract with every `__provider` ever written to a state file; change it only
 * compatibly, and when the shape of state must change, add a contract and keep serving the old ones.
 *
 * - Contract 2 (what new resources record, contract/shim.ts): `__provider` is
 *   `exports.handler = () => require("pulumi-kaleyra-whatsapp/runtime").provider(2)`; the host calls
 *   `handler()` once per process and uses the provider it returns.
 * - Contract 1 (0.1.0's state): `__provider` is an object serialized by the SDK whose seven methods
 *   each call `dispatch(1, this, method, args)`. Its text stays in a resource's outputs until the
 *   resource is next updated, so it is served for as long as such state may exist.
 */

import * as fs from "node:fs";
import * as path from "node:path";

import { SHIM_CONTRACT } from "../contract/shim";
import { KaleyraProfileProvider } from "./provider";

/** The contracts this runtime serves, oldest first; the last is what new resources record. */
export const RUNTIME_CONTRACTS: readonly number[] = [1, SHIM_CONTRACT];

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
 * The error for a `__provider` written against a contract this runtime does not serve: names that
 * contract, the installed version and the contracts it serves, and what to do.
 */
export function contractMismatchError(contract: unknown): Error {
    const version = installedVersion();
    const newest = RUNTIME_CONTRACTS[RUNTIME_CONTRACTS.length - 1];
    const installed = `the installed ${PACKAGE}${version ? ` ${version}` : ""} serves contracts ${RUNTIME_CONTRACTS.join(" and ")}`;
    const fix =
        typeof contract === "number" && Number.isInteger(contract) && contract > newest
            ? `It was written by a newer ${PACKAGE}: upgrade the package in the program's directory (npm install ${PACKAGE}@latest) and run the command again.`
            : `Install a version of ${PACKAGE} that supports contract ${String(contract)} in the program's directory and run the command again.`;
    return new Error(`This resource's __provider was written for ${PACKAGE} provider contract ${String(contract)}, but ${installed}. ${fix}`);
}

/**
 * Contract 2: the provider for a `__provider` of that contract. The host calls this once per
 * distinct `__provider` text in a process, then `configure` with the stack's config.
 * @param contract the contract the `__provider` was written against.
 */
export function provider(contract: number): KaleyraProfileProvider {
    if (contract !== SHIM_CONTRACT) throw contractMismatchError(contract);
    return new KaleyraProfileProvider();
}

/** The operations a contract-1 shim forwards. */
export type ProviderMethod = "configure" | "check" | "diff" | "create" | "read" | "update" | "delete";

/** One real provider per contract-1 shim object (the host keeps one shim per distinct `__provider`). */
const providers = new WeakMap<object, KaleyraProfileProvider>();

/** The provider behind a contract-1 shim, created on first use. */
function providerFor(shim: object): KaleyraProfileProvider {
    let found = providers.get(shim);
    if (!found) {
        found = new KaleyraProfileProvider();
        providers.set(shim, found);
    }
    return found;
}

/**
 * Contract 1: run one operation for a shim.
 * @param contract the contract version the shim was written against.
 * @param shim the deserialized shim (its identity keys the provider and its config).
 * @param method the operation.
 * @param args the operation's arguments, as the host passed them.
 */
export async function dispatch(contract: number, shim: object, method: ProviderMethod, args: unknown[]): Promise<unknown> {
    if (contract !== 1) throw contractMismatchError(contract);
    const target = providerFor(shim);
    const operation = target[method] as (...a: unknown[]) => Promise<unknown>;
    return operation.apply(target, args);
}
