/**
 * The per-stack JSON state file: read it (empty state when missing) and write it atomically.
 */
import * as fs from "node:fs";
import * as path from "node:path";
import { StackState } from "./types";

/** An empty state for a stack. */
export function emptyState(project: string, stack: string): StackState {
    return { version: 1, project, stack, resources: [], outputs: {} };
}

/**
 * Reads a stack's state file. A missing file is an empty state (project and stack left empty unless given).
 * @throws if the file exists but is not a harness state file.
 */
export function readState(stateFile: string, project = "", stack = ""): StackState {
    let text: string;
    try {
        text = fs.readFileSync(stateFile, "utf8");
    } catch (e) {
        if ((e as NodeJS.ErrnoException).code === "ENOENT") {
            return emptyState(project, stack);
        }
        throw e;
    }
    const parsed = JSON.parse(text) as StackState;
    if (parsed.version !== 1 || !Array.isArray(parsed.resources)) {
        throw new Error(`${stateFile} is not a harness state file (version ${String(parsed.version)})`);
    }
    return parsed;
}

let counter = 0;

/** Writes a stack's state file atomically (temporary file in the same directory, then rename). */
export function writeState(stateFile: string, state: StackState): void {
    fs.mkdirSync(path.dirname(stateFile), { recursive: true });
    const tmp = `${stateFile}.${process.pid}.${counter++}.tmp`;
    fs.writeFileSync(tmp, JSON.stringify(state, null, 2) + "\n");
    fs.renameSync(tmp, stateFile);
}
