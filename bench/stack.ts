/**
 * A benchmark stack: the soak fixture program (tools/harness/fixtures/soak) pointed at an emulator, with
 * its own temporary directory, profiles file and state file, and one measured operation at a time.
 */
import * as fs from "node:fs";
import * as path from "node:path";

import type { RunningEmulator } from "../provider/emulator";
import { PROFILES_FILE_ENV, PROVIDER_MODE_ENV, ProfileSpec, writeProfiles } from "../tools/programs/profiles/profiles";
import { OperationOptions, OperationResult, preview, StackRef, up } from "../tools/harness";
import { HostSample, watchHost } from "./host-watch";

/** The fixture program every benchmark stack runs. */
export const FIXTURE_DIR = path.resolve(__dirname, "..", "tools", "harness", "fixtures", "soak");

/** Which provider the fixture program uses: the shim (`WhatsAppNumberProfile`) or the real provider object. */
export type ProviderMode = "shim" | "baseline";

/** One measured operation. */
export interface Measured {
    /** What the harness reported. */
    readonly result: OperationResult;
    /** Requests to Kaleyra's paths the emulator saw during the operation (each one a PUT). */
    readonly puts: number;
    /** Of those, the ones answered 200. */
    readonly okPuts: number;
    /** Arrival times (ms since the epoch) of those requests, in order. */
    readonly arrivals: number[];
    /** The provider host as seen in /proc, when it could be. */
    readonly host?: HostSample;
}

/** A stack of the fixture program against one emulator. */
export class BenchStack {
    /** The harness's view of the stack. */
    readonly ref: StackRef;
    private readonly profilesFile: string;

    /**
     * @param emulator where the provider sends its PUTs (its log is cleared before each operation).
     * @param dir a fresh directory for this stack's files.
     * @param settings extra `kaleyra:*` config, e.g. `{ "kaleyra:maxConcurrency": "8" }`.
     * @param mode which provider the program uses.
     */
    constructor(
        private readonly emulator: RunningEmulator,
        dir: string,
        settings: Record<string, string> = {},
        mode: ProviderMode = "shim",
    ) {
        fs.mkdirSync(dir, { recursive: true });
        this.profilesFile = path.join(dir, "profiles.json");
        this.ref = {
            projectDir: FIXTURE_DIR,
            program: path.join(FIXTURE_DIR, "index.ts"),
            project: "bench",
            stack: path.basename(dir),
            stateFile: path.join(dir, "state.json"),
            config: {
                "kaleyra:sid": emulator.sid,
                "kaleyra:apiKey": { secret: emulator.apiKey },
                "kaleyra:endpoint": emulator.url,
                ...settings,
            },
            env: { [PROFILES_FILE_ENV]: this.profilesFile, [PROVIDER_MODE_ENV]: mode },
        };
    }

    /** Declare these profiles in the program from the next operation on. */
    declare(specs: readonly ProfileSpec[]): void {
        writeProfiles(this.profilesFile, specs);
    }

    /** Run `preview` or `up`, counting the emulator's requests and watching the host. */
    async run(operation: "preview" | "up", opts: OperationOptions = {}): Promise<Measured> {
        this.emulator.clearRequests();
        const watch = watchHost();
        let result: OperationResult;
        let host: HostSample | undefined;
        try {
            result = await (operation === "preview" ? preview : up)(this.ref, { timeoutMs: 180_000, ...opts });
        } finally {
            host = watch.stop(); // the host has exited by now: this is its last sample
        }
        const requests = this.emulator.kaleyraRequests();
        return {
            result,
            puts: requests.length,
            okPuts: requests.filter((r) => r.status === 200).length,
            arrivals: requests.map((r) => Date.parse(r.at)),
            host,
        };
    }

    /** Size of the state file, bytes (0 before the first `up`). */
    stateFileBytes(): number {
        return fs.existsSync(this.ref.stateFile) ? fs.statSync(this.ref.stateFile).size : 0;
    }
}
