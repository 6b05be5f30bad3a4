/**
 * Under the real Pulumi CLI against the emulator, at a size that fits `npm test`: bad minutes
 * (about 25% of PUTs faulted) and parallelism (`--parallel` 1, the default and 64, with
 * `kaleyra:maxConcurrency` bounding the PUTs in flight). The scenarios and their invariants are
 * tools/cli/scale-scenarios.ts; the same scenarios with a few hundred profiles run in `npm run bench`
 * (bench/real-engine-faults.ts), their outcome in bench/RESULTS.md.
 */
import * as path from "node:path";

import { faultScratch } from "../helpers/cli-soak";
import { badMinutes, parallelism } from "../../tools/cli/scale-scenarios";

describe("under the real Pulumi CLI at scale: bad minutes and parallelism", function () {
    this.timeout(300_000);
    const scratch = faultScratch("cli-scale-");

    it("bad minutes: 60 profiles, ~25% of PUTs faulted; ups converge with one successful PUT each and N + faulted in all", async function () {
        const f = await badMinutes({ n: 60, dir: scratch.tmp, seed: 7 });
        console.log(
            `      ${f.puts} PUTs = ${f.succeeded} + ${f.puts - f.succeeded} faulted (429 ${f.faulted.rateLimited}, 5xx ${f.faulted.serverError}, dropped/hung ${f.faulted.noAnswer}); ` +
                `ups: ${f.ups.map((u) => `exit ${u.code} ${u.durationMs} ms`).join(", ")}`,
        );
    });

    it("--parallel 1, default and 64 converge to the same profiles with N PUTs; kaleyra:maxConcurrency 3 bounds the PUTs in flight", async function () {
        const runs = [{ parallel: 1 }, { maxConcurrency: 3 }, { parallel: 64, maxConcurrency: 3 }];
        const figures = await parallelism({ n: 30, dir: path.join(scratch.tmp, "runs"), runs, latencyMs: 150 });
        console.log(`      ${figures.map((f) => `--parallel ${f.parallel ?? "default"}: ${f.puts} PUTs, ≤ ${f.peakInFlight} in flight, ${f.durationMs} ms`).join("; ")}`);
    });
});
