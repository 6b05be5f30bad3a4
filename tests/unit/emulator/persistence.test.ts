import { strict as assert } from "node:assert";
import * as fs from "node:fs";
import * as path from "node:path";
import { NumberProfile, RunningEmulator, startEmulator } from "../../../provider/emulator";
import { launchEmulator } from "../../../provider/emulator/launch";
import { CommitQueue, DurableWrite, parseSnapshot, writeDurably } from "../../../provider/emulator/persistence";
import { parseCliArgs } from "../../../provider/emulator/cli-args";
import { ProfileStore } from "../../../provider/emulator/store";
import { NUMBER, SAMPLE_BODY, admin, json, put, removeDir, tempDir } from "./helpers";

interface DataFile {
    version: number;
    numbers: Record<string, NumberProfile>;
}

function readData(file: string): DataFile {
    return JSON.parse(fs.readFileSync(file, "utf8")) as DataFile;
}

/** The WA500 envelope, byte for byte, that a failed write answers with. */
const WA500_TEXT = '{"error":{"code":"WA500","type":"INTERNAL_ERROR","parameter":"","message":"Internal server error. Please retry.","reference":""}}';

/**
 * Make every write of `file` fail for real, even as root (where permissions do not stop writes):
 * move its directory aside and put a regular file at the directory's path, so creating the
 * temporary file fails with ENOTDIR. Returns the function that puts the directory back untouched.
 */
function breakDirectory(file: string): () => void {
    const dir = path.dirname(file);
    const aside = `${dir}.aside`;
    fs.renameSync(dir, aside);
    fs.writeFileSync(dir, "a regular file where the data file's directory was\n");
    return () => {
        fs.rmSync(dir);
        fs.renameSync(aside, dir);
    };
}

/** A {@link DurableWrite} that fails while `failing()` is true and writes for real otherwise. */
function switchableWrite(failing: () => boolean): DurableWrite {
    return async (file, text) => {
        if (failing()) throw Object.assign(new Error("ENOSPC: no space left on device (injected)"), { code: "ENOSPC" });
        await writeDurably(file, text);
    };
}

describe("emulator: persistence", () => {
    let dir: string;
    let file: string;
    const running: RunningEmulator[] = [];

    async function start(numbers: string[] = [NUMBER]): Promise<RunningEmulator> {
        const emulator = await startEmulator({ numbers, dataFile: file, quiet: true });
        running.push(emulator);
        return emulator;
    }

    beforeEach(() => {
        dir = tempDir();
        file = path.join(dir, "nested", "state.json");
    });
    afterEach(async () => {
        await Promise.all(running.splice(0).map((e) => e.close()));
        removeDir(dir);
    });

    it("creates the data file on start, with the registered numbers", async () => {
        await start();
        assert.deepEqual(readData(file), { version: 1, numbers: { [NUMBER]: { wa_number: NUMBER } } });
    });

    it("keeps numbers and profiles across a restart, and adds numbers passed at start", async () => {
        const first = await start();
        assert.equal((await put(first, SAMPLE_BODY)).status, 200);
        await first.close();

        const second = await start(["+15550003333"]);
        assert.deepEqual(second.profile(NUMBER), SAMPLE_BODY);
        assert.deepEqual(Object.keys(second.profiles()), [NUMBER, "+15550003333"]);
        assert.deepEqual(Object.keys(readData(file).numbers), [NUMBER, "+15550003333"]);
    });

    it("has each accepted update on disk by the time its 200 arrives", async () => {
        const emulator = await start();
        for (let i = 0; i < 20; i++) {
            const res = await put(emulator, { wa_number: NUMBER, about: `update ${i}` });
            assert.equal(res.status, 200);
            assert.equal(readData(file).numbers[NUMBER].about, `update ${i}`);
        }
    });

    it("writes nothing for a rejected update", async () => {
        const emulator = await start();
        await put(emulator, { wa_number: NUMBER, about: "kept" });
        const before = fs.readFileSync(file, "utf8");
        assert.equal((await put(emulator, { wa_number: NUMBER, about: "lost", website: "nope" })).status, 400);
        assert.equal(fs.readFileSync(file, "utf8"), before);
    });

    it("persists numbers registered through the admin API and reset", async () => {
        const emulator = await start();
        await put(emulator, { wa_number: NUMBER, about: "to be reset" });
        assert.equal((await admin(emulator, "POST", "numbers", { wa_number: "+15550004444" })).status, 201);
        assert.ok("+15550004444" in readData(file).numbers);
        assert.equal((await admin(emulator, "POST", "reset")).status, 204);
        assert.deepEqual(readData(file).numbers[NUMBER], { wa_number: NUMBER });
    });

    it("loses nothing under hundreds of concurrent updates, and the file is always parseable", async () => {
        const numbers = Array.from({ length: 100 }, (_, i) => `+1555100${String(i).padStart(4, "0")}`);
        const emulator = await start([NUMBER, ...numbers]);

        // Read the file over and over while the updates run: every read must parse.
        let reading = true;
        let reads = 0;
        const reader = (async () => {
            while (reading) {
                JSON.parse(await fs.promises.readFile(file, "utf8"));
                reads++;
            }
        })();

        const different = numbers.map((n) => put(emulator, { wa_number: n, about: `about ${n}`, website: `https://example.com/${n.slice(1)}` }));
        const same = Array.from({ length: 150 }, (_, i) => put(emulator, { wa_number: NUMBER, about: `same ${i}` }));
        const fields = [
            put(emulator, { wa_number: NUMBER, address: "concurrent address" }),
            put(emulator, { wa_number: NUMBER, contact_email: "concurrent@example.com" }),
            put(emulator, { wa_number: NUMBER, business_category: "Other" }),
        ];
        const results = await Promise.all([...different, ...same, ...fields]);
        reading = false;
        await reader;

        assert.ok(results.every((r) => r.status === 200), "not every update was accepted");
        assert.ok(reads > 0);
        const onDisk = readData(file);
        assert.deepEqual(onDisk.numbers, emulator.profiles());
        for (const n of numbers) {
            assert.deepEqual(onDisk.numbers[n], { wa_number: n, website: `https://example.com/${n.slice(1)}`, about: `about ${n}` });
        }
        const mine = onDisk.numbers[NUMBER];
        assert.equal(mine.address, "concurrent address");
        assert.equal(mine.contact_email, "concurrent@example.com");
        assert.equal(mine.business_category, "Other");
        // The value that stuck is the last one applied: the last `about` update in the log.
        const lastAbout = emulator
            .kaleyraRequests()
            .map((e) => e.body as { wa_number: string; about?: string })
            .filter((b) => b.wa_number === NUMBER && b.about !== undefined)
            .pop();
        assert.equal(mine.about, lastAbout?.about);
        assert.deepEqual(fs.readdirSync(path.dirname(file)), ["state.json"], "temporary files were left behind");
    });

    it("refuses to start on a corrupt data file, and leaves it alone", async () => {
        fs.mkdirSync(path.dirname(file), { recursive: true });
        fs.writeFileSync(file, '{"version":1,"numbers":{');
        await assert.rejects(start(), /not valid JSON/);
        assert.equal(fs.readFileSync(file, "utf8"), '{"version":1,"numbers":{');
    });

    it("refuses a file that is not its own", async () => {
        fs.mkdirSync(path.dirname(file), { recursive: true });
        fs.writeFileSync(file, JSON.stringify({ numbers: [] }));
        await assert.rejects(start(), /not a kaleyra-emulator data file/);
        fs.writeFileSync(file, JSON.stringify({ version: 1, numbers: { "+919876543210": { about: 5 } } }));
        await assert.rejects(start(), /about/);
    });

    describe("all or nothing: a write that fails changes nothing", () => {
        it("a PUT whose write fails answers 500 (WA500 envelope); memory and the file stay as they were", async () => {
            const emulator = await start();
            assert.equal((await put(emulator, { wa_number: NUMBER, about: "kept", website: "https://kept.example.com" })).status, 200);
            const fileBefore = fs.readFileSync(file, "utf8");
            const memoryBefore = emulator.profiles();

            const restore = breakDirectory(file);
            let res;
            try {
                res = await put(emulator, { wa_number: NUMBER, about: "lost", address: "lost address" });
            } finally {
                restore();
            }
            assert.equal(res.status, 500);
            assert.match(String(res.headers["content-type"]), /^application\/json/);
            assert.equal(res.text, WA500_TEXT);
            assert.deepEqual(emulator.profiles(), memoryBefore, "memory kept the refused update");
            assert.deepEqual(json(await admin(emulator, "GET", `numbers/${encodeURIComponent(NUMBER)}`)), memoryBefore[NUMBER]);
            assert.equal(fs.readFileSync(file, "utf8"), fileBefore);
            assert.equal(emulator.kaleyraRequests().at(-1)?.status, 500);

            // The next write works again, and brings only its own change.
            assert.equal((await put(emulator, { wa_number: NUMBER, contact_email: "after@example.com" })).status, 200);
            const expected = { ...memoryBefore[NUMBER], contact_email: "after@example.com" };
            assert.deepEqual(emulator.profile(NUMBER), expected);
            assert.deepEqual(readData(file).numbers[NUMBER], expected);
        });

        it("an admin registration whose write fails answers 500 and registers nothing", async () => {
            const emulator = await start();
            const n = "+15550007777";
            const restore = breakDirectory(file);
            let res;
            try {
                res = await admin(emulator, "POST", "numbers", { wa_number: n });
            } finally {
                restore();
            }
            assert.equal(res.status, 500);
            assert.equal(res.text, WA500_TEXT);
            assert.equal(emulator.profile(n), undefined);
            assert.equal((await admin(emulator, "GET", `numbers/${encodeURIComponent(n)}`)).status, 404);
            assert.deepEqual((json(await admin(emulator, "GET", "info")) as { numbers: string[] }).numbers, [NUMBER]);
            assert.equal((await put(emulator, { wa_number: n, about: "x" })).status, 401, "a refused registration must not let updates through");
            assert.deepEqual(Object.keys(readData(file).numbers), [NUMBER]);

            assert.equal((await admin(emulator, "POST", "numbers", { wa_number: n })).status, 201);
            assert.deepEqual(Object.keys(readData(file).numbers), [NUMBER, n]);
        });

        it("an admin reset whose write fails answers 500 and keeps profiles, the log and the faults", async () => {
            const emulator = await start();
            await put(emulator, { wa_number: NUMBER, about: "survives a failed reset" });
            emulator.setFaults({ latencyMs: 1 });
            emulator.failNext(1, { status: 503 });
            const profiles = emulator.profiles();
            const log = emulator.requests();
            const faults = json(await admin(emulator, "GET", "faults"));
            assert.deepEqual(faults, { settings: { ...(faults as { settings: object }).settings, latencyMs: 1 }, pending: 1 });
            const restore = breakDirectory(file);
            let res;
            try {
                res = await admin(emulator, "POST", "reset");
            } finally {
                restore();
            }
            assert.equal(res.status, 500);
            assert.equal(res.text, WA500_TEXT);
            assert.deepEqual(emulator.profiles(), profiles);
            assert.deepEqual(emulator.requests(), log);
            assert.deepEqual(json(await admin(emulator, "GET", "faults")), faults);
            assert.equal(readData(file).numbers[NUMBER].about, "survives a failed reset");
        });

        it("registerNumber() and reset() of the library reject when the write fails, and change nothing", async () => {
            let failing = false;
            const emulator = await launchEmulator({ numbers: [NUMBER], dataFile: file, quiet: true }, { write: switchableWrite(() => failing) });
            running.push(emulator);
            await put(emulator, { wa_number: NUMBER, about: "kept" });
            failing = true;
            await assert.rejects(emulator.registerNumber("+15550008888"), /ENOSPC/);
            assert.equal(emulator.profile("+15550008888"), undefined);
            await assert.rejects(emulator.reset(), /ENOSPC/);
            assert.equal(emulator.profile(NUMBER)?.about, "kept");
            assert.throws(() => emulator.registerNumber("not a number"), RangeError);

            failing = false;
            await emulator.registerNumber("+15550008888");
            assert.deepEqual(emulator.profile("+15550008888"), { wa_number: "+15550008888" });
            await emulator.reset();
            assert.deepEqual(readData(file).numbers, { [NUMBER]: { wa_number: NUMBER }, "+15550008888": { wa_number: "+15550008888" } });
        });

        it("refuses to start when the data file cannot be written", async () => {
            const blocker = path.join(dir, "blocker");
            fs.writeFileSync(blocker, "a regular file\n");
            await assert.rejects(startEmulator({ dataFile: path.join(blocker, "state.json"), quiet: true }), /ENOTDIR|EEXIST/);
        });

        it("under concurrent PUTs with failing writes: every 200 is in memory and on disk, every 500 in neither, and the file equals memory", async () => {
            const numbers = Array.from({ length: 120 }, (_, i) => `+1555200${String(i).padStart(4, "0")}`);
            let writes = 0;
            const violations: string[] = [];
            const emulator = await launchEmulator(
                { numbers, dataFile: file, quiet: true },
                {
                    write: async (target, text) => {
                        writes++;
                        // Memory never runs ahead of the file: when a write starts, memory is exactly the last file written.
                        if (writes > 1 && JSON.stringify(readData(target).numbers) !== JSON.stringify(emulator.profiles())) {
                            violations.push(`write ${writes}: memory differs from the data file`);
                        }
                        if (writes > 1 && writes % 3 === 0) throw new Error("EIO: i/o error (injected)");
                        await writeDurably(target, text);
                    },
                },
            );
            running.push(emulator);
            const results = await Promise.all(
                numbers.map(async (n, i) => ({ n, about: `about ${i}`, status: (await put(emulator, { wa_number: n, about: `about ${i}` })).status })),
            );
            const accepted = results.filter((r) => r.status === 200);
            const refused = results.filter((r) => r.status === 500);
            assert.equal(accepted.length + refused.length, results.length, `unexpected statuses: ${results.map((r) => r.status).join(",")}`);
            assert.ok(accepted.length > 0 && refused.length > 0, `expected both outcomes, got ${accepted.length} accepted, ${refused.length} refused`);
            assert.ok(writes < results.length, `the writes were not grouped: ${writes} writes for ${results.length} updates`);
            assert.deepEqual(violations, []);
            const onDisk = readData(file).numbers;
            assert.deepEqual(onDisk, emulator.profiles());
            for (const r of accepted) {
                assert.equal(emulator.profile(r.n)?.about, r.about);
                assert.equal(onDisk[r.n].about, r.about);
            }
            for (const r of refused) {
                assert.deepEqual(emulator.profile(r.n), { wa_number: r.n });
                assert.deepEqual(onDisk[r.n], { wa_number: r.n });
            }
        });
    });

    describe("CommitQueue", () => {
        function store(...numbers: string[]): ProfileStore {
            const s = new ProfileStore();
            for (const n of numbers) s.register(n);
            return s;
        }

        it("groups changes made during a write into the next one; each resolves only once its change is on disk and in memory", async () => {
            fs.mkdirSync(path.dirname(file), { recursive: true });
            const memory = store(NUMBER);
            const queue = new CommitQueue(file, memory);
            const checks: Promise<void>[] = [];
            for (let i = 1; i <= 50; i++) {
                const expected = String(i);
                checks.push(
                    queue.commit((draft) => draft.apply(NUMBER, { about: expected })).then(() => {
                        assert.ok(Number(readData(file).numbers[NUMBER].about) >= i, `commit ${i} resolved before it was on disk`);
                        assert.ok(Number(memory.get(NUMBER)?.about) >= i, `commit ${i} resolved before it was in memory`);
                    }),
                );
            }
            assert.equal(memory.get(NUMBER)?.about, undefined, "memory changed before any write");
            await Promise.all(checks);
            await queue.idle();
            assert.equal(readData(file).numbers[NUMBER].about, "50");
            assert.equal(memory.get(NUMBER)?.about, "50");
        });

        it("a failed write rejects every change of its batch and applies none; later writes still work", async () => {
            const missing = path.join(dir, "missing", "state.json");
            const memory = store(NUMBER);
            const queue = new CommitQueue(missing, memory);
            const results = await Promise.allSettled([
                queue.commit((draft) => draft.apply(NUMBER, { about: "a" })),
                queue.commit((draft) => draft.register("+15550009999")),
            ]);
            assert.ok(results.every((r) => r.status === "rejected"));
            assert.deepEqual(memory.all(), { [NUMBER]: { wa_number: NUMBER } });
            fs.mkdirSync(path.dirname(missing), { recursive: true });
            assert.equal(await queue.commit((draft) => draft.register("+15550009999")), true);
            assert.deepEqual(readData(missing).numbers, memory.all());
            assert.deepEqual(Object.keys(memory.all()), [NUMBER, "+15550009999"]);
        });

        it("a change that throws rejects alone; the rest of its batch is committed", async () => {
            fs.mkdirSync(path.dirname(file), { recursive: true });
            const memory = store(NUMBER);
            const queue = new CommitQueue(file, memory);
            const [good, bad] = await Promise.allSettled([
                queue.commit((draft) => draft.apply(NUMBER, { about: "good" })),
                queue.commit((draft) => draft.apply("+15550001234", { about: "not registered" })),
            ]);
            assert.equal(good.status, "fulfilled");
            assert.equal(bad.status, "rejected");
            assert.deepEqual(memory.all(), { [NUMBER]: { wa_number: NUMBER, about: "good" } });
            assert.deepEqual(readData(file).numbers, memory.all());
        });
    });
});

describe("emulator: registered numbers follow the contract's E.164 rule", () => {
    // +999 is E.164 in shape but no country's calling code: every update to it would fail.
    const UNASSIGNED = "+999123456789";

    it("refuses --number +999…, saying why, and takes a valid one", () => {
        assert.throws(() => parseCliArgs(["--number", UNASSIGNED]), (e: Error) => {
            assert.equal(e.name, "UsageError");
            assert.match(e.message, /^--number "\+999123456789" cannot be registered: wa_number starts with no assigned country calling code \(\+999…\)/);
            return true;
        });
        assert.throws(() => parseCliArgs(["--number", "+91987"]), /is too short/);
        const ok = parseCliArgs(["--number", "+14155550123"]);
        assert.ok(ok.kind === "run" && ok.options.numbers?.[0] === "+14155550123");
    });

    it("refuses it from the library, the admin API's store and a data file", async () => {
        await assert.rejects(startEmulator({ numbers: [UNASSIGNED], quiet: true }), /cannot be registered: wa_number starts with no assigned country calling code/);
        assert.throws(() => new ProfileStore().register(UNASSIGNED), RangeError);
        assert.throws(() => parseSnapshot(JSON.stringify({ version: 1, numbers: { [UNASSIGNED]: {} } }), "data.json"), /^Error: data\.json: "\+999123456789" cannot be registered/);
        assert.throws(() => parseSnapshot('{"version":1,"numbers":{"__proto__":{}}}', "data.json"), /data\.json: "__proto__" cannot be registered: wa_number is not an E\.164 number/);
    });

    it("what it registers, an update can reach", async () => {
        const emulator = await startEmulator({ numbers: ["+14155550123"], quiet: true });
        try {
            const res = await put(emulator, { wa_number: "+14155550123", about: "Open" });
            assert.equal(res.status, 200);
        } finally {
            await emulator.close();
        }
    });
});
