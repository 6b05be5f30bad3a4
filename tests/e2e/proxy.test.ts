/**
 * `pulumi up` behind a proxy, under the real CLI: a local CONNECT proxy (tests/helpers/proxy.ts) in
 * front of a TLS server whose certificate a throwaway CA signed (tests/helpers/tls.ts), which
 * forwards to the emulator. The CA is trusted through `NODE_EXTRA_CA_CERTS`, as a pipeline behind a
 * TLS-inspecting proxy would; the engine passes it, with the proxy variables, to the
 * dynamic-provider host. (tests/unit/proxy.test.ts covers the client behind the same proxy in process.)
 */
import { strict as assert } from "node:assert";
import * as fs from "node:fs";
import * as net from "node:net";
import * as os from "node:os";
import * as path from "node:path";
import * as tls from "node:tls";

import { startEmulator, type RunningEmulator } from "../../provider/emulator";
import { assertOk, requireCli, TestStack } from "../helpers/cli-stack";
import { fullProfile } from "../helpers/profiles";
import { startProxy, type TestProxy } from "../helpers/proxy";
import { makeTestPki, type TestPki } from "../helpers/tls";

const PROGRAM = path.join(__dirname, "..", "fixtures", "lifecycle", "index.ts");
const KEY = "Aproxy0e2e0SECRET0key00000c0ffee9";
const A = "+919876543210";
/** No proxy settings inherited from the machine running the tests. */
const CLEAN = { https_proxy: "", HTTPS_PROXY: "", http_proxy: "", HTTP_PROXY: "", all_proxy: "", ALL_PROXY: "", no_proxy: "", NO_PROXY: "" };

describe("pulumi up behind a proxy, under the real CLI (CONNECT tunnel to a TLS endpoint trusted through NODE_EXTRA_CA_CERTS)", function () {
    this.timeout(180_000);
    let pki: TestPki;
    let emulator: RunningEmulator;
    let proxy: TestProxy;
    let front: tls.Server;
    let endpoint: string;
    let tmp: string;
    let stack: TestStack;

    before(async function () {
        const cli = requireCli(this);
        pki = makeTestPki();
        emulator = await startEmulator({ numbers: [A], apiKey: KEY, quiet: true });
        // TLS in front of the emulator, with the throwaway CA's certificate for localhost.
        const emulatorPort = Number(new URL(emulator.url).port);
        front = tls.createServer({ key: pki.key, cert: pki.cert }, (socket) => {
            const upstream = net.connect(emulatorPort, "127.0.0.1");
            socket.pipe(upstream).pipe(socket);
            socket.on("error", () => upstream.destroy());
            upstream.on("error", () => socket.destroy());
        });
        await new Promise<void>((resolve) => front.listen(0, "127.0.0.1", () => resolve()));
        endpoint = `https://localhost:${(front.address() as net.AddressInfo).port}`;
        proxy = await startProxy();
        tmp = fs.mkdtempSync(path.join(os.tmpdir(), "kaleyra-proxied-"));
        stack = await TestStack.open(cli, { program: PROGRAM, project: "proxied", dir: tmp, env: { ...CLEAN, NODE_EXTRA_CA_CERTS: pki.caFile } });
        await stack.configure({ "kaleyra:sid": emulator.sid, "kaleyra:endpoint": endpoint, "kaleyra:maxRetries": "0" }, { "kaleyra:apiKey": KEY });
    });
    after(async function () {
        if (stack && this.currentTest?.state !== "failed") await stack.assertNowhere(KEY);
        await proxy?.close();
        await new Promise<void>((resolve) => (front ? front.close(() => resolve()) : resolve()));
        await emulator?.close();
        pki?.cleanup();
        if (tmp) fs.rmSync(tmp, { recursive: true, force: true });
    });

    /** The program declares profile `a` with this `about`. */
    const declare = (about: string) => stack.configure({ "lifecycle:profiles": JSON.stringify({ a: fullProfile({ waNumber: A, about }) }) });

    it("creates through the HTTPS_PROXY tunnel, then updates directly once NO_PROXY lists the host", async () => {
        await declare("Through the tunnel");
        assertOk(await stack.up({ env: { HTTPS_PROXY: proxy.url } }), "up through the proxy");
        assert.deepEqual(proxy.tunnels, [new URL(endpoint).host], "one CONNECT tunnel to the endpoint");
        assert.equal(emulator.kaleyraRequests().length, 1);
        assert.equal(emulator.profile(A)?.about, "Through the tunnel");

        await declare("Direct");
        assertOk(await stack.up({ env: { HTTPS_PROXY: proxy.url, NO_PROXY: "localhost" } }), "up with NO_PROXY");
        assert.equal(proxy.tunnels.length, 1, "the update went through the proxy although NO_PROXY lists the host");
        assert.deepEqual(emulator.kaleyraRequests().slice(1).map((r) => r.body), [{ wa_number: A, about: "Direct" }]);
        assert.equal(emulator.profile(A)?.about, "Direct");
    });

    it("fails the step naming the proxy and the variable it came from, never its password, when the proxy is down", async () => {
        const server = net.createServer();
        await new Promise<void>((resolve) => server.listen(0, "127.0.0.1", () => resolve()));
        const port = (server.address() as net.AddressInfo).port;
        await new Promise<void>((resolve) => server.close(() => resolve()));
        await declare("Never applied");
        const before = emulator.kaleyraRequests().length;
        const r = await stack.up({ env: { HTTPS_PROXY: `http://ci:proxy-pw-0451@127.0.0.1:${port}` } });
        assert.equal(r.ok, false);
        assert.match(r.text, new RegExp(`through the proxy http://127\\.0\\.0\\.1:${port} \\(from HTTPS_PROXY\\)`));
        assert.equal(emulator.kaleyraRequests().length, before, "nothing reached Kaleyra");
        await stack.assertNowhere("proxy-pw-0451", "the proxy password");
    });
});
