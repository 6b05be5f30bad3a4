import { strict as assert } from "assert";
import * as fs from "fs";
import * as path from "path";
import { NumberProfile, RunningEmulator, startEmulator } from "../../provider/emulator";
import { SnapshotWriter } from "../../provider/emulator/persistence";
import { NUMBER, SAMPLE_BODY, admin, put, removeDir, tempDir } from "./helpers";

interface DataFile {
    version: number;
    numbers: Record<string, NumberProfile>;
}

function readData(file: string): DataFile {
    return JSON.parse(fs.readFileSync(file, "utf8")) as DataFile;
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

    describe("SnapshotWriter", () => {
        it("coalesces: each persist() resolves only after a write that contains its state", async () => {
            fs.mkdirSync(path.dirname(file), { recursive: true });
            let state = 0;
            const writer = new SnapshotWriter(file, () => ({ version: 1, numbers: { [NUMBER]: { wa_number: NUMBER, about: String(state) } } }));
            const checks: Promise<void>[] = [];
            for (let i = 1; i <= 50; i++) {
                state = i;
                const expected = i;
                checks.push(
                    writer.persist().then(() => {
                        const onDisk = Number(readData(file).numbers[NUMBER].about);
                        assert.ok(onDisk >= expected, `persist() for state ${expected} resolved with ${onDisk} on disk`);
                    }),
                );
            }
            await Promise.all(checks);
            await writer.idle();
            assert.equal(readData(file).numbers[NUMBER].about, "50");
        });

        it("rejects when the write fails, and later writes still work", async () => {
            const missingDir = path.join(dir, "missing", "state.json");
            const failing = new SnapshotWriter(missingDir, () => ({ version: 1, numbers: {} }));
            await assert.rejects(failing.persist());
            fs.mkdirSync(path.dirname(missingDir), { recursive: true });
            await failing.persist();
            assert.deepEqual(readData(missingDir), { version: 1, numbers: {} });
        });
    });
});
