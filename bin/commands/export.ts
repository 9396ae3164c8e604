// `statelens export`: prints a stored history. The implementation (bin/actions/export.ts) is
// loaded only when the command runs.
import type { Command } from "commander";

export function registerExport(program: Command): void {
  program
    .command("export")
    .description("print a stored history exactly as `aws stepfunctions get-execution-history` prints it")
    .argument("<execution>", "execution ARN, id or name")
    .action(async (ref: string) => (await import("../actions/export")).exportAction(ref));
}
