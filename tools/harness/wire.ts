/**
 * Wire-form property values: the JSON shape the SDK sends the engine and the engine sends providers.
 * Secrets are `{ [SIG_KEY]: SECRET_SIG, value }`, resource references `{ [SIG_KEY]: RESOURCE_SIG, urn, id? }`,
 * unknowns the string {@link UNKNOWN}.
 */
import { JsonObject, JsonValue, UNKNOWN } from "./types";

/** The key that marks a special wire object. */
export const SIG_KEY = "4dabf18193072939515e22adb298388d";
/** The signature of a secret. */
export const SECRET_SIG = "1b47061264138c4ac30d75fd1eb44270";
/** The signature of a resource reference. */
export const RESOURCE_SIG = "5cf8f73096256a8f31e491e813e4eb8e";

function isObject(v: JsonValue | undefined): v is JsonObject {
    return typeof v === "object" && v !== null && !Array.isArray(v);
}

/** True if `v` is a wrapped secret. */
export function isSecret(v: JsonValue | undefined): v is JsonObject {
    return isObject(v) && v[SIG_KEY] === SECRET_SIG;
}

/** Wraps `v` as a secret (unless it already is one). */
export function makeSecret(v: JsonValue): JsonObject {
    return isSecret(v) ? v : { [SIG_KEY]: SECRET_SIG, value: v };
}

/** True if `v` (at any depth) contains a secret. */
export function containsSecret(v: JsonValue | undefined): boolean {
    if (isSecret(v)) {
        return true;
    }
    if (Array.isArray(v)) {
        return v.some(containsSecret);
    }
    return isObject(v) && Object.values(v).some(containsSecret);
}

/**
 * What the engine sends a provider that accepts neither secrets nor resource references (the dynamic
 * provider host answers Configure with `acceptSecrets: false`): secrets unwrapped, resource references
 * replaced by their ID (custom resources) or URN (components).
 */
export function toProviderValue(v: JsonValue): JsonValue {
    if (Array.isArray(v)) {
        return v.map(toProviderValue);
    }
    if (!isObject(v)) {
        return v;
    }
    if (v[SIG_KEY] === SECRET_SIG) {
        return toProviderValue(v.value ?? null);
    }
    if (v[SIG_KEY] === RESOURCE_SIG) {
        const id = v.id;
        return typeof id === "string" && id !== "" ? id : (v.urn ?? null);
    }
    const out: JsonObject = {};
    for (const [k, e] of Object.entries(v)) {
        out[k] = toProviderValue(e);
    }
    return out;
}

/** {@link toProviderValue} for a property map. */
export function toProviderMap(m: JsonObject): JsonObject {
    return toProviderValue(m) as JsonObject;
}

/** Fully plain JSON: secrets unwrapped (resource references kept as they are). */
export function unwrapSecrets(v: JsonValue): JsonValue {
    if (Array.isArray(v)) {
        return v.map(unwrapSecrets);
    }
    if (!isObject(v)) {
        return v;
    }
    if (v[SIG_KEY] === SECRET_SIG) {
        return unwrapSecrets(v.value ?? null);
    }
    const out: JsonObject = {};
    for (const [k, e] of Object.entries(v)) {
        out[k] = unwrapSecrets(e);
    }
    return out;
}

/** A plain object value (not a secret or resource reference). */
function isPlainObject(v: JsonValue | undefined): v is JsonObject {
    return isObject(v) && v[SIG_KEY] === undefined;
}

/**
 * The engine's `annotateSecrets` (used because the host does not accept secrets): for each property
 * of `ins` also in `outs`, recurse when both are objects; otherwise, if the input contains a secret,
 * the whole output value becomes secret.
 */
export function annotateSecrets(outs: JsonObject, ins: JsonObject): JsonObject {
    const result: JsonObject = { ...outs };
    for (const [k, inValue] of Object.entries(ins)) {
        const outValue = result[k];
        if (outValue === undefined) {
            continue;
        }
        if (isPlainObject(outValue) && isPlainObject(inValue)) {
            result[k] = annotateSecrets(outValue, inValue);
        } else if (!isSecret(outValue) && containsSecret(inValue)) {
            result[k] = makeSecret(outValue);
        }
    }
    return result;
}

/** Marks the named top-level properties secret (the `additionalSecretOutputs` option). */
export function markSecret(m: JsonObject, keys: readonly string[]): JsonObject {
    const result: JsonObject = { ...m };
    for (const k of keys) {
        const v = result[k];
        if (v !== undefined) {
            result[k] = makeSecret(v);
        }
    }
    return result;
}

/** True if `v` (at any depth) contains an unknown. */
export function containsUnknown(v: JsonValue | undefined): boolean {
    if (v === UNKNOWN) {
        return true;
    }
    if (Array.isArray(v)) {
        return v.some(containsUnknown);
    }
    return isObject(v) && Object.values(v).some(containsUnknown);
}

/**
 * Deep equality of wire values, treating a `null` property like a missing one (as the engine's
 * property-map diff does).
 */
export function deepEqual(a: JsonValue | undefined, b: JsonValue | undefined): boolean {
    if (a === b) {
        return true;
    }
    if (Array.isArray(a) || Array.isArray(b)) {
        return Array.isArray(a) && Array.isArray(b) && a.length === b.length && a.every((e, i) => deepEqual(e, b[i]));
    }
    if (isObject(a) && isObject(b)) {
        return changedKeys(a, b).length === 0;
    }
    return false;
}

/** Top-level keys whose values differ between two property maps (`null` counts as missing). */
export function changedKeys(olds: JsonObject, news: JsonObject): string[] {
    const keys = new Set([...Object.keys(olds), ...Object.keys(news)]);
    const changed: string[] = [];
    for (const k of keys) {
        const o = olds[k] ?? null;
        const n = news[k] ?? null;
        if (!deepEqual(o, n)) {
            changed.push(k);
        }
    }
    return changed;
}

/**
 * The engine's `processIgnoreChanges` for top-level property names: each ignored property takes its
 * old value (or is removed if it had none). Nested property paths are not supported.
 */
export function applyIgnoreChanges(news: JsonObject, olds: JsonObject, ignoreChanges: readonly string[]): JsonObject {
    const result: JsonObject = { ...news };
    for (const k of ignoreChanges) {
        const old = olds[k];
        if (old === undefined) {
            delete result[k];
        } else {
            result[k] = old;
        }
    }
    return result;
}
