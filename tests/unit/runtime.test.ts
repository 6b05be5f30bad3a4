/** The runtime entry point's contracts (`provider` for contract 2, `dispatch` for contract 1), in process. */
import { strict as assert } from "node:assert";
import * as fs from "node:fs";
import * as path from "node:path";

import { PROVIDER_SHIM, SHIM_CONTRACT } from "../../provider/contract/shim";
import { KaleyraProfileProvider } from "../../provider/engine/provider";
import { dispatch, provider, RUNTIME_CONTRACTS } from "../../provider/engine/runtime";

const VERSION = (JSON.parse(fs.readFileSync(path.join(__dirname, "..", "..", "package.json"), "utf8")) as { version: string }).version;
const SERVES = `pulumi-kaleyra-whatsapp ${VERSION.replace(/\./g, "\\.")} serves contracts 1 and 2\\.`;
const SAME = [{ waNumber: "+919876543210", about: "a" }, { waNumber: "+919876543210", about: "a" }] as const;

describe("runtime: the contracts it serves", () => {
    it("serves contracts 1 and 2, and the shim new resources record speaks the newest", () => {
        assert.deepEqual(RUNTIME_CONTRACTS, [1, 2]);
        assert.equal(SHIM_CONTRACT, RUNTIME_CONTRACTS[RUNTIME_CONTRACTS.length - 1]);
        assert.match(PROVIDER_SHIM, new RegExp(`\\.provider\\(${SHIM_CONTRACT}\\);\\n$`));
    });

    it("contract 2: provider(2) is a fresh provider per call (the host calls it once per distinct __provider)", async () => {
        const first = provider(2);
        assert.ok(first instanceof KaleyraProfileProvider);
        assert.notEqual(provider(2), first);
        assert.equal((await first.diff("+919876543210", ...SAME)).changes, false);
    });

    it("contract 2: the recorded text, evaluated as the host does, gives a provider", () => {
        // The host require()s the text from the program's directory; here a require that answers with this checkout's runtime stands in.
        const module = { exports: {} as { handler?: () => unknown } };
        const resolve = (id: string) => (id === "pulumi-kaleyra-whatsapp/runtime" ? { provider } : assert.fail(`the shim required ${id}`));
        new Function("exports", "require", "module", PROVIDER_SHIM)(module.exports, resolve, module);
        assert.ok(module.exports.handler?.() instanceof KaleyraProfileProvider);
    });

    it("contract 1: dispatch(1, …) runs the operation on one provider per shim object", async () => {
        const result = (await dispatch(1, {}, "diff", ["+919876543210", ...SAME])) as { changes: boolean };
        assert.equal(result.changes, false);
    });

    it("refuses a newer contract: that contract, the installed version and the contracts it serves, and `npm install …@latest`", async () => {
        for (const refused of [() => provider(3), () => dispatch(3, {}, "check", [{}, {}])]) {
            await assert.rejects(async () => refused(), (e: Error) => {
                assert.match(e.message, /provider contract 3\b/);
                assert.match(e.message, new RegExp(SERVES));
                assert.match(e.message, /newer pulumi-kaleyra-whatsapp: upgrade .*npm install pulumi-kaleyra-whatsapp@latest/);
                return true;
            });
        }
    });

    it("refuses an unknown older contract by asking for a version that supports it", async () => {
        const message = /contract 0, but the installed .* serves contracts 1 and 2\. Install a version of pulumi-kaleyra-whatsapp that supports contract 0/;
        assert.throws(() => provider(0), message);
        await assert.rejects(dispatch(0, {}, "delete", ["id", {}]), message);
    });
});
