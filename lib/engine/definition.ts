// What the engine accepts: a definition that parses, passes lib/asl's validator, and, for
// Express (the state machine, or a Distributed Map's Express children), uses no integration
// pattern Express does not support (.sync, .waitForTaskToken and activities are Standard-only;
// AWS rejects such state machines when they are created).
import type { StateMachineType } from "../history/types";
import { allStates, AslDefinitionError, itemProcessorOf, parseDefinition, type Scope, type StateMachineDefinition } from "../asl/model";
import { validateDefinition, type ValidationProblem } from "../asl/validate";
import { classifyResource } from "./resources";

/** The definition cannot run; `problems` says where and why (JSON Pointers into it). */
export class InvalidDefinitionError extends Error {
  constructor(readonly problems: Array<{ pointer: string; message: string }>) {
    super(problems.slice(0, 10).map((p) => `${p.pointer || "/"}: ${p.message}`).join("; ") + (problems.length > 10 ? `; and ${problems.length - 10} more` : ""));
    this.name = "InvalidDefinitionError";
  }
}

/**
 * The execution input is not one AWS's StartExecution accepts: over the 256 KiB quota, or not a
 * JSON value the engine can record (nested too deeply to write as JSON text, cyclic, holding a
 * BigInt or a function).
 */
export class InvalidExecutionInputError extends Error {
  constructor(message: string) {
    super(message);
    this.name = "InvalidExecutionInputError";
  }
}

/** AWS's quota on an execution's input (and every state's): 256 KiB of UTF-8. */
const MAX_INPUT_BYTES = 262_144;

/** The execution input as the JSON text of ExecutionStarted; throws InvalidExecutionInputError. */
export function executionInputText(input: unknown): string {
  let text: string | undefined;
  try {
    text = JSON.stringify(input);
  } catch (e) {
    throw new InvalidExecutionInputError(e instanceof RangeError ? "the execution input is nested too deeply to be written as JSON" : `the execution input cannot be written as JSON: ${(e as Error).message}`);
  }
  if (text === undefined) throw new InvalidExecutionInputError(`the execution input cannot be written as JSON: it is ${typeof input}`);
  const bytes = text.length * 3 <= MAX_INPUT_BYTES ? text.length : new TextEncoder().encode(text).length;
  if (bytes > MAX_INPUT_BYTES) throw new InvalidExecutionInputError(`the execution input is ${bytes} bytes of JSON; AWS accepts at most ${MAX_INPUT_BYTES} (256 KiB)`);
  return text;
}

/** Parses and validates a definition (JSON text or parsed) for a state machine of `type`. */
export function checkDefinition(raw: StateMachineDefinition | string, type: StateMachineType = "STANDARD"): StateMachineDefinition {
  let value: unknown = raw;
  if (typeof raw === "string") {
    try {
      value = JSON.parse(raw);
    } catch (e) {
      throw new InvalidDefinitionError([{ pointer: "", message: `the definition is not valid JSON: ${(e as Error).message}` }]);
    }
  }
  const problems: Array<Pick<ValidationProblem, "pointer" | "message">> = validateDefinition(value);
  if (problems.length > 0) throw new InvalidDefinitionError(problems);
  let definition: StateMachineDefinition;
  try {
    definition = parseDefinition(value);
  } catch (e) {
    if (e instanceof AslDefinitionError) throw new InvalidDefinitionError([{ pointer: e.pointer, message: e.message }]);
    throw e;
  }
  for (const { state, pointer, scope } of allStates(definition)) {
    if (state.Type !== "Task" || !(type === "EXPRESS" || inExpressChild(scope))) continue;
    const target = classifyResource(state.Resource);
    if (target.kind === "activity" || (target.kind === "service" && target.pattern !== "requestResponse")) {
      problems.push({ pointer: `${pointer}/Resource`, message: `Express state machines do not support ${target.kind === "activity" ? "activities" : `the .${target.pattern} integration pattern`} (${state.Resource})` });
    }
  }
  if (problems.length > 0) throw new InvalidDefinitionError(problems);
  return definition;
}

/** True inside a Distributed Map whose child executions are Express. */
function inExpressChild(scope: Scope | undefined): boolean {
  for (let s = scope; s; s = s.parent) {
    const owner = s.owner?.state;
    if (s.kind === "itemProcessor" && owner?.Type === "Map" && itemProcessorOf(owner).ProcessorConfig?.ExecutionType === "EXPRESS") return true;
  }
  return false;
}
