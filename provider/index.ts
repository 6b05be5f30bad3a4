/**
 * pulumi-kaleyra-whatsapp: manage Kaleyra WhatsApp Business number profiles with Pulumi.
 *
 * ```ts
 * import { WhatsAppNumberProfile } from "pulumi-kaleyra-whatsapp";
 * new WhatsAppNumberProfile("support", { waNumber: "+919876543210", about: "Open 9-6, Mon-Sat" });
 * ```
 * @packageDocumentation
 */

export { WhatsAppNumberProfile } from "./resource";
export type { WhatsAppNumberProfileArgs, ProfileInputs, ProfileOutputs, ProfileFields } from "./types";

export { profileProvider } from "./shim";
export type { ProfileProviderShim } from "./shim";
export { dispatch, RUNTIME_CONTRACT } from "./runtime";
export type { ProviderMethod } from "./runtime";
export { KaleyraProfileProvider, outputsOf } from "./provider";
export type { KaleyraProfileProviderOptions } from "./provider";

export { checkProfile, UNKNOWN } from "./check";
export type { CheckFailure, ProfileCheck } from "./check";
export { diffProfile } from "./diff";
export type { ProfileDiff } from "./diff";
export { requestBody } from "./request";

export { KaleyraClient } from "./client";
export type { KaleyraClientOptions, NumberUpdateBody, RetryEvent, UpdateResult } from "./client";
export { resolveSettings, REGION_ORIGINS, SETTING_KEYS, DEFAULTS } from "./config";
export type { ConfigSource, KaleyraRegion, KaleyraSettings } from "./config";
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
export type { KaleyraErrorBody, KaleyraErrorDetails, RequestTarget } from "./errors";
export {
    BUSINESS_CATEGORIES,
    PROFILE_FIELDS,
    FIELD_NAMES,
    WA_NUMBER_KEY,
    canonicalBusinessCategory,
    matchBusinessCategory,
} from "./fields";
export type { BusinessCategory, FieldSpec, ProfileFieldKey, ProfileFieldName } from "./fields";
