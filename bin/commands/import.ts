// `statelens import`: stores execution histories read from files. The implementation
// (bin/actions/import.ts) is loaded only when the command runs.
import type { Command } from "commander";
import type { ImportOptions } from "../actions/import";

export function registerImport(program: Command): void {
  program
    .command("import")
    .description("import execution histories: `aws stepfunctions get-execution-history` output, an array of events, or a bundle with the execution and definition")
    .argument("<file...>", "history files (JSON)")
    .option("--definition <file>", "the ASL definition the executions ran with")
    .option("--state-machine <name>", "state machine name for histories that do not name one")
    .option("--express", "the state machine is an Express workflow")
    .option("-q, --quiet", "print only the summary")
    .action(async (files: string[], options: ImportOptions) => (await import("../actions/import")).importAction(files, options));
}
