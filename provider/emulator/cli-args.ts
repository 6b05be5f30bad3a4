/**
 * The CLI's flags: parsing (node's `util.parseArgs`) into {@link EmulatorOptions}, and the help text.
 */
import { parseArgs } from "node:util";
import { DEFAULT_API_KEY, DEFAULT_CLI_PORT, DEFAULT_HOST, DEFAULT_SEED, DEFAULT_SID, DEMO_NUMBER } from "./defaults";
import { DEFAULT_RETRY_AFTER_SECONDS } from "./faults";
import { numberProblem } from "./store";
import { EmulatorOptions, FaultSettings } from "./types";

/** A command-line mistake: the CLI prints it and exits with status 2. */
export class UsageError extends Error {
    override readonly name = "UsageError";
}

/** What the command line asks for. */
export type CliCommand = { kind: "help" } | { kind: "run"; options: EmulatorOptions };

/** The help text. */
export const HELP_TEXT = `kaleyra-emulator — a local, stateful Kaleyra WhatsApp number API (PUT /v1/<sid>/whatsapp/number)

Usage: kaleyra-emulator [flags]

Flags:
  --port <n>            port to listen on (default ${DEFAULT_CLI_PORT}; 0 picks a free one)
  --host <addr>         interface to bind (default ${DEFAULT_HOST})
  --sid <sid>           account SID to accept (default ${DEFAULT_SID})
  --api-key <key>       api-key header value to accept (default ${DEFAULT_API_KEY})
  --number <E.164>      a WhatsApp number registered on the account; repeatable
                        (default ${DEMO_NUMBER} when none is given)
  --data <file>         persist numbers and profiles in this JSON file (default: in memory)
  --seed <n>            seed of the fault generator, so fault sequences repeat (default ${DEFAULT_SEED})
  --rate-limit <p>      probability (0-1) of a 429 with Retry-After
  --retry-after <s>     Retry-After seconds sent with 429s (default ${DEFAULT_RETRY_AFTER_SECONDS})
  --server-error <p>    probability (0-1) of a 500, 502 or 503
  --drop <p>            probability (0-1) that the connection is closed without a response
  --hang <p>            probability (0-1) that the request is never answered
  --latency <ms>        milliseconds added before each Kaleyra request is handled
  --echo-api-key        echo each request's api-key in the response headers and error
                        messages (to test that a client never shows it)
  --quiet               no warnings on stderr
  -h, --help            show this help

Faults apply to Kaleyra's paths (/v1/...) only, never to the admin API (/__emulator/...).
Stop with Ctrl-C (SIGINT) or SIGTERM. Docs: docs/emulator.md in the package.
`;

function integer(flag: string, text: string, min: number, max: number): number {
    const n = Number(text);
    if (text.trim() === "" || !Number.isInteger(n) || n < min || n > max) {
        throw new UsageError(`--${flag} must be a whole number from ${min} to ${max}, got "${text}"`);
    }
    return n;
}

function probability(flag: string, text: string): number {
    const n = Number(text);
    if (text.trim() === "" || !(n >= 0 && n <= 1)) throw new UsageError(`--${flag} must be a number from 0 to 1, got "${text}"`);
    return n;
}

/**
 * Parse the CLI's arguments (without `node` and the script).
 * @throws UsageError on an unknown flag, a missing or bad value, or a positional argument.
 */
export function parseCliArgs(argv: readonly string[]): CliCommand {
    let values;
    try {
        ({ values } = parseArgs({
            args: [...argv],
            strict: true,
            allowPositionals: false,
            options: {
                port: { type: "string" },
                host: { type: "string" },
                sid: { type: "string" },
                "api-key": { type: "string" },
                number: { type: "string", multiple: true },
                data: { type: "string" },
                seed: { type: "string" },
                "rate-limit": { type: "string" },
                "retry-after": { type: "string" },
                "server-error": { type: "string" },
                drop: { type: "string" },
                hang: { type: "string" },
                latency: { type: "string" },
                "echo-api-key": { type: "boolean" },
                quiet: { type: "boolean" },
                help: { type: "boolean", short: "h" },
            },
        }));
    } catch (e) {
        throw new UsageError((e as Error).message, { cause: e });
    }
    if (values.help) return { kind: "help" };
    for (const n of values.number ?? []) {
        const problem = numberProblem(n);
        if (problem) throw new UsageError(`--number ${problem}`);
    }

    const faults: FaultSettings = {};
    if (values["rate-limit"] !== undefined) faults.rateLimitProbability = probability("rate-limit", values["rate-limit"]);
    if (values["server-error"] !== undefined) faults.serverErrorProbability = probability("server-error", values["server-error"]);
    if (values.drop !== undefined) faults.dropProbability = probability("drop", values.drop);
    if (values.hang !== undefined) faults.hangProbability = probability("hang", values.hang);
    if (values["retry-after"] !== undefined) faults.retryAfterSeconds = integer("retry-after", values["retry-after"], 0, 86_400);
    if (values.latency !== undefined) faults.latencyMs = integer("latency", values.latency, 0, 600_000);
    if (values["echo-api-key"]) faults.echoApiKey = true;
    const total = (faults.rateLimitProbability ?? 0) + (faults.serverErrorProbability ?? 0) + (faults.dropProbability ?? 0) + (faults.hangProbability ?? 0);
    if (total > 1 + 1e-9) throw new UsageError("the fault probabilities add up to more than 1");

    return {
        kind: "run",
        options: {
            port: values.port === undefined ? DEFAULT_CLI_PORT : integer("port", values.port, 0, 65535),
            host: values.host ?? DEFAULT_HOST,
            sid: values.sid ?? DEFAULT_SID,
            apiKey: values["api-key"] ?? DEFAULT_API_KEY,
            numbers: values.number ?? [DEMO_NUMBER],
            dataFile: values.data,
            seed: values.seed === undefined ? DEFAULT_SEED : integer("seed", values.seed, -(2 ** 31), 2 ** 32 - 1),
            faults,
            quiet: values.quiet ?? false,
        },
    };
}
