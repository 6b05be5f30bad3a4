/**
 * Several WhatsApp numbers from one structured config object, with shared defaults.
 *
 *   kaleyra-whatsapp-multiple-numbers:numbers   required  name → { number, incomingUrl?, about?, ... }
 *   kaleyra-whatsapp-multiple-numbers:defaults  optional  fields every number gets unless it sets its own
 *
 * See Pulumi.dev.yaml for the shape and numbers.ts for the rules. The provider reads its own
 * settings (kaleyra:sid, kaleyra:apiKey, kaleyra:region or kaleyra:endpoint, or KALEYRA_*).
 */
import * as pulumi from "@pulumi/pulumi";
import { WhatsAppNumberProfile } from "pulumi-kaleyra-whatsapp";
import { expandNumbers, type NumberEntry, type ProfileDefaults } from "./numbers";

const config = new pulumi.Config();

const declared = expandNumbers(
    config.requireObject<Record<string, NumberEntry>>("numbers"),
    config.getObject<ProfileDefaults>("defaults") ?? {},
).map(({ name, args }) => ({ name, profile: new WhatsAppNumberProfile(name, args) }));

/** Every managed number → its webhook ("" where the webhook is not managed). */
export const numbers = pulumi
    .all(declared.map(({ profile }) => pulumi.all([profile.id, profile.incomingUrl])))
    .apply((pairs) => Object.fromEntries(pairs.map(([number, url]) => [number, url ?? ""])));

/** Each entry's name → its number. */
export const names = pulumi.all(Object.fromEntries(declared.map(({ name, profile }) => [name, profile.id])));
