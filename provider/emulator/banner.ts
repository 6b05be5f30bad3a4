/**
 * What the CLI prints on start: where it listens, the credentials, the numbers, and the lines
 * to paste into `pulumi config` or a shell.
 */
import * as path from "node:path";
import { RunningEmulator } from "./types";

/** Quote a value for a POSIX shell when it needs it. */
export function shellQuote(value: string): string {
    return /^[A-Za-z0-9_@%+=:,./-]+$/.test(value) ? value : `'${value.replace(/'/g, `'\\''`)}'`;
}

/** The start-up banner. */
export function formatBanner(emulator: RunningEmulator, dataFile: string | undefined): string {
    const numbers = Object.keys(emulator.profiles());
    const q = shellQuote;
    return [
        `kaleyra-emulator listening on ${emulator.url}`,
        `  SID:      ${emulator.sid}`,
        `  API key:  ${emulator.apiKey}`,
        `  Numbers:  ${numbers.length > 0 ? numbers.join(", ") : "(none; register with POST /__emulator/numbers)"}`,
        `  State:    ${dataFile !== undefined ? path.resolve(dataFile) : "in memory (use --data <file> to persist)"}`,
        `  Admin:    ${emulator.url}/__emulator/numbers`,
        "",
        "Point a stack at it:",
        `  pulumi config set kaleyra:endpoint ${q(emulator.url)}`,
        `  pulumi config set kaleyra:sid ${q(emulator.sid)}`,
        `  pulumi config set --secret kaleyra:apiKey ${q(emulator.apiKey)}`,
        "or in the environment:",
        `  export KALEYRA_ENDPOINT=${q(emulator.url)}`,
        `  export KALEYRA_SID=${q(emulator.sid)}`,
        `  export KALEYRA_API_KEY=${q(emulator.apiKey)}`,
        "",
        "Press Ctrl-C to stop.",
        "",
    ].join("\n");
}
