// `statelens run <definition.json>`: runs a definition on the local engine, prints
// {"status","output","error","cause"} and optionally writes the history as
// `aws stepfunctions get-execution-history` prints it. Exit 0 whatever the execution status;
// exit 2 for bad arguments or an invalid definition. The implementation (bin/actions/run.ts) is
// loaded only when the command runs, so that the CLI starts fast.
import type { Command } from "commander";
import type { RunOptions } from "../actions/run";

export function registerRun(program: Command): void {
  program
    .command("run")
    .description("Run a state machine definition on the local engine; prints {status, output, error, cause}")
    .argument("<definition>", "ASL definition file (JSON)")
    .option("--input <file>", "execution input (JSON file)")
    .option("--input-json <json>", "execution input (JSON text)")
    .option("--mock-config <file>", "AWS Step Functions Local mock config file")
    .option("--state-machine <name>", "state machine name in the mock config")
    .option("--test-case <name>", "test case name in the mock config")
    .option("--express", "run with Express semantics")
    .option("--history-out <file>", "write the history as `aws stepfunctions get-execution-history` prints it")
    .option("--name <name>", "execution name")
    .option("--items-dir <dir>", "a local directory standing in for S3 (ItemReader/ResultWriter): <dir>/<Bucket>/<Key>")
    .option("--real-time", "wait in real time instead of on the virtual clock")
    .option("--db", "also store the run in the database (DATABASE_URL) so the dashboard shows it")
    .action(async (definitionFile: string, options: RunOptions) => (await import("../actions/run")).runAction(definitionFile, options));
}
