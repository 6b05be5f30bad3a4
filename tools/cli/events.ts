/**
 * Reads the engine's event log (`pulumi <command> --event-log <file>`): one JSON engine event per
 * line, the same stream the Automation API consumes. It tells, per resource, the planned step, its
 * outcome and its diagnostics, without scraping the human-readable output.
 */
import * as fs from "node:fs";

/** What happened (or, in a preview, would happen) to one resource. */
export interface CliStep {
    /** The resource's URN. */
    readonly urn: string;
    /** The resource's name (the URN's last part). */
    readonly name: string;
    /** The resource's type token. */
    readonly type: string;
    /** `create`, `update`, `replace`, `same`, `delete`, `refresh`, `create-replacement`, … as the engine names it. */
    readonly op: string;
    /** `planned` (preview), `done` or `failed`. */
    readonly status: "planned" | "done" | "failed";
    /** The top-level properties that differ (`update`, `replace`). */
    readonly diffs: readonly string[];
    /** The properties that force a replacement. */
    readonly replaces: readonly string[];
}

/** A message the engine, the program or a provider reported. */
export interface CliDiagnostic {
    /** The resource it is about, when it is about one. */
    readonly urn?: string;
    /** `info`, `info#err`, `warning`, `error`, `debug`. */
    readonly severity: string;
    /** The message text (no colour codes). */
    readonly message: string;
}

/** The parsed event log of one command. */
export interface CliEvents {
    /** One entry per resource step, in the order the engine started them; later events update `status`. */
    readonly steps: CliStep[];
    /** Every diagnostic, in order. */
    readonly diagnostics: CliDiagnostic[];
    /** The engine's closing count of steps by op (`same`, `create`, …), when it got that far. */
    readonly summary: Readonly<Record<string, number>>;
}

interface StepMetadata {
    op?: string;
    urn?: string;
    type?: string;
    diffs?: string[];
    keys?: string[];
}

interface EngineEvent {
    resourcePreEvent?: { metadata?: StepMetadata; planning?: boolean };
    resOutputsEvent?: { metadata?: StepMetadata; planning?: boolean };
    resOpFailedEvent?: { metadata?: StepMetadata };
    diagnosticEvent?: { urn?: string; severity?: string; message?: string };
    summaryEvent?: { resourceChanges?: Record<string, number> };
}

/** The name part of a URN (`urn:pulumi:<stack>::<project>::<type>::<name>`). */
export function urnName(urn: string): string {
    return urn.split("::").slice(3).join("::");
}

/** Removes ANSI colour codes and Pulumi's `<{%reset%}>` colour markup. */
function plain(text: string): string {
    // eslint-disable-next-line no-control-regex
    return text.replace(/\x1b\[[0-9;]*m/g, "").replace(/<\{%[^%]*%\}>/g, "");
}

/** Parses the event log's text. Unknown event kinds are ignored; a truncated last line is skipped. */
export function parseEvents(text: string): CliEvents {
    const steps: CliStep[] = [];
    const byKey = new Map<string, number>();
    const diagnostics: CliDiagnostic[] = [];
    let summary: Record<string, number> = {};
    const key = (m: StepMetadata): string => `${m.urn}\u0000${m.op}`;
    const setStatus = (m: StepMetadata | undefined, status: CliStep["status"]): void => {
        if (!m?.urn) return;
        const at = byKey.get(key(m));
        if (at !== undefined) steps[at] = { ...steps[at], status };
    };
    for (const line of text.split("\n")) {
        if (!line.trim()) continue;
        let event: EngineEvent;
        try {
            event = JSON.parse(line) as EngineEvent;
        } catch {
            continue;
        }
        const pre = event.resourcePreEvent;
        if (pre?.metadata?.urn && pre.metadata.op) {
            const m = pre.metadata;
            byKey.set(key(m), steps.length);
            steps.push({
                urn: m.urn!,
                name: urnName(m.urn!),
                type: m.type ?? "",
                op: m.op!,
                status: "planned",
                diffs: m.diffs ?? [],
                replaces: m.keys ?? [],
            });
        }
        if (event.resOutputsEvent && !event.resOutputsEvent.planning) setStatus(event.resOutputsEvent.metadata, "done");
        if (event.resOpFailedEvent) setStatus(event.resOpFailedEvent.metadata, "failed");
        const d = event.diagnosticEvent;
        if (d?.message !== undefined) diagnostics.push({ urn: d.urn || undefined, severity: d.severity ?? "info", message: plain(d.message) });
        if (event.summaryEvent) summary = { ...(event.summaryEvent.resourceChanges ?? {}) };
    }
    return { steps, diagnostics, summary };
}

/** Reads and parses an event log file (empty when the command never started the engine). */
export function readEvents(file: string): CliEvents {
    return parseEvents(fs.existsSync(file) ? fs.readFileSync(file, "utf8") : "");
}
