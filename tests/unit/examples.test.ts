/**
 * The examples' pure helpers: examples/company/profile.ts (one profile per stack, from the stack
 * files) and examples/multiple-numbers/numbers.ts (numbers from one config object).
 */
import { strict as assert } from "node:assert";

import { profileFor, SHARED_PROFILE } from "../../examples/company/profile";
import { expandNumbers } from "../../examples/multiple-numbers/numbers";
import { checkProfile } from "../../provider/engine/check";
import { numberOf, STACKS, webhookOf } from "../helpers/company-stacks";

describe("profileFor (examples/company/profile.ts)", () => {
    it("gives every stack the shared text plus its own number and webhook, as the stack files say", () => {
        for (const s of STACKS) {
            const args = profileFor({ supportNumber: numberOf(s), incomingUrl: webhookOf(s) });
            assert.deepEqual(args, { ...SHARED_PROFILE, waNumber: numberOf(s), incomingUrl: webhookOf(s) });
        }
    });

    it("two stacks differ only in waNumber and incomingUrl", () => {
        const dev: Record<string, unknown> = { ...profileFor({ supportNumber: numberOf("dev"), incomingUrl: webhookOf("dev") }) };
        const prod: Record<string, unknown> = { ...profileFor({ supportNumber: numberOf("prod"), incomingUrl: webhookOf("prod") }) };
        const differing = Object.keys({ ...dev, ...prod }).filter((k) => dev[k] !== prod[k]).sort();
        assert.deepEqual(differing, ["incomingUrl", "waNumber"]);
    });

    it("uses a stack's own address when it has one, the shared one otherwise, and never changes SHARED_PROFILE", () => {
        const before = JSON.stringify(SHARED_PROFILE);
        assert.equal(profileFor({ supportNumber: "+919876543212", incomingUrl: "https://h.example.com", address: "Pune" }).address, "Pune");
        assert.equal(profileFor({ supportNumber: "+919876543212", incomingUrl: "https://h.example.com" }).address, SHARED_PROFILE.address);
        assert.equal(profileFor({ supportNumber: "+919876543212", incomingUrl: "https://h.example.com", address: undefined }).address, SHARED_PROFILE.address);
        assert.equal(JSON.stringify(SHARED_PROFILE), before);
    });

    it("every stack's profile passes the provider's check unchanged", () => {
        for (const s of STACKS) {
            const args = profileFor({ supportNumber: numberOf(s), incomingUrl: webhookOf(s) });
            const { inputs, failures } = checkProfile({ ...args });
            assert.deepEqual(failures, [], s);
            assert.deepEqual(inputs, { ...args }, `${s}: check normalized something`);
        }
    });
});

describe("expandNumbers (examples/multiple-numbers/numbers.ts)", () => {
    const defaults = { businessCategory: "Shopping and Retail", website: "https://shop.example.com", about: "Default about" };

    it("merges defaults into each entry, the entry winning, in config order, named by the entry", () => {
        const out = expandNumbers(
            {
                sales: { number: "+919876543220", incomingUrl: "https://hooks.example.com/sales", about: "Sales" },
                billing: { number: "+919876543222" },
            },
            defaults,
        );
        assert.deepEqual(out, [
            { name: "sales", args: { ...defaults, about: "Sales", incomingUrl: "https://hooks.example.com/sales", waNumber: "+919876543220" } },
            { name: "billing", args: { ...defaults, waNumber: "+919876543222" } },
        ]);
        assert.equal("number" in out[0].args, false, "number becomes waNumber");
    });

    it("works without defaults", () => {
        assert.deepEqual(expandNumbers({ a: { number: "+919876543220", about: "Hi" } }), [
            { name: "a", args: { about: "Hi", waNumber: "+919876543220" } },
        ]);
    });

    it("reports every shape problem at once", () => {
        assert.throws(
            () =>
                expandNumbers(
                    {
                        typo: { number: "+919876543220", incomingurl: "https://x.example.com" },
                        numeric: { number: 919876543221 },
                        missing: { about: "no number" },
                        dup: { number: "+919876543220" },
                        notObject: "+919876543223",
                    },
                    { website: 42 },
                ),
            (e: Error) => {
                for (const expected of [
                    "defaults.website: must be a string",
                    "numbers.typo: unknown key 'incomingurl'",
                    "numbers.numeric.number: must be a string, got 919876543221 (quote it in YAML",
                    "numbers.missing.number: required",
                    "numbers.dup.number: +919876543220 is also numbers.typo",
                    "numbers.notObject: must be an object",
                ]) {
                    assert.ok(e.message.includes(expected), `missing "${expected}" in:\n${e.message}`);
                }
                return true;
            },
        );
    });

    it("rejects an empty or missing numbers object, and defaults that are not an object", () => {
        assert.throws(() => expandNumbers({}), /numbers: must be an object with at least one entry/);
        assert.throws(() => expandNumbers(undefined), /numbers: must be an object with at least one entry/);
        assert.throws(() => expandNumbers({ a: { number: "+919876543220" } }, ["about"]), /defaults: must be an object/);
    });
});
