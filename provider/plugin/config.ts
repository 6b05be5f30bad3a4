/**
 * The plugin's provider configuration: what the engine sends in `CheckConfig` and `Configure`,
 * read into the same {@link ConfigSource} the dynamic resource's settings come from, so the keys,
 * defaults, env fallbacks and validation are engine/config.ts's, not a second copy.
 */

import { checkSettings, ConfigSource } from "../engine/config";
import { PACKAGE_NAME } from "./schema";

/** The engine's marker for a secret value in a protobuf `Struct` (see the Pulumi provider protocol). */
export const SECRET_SIGNATURE = { key: "4dabf18193072939515e22adb298388d", value: "1b47061264138c4ac30d75fd1eb44270" } as const;

/** Whether a value is the engine's secret wrapper. */
function isSecret(value: unknown): value is { value: unknown } {
    return typeof value === "object" && value !== null && Object.hasOwn(value, SECRET_SIGNATURE.key) && (value as Record<string, unknown>)[SECRET_SIGNATURE.key] === SECRET_SIGNATURE.value;
}

/** A value with any secret wrapper taken off. */
export function reveal(value: unknown): unknown {
    return isSecret(value) ? value.value : value;
}

/** A value in the engine's secret wrapper. */
export function secret(value: unknown): Record<string, unknown> {
    return { [SECRET_SIGNATURE.key]: SECRET_SIGNATURE.value, value };
}

/**
 * `CheckConfig`: the provider's inputs as the engine will record them, with `apiKey` always
 * marked secret — even when it was set without `--secret` — so no state file ever holds it in
 * plain text.
 */
export function checkConfigInputs(news: Readonly<Record<string, unknown>>): Record<string, unknown> {
    const inputs: Record<string, unknown> = { ...news };
    if (Object.hasOwn(inputs, "apiKey") && inputs.apiKey !== undefined) inputs.apiKey = secret(reveal(inputs.apiKey));
    return inputs;
}

/**
 * The settings the engine passed to `Configure`, as a {@link ConfigSource} answering
 * `get("kaleyra:sid")`. `args` (typed provider inputs) win over `variables` (the older
 * `kaleyra:config:<name>` strings); values are never logged.
 */
export function configSource(args: Readonly<Record<string, unknown>> | undefined, variables: ReadonlyMap<string, string>): ConfigSource {
    const prefix = `${PACKAGE_NAME}:`;
    return {
        get(key: string): unknown {
            if (!key.startsWith(prefix)) return undefined;
            const name = key.slice(prefix.length);
            const fromArgs = args && Object.hasOwn(args, name) ? reveal(args[name]) : undefined;
            if (fromArgs !== undefined && fromArgs !== null) return fromArgs;
            return variables.get(`${prefix}config:${name}`) ?? variables.get(key);
        },
    };
}

/**
 * The settings' problems, for `CheckConfig` (so `pulumi preview` fails on a bad region, endpoint
 * or number setting with the same message `pulumi up` would give). Missing credentials are not a
 * problem here: preview makes no call, and `up` names them when it needs them.
 * @returns `[]`, or one failure: the property is the setting the error names (`""` for the proxy
 *   variables, which are not provider properties), the reason its message.
 */
export function settingsFailures(inputs: Readonly<Record<string, unknown>>, env: NodeJS.ProcessEnv): { property: string; reason: string }[] {
    const problem = checkSettings(configSource(inputs, new Map()), env);
    if (!problem) return [];
    return [{ property: problem.setting === "proxy" ? "" : problem.setting, reason: problem.message }];
}
