/**
 * Collects what happens during an operation (steps, check failures, errors) and builds the result.
 */
import { zeroCalls } from "./host";
import { unwrapSecrets, containsSecret } from "./wire";
import { CheckFailureRecord, GrpcMethod, JsonObject, Operation, OperationResult, StackState, StepOp, StepRecord } from "./types";

/** Mutable record of one operation. */
export class Recorder {
    /** Steps, in completion order. */
    readonly steps: StepRecord[] = [];
    /** Check failures. */
    readonly checkFailures: CheckFailureRecord[] = [];
    /** Errors. */
    readonly errors: string[] = [];

    /** Records a step. */
    step(s: StepRecord): void {
        this.steps.push(s);
        if (s.status === "failed" && s.error !== undefined) {
            this.errors.push(`${s.op} ${s.urn}: ${s.error}`);
        }
    }

    /** Records an error not tied to one step. */
    error(message: string): void {
        this.errors.push(message);
    }

    /** True when nothing has failed so far. */
    get ok(): boolean {
        return this.errors.length === 0 && this.checkFailures.length === 0;
    }

    /** Builds the result. */
    result(args: {
        operation: Operation;
        calls?: Record<GrpcMethod, number>;
        outputs: JsonObject;
        hostLog: string;
        programLog: string;
        startedAt: number;
        state: StackState;
    }): OperationResult {
        const summary: Record<StepOp, number> = { create: 0, update: 0, replace: 0, delete: 0, "delete-replaced": 0, same: 0, read: 0 };
        for (const s of this.steps) {
            if (s.status === "done" || s.status === "planned") {
                summary[s.op]++;
            }
        }
        return {
            operation: args.operation,
            ok: this.ok,
            steps: this.steps,
            checkFailures: this.checkFailures,
            errors: this.errors,
            summary,
            grpcCalls: { ...(args.calls ?? zeroCalls()) },
            outputs: unwrapSecrets(args.outputs) as JsonObject,
            secretOutputs: Object.keys(args.outputs).filter((k) => containsSecret(args.outputs[k])),
            hostLog: args.hostLog,
            programLog: args.programLog,
            durationMs: Date.now() - args.startedAt,
            state: args.state,
        };
    }
}
