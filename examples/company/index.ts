/**
 * The company's WhatsApp support number, one per stack (dev, staging, prod).
 *
 * The shared profile text lives in `profile.ts`; this program adds the stack's own parts from
 * stack config (`Pulumi.<stack>.yaml` at the repository root):
 *
 *   kaleyra-whatsapp-numbers:supportNumber  required  the number, E.164 (the resource id)
 *   kaleyra-whatsapp-numbers:incomingUrl    required  the webhook for incoming messages
 *   kaleyra-whatsapp-numbers:address        optional  overrides the shared address
 *
 * Credentials are not read here: the provider reads `kaleyra:sid` / `kaleyra:apiKey` (or
 * KALEYRA_SID / KALEYRA_API_KEY) itself when it runs.
 */
import * as pulumi from "@pulumi/pulumi";
import { WhatsAppNumberProfile } from "pulumi-kaleyra-whatsapp";
import { profileFor } from "./profile";

const config = new pulumi.Config(); // the project's namespace: kaleyra-whatsapp-numbers

const support = new WhatsAppNumberProfile(
    "support",
    profileFor({
        supportNumber: config.require("supportNumber"),
        incomingUrl: config.require("incomingUrl"),
        address: config.get("address"),
    }),
);

/** The stack's support number (E.164); the resource's id. */
export const supportNumber = support.id;
/** The webhook Kaleyra delivers this number's incoming messages to. */
export const incomingUrl = support.incomingUrl;
/** Every number this stack manages, number → webhook. */
export const numbers = pulumi
    .all([support.id, support.incomingUrl])
    .apply(([number, url]): Record<string, string> => ({ [number]: url }));
