/**
 * The program side: what a Pulumi program loads to declare profiles. It needs the resource class,
 * the one-line `__provider` it registers (contract/shim.ts), and the shared contract (field table and
 * types) — nothing of the engine side (HTTP client, validation libraries) or the emulator, which the
 * provider host loads through `pulumi-kaleyra-whatsapp/runtime` when it runs an operation.
 */

export { WhatsAppNumberProfile } from "./resource";
export type { WhatsAppNumberProfileArgs, ProfileInputs, ProfileOutputs, ProfileFields } from "../contract/types";
