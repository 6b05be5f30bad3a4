import { strict as assert } from "node:assert";

import { diffProfile } from "../../provider/engine/diff";
import { requestBody } from "../../provider/engine/request";
import { UNKNOWN } from "../../provider/engine/check";

const recorded = { waNumber: "+919876543210", about: "Open 9-6", website: "https://example.com" };

describe("diff", () => {
    it("reports no change when nothing differs", () => {
        assert.deepEqual(diffProfile(recorded, { ...recorded }), { changes: false, replaces: [], changed: [], removed: [] });
    });
    it("ignores __provider", () => {
        assert.equal(diffProfile({ ...recorded, __provider: "a" }, { ...recorded, __provider: "b" }).changes, false);
    });
    it("replaces on a different waNumber", () => {
        const d = diffProfile(recorded, { ...recorded, waNumber: "+919876543211" });
        assert.deepEqual(d.replaces, ["waNumber"]);
        assert.equal(d.changes, true);
    });
    it("updates a changed field and names it", () => {
        const d = diffProfile(recorded, { ...recorded, about: "Open 24/7" });
        assert.deepEqual(d, { changes: true, replaces: [], changed: ["about"], removed: [] });
    });
    it("treats an added field as changed", () => {
        assert.deepEqual(diffProfile(recorded, { ...recorded, address: "Bangalore" }).changed, ["address"]);
    });
    it("treats a removed field as a change that stops managing it", () => {
        const { website: _, ...rest } = recorded;
        assert.deepEqual(diffProfile(recorded, rest), { changes: true, replaces: [], changed: [], removed: ["website"] });
    });
    it("treats unknown values as changes (preview of computed inputs)", () => {
        const d = diffProfile(recorded, { ...recorded, about: UNKNOWN });
        assert.deepEqual(d.changed, ["about"]);
        assert.deepEqual(diffProfile(recorded, { ...recorded, waNumber: UNKNOWN }).replaces, ["waNumber"]);
    });
});

describe("request body", () => {
    const profile = {
        waNumber: "+919876543210",
        about: "a",
        address: "b",
        businessDescription: "c",
        businessCategory: "Other",
        contactEmail: "d@example.com",
        website: "https://w.example",
        displayImage: "https://i.example/x.png",
        incomingUrl: "https://h.example",
    };
    it("puts wa_number first, then every set field in the contract's order with snake_case keys", () => {
        assert.deepEqual(Object.keys(requestBody(profile)), [
            "wa_number", "address", "incoming_url", "display_image", "business_description", "business_category", "website", "contact_email", "about",
        ]);
        assert.equal(requestBody(profile).business_category, "Other");
    });
    it("sends only the named fields for an update", () => {
        assert.deepEqual(requestBody(profile, ["about"]), { wa_number: "+919876543210", about: "a" });
    });
    it("leaves out unset fields", () => {
        assert.deepEqual(requestBody({ waNumber: "+919876543210", website: "https://w.example" }), { wa_number: "+919876543210", website: "https://w.example" });
    });
});
