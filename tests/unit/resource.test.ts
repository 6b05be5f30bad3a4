/**
 * `WhatsAppNumberProfile`'s constructor under `pulumi.runtime.setMocks`: the plaintext-key guard
 * (kept per config text, so a program of N profiles reads the config once — and a change of config
 * is still seen), and what it registers (every property, so each output exists; unset ones reach
 * the engine as nothing, so they cost no state).
 */
import { strict as assert } from "node:assert";

import * as pulumi from "@pulumi/pulumi";

import { PROVIDER_SHIM } from "../../provider/contract/shim";
import { WhatsAppNumberProfile } from "../../provider/program";

const PLAIN_KEY_MESSAGE = /kaleyra:apiKey is set as plain stack config/;

/** The inputs the mock monitor received, by resource name. */
const registered = new Map<string, Record<string, unknown>>();
/** The type token the mock monitor received, by resource name. */
const types = new Map<string, string>();

function configure(config: Record<string, string>, secretKeys: string[]): void {
    pulumi.runtime.setAllConfig(config, secretKeys);
}

async function settled(name: string): Promise<Record<string, unknown>> {
    for (let i = 0; i < 200 && !registered.has(name); i++) await new Promise((r) => setTimeout(r, 5));
    const inputs = registered.get(name);
    assert.ok(inputs, `${name} was not registered`);
    return inputs;
}

describe("WhatsAppNumberProfile under mocks", () => {
    before(async () => {
        await pulumi.runtime.setMocks(
            {
                newResource(args) {
                    registered.set(args.name, args.inputs as Record<string, unknown>);
                    types.set(args.name, args.type);
                    return { id: String(args.inputs.waNumber ?? args.name), state: args.inputs };
                },
                call: (args) => args.inputs,
            },
            "resource-test",
            "dev",
            false,
        );
    });
    after(() => configure({}, []));

    it("refuses a plain kaleyra:apiKey, and accepts a secret, blank or missing one", () => {
        configure({ "kaleyra:apiKey": "Aplain0key0000000000000000000000001" }, []);
        assert.throws(() => new WhatsAppNumberProfile("plain", { waNumber: "+919876543210", about: "a" }), PLAIN_KEY_MESSAGE);
        configure({ "kaleyra:apiKey": "Asecret0key000000000000000000000001" }, ["kaleyra:apiKey"]);
        new WhatsAppNumberProfile("secret", { waNumber: "+919876543210", about: "a" });
        configure({ "kaleyra:apiKey": "   " }, []);
        new WhatsAppNumberProfile("blank", { waNumber: "+919876543211", about: "a" });
        configure({ "kaleyra:sid": "HX1" }, []);
        new WhatsAppNumberProfile("missing", { waNumber: "+919876543212", about: "a" });
    });

    it("sees a change of config between constructions (the verdict is kept per config text, not per process)", () => {
        const key = { "kaleyra:apiKey": "Aflip0key00000000000000000000000001" };
        for (let round = 0; round < 3; round++) {
            configure(key, ["kaleyra:apiKey"]);
            for (let i = 0; i < 5; i++) new WhatsAppNumberProfile(`flip-${round}-${i}`, { waNumber: "+919876543213", about: "a" });
            configure(key, []);
            for (let i = 0; i < 5; i++) assert.throws(() => new WhatsAppNumberProfile(`flip-plain-${round}-${i}`, { waNumber: "+919876543213", about: "a" }), PLAIN_KEY_MESSAGE);
            configure({ ...key, "kaleyra:sid": `HX${round}` }, ["kaleyra:apiKey"]);
            new WhatsAppNumberProfile(`flip-other-${round}`, { waNumber: "+919876543213", about: "a" });
        }
    });

    it("registers every property, so each output exists; unset ones reach the engine as nothing", async () => {
        configure({}, []);
        const profile = new WhatsAppNumberProfile("two-fields", { waNumber: "+919876543214", about: "Open 9-6" });
        for (const output of [profile.waNumber, profile.about, profile.address, profile.incomingUrl, profile.displayImage]) {
            assert.ok(pulumi.Output.isInstance(output), "an output property is missing");
        }
        const inputs = await settled("two-fields");
        assert.deepEqual(Object.keys(inputs).sort(), ["__provider", "about", "waNumber"]);
    });

    it("registers a dynamic resource whose __provider is the one-line contract-2 shim", async () => {
        configure({}, []);
        new WhatsAppNumberProfile("shim", { waNumber: "+919876543216", about: "Open 9-6" });
        const inputs = await settled("shim");
        assert.equal(types.get("shim"), "pulumi-nodejs:dynamic/kaleyra:WhatsAppNumberProfile", "the dynamic-provider host serves this type token");
        assert.equal(inputs.__provider, PROVIDER_SHIM);
        assert.equal(PROVIDER_SHIM, 'exports.handler = () => require("pulumi-kaleyra-whatsapp/runtime").provider(2);\n');
    });

    it("refuses a __provider among the arguments (it is the resource's own)", () => {
        configure({}, []);
        assert.throws(
            () => new WhatsAppNumberProfile("own-provider", { waNumber: "+919876543217", about: "a", __provider: "exports.handler = () => ({})" } as never),
            /WhatsAppNumberProfile own-provider: __provider is the resource's own; remove it from the arguments\./,
        );
    });

    it("passes an unknown property on to check instead of dropping it", async () => {
        configure({}, []);
        new WhatsAppNumberProfile("unknown-prop", { waNumber: "+919876543215", about: "a", aboutText: "typo" } as never);
        const inputs = await settled("unknown-prop");
        assert.equal(inputs.aboutText, "typo");
    });
});
