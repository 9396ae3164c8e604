// The typed model of an Amazon States Language definition. Field names are the language's own
// (StartAt, States, ResultPath, ...), so a parsed definition is the JSON the user wrote, checked
// for shape and typed; nothing is renamed or defaulted here. Semantics live in dataflow.ts,
// choice.ts, paths.ts, intrinsics.ts and jsonata.ts.
import type { Json, JsonObject } from "../history/types";

export type { Json, JsonObject };

export type QueryLanguage = "JSONPath" | "JSONata";

export const STATE_TYPES = ["Task", "Pass", "Choice", "Wait", "Succeed", "Fail", "Parallel", "Map"] as const;
export type StateType = (typeof STATE_TYPES)[number];

/** A JSONata expression string, `{% ... %}`. */
export type JsonataString = string;
/** A field that is a literal in JSONPath states and may be a `{% %}` expression in JSONata states. */
export type NumberOrJsonata = number | JsonataString;

export interface Retrier {
  ErrorEquals: string[];
  IntervalSeconds?: number;
  MaxAttempts?: number;
  BackoffRate?: number;
  MaxDelaySeconds?: number;
  JitterStrategy?: "FULL" | "NONE";
  Comment?: string;
}

export interface Catcher {
  ErrorEquals: string[];
  Next: string;
  /** JSONPath only; default `$` (the error output replaces the input). */
  ResultPath?: string | null;
  /** JSONata only. */
  Output?: Json;
  Assign?: JsonObject;
  Comment?: string;
}

interface StateCommon {
  Type: StateType;
  Comment?: string;
  QueryLanguage?: QueryLanguage;
}

/** Fields every state but Fail may have (Succeed and Choice have no Next/End of their own). */
interface InputOutput {
  InputPath?: string | null;
  OutputPath?: string | null;
  /** JSONata */
  Output?: Json;
}

interface Transition {
  Next?: string;
  End?: boolean;
}

export interface TaskState extends StateCommon, InputOutput, Transition {
  Type: "Task";
  Resource: string;
  Parameters?: Json;
  /** JSONata */
  Arguments?: Json;
  ResultSelector?: Json;
  ResultPath?: string | null;
  Assign?: JsonObject;
  TimeoutSeconds?: NumberOrJsonata;
  TimeoutSecondsPath?: string;
  HeartbeatSeconds?: NumberOrJsonata;
  HeartbeatSecondsPath?: string;
  Credentials?: Json;
  Retry?: Retrier[];
  Catch?: Catcher[];
}

export interface PassState extends StateCommon, InputOutput, Transition {
  Type: "Pass";
  Parameters?: Json;
  Result?: Json;
  ResultPath?: string | null;
  Assign?: JsonObject;
}

export const COMPARISON_OPERATORS = [
  "StringEquals", "StringEqualsPath", "StringLessThan", "StringLessThanPath", "StringGreaterThan",
  "StringGreaterThanPath", "StringLessThanEquals", "StringLessThanEqualsPath", "StringGreaterThanEquals",
  "StringGreaterThanEqualsPath", "StringMatches",
  "NumericEquals", "NumericEqualsPath", "NumericLessThan", "NumericLessThanPath", "NumericGreaterThan",
  "NumericGreaterThanPath", "NumericLessThanEquals", "NumericLessThanEqualsPath", "NumericGreaterThanEquals",
  "NumericGreaterThanEqualsPath",
  "BooleanEquals", "BooleanEqualsPath",
  "TimestampEquals", "TimestampEqualsPath", "TimestampLessThan", "TimestampLessThanPath", "TimestampGreaterThan",
  "TimestampGreaterThanPath", "TimestampLessThanEquals", "TimestampLessThanEqualsPath",
  "TimestampGreaterThanEquals", "TimestampGreaterThanEqualsPath",
  "IsNull", "IsPresent", "IsNumeric", "IsString", "IsBoolean", "IsTimestamp",
] as const;
export type ComparisonOperator = (typeof COMPARISON_OPERATORS)[number];

/**
 * A Choice rule or a nested condition. A JSONPath rule is a data-test expression (`Variable` +
 * exactly one comparison operator) or a boolean expression (`And`/`Or`/`Not`); a JSONata rule
 * is `Condition`. Only top-level rules have `Next` (and, in JSONata, `Assign`/`Output`).
 */
export type ChoiceCondition = {
  Variable?: string;
  And?: ChoiceCondition[];
  Or?: ChoiceCondition[];
  Not?: ChoiceCondition;
  /** JSONata: `{% ... %}` or a boolean literal. */
  Condition?: Json;
  Comment?: string;
} & Partial<Record<ComparisonOperator, Json>>;

export type ChoiceRule = ChoiceCondition & {
  Next: string;
  /** JSONata: assigned when this rule matches. */
  Assign?: JsonObject;
  /** JSONata: the Choice state's output when this rule matches. */
  Output?: Json;
};

export interface ChoiceState extends StateCommon, InputOutput {
  Type: "Choice";
  Choices: ChoiceRule[];
  Default?: string;
  /** Assigned when `Default` is taken (JSONPath and JSONata). */
  Assign?: JsonObject;
}

export interface WaitState extends StateCommon, InputOutput, Transition {
  Type: "Wait";
  Seconds?: NumberOrJsonata;
  SecondsPath?: string;
  Timestamp?: string;
  TimestampPath?: string;
  Assign?: JsonObject;
}

export interface SucceedState extends StateCommon, InputOutput {
  Type: "Succeed";
}

export interface FailState extends StateCommon {
  Type: "Fail";
  Error?: string;
  ErrorPath?: string;
  Cause?: string;
  CausePath?: string;
}

/** A nested state machine: a Parallel branch, a Map ItemProcessor or a legacy Iterator. */
export interface SubMachine {
  StartAt: string;
  States: Record<string, State>;
  Comment?: string;
  QueryLanguage?: QueryLanguage;
}

export interface ParallelState extends StateCommon, InputOutput, Transition {
  Type: "Parallel";
  Branches: SubMachine[];
  Parameters?: Json;
  /** JSONata */
  Arguments?: Json;
  ResultSelector?: Json;
  ResultPath?: string | null;
  Assign?: JsonObject;
  Retry?: Retrier[];
  Catch?: Catcher[];
}

export interface ProcessorConfig {
  Mode?: "INLINE" | "DISTRIBUTED";
  ExecutionType?: "STANDARD" | "EXPRESS";
}

export interface ItemProcessor extends SubMachine {
  ProcessorConfig?: ProcessorConfig;
}

export interface ReaderConfig {
  InputType?: "CSV" | "JSON" | "JSONL" | "PARQUET" | "MANIFEST";
  CSVHeaderLocation?: "FIRST_ROW" | "GIVEN";
  CSVHeaders?: string[];
  CSVDelimiter?: "COMMA" | "PIPE" | "SEMICOLON" | "TAB" | "SPACE";
  MaxItems?: NumberOrJsonata;
  MaxItemsPath?: string;
}

export interface ItemReader {
  Resource: string;
  Parameters?: Json;
  /** JSONata */
  Arguments?: Json;
  ReaderConfig?: ReaderConfig;
}

export interface ItemBatcher {
  MaxItemsPerBatch?: NumberOrJsonata;
  MaxItemsPerBatchPath?: string;
  MaxInputBytesPerBatch?: NumberOrJsonata;
  MaxInputBytesPerBatchPath?: string;
  BatchInput?: Json;
}

export interface ResultWriter {
  Resource?: string;
  Parameters?: Json;
  /** JSONata */
  Arguments?: Json;
  WriterConfig?: { OutputType?: "JSON" | "JSONL"; Transformation?: "NONE" | "FLATTEN" | "COMPACT" };
}

export interface MapState extends StateCommon, InputOutput, Transition {
  Type: "Map";
  ItemProcessor?: ItemProcessor;
  /** Legacy name of an inline ItemProcessor. */
  Iterator?: SubMachine;
  ItemsPath?: string;
  /** JSONata: an array or `{% %}` expression. */
  Items?: Json;
  ItemSelector?: Json;
  /** Legacy name of ItemSelector. */
  Parameters?: Json;
  ItemReader?: ItemReader;
  ItemBatcher?: ItemBatcher;
  ResultWriter?: ResultWriter;
  ResultSelector?: Json;
  ResultPath?: string | null;
  Assign?: JsonObject;
  MaxConcurrency?: NumberOrJsonata;
  MaxConcurrencyPath?: string;
  ToleratedFailurePercentage?: NumberOrJsonata;
  ToleratedFailurePercentagePath?: string;
  ToleratedFailureCount?: NumberOrJsonata;
  ToleratedFailureCountPath?: string;
  Label?: string;
  Retry?: Retrier[];
  Catch?: Catcher[];
}

export type State =
  | TaskState
  | PassState
  | ChoiceState
  | WaitState
  | SucceedState
  | FailState
  | ParallelState
  | MapState;

export interface StateMachineDefinition extends SubMachine {
  Version?: string;
  TimeoutSeconds?: number;
}

/** A structural defect in a definition, located by a JSON Pointer into it (RFC 6901). */
export class AslDefinitionError extends Error {
  readonly pointer: string;
  constructor(pointer: string, message: string) {
    super(`${pointer || "/"}: ${message}`);
    this.name = "AslDefinitionError";
    this.pointer = pointer;
  }
}

/** Escapes one JSON Pointer reference token (RFC 6901). */
export function pointerToken(token: string | number): string {
  return String(token).replace(/~/g, "~0").replace(/\//g, "~1");
}

// ---------------------------------------------------------------------------------------------
// parseDefinition: light, structural. Full validation (transitions, reachability, field
// combinations, AWS's diagnostics) is validate*.ts.

function isObject(value: unknown): value is Record<string, unknown> {
  return typeof value === "object" && value !== null && !Array.isArray(value);
}

function requireObject(value: unknown, pointer: string, what: string): Record<string, unknown> {
  if (!isObject(value)) throw new AslDefinitionError(pointer, `${what} must be a JSON object`);
  return value;
}

function optionalString(obj: Record<string, unknown>, key: string, pointer: string): void {
  if (obj[key] !== undefined && typeof obj[key] !== "string") {
    throw new AslDefinitionError(`${pointer}/${pointerToken(key)}`, `${key} must be a string`);
  }
}

function optionalPath(obj: Record<string, unknown>, key: string, pointer: string): void {
  if (obj[key] !== undefined && obj[key] !== null && typeof obj[key] !== "string") {
    throw new AslDefinitionError(`${pointer}/${pointerToken(key)}`, `${key} must be a string or null`);
  }
}

function optionalNumberOrExpression(obj: Record<string, unknown>, key: string, pointer: string): void {
  const v = obj[key];
  if (v !== undefined && typeof v !== "number" && typeof v !== "string") {
    throw new AslDefinitionError(`${pointer}/${pointerToken(key)}`, `${key} must be a number`);
  }
}

function checkErrorEquals(obj: Record<string, unknown>, pointer: string): void {
  const list = obj.ErrorEquals;
  if (!Array.isArray(list) || list.length === 0 || list.some((e) => typeof e !== "string")) {
    throw new AslDefinitionError(`${pointer}/ErrorEquals`, "ErrorEquals must be a non-empty array of strings");
  }
}

function checkRetry(value: unknown, pointer: string): void {
  if (value === undefined) return;
  if (!Array.isArray(value)) throw new AslDefinitionError(pointer, "Retry must be an array");
  value.forEach((r, i) => {
    const p = `${pointer}/${i}`;
    const retrier = requireObject(r, p, "A retrier");
    checkErrorEquals(retrier, p);
    for (const key of ["IntervalSeconds", "MaxAttempts", "BackoffRate", "MaxDelaySeconds"]) {
      if (retrier[key] !== undefined && typeof retrier[key] !== "number") {
        throw new AslDefinitionError(`${p}/${key}`, `${key} must be a number`);
      }
    }
    if (retrier.JitterStrategy !== undefined && retrier.JitterStrategy !== "FULL" && retrier.JitterStrategy !== "NONE") {
      throw new AslDefinitionError(`${p}/JitterStrategy`, "JitterStrategy must be FULL or NONE");
    }
  });
}

function checkCatch(value: unknown, pointer: string): void {
  if (value === undefined) return;
  if (!Array.isArray(value)) throw new AslDefinitionError(pointer, "Catch must be an array");
  value.forEach((c, i) => {
    const p = `${pointer}/${i}`;
    const catcher = requireObject(c, p, "A catcher");
    checkErrorEquals(catcher, p);
    if (typeof catcher.Next !== "string") throw new AslDefinitionError(`${p}/Next`, "Next must be a string");
    optionalPath(catcher, "ResultPath", p);
    if (catcher.Assign !== undefined) requireObject(catcher.Assign, `${p}/Assign`, "Assign");
  });
}

function checkCondition(value: unknown, pointer: string, topLevel: boolean): void {
  const rule = requireObject(value, pointer, "A choice rule");
  if (topLevel && typeof rule.Next !== "string") {
    throw new AslDefinitionError(`${pointer}/Next`, "Next must be a string");
  }
  for (const key of ["And", "Or"] as const) {
    if (rule[key] === undefined) continue;
    const list = rule[key];
    if (!Array.isArray(list)) throw new AslDefinitionError(`${pointer}/${key}`, `${key} must be an array`);
    list.forEach((c, i) => checkCondition(c, `${pointer}/${key}/${i}`, false));
  }
  if (rule.Not !== undefined) checkCondition(rule.Not, `${pointer}/Not`, false);
  optionalString(rule, "Variable", pointer);
  if (rule.Assign !== undefined) requireObject(rule.Assign, `${pointer}/Assign`, "Assign");
}

function checkSubMachine(value: unknown, pointer: string, what: string): void {
  const machine = requireObject(value, pointer, what);
  if (typeof machine.StartAt !== "string") throw new AslDefinitionError(`${pointer}/StartAt`, "StartAt must be a string");
  const states = requireObject(machine.States, `${pointer}/States`, "States");
  if (machine.QueryLanguage !== undefined && machine.QueryLanguage !== "JSONPath" && machine.QueryLanguage !== "JSONata") {
    throw new AslDefinitionError(`${pointer}/QueryLanguage`, "QueryLanguage must be JSONPath or JSONata");
  }
  for (const [name, state] of Object.entries(states)) checkState(state, `${pointer}/States/${pointerToken(name)}`);
}

function checkState(value: unknown, pointer: string): void {
  const state = requireObject(value, pointer, "A state");
  const type = state.Type;
  if (typeof type !== "string" || !(STATE_TYPES as readonly string[]).includes(type)) {
    throw new AslDefinitionError(`${pointer}/Type`, `Type must be one of ${STATE_TYPES.join(", ")}`);
  }
  if (state.QueryLanguage !== undefined && state.QueryLanguage !== "JSONPath" && state.QueryLanguage !== "JSONata") {
    throw new AslDefinitionError(`${pointer}/QueryLanguage`, "QueryLanguage must be JSONPath or JSONata");
  }
  for (const key of ["Next", "Comment", "Default", "ItemsPath", "Label", "Error", "ErrorPath", "Cause", "CausePath",
    "SecondsPath", "Timestamp", "TimestampPath", "TimeoutSecondsPath", "HeartbeatSecondsPath", "MaxConcurrencyPath",
    "ToleratedFailurePercentagePath", "ToleratedFailureCountPath"]) {
    optionalString(state, key, pointer);
  }
  for (const key of ["InputPath", "OutputPath", "ResultPath"]) optionalPath(state, key, pointer);
  for (const key of ["Seconds", "TimeoutSeconds", "HeartbeatSeconds", "MaxConcurrency", "ToleratedFailurePercentage",
    "ToleratedFailureCount"]) {
    optionalNumberOrExpression(state, key, pointer);
  }
  if (state.End !== undefined && typeof state.End !== "boolean") {
    throw new AslDefinitionError(`${pointer}/End`, "End must be a boolean");
  }
  if (state.Assign !== undefined) requireObject(state.Assign, `${pointer}/Assign`, "Assign");
  checkRetry(state.Retry, `${pointer}/Retry`);
  checkCatch(state.Catch, `${pointer}/Catch`);
  switch (type) {
    case "Task":
      if (typeof state.Resource !== "string") throw new AslDefinitionError(`${pointer}/Resource`, "Resource must be a string");
      break;
    case "Choice": {
      if (!Array.isArray(state.Choices)) throw new AslDefinitionError(`${pointer}/Choices`, "Choices must be an array");
      state.Choices.forEach((rule, i) => checkCondition(rule, `${pointer}/Choices/${i}`, true));
      break;
    }
    case "Parallel": {
      if (!Array.isArray(state.Branches)) throw new AslDefinitionError(`${pointer}/Branches`, "Branches must be an array");
      state.Branches.forEach((b, i) => checkSubMachine(b, `${pointer}/Branches/${i}`, "A branch"));
      break;
    }
    case "Map": {
      if (state.ItemProcessor !== undefined) {
        checkSubMachine(state.ItemProcessor, `${pointer}/ItemProcessor`, "ItemProcessor");
        const processor = state.ItemProcessor as Record<string, unknown>;
        if (processor.ProcessorConfig !== undefined) {
          requireObject(processor.ProcessorConfig, `${pointer}/ItemProcessor/ProcessorConfig`, "ProcessorConfig");
        }
      } else if (state.Iterator !== undefined) {
        checkSubMachine(state.Iterator, `${pointer}/Iterator`, "Iterator");
      } else {
        throw new AslDefinitionError(pointer, "A Map state must have an ItemProcessor (or Iterator)");
      }
      for (const key of ["ItemReader", "ItemBatcher", "ResultWriter"]) {
        if (state[key] !== undefined) requireObject(state[key], `${pointer}/${key}`, key);
      }
      break;
    }
    default:
      break;
  }
}

/**
 * Checks the shape of a definition (objects where objects belong, strings where strings belong,
 * known state types, nested machines) and returns it typed. Accepts the JSON text too.
 * Throws AslDefinitionError with the JSON Pointer of the first defect.
 */
export function parseDefinition(raw: unknown): StateMachineDefinition {
  let value = raw;
  if (typeof raw === "string") {
    try {
      value = JSON.parse(raw);
    } catch (e) {
      throw new AslDefinitionError("", `the definition is not valid JSON: ${(e as Error).message}`);
    }
  }
  checkSubMachine(value, "", "The definition");
  const def = value as Record<string, unknown>;
  if (def.TimeoutSeconds !== undefined && typeof def.TimeoutSeconds !== "number") {
    throw new AslDefinitionError("/TimeoutSeconds", "TimeoutSeconds must be a number");
  }
  optionalString(def, "Version", "");
  optionalString(def, "Comment", "");
  return value as StateMachineDefinition;
}

// ---------------------------------------------------------------------------------------------
// Query language and scopes

/**
 * The query language a state is evaluated with: its own `QueryLanguage`, else the top-level
 * one of the state machine, else JSONPath. (Nested branches and item processors inherit the
 * top-level setting; AWS does not accept QueryLanguage on the nested machine itself.)
 */
export function effectiveQueryLanguage(state: State, machine: StateMachineDefinition): QueryLanguage {
  return state.QueryLanguage ?? machine.QueryLanguage ?? "JSONPath";
}

export type ScopeKind = "root" | "branch" | "itemProcessor";

/** One nested state machine of a definition, with where it sits. */
export interface Scope {
  kind: ScopeKind;
  /** JSON Pointer of the nested machine: "" for the root, "/States/P/Branches/0", "/States/M/ItemProcessor". */
  pointer: string;
  /** State names from the root to this scope's owner: [] for the root, ["P"] for a branch of P. */
  path: string[];
  machine: SubMachine;
  /** The Parallel or Map state that owns this scope (absent for the root). */
  owner?: { name: string; state: ParallelState | MapState };
  /** The Parallel branch index (kind "branch" only). */
  branchIndex?: number;
  parent?: Scope;
}

/** The nested machine a Map state runs per item (ItemProcessor, or the legacy Iterator). */
export function itemProcessorOf(state: MapState): ItemProcessor {
  const processor = state.ItemProcessor ?? state.Iterator;
  if (!processor) throw new AslDefinitionError("", "A Map state must have an ItemProcessor (or Iterator)");
  return processor;
}

/** True when the Map state runs child executions (a distributed Map). */
/** AWS also runs a legacy `Iterator` with ProcessorConfig.Mode DISTRIBUTED as a distributed Map. */
export function isDistributedMap(state: MapState): boolean {
  const processor = (state.ItemProcessor ?? state.Iterator) as ItemProcessor | undefined;
  return processor?.ProcessorConfig?.Mode === "DISTRIBUTED";
}

/** The scopes nested directly in a state (its branches or its item processor). */
export function childScopes(name: string, state: State, parent: Scope): Scope[] {
  const statePointer = `${parent.pointer}/States/${pointerToken(name)}`;
  const path = [...parent.path, name];
  if (state.Type === "Parallel") {
    return state.Branches.map((machine, branchIndex) => ({
      kind: "branch" as const, pointer: `${statePointer}/Branches/${branchIndex}`, path, machine,
      owner: { name, state }, branchIndex, parent,
    }));
  }
  if (state.Type === "Map") {
    const key = state.ItemProcessor ? "ItemProcessor" : "Iterator";
    return [{ kind: "itemProcessor", pointer: `${statePointer}/${key}`, path, machine: itemProcessorOf(state), owner: { name, state }, parent }];
  }
  return [];
}

export function rootScope(def: StateMachineDefinition): Scope {
  return { kind: "root", pointer: "", path: [], machine: def };
}

/** Every scope of the definition, depth first, the root first. */
export function* scopes(def: StateMachineDefinition): Generator<Scope> {
  function* walk(scope: Scope): Generator<Scope> {
    yield scope;
    for (const [name, state] of Object.entries(scope.machine.States)) {
      for (const child of childScopes(name, state, scope)) yield* walk(child);
    }
  }
  yield* walk(rootScope(def));
}

export interface StateLocation {
  name: string;
  state: State;
  scope: Scope;
  /** JSON Pointer of the state in the definition, e.g. "/States/P/Branches/0/States/A". */
  pointer: string;
}

/** Every state of the definition with its scope, depth first in definition order. */
export function* allStates(def: StateMachineDefinition): Generator<StateLocation> {
  for (const scope of scopes(def)) {
    for (const [name, state] of Object.entries(scope.machine.States)) {
      yield { name, state, scope, pointer: `${scope.pointer}/States/${pointerToken(name)}` };
    }
  }
}

/**
 * Finds a state by name. State names are unique across the whole state machine (nested scopes
 * included), so a name identifies one state. Pass `scope` to look only inside one scope.
 */
export function stateAt(def: StateMachineDefinition, name: string, scope?: Scope): StateLocation | undefined {
  if (scope) {
    const state = scope.machine.States[name];
    return state ? { name, state, scope, pointer: `${scope.pointer}/States/${pointerToken(name)}` } : undefined;
  }
  for (const location of allStates(def)) if (location.name === name) return location;
  return undefined;
}

/** Resolves a JSON Pointer produced by this module (a scope's or a state's pointer). */
export function resolvePointer(def: StateMachineDefinition, pointer: string): unknown {
  if (pointer === "") return def;
  let node: unknown = def;
  for (const raw of pointer.slice(1).split("/")) {
    const token = raw.replace(/~1/g, "/").replace(/~0/g, "~");
    if (Array.isArray(node)) node = node[Number(token)];
    else if (isObject(node)) node = node[token];
    else return undefined;
  }
  return node;
}

/** The state's successor on success, or null when it ends its scope (End, Succeed, Fail). */
export function nextStateName(state: State): string | null {
  if (state.Type === "Choice" || state.Type === "Succeed" || state.Type === "Fail") return null;
  return state.End ? null : (state.Next ?? null);
}
