/**
 * README.md says what the code does, and stays a user's page: its configuration table holds exactly
 * the settings the provider reads (config key, environment variable, default), the plugin version
 * it tells users to install is the package's, every local link resolves, and it stays within 250
 * lines (contributor material lives in CONTRIBUTING.md). The table check is also run against a copy
 * with a row removed, to show that it can fail.
 */
import { strict as assert } from "node:assert";
import * as fs from "node:fs";
import * as path from "node:path";

import { DEFAULTS, SETTING_KEYS, type SettingName } from "../../provider/engine/config";

const ROOT = path.resolve(__dirname, "..", "..");
const README = fs.readFileSync(path.join(ROOT, "README.md"), "utf8");
const VERSION = (JSON.parse(fs.readFileSync(path.join(ROOT, "package.json"), "utf8")) as { version: string }).version;

/** The rows of the table headed `| stack config | env fallback | meaning | default |`, as cells. */
function configRows(doc: string): string[][] {
    const lines = doc.split("\n");
    const start = lines.findIndex((l) => l.startsWith("| stack config | env fallback | meaning | default |"));
    assert.ok(start >= 0, "README.md has no configuration table");
    const rows: string[][] = [];
    for (const line of lines.slice(start + 2)) {
        if (!line.startsWith("|")) break;
        rows.push(line.slice(1, -1).split(" | ").map((c) => c.trim()));
    }
    return rows;
}

/** What the README's table must say of each setting: config key, env var, default (`—` for none). */
function expectedRows(): string[][] {
    return (Object.entries(SETTING_KEYS) as [SettingName, { config: string; env: string }][]).map(([name, key]) => {
        const fallback = (DEFAULTS as Readonly<Record<string, string | number>>)[name];
        const config = name === "apiKey" ? `\`${key.config}\` (secret)` : `\`${key.config}\``;
        return [config, `\`${key.env}\``, fallback === undefined ? "—" : `\`${fallback}\``];
    });
}

/** The table's rows as `[config, env, default]`, compared with the code's; returns what differs. */
function tableMismatches(doc: string): string[] {
    const documented = configRows(doc).map((r) => [r[0], r[1], r[3]].join(" "));
    const expected = expectedRows().map((r) => r.join(" "));
    return [...expected.filter((r) => !documented.includes(r)).map((r) => `missing or wrong: ${r}`), ...documented.filter((r) => !expected.includes(r)).map((r) => `not a setting: ${r}`)];
}

describe("README.md", () => {
    it("documents every setting the provider reads, with its variable and default, and nothing else", () => {
        assert.deepEqual(tableMismatches(README), []);
        assert.equal(configRows(README).length, Object.keys(SETTING_KEYS).length);
    });

    it("the table check fails when a row is removed or a default is wrong (the control)", () => {
        const withoutRegion = README.split("\n").filter((l) => !l.startsWith("| `kaleyra:region` |")).join("\n");
        assert.deepEqual(tableMismatches(withoutRegion), ["missing or wrong: `kaleyra:region` `KALEYRA_REGION` `in`"]);
        const wrongDefault = README.replace("| `4` |", "| `5` |");
        assert.equal(tableMismatches(wrongDefault).length, 2);
    });

    it("tells users to install the plugin of the package's own version", () => {
        const installs = [...README.matchAll(/pulumi plugin install resource kaleyra (\S+) --file pulumi-resource-kaleyra-v(\S+)-linux-amd64\.tar\.gz/g)];
        assert.ok(installs.length > 0, "no `pulumi plugin install` line");
        for (const m of installs) assert.deepEqual([m[1], m[2]], [VERSION, VERSION]);
        for (const m of README.matchAll(/kaleyra-(\d+\.\d+\.\d+)\.yaml/g)) assert.equal(m[1], VERSION, "the YAML package declaration named");
    });

    it("links only to files that exist", () => {
        const links = [...README.matchAll(/\]\(([^)#]+)(?:#[^)]*)?\)/g)].map((m) => m[1]).filter((l) => !/^[a-z]+:/.test(l));
        assert.ok(links.length > 10);
        for (const link of links) assert.ok(fs.existsSync(path.join(ROOT, link)), `README.md links to ${link}, which does not exist`);
    });

    it("stays a user's page: at most 250 lines", () => {
        assert.ok(README.split("\n").length <= 250, `README.md has ${README.split("\n").length} lines; move contributor material to CONTRIBUTING.md`);
    });
});
