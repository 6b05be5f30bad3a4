/**
 * The scale scenarios of the real-CLI tests (bad minutes, parallelism): they live in
 * tools/programs/profiles/scenarios.ts, shared with the bench, which must load nothing of tests/.
 */
export * from "../../tools/programs/profiles/scenarios";
