/** The runtime entry point's contract check (`dispatch`), in process. */
import { strict as assert } from "node:assert";
import * as fs from "node:fs";
import * as path from "node:path";

import { dispatch, RUNTIME_CONTRACT } from "../../provider/engine/runtime";

const VERSION = (JSON.parse(fs.readFileSync(path.join(__dirname, "..", "..", "package.json"), "utf8")) as { version: string }).version;

describe("runtime: dispatch() and the contract", () => {
    it("refuses a newer contract: both contracts, the installed version, and `npm install …@latest`", async () => {
        await assert.rejects(dispatch(RUNTIME_CONTRACT + 1, {}, "check", [{}, {}]), (e: Error) => {
            assert.match(e.message, new RegExp(`provider contract ${RUNTIME_CONTRACT + 1}\\b`));
            assert.match(e.message, new RegExp(`pulumi-kaleyra-whatsapp ${VERSION.replace(/\./g, "\\.")} speaks contract ${RUNTIME_CONTRACT}\\b`));
            assert.match(e.message, /newer pulumi-kaleyra-whatsapp: upgrade .*npm install pulumi-kaleyra-whatsapp@latest/);
            return true;
        });
    });

    it("refuses an unknown older contract by asking for a version that supports it", async () => {
        await assert.rejects(dispatch(0, {}, "delete", ["id", {}]), /contract 0, but the installed .* speaks contract 1\. Install a version of pulumi-kaleyra-whatsapp that supports contract 0/);
    });

    it("serves its own contract", async () => {
        const result = (await dispatch(RUNTIME_CONTRACT, {}, "diff", ["+919876543210", { waNumber: "+919876543210", about: "a" }, { waNumber: "+919876543210", about: "a" }])) as {
            changes: boolean;
        };
        assert.equal(result.changes, false);
    });
});
