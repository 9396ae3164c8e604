// The implementation of `statelens reconstruct <definition.json> <history.json> [--json]` (options
// and help: bin/commands/reconstruct.ts, which loads this module only when the command runs):
// explains a recorded history against its definition. Prints the run tree (or the run model as
// JSON) with every divergence. Exit 0 when the history agrees with the definition, 3 when it
// diverges, 2 for bad input.
import fs from "node:fs";
import { AslDefinitionError, parseDefinition, type StateMachineDefinition } from "@/lib/asl";
import { HistoryParseError, parseHistoryDocument, type ParsedHistory } from "@/lib/history";
import { formatRunModel, reconstructRun, runModelToJson, type ExecutionFacts, type RunModel } from "@/lib/reconstruct";
import { CliError, printJson } from "../commands/util";

export interface ReconstructOptions {
  json?: boolean;
  express?: boolean;
}

/** Reads and checks both inputs; bad input is a CliError with exit code 2. */
export function readReconstructInputs(definitionFile: string, historyFile: string): { definition: StateMachineDefinition; definitionText: string; history: ParsedHistory } {
  const read = (file: string, what: string): string => {
    try {
      return fs.readFileSync(file, "utf8");
    } catch (err) {
      throw new CliError(`cannot read ${what} ${file}: ${(err as NodeJS.ErrnoException).code ?? (err as Error).message}`, 2);
    }
  };
  const definitionText = read(definitionFile, "the definition");
  let definition: StateMachineDefinition;
  try {
    definition = parseDefinition(definitionText);
  } catch (err) {
    if (err instanceof AslDefinitionError) throw new CliError(`${definitionFile}: ${err.message}`, 2);
    throw err;
  }
  let history: ParsedHistory;
  try {
    history = parseHistoryDocument(read(historyFile, "the history"), historyFile);
  } catch (err) {
    if (err instanceof HistoryParseError) throw new CliError(err.message, 2);
    throw err;
  }
  if (history.events.length === 0) throw new CliError(`${historyFile}: the history has no events`, 2);
  return { definition, definitionText, history };
}

export function executionFactsOf(history: ParsedHistory, express?: boolean): ExecutionFacts {
  const x = history.execution;
  const facts: ExecutionFacts = {};
  if (x.executionArn) facts.executionArn = x.executionArn;
  if (x.name) facts.name = x.name;
  if (x.stateMachineArn) facts.stateMachineArn = x.stateMachineArn;
  if (x.stateMachineName) facts.stateMachineName = x.stateMachineName;
  if (x.redriveCount !== undefined) facts.redriveCount = x.redriveCount;
  const type = express ? "EXPRESS" : x.stateMachineType;
  if (type) facts.type = type;
  return facts;
}

export async function reconstructFiles(definitionFile: string, historyFile: string, express?: boolean): Promise<RunModel> {
  const { definition, definitionText, history } = readReconstructInputs(definitionFile, historyFile);
  return reconstructRun(definition, history.events, { execution: executionFactsOf(history, express), definitionText });
}

export async function reconstructAction(definitionFile: string, historyFile: string, options: ReconstructOptions): Promise<void> {
  const model = await reconstructFiles(definitionFile, historyFile, options.express);
  if (options.json) printJson(runModelToJson(model));
  else process.stdout.write(formatRunModel(model) + "\n");
  process.exitCode = model.divergences.length ? 3 : 0;
}
