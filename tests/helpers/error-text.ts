/** What the error tests search: everything an error exposes, and a rejection checked for a secret. */
import { strict as assert } from "node:assert";
import { inspect } from "node:util";

import { KaleyraError } from "../../provider/engine/errors";

/** Everything an error exposes, as text: message, stack, fields, inspection. */
export function everything(e: unknown): string {
    return [String(e), (e as Error).stack, JSON.stringify(e), inspect(e, { depth: 10, showHidden: true })].join("\n");
}

/**
 * The `KaleyraError` that `p` rejects with, asserting it is one and that `secret` is in none of
 * its text.
 */
export async function rejection(p: Promise<unknown>, secret: string): Promise<KaleyraError> {
    try {
        await p;
    } catch (e) {
        assert.ok(e instanceof KaleyraError, `expected a KaleyraError, got ${inspect(e)}`);
        assert.ok(!everything(e).includes(secret), "the API key leaked into an error");
        return e;
    }
    assert.fail("expected a rejection");
}
