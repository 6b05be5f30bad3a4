/**
 * pulumi-kaleyra-whatsapp: manage Kaleyra WhatsApp Business number profiles with Pulumi.
 *
 * ```ts
 * import { WhatsAppNumberProfile } from "pulumi-kaleyra-whatsapp";
 * new WhatsAppNumberProfile("support", { waNumber: "+919876543210", about: "Open 9-6, Mon-Sat" });
 * ```
 *
 * The root is the program side only: the resource, its types and the categories. It loads none of
 * the engine side (HTTP client, validation libraries) or the emulator; those are the subpaths
 * `pulumi-kaleyra-whatsapp/provider` (the provider class, settings, errors, the field table),
 * `/emulator` and `/runtime` (the entry point the serialized `__provider` loads in the host).
 * tests/package.test.ts checks, from the packed tarball, that requiring the root loads none of them.
 * @packageDocumentation
 */

export { WhatsAppNumberProfile } from "./program";
export type { WhatsAppNumberProfileArgs, ProfileInputs, ProfileOutputs, ProfileFields } from "./program";
export { BUSINESS_CATEGORIES, FIELD_NAMES } from "./contract/fields";
export type { BusinessCategory, ProfileFieldName } from "./contract/fields";
