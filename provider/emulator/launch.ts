/**
 * Starting an emulator: options, state (loaded from the data file), core, server, and the
 * {@link RunningEmulator} facade. `startEmulator` (index.ts) is the public entry point; tests use
 * {@link launchEmulator} directly to replace how the data file is written.
 */
import { promises as fs } from "node:fs";
import * as path from "node:path";
import { EmulatorCore } from "./core";
import { DEFAULT_API_KEY, DEFAULT_HOST, DEFAULT_SEED, DEFAULT_SID } from "./defaults";
import { FaultInjector } from "./faults";
import { CommitQueue, DurableWrite, loadSnapshot, writeDurably } from "./persistence";
import { EmulatorServer } from "./server";
import { ProfileStore } from "./store";
import { EmulatorOptions, RunningEmulator } from "./types";
import { KALEYRA_PREFIX } from "./kaleyra";

/** What tests may replace; not part of the public options. */
export interface LaunchHooks {
    /** How the data file is written (default: atomically and fsynced). */
    write?: DurableWrite;
}

function checkOptions(options: EmulatorOptions): void {
    const { port, sid, apiKey, seed } = options;
    if (port !== undefined && (!Number.isInteger(port) || port < 0 || port > 65535)) {
        throw new RangeError("port must be a whole number from 0 to 65535");
    }
    if (sid !== undefined && (typeof sid !== "string" || !/^[A-Za-z0-9_-]+$/.test(sid))) {
        throw new RangeError("sid must be non-empty and contain only letters, digits, _ and -");
    }
    if (apiKey !== undefined && (typeof apiKey !== "string" || apiKey.trim() === "")) {
        throw new RangeError("apiKey must be a non-empty string");
    }
    if (seed !== undefined && !Number.isInteger(seed)) throw new RangeError("seed must be a whole number");
}

/** `startEmulator` with test hooks. */
export async function launchEmulator(options: EmulatorOptions = {}, hooks: LaunchHooks = {}): Promise<RunningEmulator> {
    checkOptions(options);
    const warn = options.quiet ? (): void => undefined : (m: string): void => console.error(`kaleyra-emulator: ${m}`);
    const store = new ProfileStore();
    let commits: CommitQueue | undefined;
    if (options.dataFile !== undefined) {
        const file = path.resolve(options.dataFile);
        await fs.mkdir(path.dirname(file), { recursive: true });
        const snapshot = await loadSnapshot(file);
        if (snapshot) store.load(snapshot);
        commits = new CommitQueue(file, store, hooks.write ?? writeDurably);
    }
    for (const n of options.numbers ?? []) store.register(n);
    const core = new EmulatorCore({
        sid: options.sid ?? DEFAULT_SID,
        apiKey: options.apiKey ?? DEFAULT_API_KEY,
        store,
        faults: new FaultInjector(options.seed ?? DEFAULT_SEED, options.faults),
        commits,
        warn,
    });
    await core.persist();

    const server = new EmulatorServer(core);
    const url = await server.listen(options.port ?? 0, options.host ?? DEFAULT_HOST);

    return {
        url,
        sid: core.sid,
        get apiKey(): string {
            return core.apiKey;
        },
        profile: (waNumber) => store.get(waNumber),
        profiles: () => store.all(),
        requests: () => core.log.all(),
        kaleyraRequests: () => core.log.all().filter((e) => e.path.startsWith(KALEYRA_PREFIX)),
        clearRequests: () => {
            core.log.clear();
            core.clearPeak();
        },
        peakInFlight: () => core.peakInFlight(),
        registerNumber: (waNumber) => core.registerNumber(waNumber).then(() => undefined),
        setApiKey: (apiKey) => core.setApiKey(apiKey),
        setFaults: (faults) => core.faults.setSettings(faults),
        failNext: (count, response) => core.faults.failNext(count, response),
        reset: () => core.reset(),
        close: () => server.close(),
    };
}
