/**
 * What can be checked of an executable built for another architecture without running it: its
 * ELF header (64-bit, little-endian, the machine it is for) and whether Node's single-executable
 * blob is in it, with the fuse flipped.
 */
import * as fs from "node:fs";

import { SEA_FUSE } from "./sea";

/** What an executable's header and contents say. */
export interface ExecutableFacts {
    /** The ELF magic is there. */
    readonly elf: boolean;
    /** `ELFCLASS64`. */
    readonly is64Bit: boolean;
    /** `ELFDATA2LSB`. */
    readonly littleEndian: boolean;
    /** `e_machine` (62 x86-64, 183 AArch64). */
    readonly machine: number;
    /** The fuse reads `…:1`: Node will run the injected script instead of acting as `node`. */
    readonly fuseFlipped: boolean;
    /** The preparation blob (when given) is in the file, byte for byte. */
    readonly hasBlob: boolean;
}

/**
 * Read the facts of `file`.
 * @param blob the preparation blob that should have been injected.
 */
export function inspectExecutable(file: string, blob?: Buffer): ExecutableFacts {
    const bytes = fs.readFileSync(file);
    return {
        elf: bytes.subarray(0, 4).equals(Buffer.from([0x7f, 0x45, 0x4c, 0x46])),
        is64Bit: bytes[4] === 2,
        littleEndian: bytes[5] === 1,
        machine: bytes.readUInt16LE(18),
        fuseFlipped: bytes.includes(`${SEA_FUSE}:1`),
        hasBlob: blob !== undefined && bytes.includes(blob),
    };
}
