/**
 * Refuses a `kaleyra:apiKey` stored as plain stack config. Pulumi records the whole stack config as
 * the inputs of the default `pulumi-nodejs` provider in state, so a plaintext key would be written,
 * unencrypted, into `Pulumi.<stack>.yaml` and into every state file and backup (seen under the real
 * engine; the provider itself never sees whether a value was secret). Checked in the program,
 * before the first resource registers — so nothing is recorded — with the fix in the message.
 */
import * as pulumi from "@pulumi/pulumi";

/** The config key of the API key. */
const API_KEY = "kaleyra:apiKey";

/** Whether the stack config marks `key` as secret (the language host passes the secret keys beside the config). */
function isSecretConfig(key: string): boolean {
    // The SDK's own check (exported from its runtime, though not in its typings), with the
    // language host's environment variable as the fallback for other SDK versions.
    const runtime = require("@pulumi/pulumi/runtime/config") as { isConfigSecret?: (k: string) => boolean };
    if (typeof runtime.isConfigSecret === "function") return runtime.isConfigSecret(key);
    try {
        const keys: unknown = JSON.parse(process.env.PULUMI_CONFIG_SECRET_KEYS ?? "[]");
        return Array.isArray(keys) && keys.includes(key);
    } catch {
        return false;
    }
}

/** The part of the SDK's runtime state module read here (internal to the SDK, as `isConfigSecret` is). */
interface SdkState {
    getStore?: () => { config?: Record<string, string | undefined> };
}

let sdkState: SdkState | undefined;

/**
 * The text the verdict depends on: the stack config and its secret keys exactly as the language
 * host passed them (the SDK's store, which the Automation API replaces between runs of one
 * process), or `undefined` when this SDK does not expose them.
 */
function configText(): string | undefined {
    try {
        sdkState ??= require("@pulumi/pulumi/runtime/state") as SdkState;
        const config = sdkState.getStore?.().config;
        if (config === undefined) return undefined;
        return [config.PULUMI_CONFIG ?? "", config.PULUMI_CONFIG_SECRET_KEYS ?? "", process.env.PULUMI_CONFIG_SECRET_KEYS ?? ""].join("\u0000");
    } catch {
        return undefined;
    }
}

/** The last verdict and the config text it was reached on. */
let last: { readonly text: string; readonly error: string | undefined } | undefined;

/**
 * The error to raise when `kaleyra:apiKey` is set in plaintext, or `undefined` when it is unset or
 * blank (the key may come from `KALEYRA_API_KEY`) or secret. Every resource's constructor asks, so
 * the verdict is kept for as long as the config text it was reached on is unchanged (a program of
 * N profiles parses the config once, not N times); new config gets a new verdict.
 */
export function plaintextApiKeyError(): string | undefined {
    const text = configText();
    if (text !== undefined && last?.text === text) return last.error;
    const error = verdict();
    if (text !== undefined) last = { text, error };
    return error;
}

/** The verdict itself, from the config as the SDK parses it. */
function verdict(): string | undefined {
    const value = pulumi.runtime.allConfig()[API_KEY];
    if (value === undefined || value.trim() === "" || isSecretConfig(API_KEY)) return undefined;
    return (
        "kaleyra:apiKey is set as plain stack config: Pulumi would store it unencrypted in Pulumi.<stack>.yaml and in the stack's state. " +
        "Store it as a secret instead: `pulumi config set --secret kaleyra:apiKey <key>` (or leave it out and set KALEYRA_API_KEY in the environment)."
    );
}
