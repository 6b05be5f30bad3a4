// WhatsApp number profiles on two Kaleyra accounts in one stack — a brand per account — through two
// explicit providers of the kaleyra plugin (the Node.js SDK, @pulumi-kaleyra-whatsapp/kaleyra).
// Each provider has its own SID and API key; each profile is applied by the provider it names, so
// every PUT goes to its own account with its own key. The keys are secret config, so they are
// encrypted in the state (as the providers' inputs) and never printed.
import * as pulumi from "@pulumi/pulumi";
import * as kaleyra from "@pulumi-kaleyra-whatsapp/kaleyra";

/** One account's settings, from stack config `<brand>Sid`, `<brand>ApiKey` (secret) and optional `<brand>Endpoint`. */
function account(config: pulumi.Config, brand: string): kaleyra.ProviderArgs {
    return {
        sid: config.require(`${brand}Sid`),
        apiKey: config.requireSecret(`${brand}ApiKey`),
        region: config.get(`${brand}Region`),
        endpoint: config.get(`${brand}Endpoint`), // e.g. a local emulator; unset for Kaleyra itself
    };
}

const config = new pulumi.Config();
const shop = new kaleyra.Provider("shop", account(config, "shop"));
const travel = new kaleyra.Provider("travel", account(config, "travel"));

const shopSupport = new kaleyra.WhatsAppNumberProfile(
    "shop-support",
    {
        waNumber: config.require("shopNumber"),
        about: "Order help, returns and refunds",
        businessCategory: "Shopping and Retail",
        incomingUrl: "https://hooks.example.com/whatsapp/shop",
    },
    { provider: shop },
);

const travelDesk = new kaleyra.WhatsAppNumberProfile(
    "travel-desk",
    {
        waNumber: config.require("travelNumber"),
        about: "Bookings and changes, 24/7",
        businessCategory: "Travel and Transportation",
        incomingUrl: "https://hooks.example.com/whatsapp/travel",
    },
    { provider: travel },
);

export const shopNumber = shopSupport.id;
export const travelNumber = travelDesk.id;
