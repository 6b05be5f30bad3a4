/** The company program's stacks (the repository's root project) as their real `Pulumi.<stack>.yaml` files say. */
import * as path from "node:path";

import { readProjectName, readStackConfig, type StackConfigValues } from "../../scripts/stack-config";

/** The repository root: the company program's project. */
const ROOT = path.resolve(__dirname, "..", "..");

/** The project's name, from its Pulumi.yaml. */
export const PROJECT = readProjectName(ROOT);
/** The stacks, in promotion order. */
export const STACKS = ["dev", "staging", "prod"] as const;
/** One of {@link STACKS}. */
export type StackName = (typeof STACKS)[number];

/** Each stack's config as its Pulumi.<stack>.yaml says. */
export const STACK_FILES: Record<StackName, StackConfigValues> = {
    dev: readStackConfig(ROOT, "dev"),
    staging: readStackConfig(ROOT, "staging"),
    prod: readStackConfig(ROOT, "prod"),
};
/** The stack's support number. */
export const numberOf = (s: StackName): string => STACK_FILES[s][`${PROJECT}:supportNumber`];
/** The stack's webhook. */
export const webhookOf = (s: StackName): string => STACK_FILES[s][`${PROJECT}:incomingUrl`];
