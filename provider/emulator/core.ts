/**
 * The emulator's state and the operations on it that both the admin API and the library
 * facade use: numbers, profiles, the API key, faults, the log, and persistence.
 */
import { FaultInjector } from "./faults";
import { SnapshotWriter } from "./persistence";
import { RequestLog } from "./request-log";
import { ProfileStore } from "./store";

/** What {@link EmulatorCore} is built from. */
export interface CoreOptions {
    /** Account SID. */
    sid: string;
    /** Accepted API key. */
    apiKey: string;
    /** Fault injector. */
    faults: FaultInjector;
    /** Where to persist state, if anywhere. */
    writer?: SnapshotWriter;
    /** Profiles and numbers (possibly loaded from disk). */
    store: ProfileStore;
    /** Where warnings go. */
    warn: (message: string) => void;
}

/** The state and its operations. */
export class EmulatorCore {
    /** Account SID. */
    readonly sid: string;
    /** The API key currently accepted. */
    apiKey: string;
    /** Numbers and profiles. */
    readonly store: ProfileStore;
    /** Request log. */
    readonly log = new RequestLog();
    /** Fault injector. */
    readonly faults: FaultInjector;
    /** Warnings sink. */
    readonly warn: (message: string) => void;
    private readonly writer: SnapshotWriter | undefined;

    constructor(options: CoreOptions) {
        this.sid = options.sid;
        this.apiKey = options.apiKey;
        this.store = options.store;
        this.faults = options.faults;
        this.writer = options.writer;
        this.warn = options.warn;
    }

    /** Write the state to the data file (no-op without one); resolves once it is on disk. */
    persist(): Promise<void> {
        return this.writer ? this.writer.persist() : Promise.resolve();
    }

    /** Like {@link persist}, for callers that cannot wait: a failure becomes a warning. */
    persistInBackground(): void {
        this.persist().catch((e: unknown) => this.warn(`could not write the data file: ${String(e)}`));
    }

    /** Register a number; returns true when it was new. Throws RangeError on a malformed number. */
    registerNumber(waNumber: string): boolean {
        return this.store.register(waNumber);
    }

    /** Rotate the API key. Throws RangeError on an empty key. */
    setApiKey(apiKey: string): void {
        if (typeof apiKey !== "string" || apiKey.trim() === "") throw new RangeError("the API key must be a non-empty string");
        this.apiKey = apiKey;
    }

    /** Empty profiles, clear the log, faults off and re-seeded. */
    reset(): void {
        this.store.clearProfiles();
        this.log.clear();
        this.faults.reset();
    }

    /** Resolves once no write is pending. */
    async flush(): Promise<void> {
        await this.writer?.idle();
    }
}
