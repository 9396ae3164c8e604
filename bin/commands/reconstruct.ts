// `statelens reconstruct <definition.json> <history.json> [--json]`: explains a recorded history
// against its definition. Prints the run tree (or the run model as JSON) with every divergence.
// Exit 0 when the history agrees with the definition, 3 when it diverges, 2 for bad input.
// The implementation (bin/actions/reconstruct.ts) is loaded only when the command runs.
import type { Command } from "commander";
import type { ReconstructOptions } from "../actions/reconstruct";

export function registerReconstruct(program: Command): void {
  program
    .command("reconstruct")
    .description("explain a recorded execution history against its definition: the run tree, data flow, retries, catches, Choice decisions, billing, and every divergence (exit 3 when there is one)")
    .argument("<definition>", "the ASL definition (JSON)")
    .argument("<history>", "the history: `aws stepfunctions get-execution-history` output, an array of events, or a bundle")
    .option("--json", "print the run model as JSON (top-level `divergences`)")
    .option("--express", "the state machine is an Express workflow (billing)")
    .action(async (definitionFile: string, historyFile: string, options: ReconstructOptions) =>
      (await import("../actions/reconstruct")).reconstructAction(definitionFile, historyFile, options));
}
