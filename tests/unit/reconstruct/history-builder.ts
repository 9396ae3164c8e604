// Builds small histories inline, the way AWS records them: ids from 1, previousEventId chosen by
// the test (the history is a causal tree), payloads as JSON text, timestamps 10 ms apart.
import type { HistoryEvent } from "@/lib/history";

type Details = Record<string, unknown>;

const DETAILS_MEMBER: Record<string, string | null> = {
  ExecutionStarted: "executionStartedEventDetails", ExecutionSucceeded: "executionSucceededEventDetails",
  ExecutionFailed: "executionFailedEventDetails", ExecutionAborted: "executionAbortedEventDetails",
  ExecutionTimedOut: "executionTimedOutEventDetails",
  TaskScheduled: "taskScheduledEventDetails", TaskStarted: "taskStartedEventDetails", TaskSucceeded: "taskSucceededEventDetails",
  TaskFailed: "taskFailedEventDetails", TaskTimedOut: "taskTimedOutEventDetails", TaskSubmitted: "taskSubmittedEventDetails",
  LambdaFunctionScheduled: "lambdaFunctionScheduledEventDetails", LambdaFunctionStarted: null,
  LambdaFunctionSucceeded: "lambdaFunctionSucceededEventDetails", LambdaFunctionFailed: "lambdaFunctionFailedEventDetails",
  MapStateStarted: "mapStateStartedEventDetails", MapIterationStarted: "mapIterationStartedEventDetails",
  MapIterationSucceeded: "mapIterationSucceededEventDetails", MapIterationFailed: "mapIterationFailedEventDetails",
  MapIterationAborted: "mapIterationAbortedEventDetails", MapRunStarted: "mapRunStartedEventDetails",
  MapRunFailed: "mapRunFailedEventDetails", EvaluationFailed: "evaluationFailedEventDetails",
};

const PAYLOADS = new Set(["input", "output", "parameters"]);

export class HistoryBuilder {
  readonly events: HistoryEvent[] = [];
  private readonly base = Date.UTC(2024, 0, 1);

  /** Appends an event and returns its id. Payload values are given as values and serialised. */
  add(type: string, previousEventId: number, details: Details = {}): number {
    const id = this.events.length + 1;
    const event: Record<string, unknown> = { id, previousEventId, timestamp: this.base + id * 10, type };
    const member = type.endsWith("StateEntered") ? "stateEnteredEventDetails" : type.endsWith("StateExited") ? "stateExitedEventDetails" : DETAILS_MEMBER[type];
    if (member) {
      const d: Details = {};
      for (const [k, v] of Object.entries(details)) {
        if (PAYLOADS.has(k)) d[k] = JSON.stringify(v);
        else if (k === "assignedVariables" && v && typeof v === "object") d[k] = Object.fromEntries(Object.entries(v).map(([n, x]) => [n, JSON.stringify(x)]));
        else d[k] = v;
      }
      event[member] = d;
    }
    this.events.push(event as HistoryEvent);
    return id;
  }

  /** Shorthand for a state's Entered event. */
  enter(type: string, name: string, previousEventId: number, input?: unknown): number {
    return this.add(`${type}StateEntered`, previousEventId, input === undefined ? { name } : { name, input });
  }

  /** Shorthand for a state's Exited event. */
  exit(type: string, name: string, previousEventId: number, output?: unknown, assignedVariables?: Record<string, unknown>): number {
    const d: Details = { name };
    if (output !== undefined) d.output = output;
    if (assignedVariables) d.assignedVariables = assignedVariables;
    return this.add(`${type}StateExited`, previousEventId, d);
  }
}
