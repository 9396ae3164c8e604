// Task resolvers besides the mock configuration: local handler functions per resource ARN,
// per-state resolvers, and composition (the first resolver that answers wins).
import type { Json } from "../history/types";
import { StatesError } from "../asl/errors";
import type { TaskInvocation, TaskOutcome, TaskResolver } from "./types";

/** A failure a handler throws on purpose: becomes the task's error name and cause. */
export class TaskFailure extends Error {
  constructor(readonly error: string, readonly causeText?: string) {
    super(causeText ?? error);
    this.name = "TaskFailure";
  }
}

const PENDING = Symbol("statelens.waitForCallback");
/** Returned by a handler of a callback task or activity: wait for sendTaskSuccess/Failure. */
export interface WaitForCallback {
  [PENDING]: true;
  submitted?: Json;
}
export function waitForCallback(submitted?: Json): WaitForCallback {
  return { [PENDING]: true, submitted };
}
function isWaitForCallback(value: unknown): value is WaitForCallback {
  return typeof value === "object" && value !== null && PENDING in value;
}

export type TaskHandler = (input: Json, invocation: TaskInvocation) => Json | WaitForCallback | Promise<Json | WaitForCallback>;

function outcomeOf(value: Json | WaitForCallback): TaskOutcome {
  if (isWaitForCallback(value)) return value.submitted === undefined ? { pending: true } : { pending: true, submitted: value.submitted };
  return { output: value };
}

/** Converts whatever a handler threw into a task failure (StatesError passes through). */
export function failureOf(err: unknown): TaskOutcome {
  if (err instanceof StatesError) throw err;
  if (err instanceof TaskFailure) return err.causeText === undefined ? { error: err.error } : { error: err.error, cause: err.causeText };
  if (err instanceof Error) return { error: err.name === "Error" ? "States.TaskFailed" : err.name, cause: err.message };
  return { error: "States.TaskFailed", cause: String(err) };
}

function call(handler: TaskHandler, invocation: TaskInvocation): TaskOutcome | Promise<TaskOutcome> {
  let value: Json | WaitForCallback | Promise<Json | WaitForCallback>;
  try {
    value = handler(invocation.input, invocation);
  } catch (err) {
    return failureOf(err);
  }
  if (value instanceof Promise) return value.then(outcomeOf, failureOf);
  return outcomeOf(value);
}

/** Local functions by Resource ARN (a Lambda ARN, `arn:aws:states:::lambda:invoke`, an activity ARN, ...). */
export function handlerResolver(handlers: Record<string, TaskHandler>): TaskResolver {
  return (invocation) => {
    const handler = handlers[invocation.resource];
    return handler ? call(handler, invocation) : undefined;
  };
}

/** Resolvers or handlers by Task state name. */
export function stateResolver(byState: Record<string, TaskResolver>): TaskResolver {
  return (invocation) => byState[invocation.stateName]?.(invocation);
}

/** The first resolver that answers (returns something other than undefined) wins. */
export function composeResolvers(...resolvers: Array<TaskResolver | undefined>): TaskResolver {
  const list = resolvers.filter((r): r is TaskResolver => r !== undefined);
  return (invocation) => {
    let i = 0;
    const next = (): TaskOutcome | undefined | Promise<TaskOutcome | undefined> => {
      while (i < list.length) {
        const r = list[i++](invocation);
        if (r instanceof Promise) return r.then((v) => (v === undefined ? next() : v));
        if (r !== undefined) return r;
      }
      return undefined;
    };
    return next();
  };
}
