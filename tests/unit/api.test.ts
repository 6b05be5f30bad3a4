/**
 * The engine API (`pulumi-kaleyra-whatsapp/provider`) is a promise: every name it exports must be
 * kept. This pins the list — runtime values and types alike, read from the entry point's source —
 * so a name cannot join or leave it without this test (and CHANGELOG.md) changing too.
 */

import { strict as assert } from "node:assert";
import * as fs from "node:fs";
import * as path from "node:path";

import * as api from "../../provider/engine";

const ENTRY = path.resolve(__dirname, "..", "..", "provider", "engine", "index.ts");

/** The names an entry point's `export { … } from` and `export type { … } from` lines give. */
function exportedNames(source: string): string[] {
    const names: string[] = [];
    for (const [, list] of source.matchAll(/export\s+(?:type\s+)?\{([^}]*)\}\s+from/g)) {
        for (const item of list.split(",")) {
            const name = item.trim().split(/\s+as\s+/).pop();
            if (name) names.push(name);
        }
    }
    return names.sort();
}

const VALUES = [
    "KaleyraAuthenticationError",
    "KaleyraConfigError",
    "KaleyraError",
    "KaleyraNetworkError",
    "KaleyraNotFoundError",
    "KaleyraProfileProvider",
    "KaleyraRateLimitError",
    "KaleyraServerError",
    "KaleyraUnexpectedResponseError",
    "KaleyraValidationError",
    "PROFILE_FIELDS",
    "SETTING_KEYS",
    "resolveSettings",
];
const TYPES = ["ConfigSource", "FieldSpec", "KaleyraClientOptions", "KaleyraProfileProviderOptions", "KaleyraSettings", "ProfileFieldName", "ProfileInputs", "ProfileOutputs", "RetryEvent", "SettingName"];

describe("the engine API (pulumi-kaleyra-whatsapp/provider)", () => {
    it("exports exactly the promised names, at most 25 (values and types)", () => {
        const names = exportedNames(fs.readFileSync(ENTRY, "utf8"));
        assert.deepEqual(names, [...VALUES, ...TYPES].sort());
        assert.ok(names.length <= 25, `${names.length} names`);
        assert.equal(new Set(names).size, names.length, "a name is exported twice");
    });

    it("has every promised value at run time, and nothing else", () => {
        assert.deepEqual(Object.keys(api).sort(), [...VALUES].sort());
    });

    it("every error class is a KaleyraError", () => {
        for (const name of VALUES.filter((n) => n.endsWith("Error"))) {
            const type = (api as Record<string, unknown>)[name] as abstract new (...args: never[]) => unknown;
            assert.ok(type === api.KaleyraError || type.prototype instanceof api.KaleyraError, name);
        }
    });
});
