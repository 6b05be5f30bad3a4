/** Everything a harness operation produced or left behind, as text, for searching for a secret. */

import * as fs from "node:fs";

import type { OperationResult } from "../../tools/harness";

/**
 * Named texts of one operation: its state, outputs, logs, errors, steps, check failures, every
 * recorded `__provider`, and the state file on disk when one is given and exists.
 */
export function operationTexts(r: OperationResult, stateFile?: string): [string, string][] {
    const texts: [string, string][] = [
        ["state", JSON.stringify(r.state)],
        ["outputs", JSON.stringify(r.outputs)],
        ["hostLog", r.hostLog],
        ["programLog", r.programLog],
        ["errors", JSON.stringify(r.errors)],
        ["steps", JSON.stringify(r.steps)],
        ["checkFailures", JSON.stringify(r.checkFailures)],
    ];
    if (stateFile && fs.existsSync(stateFile)) texts.push(["state file", fs.readFileSync(stateFile, "utf8")]);
    for (const res of r.state.resources) texts.push(["__provider", String(res.outputs.__provider) + String(res.inputs.__provider)]);
    return texts;
}
