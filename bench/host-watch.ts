/**
 * Watches the dynamic-provider host that the harness spawns (it does not expose the child's pid):
 * polls `/proc` for a child of this process whose command line runs `cmd/dynamic-provider`, and
 * keeps its peak resident set (`VmHWM`) and CPU time (`utime + stime`) as last seen before it exits.
 * Linux only; elsewhere the watch reports nothing.
 */
import * as fs from "node:fs";

/** What was seen of the host during one operation. */
export interface HostSample {
    /** The host's pid. */
    readonly pid: number;
    /** Peak resident set size, bytes (`VmHWM`, the kernel's own high-water mark). */
    readonly peakRssBytes: number;
    /** User + system CPU time, ms, at the last sample (at most one interval before the host exited). */
    readonly cpuMs: number;
}

/** A running watch. */
export interface HostWatch {
    /** Stop polling and return what was seen, or `undefined` when no host was found. */
    stop(): HostSample | undefined;
}

/** Clock ticks per second of `/proc/<pid>/stat` times (`getconf CLK_TCK`; 100 on Linux). */
const CLOCK_TICKS_PER_SECOND = 100;
const HOST_MARKER = "dynamic-provider";

function readText(file: string): string | undefined {
    try {
        return fs.readFileSync(file, "utf8");
    } catch {
        return undefined;
    }
}

/** Fields of `/proc/<pid>/stat` after the command name (which may contain spaces). */
function statFields(pid: number): string[] | undefined {
    const stat = readText(`/proc/${pid}/stat`);
    if (stat === undefined) return undefined;
    return stat.slice(stat.lastIndexOf(")") + 2).split(" ");
}

function findHost(parent: number): number | undefined {
    let entries: string[];
    try {
        entries = fs.readdirSync("/proc");
    } catch {
        return undefined;
    }
    for (const entry of entries) {
        if (!/^\d+$/.test(entry)) continue;
        const pid = Number(entry);
        const fields = statFields(pid);
        // fields[0] is the state, fields[1] the parent pid.
        if (fields === undefined || Number(fields[1]) !== parent) continue;
        if (readText(`/proc/${pid}/cmdline`)?.includes(HOST_MARKER)) return pid;
    }
    return undefined;
}

function sample(pid: number): HostSample | undefined {
    const fields = statFields(pid);
    const status = readText(`/proc/${pid}/status`);
    if (fields === undefined || status === undefined) return undefined;
    const hwm = /^VmHWM:\s+(\d+) kB/m.exec(status);
    if (!hwm) return undefined;
    // utime and stime are fields 14 and 15 of the whole line: 11 and 12 after the command name.
    const ticks = Number(fields[11]) + Number(fields[12]);
    return { pid, peakRssBytes: Number(hwm[1]) * 1024, cpuMs: (ticks * 1000) / CLOCK_TICKS_PER_SECOND };
}

/**
 * Start watching for the host of the next operation. Call {@link HostWatch.stop} after it.
 * @param intervalMs polling interval.
 */
export function watchHost(intervalMs = 20): HostWatch {
    let pid: number | undefined;
    let last: HostSample | undefined;
    const tick = (): void => {
        pid ??= findHost(process.pid);
        if (pid === undefined) return;
        const next = sample(pid);
        if (next) last = next;
    };
    const timer = setInterval(tick, intervalMs);
    tick();
    return {
        stop() {
            clearInterval(timer);
            return last;
        },
    };
}
