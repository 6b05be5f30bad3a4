/**
 * One WhatsApp Business number's profile, with the least configuration: the number and the
 * webhook come from stack config, the rest is written here.
 *
 *   kaleyra-whatsapp-minimal:waNumber     required  the number, E.164 (the resource id)
 *   kaleyra-whatsapp-minimal:incomingUrl  required  the webhook for incoming messages
 *
 * The provider reads its own settings (kaleyra:sid, kaleyra:apiKey, kaleyra:region or
 * kaleyra:endpoint, or the KALEYRA_* environment variables) when it runs; nothing here passes
 * credentials.
 */
import * as pulumi from "@pulumi/pulumi";
import { WhatsAppNumberProfile } from "pulumi-kaleyra-whatsapp";

const config = new pulumi.Config();

const profile = new WhatsAppNumberProfile("profile", {
    waNumber: config.require("waNumber"),
    incomingUrl: config.require("incomingUrl"),
    about: "Replies within one business day",
});

/** The managed number (E.164); the resource's id. */
export const waNumber = profile.id;
/** Where Kaleyra delivers the number's incoming messages. */
export const incomingUrl = profile.incomingUrl;
