// `statelens mocks <definition.json> <history.json> [--out FILE]`: writes the AWS Step Functions
// Local mock configuration that makes the engine replay a recorded run (each Task try as
// Return/Throw, in invocation order). Exit 0; 2 for bad input.
// The implementation (bin/actions/mocks.ts) is loaded only when the command runs.
import type { Command } from "commander";
import type { MocksOptions } from "../actions/mocks";

export function registerMocks(program: Command): void {
  program
    .command("mocks")
    .description("write the Step Functions Local mock config (MockedResponses per Task try) that replays a recorded run")
    .argument("<definition>", "the ASL definition (JSON)")
    .argument("<history>", "the recorded history (JSON)")
    .option("--out <file>", "write the config to FILE instead of stdout")
    .option("--state-machine <name>", "state machine name in the config", "StateMachine")
    .option("--test-case <name>", "test case name in the config", "Replay")
    .action(async (definitionFile: string, historyFile: string, options: MocksOptions) =>
      (await import("../actions/mocks")).mocksAction(definitionFile, historyFile, options));
}
