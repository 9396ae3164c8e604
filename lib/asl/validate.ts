// validateDefinition: every problem in an Amazon States Language definition at once, each with a
// JSON Pointer, a plain-English message and a stable code. It works on the raw JSON, so it also
// reports definitions that parseDefinition (model.ts) cannot build.
//
// This file owns the top level and the state machines nested in it (the root, Parallel branches,
// Map item processors): StartAt, state names, transitions, reachability, terminal states.
// validate-state.ts checks each state's own fields.
import type { QueryLanguage, StateType } from "./model";
import { checkNumber, checkString, MAX_SECONDS } from "./validate-checks";
import { child, describeJson, has, isRecord, Problems, type JsonRecord, type ValidationProblem } from "./validate-problems";
import { checkState } from "./validate-state";

export type { ValidationCode, ValidationProblem } from "./validate-problems";

const TOP_LEVEL_FIELDS = ["Comment", "StartAt", "States", "TimeoutSeconds", "Version", "QueryLanguage"];
/** AWS's limit on state names. */
const MAX_STATE_NAME_LENGTH = 80;

type ScopeKind = "root" | "branch" | "itemProcessor";

interface StateInfo {
  name: string;
  pointer: string;
  value: JsonRecord;
  type: StateType;
}

/** One state machine of the definition: the root, a Parallel branch or a Map item processor. */
interface Scope {
  kind: ScopeKind;
  pointer: string;
  /** The Parallel or Map state that owns this scope (absent for the root). */
  owner?: string;
  startAt?: string;
  /** Every state name in the scope, including states whose Type could not be read. */
  names: Set<string>;
  states: StateInfo[];
}

/**
 * Every problem in a state machine definition (the parsed JSON), in document order; an empty list
 * means the definition is valid. Never throws.
 */
export function validateDefinition(raw: unknown): ValidationProblem[] {
  const problems = new Problems();
  if (!isRecord(raw)) {
    problems.add("", "not-an-object", `A state machine definition must be a JSON object, not ${describeJson(raw)}`);
    return problems.list;
  }
  const walk: Walk = { problems, machineLanguage: checkTopLevel(problems, raw), scopes: [], firstUse: new Map() };
  collectScope(walk, raw, "", "root", undefined);
  const { scopes } = walk;
  const scopeOfName = new Map<string, Scope>();
  for (const scope of scopes) for (const name of scope.names) if (!scopeOfName.has(name)) scopeOfName.set(name, scope);
  for (const scope of scopes) checkScopeFlow(problems, scope, scopeOfName);
  return inDocumentOrder(problems.list, raw);
}

/**
 * Sorts problems by where they point in the definition, so each state's problems read together
 * (the graph checks run after the field checks). A pointer to a missing field sorts with its
 * parent; problems at the same place keep the order they were found in.
 */
function inDocumentOrder(list: ValidationProblem[], raw: unknown): ValidationProblem[] {
  const order = new Map<string, number>();
  const visit = (value: unknown, pointer: string): void => {
    order.set(pointer, order.size);
    if (Array.isArray(value)) value.forEach((item, i) => visit(item, child(pointer, i)));
    else if (isRecord(value)) for (const [key, item] of Object.entries(value)) visit(item, child(pointer, key));
  };
  visit(raw, "");
  const rank = (pointer: string): number => {
    for (let p = pointer; ; p = p.slice(0, p.lastIndexOf("/"))) {
      const found = order.get(p);
      if (found !== undefined) return found;
      if (p === "") return 0;
    }
  };
  return list
    .map((problem, index) => ({ problem, index, rank: rank(problem.pointer) }))
    .sort((a, b) => a.rank - b.rank || a.index - b.index)
    .map((entry) => entry.problem);
}

/** Top-level fields other than StartAt and States; returns the machine's query language. */
function checkTopLevel(problems: Problems, def: JsonRecord): QueryLanguage {
  for (const key of Object.keys(def)) {
    if (!TOP_LEVEL_FIELDS.includes(key)) {
      problems.add(child("", key), "unknown-field", `A state machine definition does not have a field "${key}" (it has ${TOP_LEVEL_FIELDS.join(", ")})`);
    }
  }
  if (has(def, "Comment")) checkString(problems, "/Comment", "Comment", def.Comment);
  if (has(def, "Version") && def.Version !== "1.0") {
    problems.add("/Version", "invalid-value", `Version must be "1.0", not ${JSON.stringify(def.Version)}`);
  }
  if (has(def, "TimeoutSeconds")) {
    checkNumber(problems, "/TimeoutSeconds", "TimeoutSeconds", def.TimeoutSeconds, { integer: true, min: 1, max: MAX_SECONDS });
  }
  if (!has(def, "QueryLanguage")) return "JSONPath";
  if (def.QueryLanguage !== "JSONPath" && def.QueryLanguage !== "JSONata") {
    // AWS then checks the states as JSONata: only the exact string "JSONPath" means JSONPath.
    problems.add("/QueryLanguage", "invalid-query-language", `QueryLanguage must be "JSONPath" or "JSONata", not ${JSON.stringify(def.QueryLanguage)}`);
    return "JSONata";
  }
  return def.QueryLanguage;
}

/** State shared while walking the nested state machines. */
interface Walk {
  problems: Problems;
  machineLanguage: QueryLanguage;
  /** Every scope found so far, depth first, in definition order. */
  scopes: Scope[];
  /** State name -> JSON Pointer of its first use, for duplicate names. */
  firstUse: Map<string, string>;
}

/**
 * Checks StartAt and States of one state machine and each of its states, then descends into the
 * state machines nested in them.
 */
function collectScope(walk: Walk, machine: JsonRecord, pointer: string, kind: ScopeKind, owner: string | undefined): void {
  const { problems, machineLanguage, scopes, firstUse } = walk;
  const scope: Scope = { kind, pointer, owner, names: new Set(), states: [] };
  scopes.push(scope);
  const where = kind === "root" ? "A state machine" : kind === "branch" ? "A Parallel branch" : "A Map item processor";
  if (!has(machine, "StartAt")) {
    problems.add(child(pointer, "StartAt"), "missing-field", `${where} needs StartAt: the name of its first state`);
  } else if (checkString(problems, child(pointer, "StartAt"), "StartAt", machine.StartAt, true)) {
    scope.startAt = machine.StartAt as string;
  }
  if (!has(machine, "States")) {
    problems.add(child(pointer, "States"), "missing-field", `${where} needs States: an object of named states`);
    return;
  }
  const states = machine.States;
  if (!isRecord(states)) {
    problems.add(child(pointer, "States"), "invalid-type", `States must be an object of named states, not ${describeJson(states)}`);
    return;
  }
  for (const [name, value] of Object.entries(states)) {
    const statePointer = child(pointer, "States", name);
    scope.names.add(name);
    if (name.length > MAX_STATE_NAME_LENGTH) {
      problems.add(statePointer, "state-name-too-long", `State name "${name.slice(0, 20)}..." has ${name.length} characters; the limit is ${MAX_STATE_NAME_LENGTH}`);
    } else if (name.length === 0) {
      problems.add(statePointer, "invalid-value", "A state name must not be empty");
    }
    const earlier = firstUse.get(name);
    if (earlier !== undefined) {
      problems.add(statePointer, "duplicate-state-name", `State name "${name}" is already used at ${earlier}; names must be unique across the whole state machine, Parallel branches and Map processors included`);
    } else {
      firstUse.set(name, statePointer);
    }
    const type = checkState({ problems, pointer: statePointer, machineLanguage }, value);
    if (!type || !isRecord(value)) continue;
    scope.states.push({ name, pointer: statePointer, value, type });
    for (const nested of nestedMachines(value, type, statePointer)) {
      collectScope(walk, nested.machine, nested.pointer, nested.kind, name);
    }
  }
}

function nestedMachines(state: JsonRecord, type: StateType, pointer: string): Array<{ machine: JsonRecord; pointer: string; kind: ScopeKind }> {
  if (type === "Parallel" && Array.isArray(state.Branches)) {
    return state.Branches.flatMap((branch, i) => (isRecord(branch) ? [{ machine: branch, pointer: child(pointer, "Branches", i), kind: "branch" as const }] : []));
  }
  if (type === "Map") {
    return ["ItemProcessor", "Iterator"].flatMap((field) => {
      const machine = state[field];
      return isRecord(machine) ? [{ machine, pointer: child(pointer, field), kind: "itemProcessor" as const }] : [];
    });
  }
  return [];
}

interface Transition {
  target: string;
  pointer: string;
  field: "Next" | "Default";
}

/** Every state a state can move to: Next, each Choice rule's Next, Default, each catcher's Next. */
function transitionsOf(info: StateInfo): Transition[] {
  const { value: state, pointer, type } = info;
  const out: Transition[] = [];
  const add = (target: unknown, p: string, field: Transition["field"]): void => {
    if (typeof target === "string" && target !== "") out.push({ target, pointer: p, field });
  };
  if (type !== "Choice" && type !== "Succeed" && type !== "Fail") add(state.Next, child(pointer, "Next"), "Next");
  if (type === "Choice") {
    if (Array.isArray(state.Choices)) {
      state.Choices.forEach((rule, i) => {
        if (isRecord(rule)) add(rule.Next, child(pointer, "Choices", i, "Next"), "Next");
      });
    }
    add(state.Default, child(pointer, "Default"), "Default");
  }
  if (Array.isArray(state.Catch)) {
    state.Catch.forEach((catcher, i) => {
      if (isRecord(catcher)) add(catcher.Next, child(pointer, "Catch", i, "Next"), "Next");
    });
  }
  return out;
}

function describeScope(scope: Scope): string {
  if (scope.kind === "root") return "the top-level state machine";
  if (scope.kind === "branch") return `a branch of the Parallel state "${scope.owner}"`;
  return `the item processor of the Map state "${scope.owner}"`;
}

/** Transition targets, reachability from StartAt, and at least one state that ends the scope. */
function checkScopeFlow(problems: Problems, scope: Scope, scopeOfName: Map<string, Scope>): void {
  const outside = (target: string): string | null => {
    const other = scopeOfName.get(target);
    return other && other !== scope
      ? `"${target}" is a state of ${describeScope(other)}, but this is ${describeScope(scope)}: a state machine can only move between its own states`
      : null;
  };
  let startValid = false;
  if (scope.startAt !== undefined) {
    const p = child(scope.pointer, "StartAt");
    if (scope.names.has(scope.startAt)) startValid = true;
    else {
      const message = outside(scope.startAt);
      if (message) problems.add(p, "transition-outside-scope", `StartAt: ${message}`);
      else problems.add(p, "dangling-start-at", `StartAt names "${scope.startAt}", but ${describeScope(scope)} has no state of that name`);
    }
  }
  const edges = new Map<string, string[]>();
  for (const info of scope.states) {
    const targets: string[] = [];
    for (const t of transitionsOf(info)) {
      if (scope.names.has(t.target)) {
        targets.push(t.target);
        continue;
      }
      const message = outside(t.target);
      if (message) problems.add(t.pointer, "transition-outside-scope", `${t.field}: ${message}`);
      else if (t.field === "Default") problems.add(t.pointer, "dangling-default", `Default names "${t.target}", but there is no state of that name in ${describeScope(scope)}`);
      else problems.add(t.pointer, "dangling-next", `Next names "${t.target}", but there is no state of that name in ${describeScope(scope)}`);
    }
    edges.set(info.name, targets);
  }
  if (startValid && scope.startAt !== undefined) {
    const reached = new Set<string>([scope.startAt]);
    const queue = [scope.startAt];
    while (queue.length > 0) {
      for (const next of edges.get(queue.shift() as string) ?? []) {
        if (!reached.has(next)) {
          reached.add(next);
          queue.push(next);
        }
      }
    }
    for (const info of scope.states) {
      if (!reached.has(info.name)) {
        problems.add(info.pointer, "unreachable-state", `State "${info.name}" is never reached: no path leads to it from StartAt "${scope.startAt}"`);
      }
    }
  }
  const canEnd = scope.states.some((s) => s.type === "Succeed" || s.type === "Fail" || s.value.End === true);
  if (scope.states.length > 0 && scope.states.length === scope.names.size && !canEnd) {
    problems.add(
      child(scope.pointer, "States"),
      "no-terminal-state",
      `${describeScope(scope)[0].toUpperCase()}${describeScope(scope).slice(1)} has no state that ends it (a Succeed or Fail state, or "End": true)`,
    );
  }
}
