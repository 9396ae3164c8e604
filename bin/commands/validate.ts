// `statelens validate <definition>`: reads an ASL definition file and prints every problem
// lib/asl finds in it. Exit 0 = valid, 1 = problems, 2 = the file cannot be read or is not JSON.
// The implementation (bin/actions/validate.ts) is loaded only when the command runs.
import type { Command } from "commander";
import type { ValidateOptions } from "../actions/validate";

export function registerValidate(program: Command): void {
  program
    .command("validate")
    .description("Check an Amazon States Language definition and list every problem in it")
    .argument("<definition>", "path of the state machine definition (JSON)")
    .option("--json", "print { valid, problems } as JSON")
    .action(async (file: string, options: ValidateOptions) => (await import("../actions/validate")).validateAction(file, options));
}
