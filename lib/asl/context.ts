// What an expression can see besides the state input: the context object and the variables.
import type { Json } from "../history/types";

export interface EvalEnv {
  /** The context object: `$$` in JSONPath, `$states.context` in JSONata. */
  context: Json;
  /** The variables visible to this state (outer scopes included), by name without `$`. */
  variables: Record<string, Json>;
  /**
   * Randomness for States.MathRandom, States.UUID, JSONata $random()/$uuid() and FULL jitter:
   * returns a number in [0, 1). Defaults to Math.random; pass a seeded one for reproducible runs.
   */
  random?: () => number;
  /**
   * The query language of the state being evaluated (see effectiveQueryLanguage in model.ts).
   * Default JSONPath. Read by dataflow.ts and choice.ts to pick the JSONPath or JSONata fields.
   */
  queryLanguage?: "JSONPath" | "JSONata";
}

/** An environment with an empty context and no variables (handy in tests and previews). */
export function emptyEnv(context: Json = {}, variables: Record<string, Json> = {}): EvalEnv {
  return { context, variables };
}

/**
 * The context object ItemSelector sees for one Map item: the Map state's context plus
 * `Map.Item.Index` and `Map.Item.Value`.
 */
export function withMapItem(context: Json, index: number, value: Json): Json {
  const base = typeof context === "object" && context !== null && !Array.isArray(context) ? context : {};
  return { ...base, Map: { Item: { Index: index, Value: value } } };
}

/** What the context object is built from (all times as ISO-8601 text, as AWS shows them). */
export interface ContextObjectFields {
  execution: { id: string; input: Json; name: string; roleArn: string; startTime: string; redriveCount?: number };
  stateMachine: { id: string; name: string };
  state: { name: string; enteredTime: string; /** Task states only: the number of retries so far. */ retryCount?: number };
  /** `.waitForTaskToken` tasks only. */
  task?: { token: string };
}

/**
 * The context object in AWS's shape and key order (recorded):
 * `{ Execution: { Id, Input, StartTime, Name, RoleArn, RedriveCount }, StateMachine: { Id, Name },
 *    State: { Name, EnteredTime, RetryCount? }, Task?: { Token } }`.
 * Inside ItemSelector add the Map item with withMapItem().
 */
export function buildContextObject(fields: ContextObjectFields): Json {
  const { execution, stateMachine, state, task } = fields;
  const executionObject: { [key: string]: Json } = {
    Id: execution.id, Input: execution.input, StartTime: execution.startTime, Name: execution.name, RoleArn: execution.roleArn,
  };
  if (execution.redriveCount !== undefined) executionObject.RedriveCount = execution.redriveCount;
  const stateObject: { [key: string]: Json } = { Name: state.name, EnteredTime: state.enteredTime };
  if (state.retryCount !== undefined) stateObject.RetryCount = state.retryCount;
  const context: { [key: string]: Json } = {
    Execution: executionObject,
    StateMachine: { Id: stateMachine.id, Name: stateMachine.name },
    State: stateObject,
  };
  if (task) context.Task = { Token: task.token };
  return context;
}
