/**
 * The data file: loading it on start, and committing changes to it all or nothing. A change is
 * applied to a copy of the state, the copy is written atomically (temp file, fsync, rename), and
 * only once it is on disk does the copy become the state in memory; a failed write leaves memory
 * exactly as it was. Changes that arrive while a write is in flight are committed together in the
 * next write (group commit), so concurrent updates lose nothing and cost one write per batch.
 */
import { promises as fs } from "node:fs";
import * as path from "node:path";
import writeFileAtomic from "write-file-atomic";
import { fieldByKey, WA_NUMBER_KEY } from "../contract/fields";
import { numberProblem, ProfileStore, StoreSnapshot } from "./store";
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
        const problem = numberProblem(n);
        if (problem) throw new Error(`${file}: ${problem}`);
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

/** The data file's text for a snapshot. */
export function formatSnapshot(snapshot: StoreSnapshot): string {
    return JSON.stringify(snapshot, null, 2) + "\n";
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
 * Writes `text` to `file` so that it is complete and on disk when the promise resolves, and
 * rejects when it is not. Replaceable for tests (e.g. one that fails on demand).
 */
export type DurableWrite = (file: string, text: string) => Promise<void>;

/** The real {@link DurableWrite}: temp file, fsync, rename over `file`, then fsync the directory. */
export const writeDurably: DurableWrite = async (file, text) => {
    await writeFileAtomic(file, text, { fsync: true });
    await syncDirectory(path.dirname(file));
};

/**
 * A change to the state. It runs on a copy of the state (possibly after other changes of the same
 * batch) and must not modify that copy when it throws: check first, then change.
 */
export type Change<T> = (draft: ProfileStore) => T;

interface Pending {
    change: Change<unknown>;
    resolve: (value: unknown) => void;
    reject: (reason: unknown) => void;
}

/**
 * Commits changes to a {@link ProfileStore} through its data file, one write at a time. Each
 * {@link commit} resolves once a write containing its change is on disk and memory shows it; when
 * that write fails it rejects, and neither memory nor the file has the change (nor any other change
 * of its batch). Memory therefore only ever holds what the file holds.
 */
export class CommitQueue {
    private pending: Pending[] = [];
    private writing: Promise<void> | undefined;

    /**
     * @param file the data file.
     * @param store the state in memory, replaced by each committed copy.
     * @param write how to write the file durably.
     */
    constructor(
        private readonly file: string,
        private readonly store: ProfileStore,
        private readonly write: DurableWrite = writeDurably,
    ) {}

    /**
     * Apply `change` durably.
     * @returns the change's result, once the state containing it is on disk and in memory.
     * @throws whatever the change threw (nothing changed), or the write's error (nothing changed).
     */
    commit<T>(change: Change<T>): Promise<T> {
        return new Promise<T>((resolve, reject) => {
            this.pending.push({ change, resolve: resolve as (value: unknown) => void, reject });
            this.start();
        });
    }

    /** Resolves when nothing is being written or waiting to be. */
    async idle(): Promise<void> {
        while (this.writing) await this.writing;
    }

    private start(): void {
        if (this.writing || this.pending.length === 0) return;
        this.writing = this.writeBatch().finally(() => {
            this.writing = undefined;
            this.start();
        });
    }

    private async writeBatch(): Promise<void> {
        const batch = this.pending.splice(0);
        const draft = this.store.clone();
        const applied: { pending: Pending; result: unknown }[] = [];
        for (const pending of batch) {
            try {
                applied.push({ pending, result: pending.change(draft) });
            } catch (e) {
                pending.reject(e);
            }
        }
        if (applied.length === 0) return;
        try {
            await this.write(this.file, formatSnapshot(draft.snapshot()));
        } catch (e) {
            for (const { pending } of applied) pending.reject(e);
            return;
        }
        this.store.replaceWith(draft);
        for (const { pending, result } of applied) pending.resolve(result);
    }
}
