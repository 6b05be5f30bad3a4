/**
 * The company's WhatsApp support profile.
 *
 * The text customers see is defined once, in `SHARED_PROFILE`, and is the same in every stack:
 * a change to it goes to dev, then staging, then prod, by the same program. Only the stack's own
 * parts differ — the number, the webhook and, where a stack needs it, the address — and those come
 * from stack config (see `index.ts`).
 *
 * This module is pure: no Pulumi runtime, no config reads, and only a type import from the
 * package, so a test can call `profileFor` directly.
 */
import type { WhatsAppNumberProfileArgs } from "pulumi-kaleyra-whatsapp";

/** The profile text every environment shares. */
export const SHARED_PROFILE = {
    about: "Booking help 9am-6pm IST, Mon-Sat",
    address: "567, 2nd Phase, JP Nagar, Bangalore 560078",
    businessDescription:
        "Example Stays help desk: new bookings, changes, cancellations and invoices for Example Stays hotels.",
    businessCategory: "Hotel and Lodging",
    website: "https://www.example.com",
    contactEmail: "support@example.com",
    displayImage: "https://cdn.example.com/whatsapp/support-640x640.jpg",
} as const satisfies Partial<WhatsAppNumberProfileArgs>;

/** What one stack says about its own support number (its stack config). */
export interface StackNumber {
    /** The stack's support number, E.164, e.g. `+919876543210`. It is the resource's id. */
    readonly supportNumber: string;
    /** Where Kaleyra delivers this stack's incoming messages. */
    readonly incomingUrl: string;
    /** This stack's address, when it is not the shared one. */
    readonly address?: string;
}

/** The resource arguments `profileFor` returns: plain strings, every field set. */
export type SupportProfileArgs = WhatsAppNumberProfileArgs & {
    readonly waNumber: string;
    readonly incomingUrl: string;
} & { readonly [K in keyof typeof SHARED_PROFILE]: string };

/**
 * The support number's profile for one stack: the shared text, plus the stack's number, webhook
 * and (if it has one) address. Values are passed through as they are; the provider checks them
 * (E.164, URLs, lengths, the category) at `pulumi preview`.
 */
export function profileFor(env: StackNumber): SupportProfileArgs {
    return {
        ...SHARED_PROFILE,
        address: env.address ?? SHARED_PROFILE.address,
        waNumber: env.supportNumber,
        incomingUrl: env.incomingUrl,
    };
}
