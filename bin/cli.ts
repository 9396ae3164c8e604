// Entry point of bin/statelens: parses arguments with commander and hands off to lib/.
// Each command lives in bin/commands/<name>.ts and registers itself on the program: its options
// and help text only. What it does is in bin/actions/<name>.ts, which the registration loads with
// import() when the command runs, so that a call loads only its own command's code and packages
// (Prisma, pg, better-sqlite3, the AWS SDK...). Keep static imports of lib/ and of heavy npm
// packages out of this file and out of bin/commands/.
import { Command, CommanderError } from "commander";
import { registerDb } from "./commands/db";
import { registerImport } from "./commands/import";
import { registerExport } from "./commands/export";
import { registerServe } from "./commands/serve";
import { registerValidate } from "./commands/validate";
import { registerDemoData } from "./commands/demo-data";
import { registerRun } from "./commands/run";
import { registerReconstruct } from "./commands/reconstruct";
import { registerMocks } from "./commands/mocks";
import { registerSync } from "./commands/sync";
import { registerServeAws } from "./commands/serve-aws";
import { registerPrune } from "./commands/prune";
import { CliError } from "./commands/util";

export function buildProgram(): Command {
  const program = new Command("statelens")
    .description("Observability for AWS Step Functions execution histories")
    .version("0.1.0")
    .showHelpAfterError()
    .exitOverride();
  registerDb(program);
  registerImport(program);
  registerExport(program);
  registerServe(program);
  registerSync(program);
  registerServeAws(program);
  registerValidate(program);
  registerDemoData(program);
  registerRun(program);
  registerReconstruct(program);
  registerMocks(program);
  registerPrune(program);
  return program;
}

export async function main(argv: string[]): Promise<number> {
  const program = buildProgram();
  try {
    await program.parseAsync(argv);
    return typeof process.exitCode === "number" ? process.exitCode : 0;
  } catch (err) {
    if (err instanceof CommanderError) {
      // --help and --version end here with code 0; usage errors with a non-zero code.
      return err.exitCode === 0 ? 0 : 2;
    }
    if (err instanceof CliError) {
      process.stderr.write(`statelens: ${err.message}\n`);
      return err.exitCode;
    }
    process.stderr.write(`statelens: ${err instanceof Error ? (err.stack ?? err.message) : String(err)}\n`);
    return 1;
  }
}
