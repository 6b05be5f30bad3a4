/** Number formatting for the real-engine section. */

/** `1.23 s` or `456 ms`. */
export function formatMs(ms: number): string {
    return ms >= 1000 ? `${(ms / 1000).toFixed(2)} s` : `${Math.round(ms)} ms`;
}

/** `123 MiB`. */
export function formatBytes(bytes: number): string {
    return bytes > 0 ? `${Math.round(bytes / 1024 / 1024)} MiB` : "—";
}
