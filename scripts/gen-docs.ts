/**
 * `npm run docs:gen`: write the registry docs (scripts/registry-docs/render.ts) into `docs/`.
 * tests/unit/registry-docs.test.ts fails when the committed files differ from what this writes.
 */
import * as fs from "node:fs";
import * as path from "node:path";

import { REPO_ROOT } from "../tools/cli/find";
import { packageVersion } from "./package-version";
import { renderRegistryDocs } from "./registry-docs/render";

/** Where the docs go. */
export const DOCS_DIR = path.join(REPO_ROOT, "docs");

if (require.main === module) {
    for (const [file, text] of Object.entries(renderRegistryDocs(packageVersion()))) {
        fs.mkdirSync(path.dirname(path.join(DOCS_DIR, file)), { recursive: true });
        fs.writeFileSync(path.join(DOCS_DIR, file), text);
        process.stdout.write(`docs/${file}\n`);
    }
}
