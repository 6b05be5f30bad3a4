/**
 * The provider's real implementation. The engine never serializes this class: `__provider`
 * holds one line (contract/shim.ts) that loads it from the installed package at run time, so every
 * operation runs the installed version's code and reads the current config.
 */

import type * as pulumi from "@pulumi/pulumi";

// Types only: the client module (axios, p-limit and the transport around them) is
// loaded by the first PUT (see `kaleyra()`), so check, diff, read and delete — every preview and
// every no-op up — never load the HTTP stack; and check's module by the first
// check, so a process that only answers GetSchema (the plugin's, for Pulumi YAML) loads neither.
import type * as CheckModule from "./check";
import type { KaleyraClient, KaleyraClientOptions } from "./client";
import { ConfigSource, resolveSettings } from "./config";
import { diffProfile } from "./diff";
import { FIELD_NAMES } from "../contract/fields";
import { requestBody } from "./request";
import type { ProfileInputs, ProfileOutputs } from "../contract/types";

type CheckResult = pulumi.dynamic.CheckResult<ProfileInputs>;
type DiffResult = pulumi.dynamic.DiffResult;
type CreateResult = pulumi.dynamic.CreateResult<ProfileOutputs>;
type UpdateResult = pulumi.dynamic.UpdateResult<ProfileOutputs>;
type ReadResult = pulumi.dynamic.ReadResult<ProfileOutputs>;

/** Options for embedding or testing the provider. */
export interface KaleyraProfileProviderOptions {
    /** Environment for the `KALEYRA_*` fallbacks; `process.env` by default. */
    readonly env?: NodeJS.ProcessEnv;
    /** Client knobs (backoff, jitter source, retry hook). */
    readonly client?: KaleyraClientOptions;
    /** Where progress lines go (retries); stderr by default. Lines never contain the API key. */
    readonly log?: (line: string) => void;
}

let checkModule: typeof CheckModule | undefined;

/** check.ts, loaded on first use. */
function checks(): typeof CheckModule {
    return (checkModule ??= require("./check") as typeof CheckModule);
}

/** Only the managed properties, without `undefined` and without `__provider`. */
export function outputsOf(recorded: object): ProfileOutputs {
    const props = recorded as Readonly<Record<string, unknown>>;
    const outs: Record<string, string> = { waNumber: String(props.waNumber) };
    for (const name of FIELD_NAMES) {
        const value = props[name];
        if (typeof value === "string") outs[name] = value;
    }
    return outs as unknown as ProfileOutputs;
}

/**
 * The `WhatsAppNumberProfile` provider: check → diff → one PUT per create or update.
 * Delete and read make no call (Kaleyra has no such endpoints).
 */
export class KaleyraProfileProvider implements pulumi.dynamic.ResourceProvider<ProfileInputs, ProfileOutputs> {
    private config?: ConfigSource;
    private client?: KaleyraClient;

    constructor(private readonly options: KaleyraProfileProviderOptions = {}) {}

    /** Keeps the stack config for later operations; credentials are resolved at the first call. */
    async configure(req: pulumi.dynamic.ConfigureRequest): Promise<void> {
        this.useConfig(req.config);
    }

    /** Read settings from `config` from now on (the plugin's `Configure`); credentials are resolved at the next call. */
    useConfig(config: ConfigSource): void {
        this.config = config;
        this.client = undefined;
    }

    /** Validate and normalize; no HTTP. */
    async check(_olds: ProfileInputs, news: ProfileInputs): Promise<CheckResult> {
        const { inputs, failures } = checks().checkProfile(news as unknown as Record<string, unknown>);
        return failures.length > 0 ? { inputs: { ...news }, failures } : { inputs };
    }

    /** Replace on a new number; update on any field change; nothing otherwise. */
    async diff(_id: string, olds: ProfileOutputs, news: ProfileInputs): Promise<DiffResult> {
        const { changes, replaces } = diffProfile(olds, news);
        return { changes, replaces, deleteBeforeReplace: false };
    }

    /** One PUT with every set field. The id is the number. */
    async create(inputs: ProfileInputs): Promise<CreateResult> {
        const outs = outputsOf(inputs);
        await this.kaleyra().updateNumber(requestBody(outs));
        return { id: outs.waNumber, outs };
    }

    /** One PUT with `wa_number` and the changed fields; none when only removals. */
    async update(_id: string, olds: ProfileOutputs, news: ProfileInputs): Promise<UpdateResult> {
        const outs = outputsOf(news);
        const { changed } = diffProfile(olds, outs);
        if (changed.length > 0) await this.kaleyra().updateNumber(requestBody(outs, changed));
        return { outs };
    }

    /** No endpoint returns a profile: the recorded state is the truth. */
    async read(id: string, props?: ProfileOutputs): Promise<ReadResult> {
        if (!props || props.waNumber === undefined) {
            throw new Error(
                `Cannot read WhatsApp number ${id}: Kaleyra has no API that returns a number's profile, so it cannot be imported or refreshed from nothing. Declare it in the program and run pulumi up.`,
            );
        }
        return { id, props: outputsOf(props) };
    }

    /** Kaleyra cannot delete a number or clear a profile: the resource just leaves the state. */
    async delete(): Promise<void> {}

    private kaleyra(): KaleyraClient {
        if (!this.client) {
            const settings = resolveSettings(this.config, this.options.env ?? process.env);
            const { KaleyraClient } = require("./client") as typeof import("./client");
            const log = this.options.log ?? ((line: string) => process.stderr.write(`${line}\n`));
            this.client = new KaleyraClient(settings, {
                ...this.options.client,
                onRetry: (event) => {
                    log(`kaleyra: attempt ${event.attempt} failed (${event.error.message}); retrying in ${(event.delayMs / 1000).toFixed(1)} s`);
                    this.options.client?.onRetry?.(event);
                },
            });
        }
        return this.client;
    }
}
