/**
 * The data file: loading it on start, and writing it atomically (temp file, fsync, rename)
 * through a coalescing queue, so concurrent updates lose nothing and a crash mid-write never
 * leaves a corrupt file.
 */
import { promises as fs } from "fs";
import * as path from "path";
import writeFileAtomic from "write-file-atomic";
import { E164_PATTERN, fieldByKey, WA_NUMBER_KEY } from "../contract/fields";
import { StoreSnapshot } from "./store";
import { NumberProfile } from "./types";

function isRecord(value: unknown): value is Record<string, unknown> {
    return typeof value === "object" && value !== null && !Array.isArray(value);
}

/**
 * Parse and check a data file's text.
 * @throws Error naming the file and the problem.
 */
export function parseSnapshot(text: string, file: string): StoreSnapshot {
    let data: unknown;
    try {
        data = JSON.parse(text);
    } catch (e) {
        throw new Error(`${file}: not valid JSON (${(e as Error).message})`, { cause: e });
    }
    if (!isRecord(data) || data.version !== 1 || !isRecord(data.numbers)) {
        throw new Error(`${file}: not a kaleyra-emulator data file (expected {"version":1,"numbers":{...}})`);
    }
    const numbers: Record<string, NumberProfile> = {};
    for (const [n, raw] of Object.entries(data.numbers)) {
        if (!E164_PATTERN.test(n)) throw new Error(`${file}: "${n}" is not an E.164 number`);
        if (!isRecord(raw)) throw new Error(`${file}: the profile of ${n} is not an object`);
        const profile: NumberProfile = { wa_number: n };
        for (const [key, value] of Object.entries(raw)) {
            if (key === WA_NUMBER_KEY) continue;
            const spec = fieldByKey(key);
            if (!spec || typeof value !== "string") throw new Error(`${file}: ${n}.${key} is not a string field of a profile`);
            profile[spec.key] = value;
        }
        numbers[n] = profile;
    }
    return { version: 1, numbers };
}

/** Read the data file; `undefined` when it does not exist yet. */
export async function loadSnapshot(file: string): Promise<StoreSnapshot | undefined> {
    let text: string;
    try {
        text = await fs.readFile(file, "utf8");
    } catch (e) {
        if ((e as NodeJS.ErrnoException).code === "ENOENT") return undefined;
        throw e;
    }
    return parseSnapshot(text, file);
}

/** Best effort: make the rename itself durable (not needed against a process crash, only power loss). */
async function syncDirectory(dir: string): Promise<void> {
    let handle: fs.FileHandle | undefined;
    try {
        handle = await fs.open(dir, "r");
        await handle.sync();
    } catch {
        // Some platforms cannot fsync a directory; the file itself is already synced.
    } finally {
        await handle?.close().catch(() => undefined);
    }
}

/**
 * Writes snapshots to the data file, one write at a time. A {@link persist} call made while a
 * write is in flight joins the next write, which snapshots the state when it starts, so its
 * promise resolves only once a write containing the caller's change is on disk.
 */
export class SnapshotWriter {
    private inFlight: Promise<void> | undefined;
    private queued: Promise<void> | undefined;

    /**
     * @param file the data file.
     * @param snapshot called when a write starts, to get the state to write.
     */
    constructor(private readonly file: string, private readonly snapshot: () => StoreSnapshot) {}

    /** Write the current state; resolves once it (or a later state) is on disk. */
    persist(): Promise<void> {
        if (!this.inFlight) {
            const write = this.write();
            const tracked = write.finally(() => {
                if (this.inFlight === tracked) this.inFlight = undefined;
            });
            this.inFlight = tracked;
            return tracked;
        }
        if (!this.queued) {
            this.queued = this.inFlight
                .catch(() => undefined)
                .then(() => {
                    this.queued = undefined;
                    return this.persist();
                });
        }
        return this.queued;
    }

    /** Resolves when no write is in flight or queued (errors are ignored here). */
    async idle(): Promise<void> {
        while (this.inFlight || this.queued) {
            await (this.queued ?? this.inFlight)?.catch(() => undefined);
        }
    }

    private async write(): Promise<void> {
        const text = JSON.stringify(this.snapshot(), null, 2) + "\n"; // taken now, synchronously
        await writeFileAtomic(this.file, text, { fsync: true });
        await syncDirectory(path.dirname(this.file));
    }
}
