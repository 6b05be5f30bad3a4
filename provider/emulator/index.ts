/**
 * kaleyra-emulator: a local, stateful emulation of Kaleyra's WhatsApp number API
 * (`PUT /v1/<sid>/whatsapp/number`) for tests, demos and CI, with an admin API and fault
 * injection. See docs/emulator.md.
 *
 * @example
 * const emulator = await startEmulator({ numbers: ["+919876543210"] });
 * // point the provider at emulator.url, emulator.sid, emulator.apiKey ...
 * await emulator.close();
 */
import { promises as fs } from "fs";
import * as path from "path";
import { EmulatorCore } from "./core";
import { DEFAULT_API_KEY, DEFAULT_HOST, DEFAULT_SEED, DEFAULT_SID } from "./defaults";
import { FaultInjector } from "./faults";
import { SnapshotWriter, loadSnapshot } from "./persistence";
import { EmulatorServer } from "./server";
import { ProfileStore } from "./store";
import { EmulatorOptions, RunningEmulator } from "./types";
import { KALEYRA_PREFIX } from "./kaleyra";

export type {
    EmulatorOptions,
    FaultSettings,
    NumberProfile,
    RequestLogEntry,
    RunningEmulator,
    ScriptedFault,
    ScriptedResponse,
} from "./types";
export { ERRORS } from "./errors";
export type { ErrorEnvelope, ErrorName, ErrorSpec } from "./errors";
export { SUCCESS_BODY } from "./kaleyra";
export { DEFAULT_API_KEY, DEFAULT_CLI_PORT, DEFAULT_HOST, DEFAULT_SEED, DEFAULT_SID, DEMO_NUMBER } from "./defaults";

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

/**
 * Start an emulator. With `dataFile`, state is loaded from it (numbers in `numbers` are added)
 * and written back before this resolves.
 * @throws RangeError on bad options, Error when the data file is unreadable or corrupt, or the
 *   port is taken.
 */
export async function startEmulator(options: EmulatorOptions = {}): Promise<RunningEmulator> {
    checkOptions(options);
    const warn = options.quiet ? (): void => undefined : (m: string): void => console.error(`kaleyra-emulator: ${m}`);
    const store = new ProfileStore();
    let writer: SnapshotWriter | undefined;
    if (options.dataFile !== undefined) {
        const file = path.resolve(options.dataFile);
        await fs.mkdir(path.dirname(file), { recursive: true });
        const snapshot = await loadSnapshot(file);
        if (snapshot) store.load(snapshot);
        writer = new SnapshotWriter(file, () => store.snapshot());
    }
    for (const n of options.numbers ?? []) store.register(n);
    const core = new EmulatorCore({
        sid: options.sid ?? DEFAULT_SID,
        apiKey: options.apiKey ?? DEFAULT_API_KEY,
        store,
        faults: new FaultInjector(options.seed ?? DEFAULT_SEED, options.faults),
        writer,
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
        clearRequests: () => core.log.clear(),
        registerNumber: (waNumber) => {
            if (core.registerNumber(waNumber)) core.persistInBackground();
        },
        setApiKey: (apiKey) => core.setApiKey(apiKey),
        setFaults: (faults) => core.faults.setSettings(faults),
        failNext: (count, response) => core.faults.failNext(count, response),
        reset: () => {
            core.reset();
            core.persistInBackground();
        },
        close: () => server.close(),
    };
}
