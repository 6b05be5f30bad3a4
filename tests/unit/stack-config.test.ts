/**
 * scripts/stack-config.ts: the repository's stack files (flat and nested config) parse to what
 * Pulumi hands a program, and what it cannot read is an error naming the file.
 */
import { strict as assert } from "node:assert";
import * as fs from "node:fs";
import * as os from "node:os";
import * as path from "node:path";

import { expandNumbers } from "../../examples/multiple-numbers/numbers";
import { parseStackConfig, readProjectName, readStackConfig } from "../../scripts/stack-config";

const ROOT = path.resolve(__dirname, "..", "..");
const MULTIPLE = path.join(ROOT, "examples", "multiple-numbers");

describe("stack config files (scripts/stack-config.ts)", () => {
    it("reads the company's Pulumi.dev/staging/prod.yaml, every value as written", () => {
        assert.equal(readProjectName(ROOT), "kaleyra-whatsapp-numbers");
        assert.deepEqual(readStackConfig(ROOT, "dev"), {
            "kaleyra:endpoint": "http://127.0.0.1:4010",
            "kaleyra:sid": "HXEMULATOR0001",
            "kaleyra-whatsapp-numbers:supportNumber": "+919876543210",
            "kaleyra-whatsapp-numbers:incomingUrl": "https://hooks.example.com/whatsapp/dev",
        });
        for (const [stack, n] of [["staging", "1"], ["prod", "2"]]) {
            assert.deepEqual(readStackConfig(ROOT, stack), {
                "kaleyra:region": "in",
                "kaleyra-whatsapp-numbers:supportNumber": `+91987654321${n}`,
                "kaleyra-whatsapp-numbers:incomingUrl": `https://hooks.example.com/whatsapp/${stack}`,
            });
        }
    });

    it("reads examples/multiple-numbers' nested config as the JSON the program's getObject() parses", () => {
        const config = readStackConfig(MULTIPLE, "dev");
        assert.equal(config["kaleyra:sid"], "HXEMULATOR0001");
        const numbers = JSON.parse(config["kaleyra-whatsapp-multiple-numbers:numbers"]) as unknown;
        const defaults = JSON.parse(config["kaleyra-whatsapp-multiple-numbers:defaults"]) as unknown;
        const profiles = expandNumbers(numbers, defaults);
        assert.deepEqual(
            profiles.map((p) => [p.name, p.args.waNumber]),
            [["sales", "+919876543220"], ["support", "+919876543221"], ["billing", "+919876543222"]],
        );
        const billing = profiles.find((p) => p.name === "billing");
        assert.equal(billing?.args.contactEmail, "billing@shop.example.com", "an entry's own field wins");
        assert.equal(billing?.args.businessCategory, "Shopping and Retail", "defaults fill the rest");
    });

    it("keeps a plain value's text and gives structured values YAML's types, as Pulumi does", () => {
        const text = [
            "config:",
            "  # a comment",
            "  app:number: +919876543210",
            "  app:port: 4010",
            "  app:flag: true",
            "  app:quoted: 'it''s # not a comment'",
            "  app:list: [a, 2]",
            "  app:object:",
            "    n: 1",
            "    s: \"+91\"",
            "    deep: { ok: false }",
            "  bare: value",
        ].join("\n");
        assert.deepEqual(parseStackConfig(text, "Pulumi.x.yaml", "app"), {
            "app:number": "+919876543210",
            "app:port": "4010",
            "app:flag": "true",
            "app:quoted": "it's # not a comment",
            "app:list": '["a",2]',
            "app:object": '{"n":1,"s":"+91","deep":{"ok":false}}',
            "app:bare": "value",
        });
        assert.deepEqual(parseStackConfig("encryptionsalt: v1:abc\n", "Pulumi.x.yaml"), {});
        assert.deepEqual(parseStackConfig("config:\n", "Pulumi.x.yaml"), {});
    });

    for (const [what, text, message] of [
        ["invalid YAML, with its line", "config:\n  a:b: [1, 2\n  a:c: x\n", /^Error: F\.yaml:\d+:\d+: not valid YAML: /],
        ["a secure value", "config:\n  kaleyra:apiKey:\n    secure: v1:abcdef\n", /^Error: F\.yaml: config key "kaleyra:apiKey" is a secret \(secure:\).*environment/],
        ["an empty value", "config:\n  kaleyra:sid:\n", /^Error: F\.yaml: config key "kaleyra:sid" has no value/],
        ["a key without a namespace, no project given", "config:\n  sid: x\n", /^Error: F\.yaml: config key "sid" has no namespace/],
        ["a list at the top", "- config\n", /^Error: F\.yaml: expected a stack file/],
        ["config that is not a map", "config: [a, b]\n", /^Error: F\.yaml: config: must be a map/],
    ] as const) {
        it(`refuses ${what}, naming the file`, () => {
            assert.throws(() => parseStackConfig(text, "F.yaml"), message);
        });
    }

    it("names Pulumi.yaml when it has no name", () => {
        const dir = fs.mkdtempSync(path.join(os.tmpdir(), "stack-config-"));
        try {
            fs.writeFileSync(path.join(dir, "Pulumi.yaml"), "runtime: nodejs\n");
            assert.throws(() => readProjectName(dir), /Pulumi\.yaml: no name:/);
        } finally {
            fs.rmSync(dir, { recursive: true, force: true });
        }
    });
});
