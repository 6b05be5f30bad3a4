import { strict as assert } from "assert";
import * as fs from "fs";
import * as path from "path";
import { ERRORS } from "../../provider/emulator";
import { HELP_TEXT } from "../../provider/emulator/cli-args";

const DOC = fs.readFileSync(path.resolve(__dirname, "..", "..", "docs", "emulator.md"), "utf8");

describe("emulator: docs/emulator.md", () => {
    it("lists every row of the error table with its status and code", () => {
        for (const [name, spec] of Object.entries(ERRORS)) {
            const status = spec.status === 0 ? "scripted" : String(spec.status);
            const row = new RegExp(`^\\| ${status} \\| ${spec.code} \\| ${spec.type} \\|`, "m");
            assert.match(DOC, row, `error "${name}" (${status} ${spec.code} ${spec.type}) is not in the docs' table`);
            if (spec.assumption) assert.ok(DOC.includes("ASSUMPTION"));
        }
    });

    it("documents every CLI flag", () => {
        const flags = HELP_TEXT.match(/--[a-z-]+/g) ?? [];
        assert.ok(flags.length > 10);
        for (const flag of new Set(flags)) assert.ok(DOC.includes(`\`${flag}`), `${flag} is not in docs/emulator.md`);
    });
});
