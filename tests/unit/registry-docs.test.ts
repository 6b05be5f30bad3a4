/**
 * The registry docs (`npm run docs:gen`: docs/_index.md, docs/installation-configuration.md and
 * docs/api/whatsapp-number-profile.md) are what the schema, the field table and the settings table
 * make now, and they say what they must: the four languages' examples, every setting with its
 * environment variable, every property of the resource.
 */
import { strict as assert } from "node:assert";
import * as fs from "node:fs";
import * as path from "node:path";

import { FIELD_LIST } from "../../provider/contract/fields";
import { SETTING_KEYS } from "../../provider/engine/config";
import { DOCS_DIR } from "../../scripts/gen-docs";
import { packageVersion } from "../../scripts/package-version";
import { renderRegistryDocs } from "../../scripts/registry-docs/render";

describe("registry docs (docs/_index.md, docs/installation-configuration.md, docs/api/)", () => {
    const docs = renderRegistryDocs(packageVersion());

    it("are exactly what `npm run docs:gen` writes from the current schema", () => {
        const stale = Object.entries(docs)
            .filter(([file, text]) => !fs.existsSync(path.join(DOCS_DIR, file)) || fs.readFileSync(path.join(DOCS_DIR, file), "utf8") !== text)
            .map(([file]) => `docs/${file}`);
        assert.deepEqual(stale, [], "the registry docs are out of date with the schema: run `npm run docs:gen` and commit the result");
    });

    it("the overview has the example in TypeScript, YAML, Go and Python, and the same number in each", () => {
        const index = docs["_index.md"]!;
        for (const language of ["typescript", "yaml", "go", "python"]) assert.match(index, new RegExp(`{{% choosable language ${language} %}}\\n\\n\`\`\`${language}\\n`));
        assert.equal(index.match(/\+919876543210/g)?.length, 4);
    });

    it("the installation page names every setting with its environment variable, and both install paths", () => {
        const page = docs["installation-configuration.md"]!;
        for (const key of Object.values(SETTING_KEYS)) assert.match(page, new RegExp(`\\| \`${key.config}\`[^\\n]*\\| \`${key.env}\` \\|`));
        assert.match(page, /pulumi plugin install resource kaleyra \S+ --file pulumi-resource-kaleyra-v\S+-linux-amd64\.tar\.gz/);
        assert.match(page, /PULUMI_PLUGIN_DOWNLOAD_URL_OVERRIDES/);
    });

    it("the API reference lists every property of the resource with its Kaleyra key and length", () => {
        const api = docs["api/whatsapp-number-profile.md"]!;
        assert.match(api, /\| `waNumber` \| string \| yes \(replaces\) \| `wa_number` \|/);
        for (const f of FIELD_LIST) assert.match(api, new RegExp(`\\| \`${f.name}\` \\| string \\| no \\| \`${f.key}\` \\| ${f.min}–${f.max} \\|`));
    });
});
