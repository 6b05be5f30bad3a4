/** Defaults shared by the library and the CLI. */

/** Default account SID. */
export const DEFAULT_SID = "HXEMULATOR0001";

/** Default API key: obviously a development key, shaped like Kaleyra's (A + 32 characters). */
export const DEFAULT_API_KEY = "Aemulator0dev0key0000000000000001";

/** Default interface to bind. */
export const DEFAULT_HOST = "127.0.0.1";

/** The CLI's default port (the library's is 0: a free port). */
export const DEFAULT_CLI_PORT = 4010;

/** Default seed of the fault generator. */
export const DEFAULT_SEED = 1;

/** The number the CLI registers when given no `--number`. */
export const DEMO_NUMBER = "+919876543210";
