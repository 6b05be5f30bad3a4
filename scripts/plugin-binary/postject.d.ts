/** The part of postject's API (it ships no types) that scripts/plugin-binary/sea.ts uses. */
declare module "postject" {
    /** Options of {@link inject}. */
    export interface InjectOptions {
        /** The fuse string to flip to `:1` once the resource is in. */
        readonly sentinelFuse?: string;
        /** Mach-O only: the segment to put the resource in. */
        readonly machoSegmentName?: string;
        /** Replace a resource of the same name already there. */
        readonly overwrite?: boolean;
    }
    /** Inject `data` as the resource `name` into the executable `file`, in place. */
    export function inject(file: string, name: string, data: Uint8Array, options?: InjectOptions): Promise<void>;
}
