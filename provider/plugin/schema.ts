/**
 * The `kaleyra` package schema, generated from the one field table (contract/fields.ts) and the
 * settings table (engine/config.ts): the plugin serves it from `GetSchema`, and the SDKs under
 * `sdk/` are generated from it (`npm run sdk:gen`). Nothing here is written by hand per field.
 */

import { FIELD_LIST, FieldSpec, BUSINESS_CATEGORIES } from "../contract/fields";
import { DEFAULTS, SETTING_KEYS } from "../engine/config";

/** The package name: the first part of every type token and of every config key. */
export const PACKAGE_NAME = "kaleyra";

/** The resource's type token. */
export const PROFILE_TOKEN = `${PACKAGE_NAME}:index:WhatsAppNumberProfile`;

/** The Go import path of the generated SDK (module `sdk/go.mod`). */
export const GO_IMPORT_BASE_PATH = "github.com/pulumi-kaleyra-whatsapp/sdk/go/kaleyra";

/** The npm name of the generated Node.js SDK (`sdk/nodejs`, packed by `npm run sdk:pack`). */
export const NODEJS_PACKAGE_NAME = "@pulumi-kaleyra-whatsapp/kaleyra";

/**
 * Where Pulumi's CLI downloads the plugin when a program needs a version that is not installed:
 * the release's assets, named `pulumi-resource-kaleyra-v<version>-<os>-<arch>.tar.gz` as
 * `npm run plugin:package` writes them. `${VERSION}` is filled in by the CLI. A mirror (or a test's
 * local server) stands in for it with `PULUMI_PLUGIN_DOWNLOAD_URL_OVERRIDES`.
 */
export const PLUGIN_DOWNLOAD_URL = "https://github.com/pulumi-kaleyra-whatsapp/pulumi-kaleyra-whatsapp/releases/download/v${VERSION}";

/** A property in a Pulumi package schema (the subset this package uses). */
export interface SchemaProperty {
    readonly type: "string" | "integer";
    readonly description: string;
    readonly secret?: boolean;
    readonly replaceOnChanges?: boolean;
}

/** The Pulumi package schema of `kaleyra` (the subset this package uses). */
export interface PackageSchema {
    readonly name: string;
    readonly displayName: string;
    readonly version: string;
    readonly pluginDownloadURL: string;
    readonly description: string;
    readonly keywords: readonly string[];
    readonly license: string;
    readonly config: { readonly variables: Record<string, SchemaProperty> };
    readonly provider: {
        readonly description: string;
        readonly properties: Record<string, SchemaProperty>;
        readonly inputProperties: Record<string, SchemaProperty>;
    };
    readonly resources: Record<
        string,
        {
            readonly description: string;
            readonly properties: Record<string, SchemaProperty>;
            readonly required: readonly string[];
            readonly inputProperties: Record<string, SchemaProperty>;
            readonly requiredInputs: readonly string[];
        }
    >;
    readonly language: Record<string, Record<string, unknown>>;
}

const SETTING_DESCRIPTIONS: Record<keyof typeof SETTING_KEYS, { type: SchemaProperty["type"]; text: string }> = {
    sid: { type: "string", text: "The Kaleyra account SID (it goes in the request path)." },
    apiKey: { type: "string", text: "The Kaleyra API key. Secret: set it with `pulumi config set --secret kaleyra:apiKey`." },
    region: { type: "string", text: `Kaleyra's region: in, ap, eu or na (default ${DEFAULTS.region}).` },
    endpoint: { type: "string", text: "An API origin that overrides the region, e.g. a local emulator's http://127.0.0.1:4010." },
    timeoutMs: { type: "integer", text: `The timeout of one request, in ms (default ${DEFAULTS.timeoutMs}).` },
    maxRetries: { type: "integer", text: `Retries after the first attempt, for 429, 5xx and network failures (default ${DEFAULTS.maxRetries}).` },
    retryTimeoutMs: { type: "integer", text: `The most time one operation may take, retries and waits included, in ms (default ${DEFAULTS.retryTimeoutMs}).` },
    maxConcurrency: { type: "integer", text: `Requests in flight at once per endpoint and SID (default ${DEFAULTS.maxConcurrency}).` },
};

/** The provider settings as schema properties: the same keys and env fallbacks as the dynamic resource. */
function settingProperties(): Record<string, SchemaProperty> {
    const out: Record<string, SchemaProperty> = {};
    for (const [name, key] of Object.entries(SETTING_KEYS) as [keyof typeof SETTING_KEYS, (typeof SETTING_KEYS)[keyof typeof SETTING_KEYS]][]) {
        const { type, text } = SETTING_DESCRIPTIONS[name];
        out[name] = {
            type,
            description: `${text} Falls back to the ${key.env} environment variable.`,
            ...(name === "apiKey" ? { secret: true } : {}),
        };
    }
    return out;
}

/** What a field's description adds to the table's one-liner: the syntax and the limits. */
function fieldDescription(spec: FieldSpec): string {
    const what = spec.description.charAt(0).toUpperCase() + spec.description.slice(1);
    switch (spec.kind) {
        case "category":
            return `${what}: ${BUSINESS_CATEGORIES.join("; ")}. Normalized to Kaleyra's spelling.`;
        case "url":
            return `${what}: an http(s) URL of at most ${spec.max} characters.`;
        case "email":
            return `${what}: an ASCII address of at most ${spec.max} characters.`;
        default:
            return `${what}, ${spec.min}–${spec.max} characters.`;
    }
}

/** The resource's properties: `waNumber` (replaces) and every editable field. */
function profileProperties(): Record<string, SchemaProperty> {
    const out: Record<string, SchemaProperty> = {
        waNumber: {
            type: "string",
            description:
                "The WhatsApp number in E.164 form (`+`, country code, at most 15 digits), e.g. `+919876543210`. The resource's id; changing it replaces the resource.",
            replaceOnChanges: true,
        },
    };
    for (const spec of FIELD_LIST) {
        out[spec.name] = {
            type: "string",
            description: `${fieldDescription(spec)} Never empty and no whitespace at either end; leave it out to leave Kaleyra's value as it is.`,
        };
    }
    return out;
}

/**
 * The package schema for a plugin of the given version.
 * @param version the plugin's semver, without a leading `v`.
 */
export function packageSchema(version: string): PackageSchema {
    const settings = settingProperties();
    const profile = profileProperties();
    return {
        name: PACKAGE_NAME,
        displayName: "Kaleyra",
        version,
        pluginDownloadURL: PLUGIN_DOWNLOAD_URL,
        description: "Kaleyra WhatsApp Business number profiles, managed as code.",
        keywords: ["pulumi", "kaleyra", "whatsapp", "category/utility", "kind/native"],
        license: "Apache-2.0",
        config: { variables: settings },
        provider: {
            description: "The Kaleyra provider. Every setting also has a `kaleyra:<name>` stack config key and a `KALEYRA_*` environment variable.",
            properties: { sid: settings.sid!, region: settings.region!, endpoint: settings.endpoint! },
            inputProperties: settings,
        },
        resources: {
            [PROFILE_TOKEN]: {
                description:
                    "One Kaleyra WhatsApp Business number's public profile and its incoming-message webhook, applied with `PUT /v1/<sid>/whatsapp/number`.\n\n" +
                    "This resource cannot be deleted and cannot be read: Kaleyra has no API that deletes a number, clears a field or returns a profile. " +
                    "`pulumi destroy` forgets the number and leaves its profile as it is; a field removed from the program stops being managed and keeps its value.",
                properties: profile,
                required: ["waNumber"],
                inputProperties: profile,
                requiredInputs: ["waNumber"],
            },
        },
        language: {
            go: { importBasePath: GO_IMPORT_BASE_PATH, generateResourceContainerTypes: false, respectSchemaVersion: true },
            nodejs: { packageName: NODEJS_PACKAGE_NAME, packageDescription: "The kaleyra Pulumi provider's SDK: Kaleyra WhatsApp Business number profiles.", respectSchemaVersion: true },
            python: { packageName: "pulumi_kaleyra", respectSchemaVersion: true },
            csharp: { rootNamespace: "PulumiKaleyra" },
        },
    };
}
