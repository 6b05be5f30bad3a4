/**
 * The emulator's state and the operations on it that both the admin API and the library
 * facade use: numbers, profiles, the API key, faults, the log, and persistence.
 *
 * Every change to numbers and profiles goes through {@link EmulatorCore.change}: with a data file
 * it is on disk before it is in memory, and a failed write changes nothing (see CommitQueue).
 */
import { FaultInjector } from "./faults";
import { Change, CommitQueue } from "./persistence";
import { RequestLog } from "./request-log";
import { ProfileStore, checkNumber } from "./store";

/** What {@link EmulatorCore} is built from. */
export interface CoreOptions {
    /** Account SID. */
    sid: string;
    /** Accepted API key. */
    apiKey: string;
    /** Fault injector. */
    faults: FaultInjector;
    /** Commits changes to the data file, if there is one. */
    commits?: CommitQueue;
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
    /** Numbers and profiles: only what is on disk when there is a data file. Change it with {@link change}. */
    readonly store: ProfileStore;
    /** Request log. */
    readonly log = new RequestLog();
    /** Fault injector. */
    readonly faults: FaultInjector;
    /** Warnings sink. */
    readonly warn: (message: string) => void;
    private readonly commits: CommitQueue | undefined;
    private open = 0;
    private peak = 0;

    constructor(options: CoreOptions) {
        this.sid = options.sid;
        this.apiKey = options.apiKey;
        this.store = options.store;
        this.faults = options.faults;
        this.commits = options.commits;
        this.warn = options.warn;
    }

    /**
     * Change numbers or profiles. Without a data file the change is made at once (before this
     * returns). With one, it resolves once the change is on disk and then in memory; it rejects
     * when the write fails, and then memory and the file are exactly as they were.
     */
    change<T>(change: Change<T>): Promise<T> {
        if (this.commits) return this.commits.commit(change);
        try {
            return Promise.resolve(change(this.store));
        } catch (e) {
            return Promise.reject(e);
        }
    }

    /** Write the current state to the data file (no-op without one); resolves once it is on disk. */
    async persist(): Promise<void> {
        await this.change(() => undefined);
    }

    /**
     * Register a number; resolves to true when it was new, once it is durable.
     * @throws RangeError (synchronously) on a malformed number.
     */
    registerNumber(waNumber: string): Promise<boolean> {
        checkNumber(waNumber);
        return this.change((store) => store.register(waNumber));
    }

    /** Rotate the API key (not persisted). Throws RangeError on an empty key. */
    setApiKey(apiKey: string): void {
        if (typeof apiKey !== "string" || apiKey.trim() === "") throw new RangeError("the API key must be a non-empty string");
        this.apiKey = apiKey;
    }

    /**
     * Empty profiles, clear the log, faults off and re-seeded. Without a data file all of it
     * happens before this returns; with one, only once the emptied profiles are on disk, and none
     * of it when that write fails.
     */
    reset(): Promise<void> {
        const rest = (): void => {
            this.log.clear();
            this.faults.reset();
        };
        if (!this.commits) {
            this.store.clearProfiles();
            rest();
            return Promise.resolve();
        }
        return this.commits.commit((store) => store.clearProfiles()).then(rest);
    }

    /**
     * A request to Kaleyra's paths arrived; returns what to call (once; later calls do nothing)
     * when it is answered, dropped or ended. Counted from arrival to the answer being sent, so
     * the count never exceeds what the client has in flight.
     */
    enter(): () => void {
        this.open++;
        this.peak = Math.max(this.peak, this.open);
        let left = false;
        return () => {
            if (left) return;
            left = true;
            this.open--;
        };
    }

    /** The most requests to Kaleyra's paths open at once since the start or the last {@link clearPeak}. */
    peakInFlight(): number {
        return this.peak;
    }

    /** Start the peak again from the requests open now. */
    clearPeak(): void {
        this.peak = this.open;
    }

    /** Resolves once no write is pending. */
    async flush(): Promise<void> {
        await this.commits?.idle();
    }
}
