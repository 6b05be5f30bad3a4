/** The package's version: the plugin's, the schema's, the SDKs' and the tarballs'. */
import * as fs from "node:fs";
import * as path from "node:path";

import { REPO_ROOT } from "../tools/cli/find";

/** `version` of the repository's package.json. */
export function packageVersion(): string {
    return (JSON.parse(fs.readFileSync(path.join(REPO_ROOT, "package.json"), "utf8")) as { version: string }).version;
}
