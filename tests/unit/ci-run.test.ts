/**
 * `.ci/run` adds up mocha's summaries with its `count` function, under `set -euo pipefail`. A
 * count that finds nothing (no "failing" line in a green run) must print 0 and let CI go on: a
 * grep there once ended CI with exit 1 right after a green `npm test`. These tests run the script's
 * own function in bash, with the script's shell options.
 */
import { strict as assert } from "node:assert";
import { spawnSync } from "node:child_process";
import * as fs from "node:fs";
import * as os from "node:os";
import * as path from "node:path";

const SCRIPT = fs.readFileSync(path.resolve(__dirname, "..", "..", ".ci", "run"), "utf8");
const COUNT = SCRIPT.split("\n").find((line) => line.startsWith("count() "));

/** Runs `count <log> <word>` as `.ci/run` does, then prints "after" to show the script went on. */
function count(log: string, word: string): { stdout: string; status: number | null } {
    assert.ok(COUNT, ".ci/run defines no count() function on one line");
    const dir = fs.mkdtempSync(path.join(os.tmpdir(), "ci-count-"));
    try {
        fs.writeFileSync(path.join(dir, "log"), log);
        const script = `set -euo pipefail\n${COUNT}\nn=$(count "$1" ${word})\necho "$n after"\n`;
        const run = spawnSync("bash", ["-c", script, "count-test", path.join(dir, "log")], { encoding: "utf8" });
        return { stdout: run.stdout.trim(), status: run.status };
    } finally {
        fs.rmSync(dir, { recursive: true, force: true });
    }
}

const GREEN = "\u001b[32m  571 passing\u001b[0m (50s)\n\n  80 passing (6m)\n  2 pending\n";

describe(".ci/run counts mocha's summaries", () => {
    it("sums every summary of a word across the runs in one log, colours stripped", () => {
        assert.deepEqual(count(GREEN, "passing"), { stdout: "651 after", status: 0 });
        assert.deepEqual(count(GREEN, "pending"), { stdout: "2 after", status: 0 });
    });

    it("prints 0 and goes on when a word is absent (a green run has no failing line)", () => {
        assert.deepEqual(count(GREEN, "failing"), { stdout: "0 after", status: 0 });
        assert.deepEqual(count("", "passing"), { stdout: "0 after", status: 0 });
    });

    it("counts failures, and not a test title that merely contains the word", () => {
        const log = "  ✔ reports 3 failing steps\n  3 passing\n  2 failing\n\n  1 failing\n";
        assert.deepEqual(count(log, "failing"), { stdout: "3 after", status: 0 });
    });
});
