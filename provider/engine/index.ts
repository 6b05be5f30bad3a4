/**
 * `pulumi-kaleyra-whatsapp/provider`: what someone embedding the provider needs — the provider
 * class and its options, the settings, the error classes, and the field table and types. A Pulumi
 * program does not need this (the host loads the provider through `pulumi-kaleyra-whatsapp/runtime`);
 * import it from here so the package root stays free of the HTTP client and validation libraries.
 *
 * Every name here is a promise to keep; everything else in the package is internal and may change
 * in any release. CHANGELOG.md lists what left this API in 0.2.0.
 * @packageDocumentation
 */

export { KaleyraProfileProvider } from "./provider";
export type { KaleyraProfileProviderOptions } from "./provider";
export type { KaleyraClientOptions } from "./client";
export type { RetryEvent } from "./retry";

export { resolveSettings, SETTING_KEYS } from "./config";
export type { ConfigSource, KaleyraSettings, SettingName } from "./config";

export {
    KaleyraError,
    KaleyraConfigError,
    KaleyraValidationError,
    KaleyraAuthenticationError,
    KaleyraNotFoundError,
    KaleyraRateLimitError,
    KaleyraServerError,
    KaleyraNetworkError,
    KaleyraUnexpectedResponseError,
} from "./errors";

export { PROFILE_FIELDS } from "../contract/fields";
export type { FieldSpec, ProfileFieldName } from "../contract/fields";
export type { ProfileInputs, ProfileOutputs } from "../contract/types";
