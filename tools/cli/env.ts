/**
 * The environment every CLI command runs in: offline and isolated from the user's own Pulumi setup
 * (Pulumi's own test tooling does the same). Nothing is read from or written to `~/.pulumi`, no
 * Pulumi Cloud login is used, no plugin is downloaded, no update check is made.
 */
import * as path from "node:path";

/** Where the CLI's Node.js processes keep their compile cache (git-ignored). */
const COMPILE_CACHE = path.resolve(__dirname, "..", "..", ".cache", "node-compile-cache");

/** What an isolated environment is built from. */
export interface IsolatedEnvOptions {
    /** The directory holding `pulumi`, its language host and the dynamic-provider launcher; put first on PATH. */
    readonly binDir: string;
    /** `PULUMI_HOME` for these commands (plugin cache, credentials, workspace settings). */
    readonly pulumiHome: string;
    /** The file backend's directory (`PULUMI_BACKEND_URL=file://<dir>`). */
    readonly backendDir: string;
    /** The passphrase that encrypts the stacks' secrets (local use only). */
    readonly passphrase: string;
    /** Skip type-checking of TypeScript programs (`PULUMI_NODEJS_TRANSPILE_ONLY`); default false. */
    readonly transpileOnly?: boolean;
    /** Extra variables, applied last. */
    readonly extra?: Readonly<Record<string, string>>;
}

/**
 * Variables of the calling environment that never reach the CLI: the user's Pulumi settings
 * (access token, backend, home, passphrase, …) and the provider's env fallbacks, so that only
 * stack config reaches the provider.
 */
function inherited(name: string): boolean {
    return !name.startsWith("PULUMI_") && !name.startsWith("KALEYRA_");
}

/** The environment for one isolated CLI workspace. */
export function isolatedEnv(options: IsolatedEnvOptions): NodeJS.ProcessEnv {
    const env: NodeJS.ProcessEnv = {};
    for (const [k, v] of Object.entries(process.env)) if (inherited(k)) env[k] = v;
    return {
        ...env,
        PATH: [options.binDir, env.PATH].filter(Boolean).join(path.delimiter),
        PULUMI_HOME: options.pulumiHome,
        PULUMI_BACKEND_URL: `file://${path.resolve(options.backendDir)}`,
        PULUMI_CONFIG_PASSPHRASE: options.passphrase,
        PULUMI_SKIP_UPDATE_CHECK: "true",
        PULUMI_DISABLE_AUTOMATIC_PLUGIN_ACQUISITION: "true",
        PULUMI_SKIP_CONFIRMATIONS: "true",
        PULUMI_DIY_BACKEND_NO_LEGACY_WARNING: "true",
        // Plugins come from beside `pulumi` only, never from whatever else is on the user's PATH.
        PULUMI_IGNORE_AMBIENT_PLUGINS: "true",
        // Enables `--event-log`, the engine event stream the Automation API reads (it sets the same).
        PULUMI_DEBUG_COMMANDS: "true",
        ...(options.transpileOnly ? { PULUMI_NODEJS_TRANSPILE_ONLY: "true" } : {}),
        // Node's on-disk code cache for the program and the dynamic-provider host, which both load
        // @pulumi/pulumi on every command: about 18% less CPU per `pulumi preview` here.
        NODE_COMPILE_CACHE: process.env.NODE_COMPILE_CACHE ?? COMPILE_CACHE,
        NO_COLOR: "1",
        ...options.extra,
    };
}
