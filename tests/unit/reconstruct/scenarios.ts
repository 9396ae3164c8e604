// Small definitions with the histories AWS records for them, written out event by event, and
// helpers to damage a history the way real records get damaged (an event lost, a value edited).
import type { HistoryEvent } from "@/lib/history";
import type { StateMachineDefinition } from "@/lib/asl";
import { HistoryBuilder } from "./history-builder";

export interface Scenario {
  definition: StateMachineDefinition;
  events: HistoryEvent[];
}

const LAMBDA = { resourceType: "lambda", resource: "invoke", region: "us-east-1" };

/**
 * An order workflow: a Task retried once then succeeding, a Choice, an inline Map over two items,
 * a Parallel of two branches, Succeed. Rejected (Fail) is the Choice's Default and the catch target.
 * `tries` lists Validate's tries: an error name, or null for success (the last one); when the
 * last try fails, Validate is caught into Rejected.
 */
export function orderScenario(options: { tries?: Array<string | null> } = {}): Scenario {
  const tries = options.tries ?? ["Lambda.ServiceException", null];
  const definition = {
    StartAt: "Validate",
    States: {
      Validate: {
        Type: "Task", Resource: "arn:aws:states:::lambda:invoke",
        Parameters: { FunctionName: "validate", "Payload.$": "$" },
        ResultSelector: { "valid.$": "$.Payload.valid" }, ResultPath: "$.validation",
        Retry: [{ ErrorEquals: ["Lambda.ServiceException"], IntervalSeconds: 1, MaxAttempts: 2, BackoffRate: 2 }],
        Catch: [{ ErrorEquals: ["States.ALL"], ResultPath: "$.error", Next: "Rejected" }],
        Next: "IsValid",
      },
      IsValid: { Type: "Choice", Choices: [{ Variable: "$.validation.valid", BooleanEquals: true, Next: "Process" }], Default: "Rejected" },
      Process: {
        Type: "Map", ItemsPath: "$.items", MaxConcurrency: 1,
        ItemSelector: { "sku.$": "$$.Map.Item.Value", "index.$": "$$.Map.Item.Index" },
        ItemProcessor: { ProcessorConfig: { Mode: "INLINE" }, StartAt: "Price", States: { Price: { Type: "Pass", Parameters: { "sku.$": "$.sku", price: 10 }, End: true } } },
        ResultPath: "$.priced", Next: "Notify",
      },
      Notify: {
        Type: "Parallel", ResultPath: "$.notified", Next: "Done",
        Branches: [
          { StartAt: "Email", States: { Email: { Type: "Pass", Result: "sent", End: true } } },
          { StartAt: "Log", States: { Log: { Type: "Pass", Result: "logged", End: true } } },
        ],
      },
      Done: { Type: "Succeed" },
      Rejected: { Type: "Fail", Error: "Rejected", Cause: "invalid order" },
    },
  } as StateMachineDefinition;
  const i0 = { items: ["a", "b"] };
  const i1 = { ...i0, validation: { valid: true } };
  const priced = [{ sku: "a", price: 10 }, { sku: "b", price: 10 }];
  const i2 = { ...i1, priced };
  const i3 = { ...i2, notified: ["sent", "logged"] };
  const params = { FunctionName: "validate", Payload: i0 };
  const h = new HistoryBuilder();
  h.add("ExecutionStarted", 0, { input: i0, roleArn: "arn:aws:iam::111111111111:role/r" });
  const v = h.enter("Task", "Validate", 0, i0);
  let prev = v;
  let lastError: string | null = null;
  for (const error of tries) {
    const s = h.add("TaskScheduled", prev, { ...LAMBDA, parameters: params });
    const st = h.add("TaskStarted", s, { resourceType: "lambda", resource: "invoke" });
    prev = error === null
      ? h.add("TaskSucceeded", st, { resourceType: "lambda", resource: "invoke", output: { Payload: { valid: true }, StatusCode: 200 } })
      : h.add("TaskFailed", st, { resourceType: "lambda", resource: "invoke", error, cause: "try again" });
    lastError = error;
  }
  if (lastError !== null) {
    const caught = { ...i0, error: { Error: lastError, Cause: "try again" } };
    const vx = h.exit("Task", "Validate", prev, caught);
    const r = h.enter("Fail", "Rejected", vx, caught);
    h.add("ExecutionFailed", r, { error: "Rejected", cause: "invalid order" });
    return { definition, events: h.events };
  }
  const vx = h.exit("Task", "Validate", prev, i1);
  const cx = h.exit("Choice", "IsValid", h.enter("Choice", "IsValid", vx, i1), i1);
  const m = h.enter("Map", "Process", cx, i1);
  prev = h.add("MapStateStarted", m, { length: 2 });
  ["a", "b"].forEach((sku, index) => {
    const it = h.add("MapIterationStarted", prev, { name: "Process", index });
    prev = h.exit("Pass", "Price", h.enter("Pass", "Price", it, { sku, index }), { sku, price: 10 });
    h.add("MapIterationSucceeded", prev, { name: "Process", index });
  });
  h.add("MapStateSucceeded", prev);
  const mx = h.exit("Map", "Process", prev, i2);
  const p = h.enter("Parallel", "Notify", mx, i2);
  const ps = h.add("ParallelStateStarted", p);
  const email = h.enter("Pass", "Email", ps, i2);
  const log = h.enter("Pass", "Log", ps, i2);
  h.exit("Pass", "Email", email, "sent");
  const lx = h.exit("Pass", "Log", log, "logged");
  h.add("ParallelStateSucceeded", lx);
  const px = h.exit("Parallel", "Notify", lx, i3);
  const dx = h.exit("Succeed", "Done", h.enter("Succeed", "Done", px, i3), i3);
  h.add("ExecutionSucceeded", dx, { output: i3 });
  return { definition, events: h.events };
}

/** JSONata with variables: Init assigns a total, the Choice assigns a size and picks Big. */
export function variablesScenario(): Scenario {
  const definition = {
    QueryLanguage: "JSONata",
    StartAt: "Init",
    States: {
      Init: { Type: "Pass", Assign: { total: "{% $sum($states.input.values) %}" }, Next: "Check" },
      Check: { Type: "Choice", Choices: [{ Condition: "{% $total > 5 %}", Assign: { size: "big" }, Next: "Big" }], Default: "Small" },
      Big: { Type: "Pass", Output: { size: "{% $size %}", total: "{% $total %}" }, End: true },
      Small: { Type: "Pass", Output: { size: "small" }, End: true },
    },
  } as StateMachineDefinition;
  const input = { values: [1, 2, 3] };
  const h = new HistoryBuilder();
  h.add("ExecutionStarted", 0, { input });
  const ix = h.exit("Pass", "Init", h.enter("Pass", "Init", 0, input), input, { total: 6 });
  const cx = h.exit("Choice", "Check", h.enter("Choice", "Check", ix, input), input, { size: "big" });
  const bx = h.exit("Pass", "Big", h.enter("Pass", "Big", cx, input), { size: "big", total: 6 });
  h.add("ExecutionSucceeded", bx, { output: { size: "big", total: 6 } });
  return { definition, events: h.events };
}

/**
 * A legacy Lambda task retried once, then caught into Handle. `second` is the second try's error;
 * `uncaught` ends the execution with the failure instead of catching it.
 */
export function catchScenario(options: { second?: string; uncaught?: boolean } = {}): Scenario {
  const second = options.second ?? "Fatal";
  const fn = "arn:aws:lambda:us-east-1:111111111111:function:work";
  const definition = {
    StartAt: "Call",
    States: {
      Call: {
        Type: "Task", Resource: fn,
        Retry: [{ ErrorEquals: ["Retryable"], MaxAttempts: 1, IntervalSeconds: 2 }],
        Catch: [{ ErrorEquals: ["Fatal"], ResultPath: "$.err", Next: "Handle" }],
        End: true,
      },
      Handle: { Type: "Pass", End: true },
    },
  } as StateMachineDefinition;
  const h = new HistoryBuilder();
  h.add("ExecutionStarted", 0, { input: {} });
  const c = h.enter("Task", "Call", 0, {});
  const s1 = h.add("LambdaFunctionScheduled", c, { resource: fn, input: {} });
  const f1 = h.add("LambdaFunctionFailed", h.add("LambdaFunctionStarted", s1), { error: "Retryable", cause: "busy" });
  const s2 = h.add("LambdaFunctionScheduled", f1, { resource: fn, input: {} });
  const f2 = h.add("LambdaFunctionFailed", h.add("LambdaFunctionStarted", s2), { error: second, cause: "broken" });
  if (options.uncaught) {
    h.add("ExecutionFailed", f2, { error: second, cause: "broken" });
    return { definition, events: h.events };
  }
  const out = { err: { Error: second, Cause: "broken" } };
  const cx = h.exit("Task", "Call", f2, out);
  const hx = h.exit("Pass", "Handle", h.enter("Pass", "Handle", cx, out), out);
  h.add("ExecutionSucceeded", hx, { output: out });
  return { definition, events: h.events };
}

// ---------------------------------------------------------------------------------------------
// Damage

type Raw = Record<string, unknown>;

/** A deep copy, so a test never damages another test's history. */
export function copy(events: readonly HistoryEvent[]): HistoryEvent[] {
  return JSON.parse(JSON.stringify(events)) as HistoryEvent[];
}

/** Renumbers ids 1..n and rewrites previousEventId, as if the damaged history had been recorded so. */
export function renumber(events: HistoryEvent[]): HistoryEvent[] {
  const map = new Map<number, number>();
  events.forEach((e, i) => map.set(e.id, i + 1));
  return events.map((e, i) => ({ ...e, id: i + 1, previousEventId: e.previousEventId === 0 ? 0 : (map.get(e.previousEventId) ?? 0) }));
}

/** Removes events, pointing their dependents at what they pointed at, then renumbers. */
export function drop(events: readonly HistoryEvent[], pick: (e: HistoryEvent, i: number) => boolean): HistoryEvent[] {
  const out = copy(events);
  const removed = new Map<number, number>();
  const kept: HistoryEvent[] = [];
  out.forEach((e, i) => {
    if (pick(e, i)) removed.set(e.id, e.previousEventId);
    else kept.push(e);
  });
  const resolve = (id: number): number => {
    let cur = id;
    while (removed.has(cur)) cur = removed.get(cur) ?? 0;
    return cur;
  };
  for (const e of kept) e.previousEventId = resolve(e.previousEventId);
  return renumber(kept);
}

/** The index of the n-th (0-based) event of a type, optionally of a named state. */
export function nth(events: readonly HistoryEvent[], type: string, n = 0, name?: string): number {
  let seen = 0;
  for (let i = 0; i < events.length; i++) {
    const e = events[i];
    if (e.type !== type) continue;
    const en = e.stateEnteredEventDetails?.name ?? e.stateExitedEventDetails?.name;
    if (name !== undefined && en !== name) continue;
    if (seen++ === n) return i;
  }
  throw new Error(`no ${type} #${n}${name ? ` of ${name}` : ""}`);
}

/** Edits the details member of one event (payload fields as values; they are re-serialised). */
export function edit(events: readonly HistoryEvent[], index: number, change: (details: Raw) => void): HistoryEvent[] {
  const out = copy(events);
  const e = out[index] as unknown as Raw;
  const key = Object.keys(e).find((k) => k.endsWith("EventDetails"));
  if (!key) throw new Error(`event ${index} has no details`);
  const d = e[key] as Raw;
  const parsed: Raw = { ...d };
  for (const f of ["input", "output", "parameters"]) if (typeof d[f] === "string") parsed[f] = JSON.parse(d[f] as string);
  change(parsed);
  for (const f of ["input", "output", "parameters"]) if (parsed[f] !== undefined) parsed[f] = JSON.stringify(parsed[f]);
  e[key] = parsed;
  return out;
}
