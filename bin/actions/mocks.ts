// The implementation of `statelens mocks <definition.json> <history.json> [--out FILE]` (options and
// help: bin/commands/mocks.ts, which loads this module only when the command runs): writes the AWS
// Step Functions Local mock configuration that makes the engine replay a recorded run (each Task
// try as Return/Throw, in invocation order). Exit 0; 2 for bad input.
import fs from "node:fs";
import { mockConfigFromRun, reconstructRun } from "@/lib/reconstruct";
import { executionFactsOf, readReconstructInputs } from "./reconstruct";
import { CliError } from "../commands/util";

export interface MocksOptions {
  out?: string;
  stateMachine?: string;
  testCase?: string;
}

export async function mocksAction(definitionFile: string, historyFile: string, options: MocksOptions): Promise<void> {
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
}
