/**
 * A static file server on 127.0.0.1 (a stand-in for a release's download host): serves the files of
 * one directory under a URL prefix, 404 for anything else, and records every path asked for.
 */
import * as fs from "node:fs";
import * as http from "node:http";
import type { AddressInfo } from "node:net";
import * as path from "node:path";

/** A running {@link serveFiles} server. */
export interface FileServer {
    /** `http://127.0.0.1:<port>`. */
    readonly url: string;
    /** Every request's path, in order. */
    readonly requested: string[];
    /** Stop listening. */
    close(): Promise<void>;
}

/**
 * Serve the files directly in `dir` at `<prefix>/<name>`.
 * @param prefix a path prefix such as `/v1.2.3` (default: none).
 */
export async function serveFiles(dir: string, prefix = ""): Promise<FileServer> {
    const requested: string[] = [];
    const server = http.createServer((req, res) => {
        const url = decodeURIComponent(new URL(req.url ?? "/", "http://x").pathname);
        requested.push(url);
        const name = url.startsWith(`${prefix}/`) ? url.slice(prefix.length + 1) : "";
        const file = path.join(dir, name);
        if (!name || name.includes("/") || !fs.existsSync(file) || !fs.statSync(file).isFile()) {
            res.writeHead(404).end("not found");
            return;
        }
        res.writeHead(200, { "content-type": "application/gzip", "content-length": fs.statSync(file).size });
        fs.createReadStream(file).pipe(res);
    });
    await new Promise<void>((resolve) => server.listen(0, "127.0.0.1", resolve));
    const { port } = server.address() as AddressInfo;
    return {
        url: `http://127.0.0.1:${port}`,
        requested,
        close: () => new Promise<void>((resolve) => server.close(() => resolve())),
    };
}
