/**
 * `__provider`: the property every dynamic resource carries for the Node.js dynamic-provider host,
 * and the text new resources record there (runtime contract 2), shared by the program that
 * registers it and the runtime that serves it (engine/runtime.ts).
 *
 * The text is one line that asks the installed package's runtime for the provider. It holds no
 * provider code and no configuration, so state stays small (the engine rewrites the whole state
 * after every step, so each byte here is paid N times over in an `up` of N resources), an upgrade
 * changes no `__provider`, every operation runs the installed code, and the API key is read from
 * the current stack config, never captured.
 *
 * Contract 1 (0.1.0) recorded a 2,572-byte object serialized by the SDK, whose methods each call
 * `dispatch(1, …)`; the runtime keeps serving it for state written then.
 */

/** The input (and output) the host reads the provider from. */
export const PROVIDER_KEY = "__provider";

/** The runtime contract {@link PROVIDER_SHIM} speaks. */
export const SHIM_CONTRACT = 2;

/**
 * The text of `__provider` for new resources. The host evaluates it as a CommonJS module
 * (`require` resolves from the program's directory) and calls `handler()` once per process.
 */
export const PROVIDER_SHIM = `exports.handler = () => require("pulumi-kaleyra-whatsapp/runtime").provider(${SHIM_CONTRACT});\n`;
