#!/usr/bin/env node
/**
 * `kaleyra-emulator`: start the emulator from the command line. See `--help` and docs/emulator.md.
 * Exit status: 0 after a clean stop, 1 when it cannot start, 2 on a command-line mistake.
 */
import { formatBanner } from "./banner";
import { HELP_TEXT, UsageError, parseCliArgs } from "./cli-args";
import { startEmulator } from "./index";

async function main(argv: readonly string[]): Promise<number> {
    let command;
    try {
        command = parseCliArgs(argv);
    } catch (e) {
        if (!(e instanceof UsageError)) throw e;
        process.stderr.write(`kaleyra-emulator: ${e.message}\nRun "kaleyra-emulator --help" for the flags.\n`);
        return 2;
    }
    if (command.kind === "help") {
        process.stdout.write(HELP_TEXT);
        return 0;
    }

    // Listen for signals before anything is printed: whoever reads the banner may signal at once.
    let signalled: NodeJS.Signals | undefined;
    let onSignal: (signal: NodeJS.Signals) => void = (signal) => {
        signalled ??= signal;
    };
    const handler = (signal: NodeJS.Signals): void => onSignal(signal);
    process.on("SIGINT", handler);
    process.on("SIGTERM", handler);

    let emulator;
    try {
        emulator = await startEmulator(command.options);
    } catch (e) {
        process.stderr.write(`kaleyra-emulator: cannot start: ${e instanceof Error ? e.message : String(e)}\n`);
        return e instanceof RangeError ? 2 : 1;
    }
    const running = emulator;
    const stopped = new Promise<number>((resolve) => {
        let stopping = false;
        onSignal = (signal) => {
            if (stopping) return;
            stopping = true;
            process.stdout.write(`\n${signal}: stopping…\n`);
            running.close().then(
                () => resolve(0),
                (e: unknown) => {
                    process.stderr.write(`kaleyra-emulator: error while stopping: ${String(e)}\n`);
                    resolve(1);
                },
            );
        };
    });
    if (signalled) onSignal(signalled);
    else process.stdout.write(formatBanner(emulator, command.options.dataFile));
    return stopped;
}

main(process.argv.slice(2)).then(
    (code) => {
        process.exitCode = code;
    },
    (e: unknown) => {
        process.stderr.write(`kaleyra-emulator: ${e instanceof Error ? (e.stack ?? e.message) : String(e)}\n`);
        process.exitCode = 1;
    },
);
