// The data-flow pipeline of each state kind as data: every function takes the state's raw input
// (as recorded in its *StateEntered event) and returns every intermediate value, so the engine
// uses the final one and the UI can show each step. The query language comes from
// `env.queryLanguage` (JSONPath when absent).
//
// JSONPath:  input -> InputPath -> Parameters -> (task / branches / items / Pass Result) -> result
//            -> ResultSelector -> ResultPath (merged into the raw input) -> OutputPath -> output.
//            Assign is a payload template over the result after ResultSelector (`$` = that
//            result); ResultPath and OutputPath still see the variables as they were before it.
// JSONata:   input -> Arguments -> result -> Output ($states.result) -> output; Assign and Output
//            both see the variables as they were before this state assigned.
// A caught error: the catcher's ResultPath (JSONPath) or Output (JSONata) gives the output;
// the state's OutputPath is not applied (recorded on AWS).
import type { Json } from "../history/types";
import type { EvalEnv } from "./context";
import { withMapItem } from "./context";
import { findRetrier, StatesError, STATES_ERRORS, type MatchOptions } from "./errors";
import { isIntrinsic, evaluateIntrinsic } from "./intrinsics";
import {
  evaluateJsonata, evaluateJsonataTemplate, isJsonataExpression, unexpectedJsonataType, type JsonataStates,
} from "./jsonata";
import type {
  Catcher, ChoiceState, FailState, MapState, ParallelState, PassState, Retrier, State, SucceedState, TaskState, WaitState,
} from "./model";
import { jsonTypeName } from "./json";
import { applyResultPath, evaluatePath, evaluatePayloadTemplate, evaluateRequiredPath } from "./paths";
import { parseTimestamp } from "./timestamp";

/** States with an input-preparation phase. */
export type PreparingState = TaskState | PassState | ParallelState | MapState;
/** States that produce a result (a Pass produces its own). */
export type ResultState = TaskState | PassState | ParallelState | MapState;
/**
 * States whose output is their (filtered) input. For a Choice state prefer evaluateChoice, whose
 * output and assignments account for the matching rule; here a Choice is treated as taking Default.
 */
export type PassThroughState = WaitState | SucceedState | ChoiceState;

export interface PreparedInput {
  /** JSONPath: the input after InputPath. JSONata: the raw input. */
  afterInputPath: Json;
  /** After Parameters (JSONPath) or Arguments (JSONata); absent when the state has neither. */
  afterParameters?: Json;
  /**
   * What the state works on: a Task's request to its resource, the input of every Parallel
   * branch, a Pass state's result (Result, else afterParameters, else afterInputPath), a Map's
   * input to ItemsPath (items are resolved by mapItems).
   */
  effectiveInput: Json;
}

export interface ProcessedResult {
  result: Json;
  /** JSONPath: after ResultSelector (= result when absent). JSONata: the result. */
  afterResultSelector: Json;
  /** JSONPath: the raw input with the result placed at ResultPath. JSONata: same as output. */
  afterResultPath: Json;
  /** The state output: after OutputPath (JSONPath) or Output (JSONata). */
  output: Json;
  /** Variables assigned by the state's Assign, by name. Absent when it has no Assign. */
  assigned?: Record<string, Json>;
}

export interface PassThroughResult {
  afterInputPath: Json;
  output: Json;
  assigned?: Record<string, Json>;
}

export interface CaughtResult {
  /** JSONPath: the raw input with the error output placed at the catcher's ResultPath. JSONata: the output. */
  afterResultPath: Json;
  output: Json;
  assigned?: Record<string, Json>;
}

// ---------------------------------------------------------------------------------------------
// Shared steps

function isJsonata(env: EvalEnv): boolean {
  return env.queryLanguage === "JSONata";
}

function states(rawInput: Json, env: EvalEnv, extra: Partial<JsonataStates> = {}): JsonataStates {
  return { input: rawInput, context: env.context, ...extra };
}

function runtime(cause: string): StatesError {
  return new StatesError(STATES_ERRORS.Runtime, cause);
}

/**
 * AWS's failure for a path applied to a null payload (a real execution quoted in a public report:
 * a Parameters template over a null input). The default `$` paths pass null through (recorded).
 */
export const NULL_INPUT_MESSAGE = "Unable to apply Path transformation to null or empty input.";

function readsInput(path: string): boolean {
  return path.startsWith("$") && !path.startsWith("$$") && !/^\$[A-Za-z_]/.test(path);
}

/** Whether a payload template reads the input (`"k.$": "$..."`), anywhere inside it. */
function templateReadsInput(template: Json): boolean {
  if (Array.isArray(template)) return template.some(templateReadsInput);
  if (template === null || typeof template !== "object") return false;
  return Object.entries(template).some(([key, value]) =>
    key.endsWith(".$") && typeof value === "string" ? readsInput(value) || /[(,]\s*\$(?![$A-Za-z_])/.test(value) : templateReadsInput(value));
}

/** A payload template over `input`, failing as AWS does when the input is null. */
function applyTemplate(template: Json, input: Json, env: EvalEnv): Json {
  if (input === null && templateReadsInput(template)) throw runtime(NULL_INPUT_MESSAGE);
  return evaluatePayloadTemplate(template, input, env);
}

function applyPath(path: string, value: Json, env: EvalEnv): Json {
  if (value === null && path !== "$" && readsInput(path)) throw runtime(NULL_INPUT_MESSAGE);
  return evaluateRequiredPath(path, value, env);
}

/** InputPath: absent = `$`, null = `{}`, else a path that must match. */
export function applyInputPath(inputPath: string | null | undefined, rawInput: Json, env: EvalEnv): Json {
  if (inputPath === undefined) return rawInput;
  if (inputPath === null) return {};
  return applyPath(inputPath, rawInput, env);
}

/** OutputPath: absent = `$`, null = `{}`, else a path that must match. */
export function applyOutputPath(outputPath: string | null | undefined, value: Json, env: EvalEnv): Json {
  if (outputPath === undefined) return value;
  if (outputPath === null) return {};
  return applyPath(outputPath, value, env);
}

function asAssignment(value: Json): Record<string, Json> {
  return typeof value === "object" && value !== null && !Array.isArray(value) ? value : {};
}

/** A JSONPath Assign: a payload template over `value` (the result, or the error output in a catcher). */
function assignJsonPath(assign: Json | undefined, value: Json, env: EvalEnv): Record<string, Json> | undefined {
  return assign === undefined ? undefined : asAssignment(evaluatePayloadTemplate(assign, value, env));
}

async function assignJsonata(
  assign: Json | undefined, jsonataStates: JsonataStates, env: EvalEnv, field = "Assign",
): Promise<Record<string, Json> | undefined> {
  if (assign === undefined) return undefined;
  return asAssignment(await evaluateJsonataTemplate(assign, jsonataStates, env.variables, { field, random: env.random }));
}

async function jsonataTemplate(value: Json, field: string, jsonataStates: JsonataStates, env: EvalEnv): Promise<Json> {
  return evaluateJsonataTemplate(value, jsonataStates, env.variables, { field, random: env.random });
}

// ---------------------------------------------------------------------------------------------
// Input, result, output

/** InputPath, then Parameters/Arguments (and, for Pass, Result). */
export async function prepareInput(state: PreparingState, rawInput: Json, env: EvalEnv): Promise<PreparedInput> {
  if (isJsonata(env)) {
    const prepared: PreparedInput = { afterInputPath: rawInput, effectiveInput: rawInput };
    if ((state.Type === "Task" || state.Type === "Parallel") && state.Arguments !== undefined) {
      prepared.afterParameters = await jsonataTemplate(state.Arguments, "Arguments", states(rawInput, env), env);
      prepared.effectiveInput = prepared.afterParameters;
    }
    if (state.Type === "Pass" && state.Result !== undefined) prepared.effectiveInput = state.Result;
    return prepared;
  }
  const afterInputPath = applyInputPath(state.InputPath, rawInput, env);
  const prepared: PreparedInput = { afterInputPath, effectiveInput: afterInputPath };
  // A Map's Parameters is the legacy ItemSelector, applied per item by mapItemInputs.
  if (state.Type !== "Map" && state.Parameters !== undefined) {
    prepared.afterParameters = applyTemplate(state.Parameters, afterInputPath, env);
    prepared.effectiveInput = prepared.afterParameters;
  }
  if (state.Type === "Pass" && state.Result !== undefined) prepared.effectiveInput = state.Result;
  return prepared;
}

/** ResultSelector, Assign, ResultPath, OutputPath (JSONPath) or Assign and Output (JSONata). */
export async function processResult(state: ResultState, rawInput: Json, result: Json, env: EvalEnv): Promise<ProcessedResult> {
  if (isJsonata(env)) {
    // A Pass state has no $states.result: its output defaults to its input.
    const jsonataStates = state.Type === "Pass" ? states(rawInput, env) : states(rawInput, env, { result });
    const assigned = await assignJsonata(state.Assign, jsonataStates, env);
    const output = state.Output !== undefined
      ? await jsonataTemplate(state.Output, "Output", jsonataStates, env)
      : state.Type === "Pass" ? (state.Result !== undefined ? state.Result : rawInput) : result;
    const processed: ProcessedResult = { result, afterResultSelector: result, afterResultPath: output, output };
    if (assigned !== undefined) processed.assigned = assigned;
    return processed;
  }
  const afterResultSelector = state.Type !== "Pass" && state.ResultSelector !== undefined
    ? applyTemplate(state.ResultSelector, result, env)
    : result;
  const assigned = assignJsonPath(state.Assign, afterResultSelector, env);
  const afterResultPath = applyResultPath(rawInput, afterResultSelector, state.ResultPath);
  const output = applyOutputPath(state.OutputPath, afterResultPath, env);
  const processed: ProcessedResult = { result, afterResultSelector, afterResultPath, output };
  if (assigned !== undefined) processed.assigned = assigned;
  return processed;
}

/** A Pass state end to end: prepareInput then processResult on the Pass result. */
export async function runPass(state: PassState, rawInput: Json, env: EvalEnv): Promise<PreparedInput & ProcessedResult> {
  const prepared = await prepareInput(state, rawInput, env);
  const processed = await processResult(state, rawInput, prepared.effectiveInput, env);
  return { ...prepared, ...processed };
}

/** Wait, Succeed (and a Choice taking Default): InputPath then OutputPath (JSONPath), or Output (JSONata); Assign. */
export async function processPassThrough(state: PassThroughState, rawInput: Json, env: EvalEnv): Promise<PassThroughResult> {
  const assign = state.Type === "Succeed" ? undefined : state.Assign;
  if (isJsonata(env)) {
    const jsonataStates = states(rawInput, env);
    const assigned = await assignJsonata(assign, jsonataStates, env);
    const output = state.Output !== undefined ? await jsonataTemplate(state.Output, "Output", jsonataStates, env) : rawInput;
    const result: PassThroughResult = { afterInputPath: rawInput, output };
    if (assigned !== undefined) result.assigned = assigned;
    return result;
  }
  const afterInputPath = applyInputPath(state.InputPath, rawInput, env);
  const assigned = assignJsonPath(assign, afterInputPath, env);
  const output = applyOutputPath(state.OutputPath, afterInputPath, env);
  const result: PassThroughResult = { afterInputPath, output };
  if (assigned !== undefined) result.assigned = assigned;
  return result;
}

/**
 * A matched catcher: its ResultPath places the error output `{Error, Cause}` into the raw input
 * (JSONPath; default `$`, so the error output replaces the input), or its Output/Assign see
 * `$states.errorOutput` (JSONata; default output = the error output). In JSONPath, `$` in the
 * catcher's Assign is the error output.
 */
export async function processCatch(
  state: State, catcher: Catcher, rawInput: Json, errorOutput: Json, env: EvalEnv,
): Promise<CaughtResult> {
  if (isJsonata(env)) {
    // AWS names a catcher's fields under its index: "Catch[1]/Output/v" (reported by the floci project).
    const catchers = "Catch" in state ? state.Catch ?? [] : [];
    const index = catchers.indexOf(catcher);
    const prefix = index >= 0 ? `Catch[${index}]/` : "";
    const jsonataStates = states(rawInput, env, { errorOutput });
    const assigned = await assignJsonata(catcher.Assign, jsonataStates, env, `${prefix}Assign`);
    const output = catcher.Output !== undefined ? await jsonataTemplate(catcher.Output, `${prefix}Output`, jsonataStates, env) : errorOutput;
    const caught: CaughtResult = { afterResultPath: output, output };
    if (assigned !== undefined) caught.assigned = assigned;
    return caught;
  }
  const assigned = assignJsonPath(catcher.Assign, errorOutput, env);
  const afterResultPath = applyResultPath(rawInput, errorOutput, catcher.ResultPath);
  const caught: CaughtResult = { afterResultPath, output: afterResultPath };
  if (assigned !== undefined) caught.assigned = assigned;
  return caught;
}

// ---------------------------------------------------------------------------------------------
// Task

/** The request a Task sends to its resource (Parameters or Arguments applied). */
export async function resolveTaskArguments(state: TaskState, rawInput: Json, env: EvalEnv): Promise<Json> {
  return (await prepareInput(state, rawInput, env)).effectiveInput;
}

/** The Task's Credentials field evaluated (payload template or JSONata), or undefined. */
export async function taskCredentials(state: TaskState, rawInput: Json, env: EvalEnv): Promise<Json | undefined> {
  if (state.Credentials === undefined) return undefined;
  if (isJsonata(env)) return jsonataTemplate(state.Credentials, "Credentials", states(rawInput, env), env);
  return evaluatePayloadTemplate(state.Credentials, applyInputPath(state.InputPath, rawInput, env), env);
}

export interface TaskTimeouts {
  /** Seconds; undefined = AWS's default (99,999,999 s). */
  timeoutSeconds?: number;
  heartbeatSeconds?: number;
}

/** A JSONata numeric field (`TimeoutSeconds: "{% ... %}"` or a literal). */
async function jsonataNumber(value: number | string, field: string, rawInput: Json, env: EvalEnv, expected: "integer" | "number"): Promise<number> {
  if (typeof value === "number") return value;
  if (!isJsonataExpression(value)) {
    throw new StatesError(STATES_ERRORS.QueryEvaluationError, `The value of the field '${field}' must be a number or a JSONata expression, but was: ${value}`, { location: field });
  }
  const result = await evaluateJsonata(value, states(rawInput, env), env.variables, { field, random: env.random });
  if (typeof result !== "number" || (expected === "integer" && !Number.isInteger(result))) {
    throw unexpectedJsonataType(value, field, expected, result);
  }
  return result;
}

/**
 * A `*Path` field that must resolve to an integer: AWS's "refers to value ... which is not a
 * valid integer". A string holding an integer is accepted (recorded: MaxConcurrencyPath "1").
 */
function integerAtPath(field: string, path: string, input: Json, env: EvalEnv): number {
  const value = evaluateRequiredPath(path, input, env);
  const n = typeof value === "number" ? value : typeof value === "string" && /^[+-]?\d+$/.test(value.trim()) ? Number(value) : NaN;
  if (!Number.isInteger(n)) {
    throw runtime(`The ${field} field refers to value ${JSON.stringify(value)} which is not a valid integer: ${path}`);
  }
  return n;
}

/** Like integerAtPath for a float ("which is not a valid float"). */
function floatAtPath(field: string, path: string, input: Json, env: EvalEnv): number {
  const value = evaluateRequiredPath(path, input, env);
  const n = typeof value === "number" ? value : typeof value === "string" && /^[+-]?(\d+\.?\d*|\.\d+)([eE][+-]?\d+)?$/.test(value.trim()) ? Number(value) : NaN;
  if (!Number.isFinite(n)) {
    throw runtime(`The ${field} field refers to value ${JSON.stringify(value)} which is not a valid float: ${path}`);
  }
  return n;
}

/** TimeoutSeconds(Path) and HeartbeatSeconds(Path) resolved. */
export async function taskTimeouts(state: TaskState, rawInput: Json, env: EvalEnv): Promise<TaskTimeouts> {
  const out: TaskTimeouts = {};
  if (isJsonata(env)) {
    if (state.TimeoutSeconds !== undefined) out.timeoutSeconds = await jsonataNumber(state.TimeoutSeconds, "TimeoutSeconds", rawInput, env, "integer");
    if (state.HeartbeatSeconds !== undefined) out.heartbeatSeconds = await jsonataNumber(state.HeartbeatSeconds, "HeartbeatSeconds", rawInput, env, "integer");
    return out;
  }
  const input = applyInputPath(state.InputPath, rawInput, env);
  if (typeof state.TimeoutSeconds === "number") out.timeoutSeconds = state.TimeoutSeconds;
  else if (state.TimeoutSecondsPath !== undefined) out.timeoutSeconds = integerAtPath("TimeoutSecondsPath", state.TimeoutSecondsPath, input, env);
  if (typeof state.HeartbeatSeconds === "number") out.heartbeatSeconds = state.HeartbeatSeconds;
  else if (state.HeartbeatSecondsPath !== undefined) out.heartbeatSeconds = integerAtPath("HeartbeatSecondsPath", state.HeartbeatSecondsPath, input, env);
  return out;
}

// ---------------------------------------------------------------------------------------------
// Wait

export interface WaitTarget {
  /** When the wait ends, epoch milliseconds. */
  until: number;
  /** The resolved Seconds/SecondsPath, when the state waits for a duration. */
  seconds?: number;
  /** The resolved Timestamp/TimestampPath text, when the state waits until a time. */
  timestamp?: string;
}

function renderPathValue(value: Json): string {
  return typeof value === "string" ? value : JSON.stringify(value);
}

/**
 * Seconds, SecondsPath, Timestamp, TimestampPath (or their JSONata forms) resolved against `now`
 * (epoch ms). AWS's causes (recorded):
 *   The SecondsPath parameter does not reference an input value: $.s
 *   The SecondsPath parameter cannot be parsed as a long value: $.s == 1.5
 *   The SecondsPath parameter references a negative value: $.s == -1
 *   The TimestampPath parameter does not reference a valid ISO-8601 extended offset date-time format string: $.t == 05-12-2016T21:29:29Z
 *   (JSONata, States.QueryEvaluationError) The Timestamp field cannot be parsed as an ISO-8601 extended offset date-time format string: <value>
 */
export async function waitUntil(state: WaitState, rawInput: Json, env: EvalEnv, now: number): Promise<WaitTarget> {
  if (isJsonata(env)) {
    if (state.Seconds !== undefined) {
      const seconds = typeof state.Seconds === "number" ? state.Seconds : await jsonataSeconds(state.Seconds, rawInput, env);
      return { until: now + seconds * 1000, seconds };
    }
    if (state.Timestamp !== undefined) {
      const text = isJsonataExpression(state.Timestamp)
        ? await evaluateJsonata(state.Timestamp, states(rawInput, env), env.variables, { field: "Timestamp", random: env.random })
        : state.Timestamp;
      const parsed = typeof text === "string" ? parseTimestamp(text) : null;
      if (!parsed) {
        throw new StatesError(
          STATES_ERRORS.QueryEvaluationError,
          `The Timestamp field cannot be parsed as an ISO-8601 extended offset date-time format string: ${renderPathValue(text)}`,
          { location: "Timestamp" },
        );
      }
      return { until: parsed.epochMs, timestamp: text as string };
    }
    return { until: now };
  }
  const input = applyInputPath(state.InputPath, rawInput, env);
  if (typeof state.Seconds === "number") return { until: now + state.Seconds * 1000, seconds: state.Seconds };
  if (state.SecondsPath !== undefined) {
    const path = state.SecondsPath;
    const value = evaluatePath(path, input, env);
    if (value === undefined) throw runtime(`The SecondsPath parameter does not reference an input value: ${path}`);
    const seconds = typeof value === "number" ? value : typeof value === "string" && /^-?\d+$/.test(value) ? Number(value) : NaN;
    if (!Number.isInteger(seconds)) throw runtime(`The SecondsPath parameter cannot be parsed as a long value: ${path} == ${renderPathValue(value)}`);
    if (seconds < 0) throw runtime(`The SecondsPath parameter references a negative value: ${path} == ${renderPathValue(value)}`);
    return { until: now + seconds * 1000, seconds };
  }
  if (state.Timestamp !== undefined) {
    const parsed = parseTimestamp(state.Timestamp);
    if (!parsed) throw runtime(`The Timestamp field cannot be parsed as an ISO-8601 extended offset date-time format string: ${state.Timestamp}`);
    return { until: parsed.epochMs, timestamp: state.Timestamp };
  }
  if (state.TimestampPath !== undefined) {
    const path = state.TimestampPath;
    const value = evaluatePath(path, input, env);
    if (value === undefined) throw runtime(`The TimestampPath parameter does not reference an input value: ${path}`);
    const parsed = typeof value === "string" ? parseTimestamp(value) : null;
    if (!parsed) {
      throw runtime(`The TimestampPath parameter does not reference a valid ISO-8601 extended offset date-time format string: ${path} == ${renderPathValue(value)}`);
    }
    return { until: parsed.epochMs, timestamp: value as string };
  }
  return { until: now };
}

async function jsonataSeconds(expression: string, rawInput: Json, env: EvalEnv): Promise<number> {
  const value = await evaluateJsonata(expression, states(rawInput, env), env.variables, { field: "Seconds", random: env.random });
  if (typeof value !== "number" || !Number.isInteger(value)) throw unexpectedJsonataType(expression, "Seconds", "integer", value);
  if (value < 0) {
    throw new StatesError(STATES_ERRORS.QueryEvaluationError, `The Seconds field references a negative value: ${value}`, { location: "Seconds" });
  }
  return value;
}

// ---------------------------------------------------------------------------------------------
// Fail

async function failField(
  literal: string | undefined, pathField: "ErrorPath" | "CausePath", path: string | undefined, rawInput: Json, env: EvalEnv,
  literalField: "Error" | "Cause",
): Promise<string | undefined> {
  if (isJsonata(env)) {
    if (literal === undefined) return undefined;
    if (!isJsonataExpression(literal)) return literal;
    const value = await evaluateJsonata(literal, states(rawInput, env), env.variables, { field: literalField, random: env.random });
    if (typeof value !== "string") throw unexpectedJsonataType(literal, literalField, "string", value);
    return value;
  }
  if (literal !== undefined) return literal;
  if (path === undefined) return undefined;
  const value = isIntrinsic(path) ? evaluateIntrinsic(path, rawInput, env) : evaluatePath(path, rawInput, env);
  if (value === undefined) {
    throw runtime(`The JSONPath '${path}' specified for the field '${pathField}' could not be found in the input '${JSON.stringify(rawInput)}'`);
  }
  return typeof value === "string" ? value : JSON.stringify(value);
}

/** Error/ErrorPath and Cause/CausePath of a Fail state (JSONata expressions allowed). */
export async function failErrorCause(state: FailState, rawInput: Json, env: EvalEnv): Promise<{ error?: string; cause?: string }> {
  const out: { error?: string; cause?: string } = {};
  const error = await failField(state.Error, "ErrorPath", state.ErrorPath, rawInput, env, "Error");
  const cause = await failField(state.Cause, "CausePath", state.CausePath, rawInput, env, "Cause");
  if (error !== undefined) out.error = error;
  if (cause !== undefined) out.cause = cause;
  return out;
}

// ---------------------------------------------------------------------------------------------
// Map

export interface MapItems {
  /** JSONPath: the input after InputPath. JSONata: the raw input. */
  afterInputPath: Json;
  /** The items: ItemsPath (default `$`) or Items applied. Not used when the Map has an ItemReader. */
  items: Json[];
}

/**
 * The items an inline or distributed Map iterates over (without an ItemReader).
 * Items (JSONata input, or ItemsPath) not an array: States.QueryEvaluationError
 * "Map state input must be an array but was: <input>" (recorded for JSONata); a JSONata Items
 * expression not returning an array:
 * "The JSONata expression '...' specified for the field 'Items' returned an unexpected result type. Expected 'array', ...".
 */
export async function mapItems(state: MapState, rawInput: Json, env: EvalEnv): Promise<MapItems> {
  if (isJsonata(env)) {
    if (state.Items === undefined) {
      if (!Array.isArray(rawInput)) {
        throw new StatesError(STATES_ERRORS.QueryEvaluationError, `Map state input must be an array but was: ${JSON.stringify(rawInput)}`);
      }
      return { afterInputPath: rawInput, items: rawInput };
    }
    const items = await jsonataTemplate(state.Items, "Items", states(rawInput, env), env);
    if (!Array.isArray(items)) {
      if (typeof state.Items === "string" && isJsonataExpression(state.Items)) throw unexpectedJsonataType(state.Items, "Items", "array", items);
      throw new StatesError(STATES_ERRORS.QueryEvaluationError, `The field 'Items' must be an array, but was '${jsonTypeName(items)}'`, { location: "Items" });
    }
    return { afterInputPath: rawInput, items };
  }
  const afterInputPath = applyInputPath(state.InputPath, rawInput, env);
  const itemsPath = state.ItemsPath ?? "$";
  const items = evaluateRequiredPath(itemsPath, afterInputPath, env);
  if (!Array.isArray(items)) {
    // The same check and error as in JSONata (recorded there); LocalStack raises it for both.
    throw new StatesError(STATES_ERRORS.QueryEvaluationError, `Map state input must be an array but was: ${JSON.stringify(items)}`);
  }
  return { afterInputPath, items };
}

/**
 * The input of each iteration: ItemSelector (or legacy Parameters) evaluated per item with
 * `$` = the Map's input (after InputPath) and `$$.Map.Item.Index/Value`
 * (JSONata: `$states.context.Map.Item`), else the item itself.
 */
export async function mapItemInputs(state: MapState, rawInput: Json, items: Json[], env: EvalEnv): Promise<Json[]> {
  const selector = state.ItemSelector ?? state.Parameters;
  if (selector === undefined) return items;
  const out: Json[] = [];
  if (isJsonata(env)) {
    for (let index = 0; index < items.length; index++) {
      const context = withMapItem(env.context, index, items[index]);
      out.push(await evaluateJsonataTemplate(selector, { input: rawInput, context }, env.variables, { field: "ItemSelector", random: env.random }));
    }
    return out;
  }
  const afterInputPath = applyInputPath(state.InputPath, rawInput, env);
  for (let index = 0; index < items.length; index++) {
    const itemEnv: EvalEnv = { ...env, context: withMapItem(env.context, index, items[index]) };
    out.push(evaluatePayloadTemplate(selector, afterInputPath, itemEnv));
  }
  return out;
}

async function batcherLimit(
  literal: number | string | undefined, pathField: string, path: string | undefined, rawInput: Json, env: EvalEnv, field: string,
): Promise<number | undefined> {
  if (literal !== undefined) return jsonataNumber(literal, field, rawInput, env, "integer");
  if (path !== undefined) return integerAtPath(pathField, path, applyInputPath(undefined, rawInput, env), env);
  return undefined;
}

/**
 * ItemBatcher: groups item inputs into child inputs `{ Items: [...], BatchInput? }` by
 * MaxItemsPerBatch(Path) and MaxInputBytesPerBatch(Path) (bytes of the batch's JSON text).
 * Without an ItemBatcher the item inputs are returned unchanged.
 */
export async function batchItems(state: MapState, rawInput: Json, itemInputs: Json[], env: EvalEnv): Promise<Json[]> {
  const batcher = state.ItemBatcher;
  if (!batcher) return itemInputs;
  const input = isJsonata(env) ? rawInput : applyInputPath(state.InputPath, rawInput, env);
  const maxItems = await batcherLimit(batcher.MaxItemsPerBatch, "MaxItemsPerBatchPath", batcher.MaxItemsPerBatchPath, input, env, "MaxItemsPerBatch");
  const maxBytes = await batcherLimit(batcher.MaxInputBytesPerBatch, "MaxInputBytesPerBatchPath", batcher.MaxInputBytesPerBatchPath, input, env, "MaxInputBytesPerBatch");
  let batchInput: Json | undefined;
  if (batcher.BatchInput !== undefined) {
    batchInput = isJsonata(env)
      ? await jsonataTemplate(batcher.BatchInput, "ItemBatcher/BatchInput", states(rawInput, env), env)
      : evaluatePayloadTemplate(batcher.BatchInput, input, env);
  }
  const make = (items: Json[]): Json => (batchInput === undefined ? { Items: items } : { Items: items, BatchInput: batchInput });
  const size = (value: Json) => new TextEncoder().encode(JSON.stringify(value)).length;
  const batches: Json[] = [];
  let current: Json[] = [];
  for (const item of itemInputs) {
    const candidate = [...current, item];
    const tooMany = maxItems !== undefined && candidate.length > maxItems;
    const tooBig = maxBytes !== undefined && current.length > 0 && size(make(candidate)) > maxBytes;
    if (tooMany || tooBig) {
      batches.push(make(current));
      current = [item];
    } else {
      current = candidate;
    }
  }
  if (current.length > 0) batches.push(make(current));
  return batches;
}

export interface ItemReaderRequest {
  /** e.g. "arn:aws:states:::s3:getObject". */
  resource: string;
  /** Parameters (payload template over the Map input) or Arguments (JSONata) evaluated. */
  arguments: Json;
  /** The ReaderConfig as written, with MaxItems resolved. */
  readerConfig: Omit<NonNullable<NonNullable<MapState["ItemReader"]>["ReaderConfig"]>, "MaxItems" | "MaxItemsPath">;
  /** MaxItems(Path) resolved; undefined = read everything (0 also means everything, recorded). */
  maxItems?: number;
}

/**
 * What a distributed Map's ItemReader reads: its resource, evaluated arguments and limits.
 * A negative MaxItems fails the map run with States.ItemReaderFailed "field MaxItems must be
 * positive" (recorded; AWS does not prefix this cause).
 */
export async function itemReaderRequest(state: MapState, rawInput: Json, env: EvalEnv): Promise<ItemReaderRequest | undefined> {
  const reader = state.ItemReader;
  if (!reader) return undefined;
  const input = isJsonata(env) ? rawInput : applyInputPath(state.InputPath, rawInput, env);
  let args: Json = {};
  if (isJsonata(env) && reader.Arguments !== undefined) args = await jsonataTemplate(reader.Arguments, "ItemReader/Arguments", states(rawInput, env), env);
  else if (reader.Parameters !== undefined) args = evaluatePayloadTemplate(reader.Parameters, input, env);
  const { MaxItems, MaxItemsPath, ...readerConfig } = reader.ReaderConfig ?? {};
  let maxItems: number | undefined;
  if (MaxItems !== undefined) maxItems = await jsonataNumber(MaxItems, "ItemReader/ReaderConfig/MaxItems", rawInput, env, "integer");
  else if (MaxItemsPath !== undefined) maxItems = integerAtPath("MaxItemsPath", MaxItemsPath, input, env);
  if (maxItems !== undefined && maxItems < 0) throw new StatesError(STATES_ERRORS.ItemReaderFailed, "field MaxItems must be positive");
  const request: ItemReaderRequest = { resource: reader.Resource, arguments: args, readerConfig };
  if (maxItems !== undefined && maxItems > 0) request.maxItems = maxItems;
  return request;
}

/** A distributed Map's ResultWriter: its resource and evaluated arguments, or undefined. */
export async function resultWriterRequest(
  state: MapState, rawInput: Json, env: EvalEnv,
): Promise<{ resource?: string; arguments: Json; writerConfig?: NonNullable<MapState["ResultWriter"]>["WriterConfig"] } | undefined> {
  const writer = state.ResultWriter;
  if (!writer) return undefined;
  let args: Json = {};
  if (isJsonata(env) && writer.Arguments !== undefined) args = await jsonataTemplate(writer.Arguments, "ResultWriter/Arguments", states(rawInput, env), env);
  else if (writer.Parameters !== undefined) args = evaluatePayloadTemplate(writer.Parameters, applyInputPath(state.InputPath, rawInput, env), env);
  const request: { resource?: string; arguments: Json; writerConfig?: NonNullable<MapState["ResultWriter"]>["WriterConfig"] } = { arguments: args };
  if (writer.Resource !== undefined) request.resource = writer.Resource;
  if (writer.WriterConfig !== undefined) request.writerConfig = writer.WriterConfig;
  return request;
}

/** MaxConcurrency(Path) resolved; 0 = no limit. */
export async function mapMaxConcurrency(state: MapState, rawInput: Json, env: EvalEnv): Promise<number> {
  if (state.MaxConcurrency !== undefined) {
    const value = await jsonataNumber(state.MaxConcurrency, "MaxConcurrency", rawInput, env, "integer");
    if (value < 0) throw queryOrRuntime(env, "MaxConcurrency", `MaxConcurrency must be a non-negative integer, but was ${value}`);
    return value;
  }
  if (state.MaxConcurrencyPath !== undefined) {
    const value = integerAtPath("MaxConcurrencyPath", state.MaxConcurrencyPath, applyInputPath(state.InputPath, rawInput, env), env);
    if (value < 0) throw runtime(`MaxConcurrency must be a non-negative integer, but was ${value}`);
    return value;
  }
  return 0;
}

function queryOrRuntime(env: EvalEnv, field: string, cause: string): StatesError {
  return isJsonata(env) ? new StatesError(STATES_ERRORS.QueryEvaluationError, cause, { location: field }) : runtime(cause);
}

export interface ToleratedFailure {
  /** 0..100; undefined = not set (no failure tolerated). */
  percentage?: number;
  count?: number;
}

/**
 * ToleratedFailurePercentage(Path) and ToleratedFailureCount(Path) resolved. AWS's causes (recorded):
 *   The ToleratedFailurePercentagePath field refers to value "NoNumber" which is not a valid float: $.p
 *   The ToleratedFailureCountPath field refers to value "NoNumber" which is not a valid integer: $.c
 *   ToleratedFailurePercentage must be between 0 and 100.
 */
export async function toleratedFailure(state: MapState, rawInput: Json, env: EvalEnv): Promise<ToleratedFailure> {
  const out: ToleratedFailure = {};
  const input = isJsonata(env) ? rawInput : applyInputPath(state.InputPath, rawInput, env);
  if (state.ToleratedFailurePercentage !== undefined) {
    out.percentage = await jsonataNumber(state.ToleratedFailurePercentage, "ToleratedFailurePercentage", rawInput, env, "number");
  } else if (state.ToleratedFailurePercentagePath !== undefined) {
    out.percentage = floatAtPath("ToleratedFailurePercentagePath", state.ToleratedFailurePercentagePath, input, env);
  }
  if (out.percentage !== undefined && (out.percentage < 0 || out.percentage > 100)) {
    throw queryOrRuntime(env, "ToleratedFailurePercentage", "ToleratedFailurePercentage must be between 0 and 100.");
  }
  if (state.ToleratedFailureCount !== undefined) {
    out.count = await jsonataNumber(state.ToleratedFailureCount, "ToleratedFailureCount", rawInput, env, "integer");
  } else if (state.ToleratedFailureCountPath !== undefined) {
    out.count = integerAtPath("ToleratedFailureCountPath", state.ToleratedFailureCountPath, input, env);
  }
  if (out.count !== undefined && out.count < 0) {
    throw queryOrRuntime(env, "ToleratedFailureCount", "ToleratedFailureCount must be greater than or equal to 0.");
  }
  return out;
}

/**
 * Whether `failed` failures out of `total` items exceed the tolerance
 * (=> States.ExceedToleratedFailureThreshold, "The specified tolerated failure threshold was exceeded").
 * With neither setting, any failure exceeds it. Either threshold being exceeded is enough.
 */
export function exceedsToleratedFailure(tolerance: ToleratedFailure, failed: number, total: number): boolean {
  if (failed === 0) return false;
  const { percentage, count } = tolerance;
  if (percentage === undefined && count === undefined) return true;
  const overCount = count !== undefined && failed > count;
  const overPercentage = percentage !== undefined && total > 0 && (failed / total) * 100 > percentage;
  if (count !== undefined && percentage !== undefined) return overCount || overPercentage;
  return count !== undefined ? overCount : overPercentage;
}

// ---------------------------------------------------------------------------------------------
// Retry

/**
 * The delay in seconds before retry number `retryNumber` (1 = the first retry) by `retrier`:
 * IntervalSeconds (default 1) × BackoffRate (default 2.0)^(retryNumber-1), capped at
 * MaxDelaySeconds; with JitterStrategy FULL, a uniform draw in [0, delay) using `random`.
 */
export function retryDelay(retrier: Retrier, retryNumber: number, random: () => number = Math.random): number {
  const interval = retrier.IntervalSeconds ?? 1;
  const backoff = retrier.BackoffRate ?? 2.0;
  let delay = interval * Math.pow(backoff, Math.max(0, retryNumber - 1));
  if (retrier.MaxDelaySeconds !== undefined) delay = Math.min(delay, retrier.MaxDelaySeconds);
  if (retrier.JitterStrategy === "FULL") delay = random() * delay;
  return delay;
}

/** Whether the retrier still allows retry number `retryNumber` (MaxAttempts, default 3). */
export function canRetry(retrier: Retrier, retryNumber: number): boolean {
  return retryNumber <= (retrier.MaxAttempts ?? 3);
}

export interface RetryPlan {
  /** Index of the retrier that matched the error. */
  retrierIndex: number;
  /** This retry's number for that retrier (1 = its first retry). */
  retryNumber: number;
  delaySeconds: number;
}

/**
 * AWS's retry decision for one failure: the first retrier whose ErrorEquals matches decides;
 * if it has retries left (counted per retrier, across all errors it matched in this state
 * visit: `retriesSoFar[index]`), the state is retried after retryDelay; if it is exhausted, or
 * none matches, the result is null and the catchers are consulted. Later retriers are not tried
 * once one matched.
 */
export function planRetry(
  retry: readonly Retrier[] | undefined, error: string, retriesSoFar: readonly number[], random: () => number = Math.random,
  options: MatchOptions = {},
): RetryPlan | null {
  const retrierIndex = findRetrier(retry, error, options);
  if (retrierIndex < 0 || !retry) return null;
  const retrier = retry[retrierIndex];
  const retryNumber = (retriesSoFar[retrierIndex] ?? 0) + 1;
  if (!canRetry(retrier, retryNumber)) return null;
  return { retrierIndex, retryNumber, delaySeconds: retryDelay(retrier, retryNumber, random) };
}

// ---------------------------------------------------------------------------------------------
// Payload size

/** AWS's hard limit on a state's or task's input/output: 256 KiB of UTF-8. */
export const MAX_PAYLOAD_BYTES = 262_144;

/** The size of a payload as AWS counts it: the UTF-8 bytes of its JSON text. */
export function payloadBytes(value: Json): number {
  return new TextEncoder().encode(JSON.stringify(value)).length;
}

/**
 * Fails with States.DataLimitExceeded when a payload exceeds 256 KiB, with AWS's cause (recorded):
 * "The state/task '<name>' returned a result with a size exceeding the maximum number of bytes
 * service limit." `name` is the state name for a state's own output (e.g. a Pass), the
 * resourceType for a service integration ('lambda'), or the function ARN for a bare Lambda ARN.
 */
export function assertWithinDataLimit(value: Json, name: string): void {
  if (payloadBytes(value) > MAX_PAYLOAD_BYTES) {
    throw new StatesError(
      STATES_ERRORS.DataLimitExceeded,
      `The state/task '${name}' returned a result with a size exceeding the maximum number of bytes service limit.`,
    );
  }
}
