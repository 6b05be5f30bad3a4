/**
 * The in-process section of `npm run bench` (no engine, no CLI): what `__provider` is, what check
 * and diff cost per call on the real provider object, and what declaring N profiles costs a
 * program under `pulumi.runtime.setMocks` against the minimal dynamic resource.
 */
import { bytes, fixed, table } from "./format";
import { measureInProcess, type InProcessFigures } from "./in-process";
import { measureRegistration, renderRegistration } from "./register";
import { envNumber, type BenchSection } from "./section";
import { serializeProviders, utf8Bytes, type SerializedProviders } from "./serialization";

function checkDiffTable(p: InProcessFigures): string {
    return table(
        ["call (in-process, `new KaleyraProfileProvider()`)", "µs per call"],
        [
            ["`check`, full profile", fixed(p.checkUs, 1)],
            ["`diff`, nothing changed", fixed(p.diffSameUs, 2)],
            ["`diff`, one field changed", fixed(p.diffChangedUs, 2)],
        ],
        ["l", "r"],
    );
}

function serializationText(s: SerializedProviders): string {
    const escaped = utf8Bytes(JSON.stringify(s.shim));
    const lines = [
        `\`__provider\` (contract/shim.ts, runtime contract 2): **${bytes(utf8Bytes(s.shim))}**, ${bytes(escaped)} JSON-escaped; the dynamic-provider host records it in`,
        `each resource's inputs and outputs, so ${bytes(2 * escaped)} per resource in state (the real-CLI sections measure the state itself). Contract 1`,
        "(0.1.0's, still served for the state it wrote) recorded a 2,572-byte serialized object: 5,398 B per resource.",
    ];
    if (s.baselineError !== undefined) {
        lines.push(
            "",
            "The straightforward design — the provider object itself serialized into `__provider`, its code copied in — cannot be",
            `serialized by this SDK at all (\`${s.baselineError}\`), so it has no size and nothing to run through the CLI.`,
        );
    } else {
        lines.push("", `The straightforward design (the provider object serialized, its code copied in) would record ${bytes(utf8Bytes(s.baseline))}.`);
    }
    return lines.join("\n");
}

/** The section. `BENCH_REGISTER_N` (default 150) and `BENCH_REGISTER_ROUNDS` (default 5; quick: 2) set the registration runs. */
export const inProcessSection: BenchSection = {
    id: "in-process",
    title: "In process: __provider, check and diff, declaring N",
    needsCli: false,
    async run(ctx) {
        ctx.progress("in process: serializing the shim");
        const serialized = await serializeProviders();
        ctx.progress("in process: check and diff");
        const calls = await measureInProcess(ctx.quick ? 2_000 : 20_000);
        const n = envNumber(ctx.env, "BENCH_REGISTER_N", 150);
        const rounds = envNumber(ctx.env, "BENCH_REGISTER_ROUNDS", ctx.quick ? 2 : 5);
        ctx.progress(`in process: declaring ${n} profiles under mocks, ${rounds} rounds`);
        const registration = measureRegistration(n, rounds);
        return {
            markdown: [
                "### In process: `__provider`, check and diff, declaring N (no engine)",
                "",
                serializationText(serialized),
                "",
                `check and diff on the real provider object (best of ${calls.rounds} rounds of up to ${calls.calls.toLocaleString("en-US")} calls):`,
                "",
                checkDiffTable(calls),
                "",
                renderRegistration(registration),
            ].join("\n"),
        };
    },
};
