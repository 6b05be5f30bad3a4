/**
 * Drives the real Pulumi CLI, offline and isolated: finds it (PATH, then `.tools/pulumi/bin`),
 * lays out a workspace (project, file backend, `PULUMI_HOME`), runs commands with an engine event
 * log, and reads back state. Shared by the real-CLI tests, `npm run demo` and the bench.
 */
export { findPulumi, cliRequired, REQUIRE_CLI_ENV, REPO_ROOT, TOOLS_BIN } from "./find";
export type { PulumiCli } from "./find";
export { isolatedEnv } from "./env";
export type { IsolatedEnvOptions } from "./env";
export { parseEvents, readEvents, urnName } from "./events";
export type { CliDiagnostic, CliEvents, CliStep } from "./events";
export { CliWorkspace, PulumiCommandError } from "./workspace";
export type { CliResult, ExportedResource, OperationOptions, ProjectLayout, RunOptions, WorkspaceOptions } from "./workspace";
