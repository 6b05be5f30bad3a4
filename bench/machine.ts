/**
 * The machine a benchmark ran on: Node version, CPU model, cores, memory, OS and date.
 */
import * as os from "node:os";

/** Where and when the figures were measured. */
export interface MachineInfo {
    /** `process.version`. */
    readonly node: string;
    /** The first CPU's model string from `os.cpus()`. */
    readonly cpuModel: string;
    /** Logical cores (`os.cpus().length`). */
    readonly cores: number;
    /** Total memory, GiB. */
    readonly memoryGiB: number;
    /** OS type, release and architecture. */
    readonly os: string;
    /** When the run started, ISO 8601. */
    readonly date: string;
    /** 1-minute load average when the run started (other work on the machine skews wall times). */
    readonly loadAtStart: number;
}

/** The 1-minute load average now (0 where the OS has none). */
export function loadAverage(): number {
    return Math.round(os.loadavg()[0] * 100) / 100;
}

/** Describe this machine. */
export function machineInfo(now: Date = new Date()): MachineInfo {
    const cpus = os.cpus();
    return {
        node: process.version,
        cpuModel: cpus[0]?.model.trim() || "unknown",
        cores: cpus.length,
        memoryGiB: Math.round((os.totalmem() / 2 ** 30) * 10) / 10,
        os: `${os.type()} ${os.release()} ${os.arch()}`,
        date: now.toISOString(),
        loadAtStart: loadAverage(),
    };
}
