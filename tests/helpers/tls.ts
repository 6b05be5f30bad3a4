/**
 * A throwaway certificate authority and a server certificate it signed, for `localhost`,
 * `127.0.0.1` and `::1`, made at test time with the `openssl` command (Node can use X.509
 * certificates but not make them; openssl saves a tree of npm packages for one helper). Files
 * live in a temporary directory: `caFile` is what `NODE_EXTRA_CA_CERTS` names.
 */

import { execFileSync } from "node:child_process";
import * as fs from "node:fs";
import * as os from "node:os";
import * as path from "node:path";

/** PEM texts and the files they are in. */
export interface TestPki {
    /** The CA's certificate (PEM): what a client must trust. */
    readonly ca: string;
    /** Path of the CA's certificate, for `NODE_EXTRA_CA_CERTS`. */
    readonly caFile: string;
    /** The server's certificate (PEM), signed by the CA. */
    readonly cert: string;
    /** The server's private key (PEM). */
    readonly key: string;
    /** Remove the files. */
    cleanup(): void;
}

function openssl(cwd: string, args: string[]): void {
    try {
        execFileSync("openssl", args, { cwd, stdio: ["ignore", "ignore", "pipe"] });
    } catch (caught) {
        const e = caught as { code?: string; stderr?: Buffer };
        if (e.code === "ENOENT") {
            throw new Error("these tests make a throwaway CA with the `openssl` command, which is not on PATH (Debian: apt-get install openssl)", { cause: caught });
        }
        throw new Error(`openssl ${args[0]} failed: ${e.stderr?.toString() ?? String(caught)}`, { cause: caught });
    }
}

/** Make a CA and a server certificate for the loopback names (EC P-256: fast to make). */
export function makeTestPki(): TestPki {
    const dir = fs.mkdtempSync(path.join(os.tmpdir(), "kaleyra-pki-"));
    const ec = ["-newkey", "ec", "-pkeyopt", "ec_paramgen_curve:prime256v1", "-nodes"];
    openssl(dir, [
        "req", "-x509", ...ec, "-keyout", "ca.key", "-out", "ca.crt", "-days", "2", "-subj", "/CN=kaleyra-test-ca",
        "-addext", "basicConstraints=critical,CA:TRUE", "-addext", "keyUsage=critical,keyCertSign,cRLSign",
    ]);
    openssl(dir, ["req", ...ec, "-keyout", "server.key", "-out", "server.csr", "-subj", "/CN=localhost"]);
    fs.writeFileSync(
        path.join(dir, "server.ext"),
        "subjectAltName=DNS:localhost,IP:127.0.0.1,IP:::1\nbasicConstraints=CA:FALSE\nkeyUsage=critical,digitalSignature\nextendedKeyUsage=serverAuth\n",
    );
    openssl(dir, [
        "x509", "-req", "-in", "server.csr", "-CA", "ca.crt", "-CAkey", "ca.key", "-CAcreateserial",
        "-out", "server.crt", "-days", "2", "-extfile", "server.ext",
    ]);
    const read = (name: string) => fs.readFileSync(path.join(dir, name), "utf8");
    return {
        ca: read("ca.crt"),
        caFile: path.join(dir, "ca.crt"),
        cert: read("server.crt"),
        key: read("server.key"),
        cleanup: () => fs.rmSync(dir, { recursive: true, force: true }),
    };
}
