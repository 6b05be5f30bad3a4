/**
 * `pulumi-kaleyra-whatsapp/provider`: the engine side, for embedding and tests — the provider
 * class, its check / diff / request steps, the Kaleyra client, settings and errors, plus the shared
 * field table and field rules. A Pulumi program does not need this (the host loads it through the
 * runtime entry point); import it from here so the package root stays free of the HTTP client and
 * validation libraries.
 * @packageDocumentation
 */

export { profileProvider } from "../program/shim";
export type { ProfileProviderShim } from "../program/shim";
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
export type { CertificateAuthorities } from "./agents";
export { proxyFor, matchesNoProxy } from "./proxy-env";
export type { Environment, ProxyRoute } from "./proxy-env";
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
export { Redaction, REDACTED } from "./errors";
export type { KaleyraErrorBody, KaleyraErrorDetails, RequestTarget } from "./errors";
export {
    BUSINESS_CATEGORIES,
    PROFILE_FIELDS,
    FIELD_NAMES,
    WA_NUMBER_KEY,
    canonicalBusinessCategory,
    matchBusinessCategory,
} from "../contract/fields";
export type { BusinessCategory, FieldSpec, ProfileFieldKey, ProfileFieldName } from "../contract/fields";
export { checkFieldValue, checkWaNumberValue, ruleMessage, COUNTRY_CALLING_CODES } from "../contract/rules";
export type { RuleCode, RuleFailure, RuleOk, RuleResult } from "../contract/rules";
export type { WhatsAppNumberProfileArgs, ProfileInputs, ProfileOutputs, ProfileFields } from "../contract/types";
