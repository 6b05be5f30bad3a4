/**
 * kaleyra-emulator: a local, stateful emulation of Kaleyra's WhatsApp number API
 * (`PUT /v1/<sid>/whatsapp/number`) for tests, demos and CI, with an admin API and fault
 * injection. See docs/emulator.md.
 *
 * @example
 * const emulator = await startEmulator({ numbers: ["+919876543210"] });
 * // point the provider at emulator.url, emulator.sid, emulator.apiKey ...
 * await emulator.close();
 */
import { launchEmulator } from "./launch";
import { EmulatorOptions, RunningEmulator } from "./types";

export type {
    EmulatorOptions,
    FaultSettings,
    NumberProfile,
    RequestLogEntry,
    RunningEmulator,
    ScriptedFault,
    ScriptedResponse,
} from "./types";
export { ERRORS } from "./errors";
export type { ErrorEnvelope, ErrorName, ErrorSpec } from "./errors";
export { SUCCESS_BODY } from "./kaleyra";
export { DEFAULT_API_KEY, DEFAULT_CLI_PORT, DEFAULT_HOST, DEFAULT_SEED, DEFAULT_SID, DEMO_NUMBER } from "./defaults";

/**
 * Start an emulator. With `dataFile`, state is loaded from it (numbers in `numbers` are added)
 * and written back before this resolves.
 * @throws RangeError on bad options, Error when the data file is unreadable, corrupt or cannot be
 *   written, or the port is taken.
 */
export function startEmulator(options: EmulatorOptions = {}): Promise<RunningEmulator> {
    return launchEmulator(options);
}
