// What a history alone says about its execution: status, times, payloads, the error and the
// state that failed, and counts. Sources that also have DescribeExecution output prefer it.
import { stateNameOf, indexHistory, isStateEntered } from "./tree";
import type { ExecutionStatus, HistoryEvent } from "./types";

export interface HistorySummary {
  status: ExecutionStatus;
  startDate: number;
  stopDate?: number;
  input?: string;
  output?: string;
  error?: string;
  cause?: string;
  failedState?: string;
  eventCount: number;
  /** State transitions as AWS bills them: each state entered plus each task retry. */
  transitions: number;
  retries: number;
  redriveCount: number;
}

const SCHEDULED = new Set(["TaskScheduled", "LambdaFunctionScheduled", "ActivityScheduled"]);
const FAILURE_EVENTS = new Set([
  "TaskFailed", "TaskTimedOut", "TaskStartFailed", "TaskSubmitFailed",
  "LambdaFunctionFailed", "LambdaFunctionTimedOut", "LambdaFunctionStartFailed", "LambdaFunctionScheduleFailed",
  "ActivityFailed", "ActivityTimedOut", "ActivityScheduleFailed", "EvaluationFailed", "FailStateEntered",
  "MapRunFailed",
]);

export function summarizeHistory(events: readonly HistoryEvent[]): HistorySummary {
  const first = events[0];
  const last = events[events.length - 1];
  const started = events.find((e) => e.type === "ExecutionStarted");
  let status: ExecutionStatus = "RUNNING";
  let stopDate: number | undefined;
  let output: string | undefined;
  let error: string | undefined;
  let cause: string | undefined;
  let redriveCount = 0;
  let entered = 0;
  let scheduled = 0;
  let taskStates = 0;
  for (const e of events) {
    if (isStateEntered(e.type)) {
      entered++;
      if (e.type === "TaskStateEntered") taskStates++;
    } else if (SCHEDULED.has(e.type)) scheduled++;
    switch (e.type) {
      case "ExecutionSucceeded":
        status = "SUCCEEDED"; stopDate = e.timestamp; output = e.executionSucceededEventDetails?.output; break;
      case "ExecutionFailed":
        status = "FAILED"; stopDate = e.timestamp; error = e.executionFailedEventDetails?.error; cause = e.executionFailedEventDetails?.cause; break;
      case "ExecutionTimedOut":
        status = "TIMED_OUT"; stopDate = e.timestamp; error = e.executionTimedOutEventDetails?.error ?? "States.Timeout"; cause = e.executionTimedOutEventDetails?.cause; break;
      case "ExecutionAborted":
        status = "ABORTED"; stopDate = e.timestamp; error = e.executionAbortedEventDetails?.error; cause = e.executionAbortedEventDetails?.cause; break;
      case "ExecutionRedriven":
        status = "RUNNING"; stopDate = undefined; redriveCount = e.executionRedrivenEventDetails?.redriveCount ?? redriveCount + 1; break;
    }
  }
  let failedState: string | undefined;
  if (status === "FAILED" || status === "TIMED_OUT") {
    const index = indexHistory(events);
    for (let i = events.length - 1; i >= 0; i--) {
      if (FAILURE_EVENTS.has(events[i].type)) {
        failedState = stateNameOf(index, events[i]);
        break;
      }
    }
    // A failure after the last task (e.g. States.Runtime in a Pass): the last state entered.
    if (!failedState) {
      const lastEntered = [...events].reverse().find((e) => isStateEntered(e.type));
      failedState = lastEntered?.stateEnteredEventDetails?.name;
    }
  }
  const retries = Math.max(0, scheduled - taskStates);
  return {
    status,
    startDate: started?.timestamp ?? first?.timestamp ?? 0,
    stopDate: stopDate ?? (status === "RUNNING" ? undefined : last?.timestamp),
    input: started?.executionStartedEventDetails?.input,
    output,
    error,
    cause,
    failedState,
    eventCount: events.length,
    transitions: entered + retries,
    retries,
    redriveCount,
  };
}
