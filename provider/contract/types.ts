/**
 * The shapes that cross module boundaries: what a program passes, what `check` produces, and
 * what the provider records in state.
 */

import type * as pulumi from "@pulumi/pulumi";

import type { ProfileFieldName } from "./fields";

/** The editable profile fields as plain strings, all optional. */
export type ProfileFields = { [K in ProfileFieldName]?: string };

/** The arguments of a `WhatsAppNumberProfile` in a Pulumi program. */
export interface WhatsAppNumberProfileArgs {
    /** The WhatsApp number in E.164 form (`+`, country code, at most 15 digits), e.g. `+919876543210`. The resource's id; changing it replaces the resource. */
    waNumber: pulumi.Input<string>;
    /**
     * The profile's "About" text, 1–139 characters. Every field: no whitespace at either end, never
     * empty (leave it out instead); the full rules are in docs/whatsapp-number-profile.md.
     */
    about?: pulumi.Input<string>;
    /** The business's address, at most 256 characters. */
    address?: pulumi.Input<string>;
    /** A description of the business, at most 512 characters. */
    businessDescription?: pulumi.Input<string>;
    /** One of Kaleyra's 17 business categories, exactly, in any case (normalized to Kaleyra's spelling), e.g. `Hotel and Lodging`. */
    businessCategory?: pulumi.Input<string>;
    /** The contact email, an ASCII address of at most 128 characters, e.g. `help@example.com`. */
    contactEmail?: pulumi.Input<string>;
    /** The business's website, an http(s) URL of at most 256 characters (percent-encode spaces and non-ASCII). */
    website?: pulumi.Input<string>;
    /** The profile picture: an http(s) URL of a JPEG or PNG (≤ 5 MB, 640×640 recommended). Cannot be empty. */
    displayImage?: pulumi.Input<string>;
    /** The webhook URL where Kaleyra delivers incoming messages for this number, http(s), at most 256 characters. */
    incomingUrl?: pulumi.Input<string>;
}

/** The resource's inputs once resolved and checked: plain strings, normalized. */
export interface ProfileInputs extends ProfileFields {
    /** The number in E.164 form. */
    waNumber: string;
}

/** What the provider records in state: exactly the managed fields as applied, never `undefined`. */
export type ProfileOutputs = ProfileInputs;
