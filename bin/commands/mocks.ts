// `statelens mocks <definition.json> <history.json> [--out FILE]`: writes the AWS Step Functions
// Local mock configuration that makes the engine replay a recorded run (each Task try as
// Return/Throw, in invocation order). Exit 0; 2 for bad input.
import fs from "node:fs";
import type { Command } from "commander";
import { mockConfigFromRun, reconstructRun } from "@/lib/reconstruct";
import { executionFactsOf, readReconstructInputs } from "./reconstruct";
import { CliError } from "./util";

interface MocksOptions {
  out?: string;
  stateMachine?: string;
  testCase?: string;
}

export function registerMocks(program: Command): void {
  program
    .command("mocks")
    .description("write the Step Functions Local mock config (MockedResponses per Task try) that replays a recorded run")
    .argument("<definition>", "the ASL definition (JSON)")
    .argument("<history>", "the recorded history (JSON)")
    .option("--out <file>", "write the config to FILE instead of stdout")
    .option("--state-machine <name>", "state machine name in the config", "StateMachine")
    .option("--test-case <name>", "test case name in the config", "Replay")
    .action(async (definitionFile: string, historyFile: string, options: MocksOptions) => {
      const { definition, definitionText, history } = readReconstructInputs(definitionFile, historyFile);
      const model = await reconstructRun(definition, history.events, { execution: executionFactsOf(history), definitionText });
      const { config, warnings } = mockConfigFromRun(model, { stateMachine: options.stateMachine, testCase: options.testCase });
      for (const w of warnings) process.stderr.write(`statelens: warning: ${w}\n`);
      if (model.divergences.length) process.stderr.write(`statelens: warning: the history diverges from the definition in ${model.divergences.length} place(s); the replay may differ (see \`statelens reconstruct\`)\n`);
      const text = JSON.stringify(config, null, 2) + "\n";
      if (options.out) {
        try {
          fs.writeFileSync(options.out, text);
        } catch (err) {
          throw new CliError(`cannot write ${options.out}: ${(err as Error).message}`, 2);
        }
      } else process.stdout.write(text);
    });
}
