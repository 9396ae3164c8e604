// The history event model every source produces (AWS API, CloudWatch Logs, files, the engine).
// Field names and details members are AWS's own, taken from @aws-sdk/client-sfn, so a history we
// hold is the history AWS returned. Only `timestamp` differs: epoch milliseconds, not a Date,
// because histories of 25,000 events are built and compared in hot loops.
import type { HistoryEvent as SdkHistoryEvent, HistoryEventType as SdkHistoryEventType } from "@aws-sdk/client-sfn";

export type Json = null | boolean | number | string | Json[] | { [key: string]: Json };
export type JsonObject = { [key: string]: Json };

export type HistoryEventType = SdkHistoryEventType;

/** Every `*EventDetails` member name the SDK knows. */
export type DetailsKey = Exclude<keyof SdkHistoryEvent, "timestamp" | "type" | "id" | "previousEventId">;

/**
 * One execution history event. Known types carry their SDK details member; an event of a type
 * AWS added after our SDK version keeps its details verbatim in `unknownDetails`.
 */
export type HistoryEvent = Omit<SdkHistoryEvent, "timestamp" | "type" | "id" | "previousEventId"> & {
  id: number;
  previousEventId: number;
  /** epoch milliseconds */
  timestamp: number;
  type: HistoryEventType | (string & {});
  unknownDetails?: { key: string; value: unknown };
};

/** The type -> details member table for all 62 event types (12 carry no details). */
export const DETAILS_KEY_BY_TYPE: Readonly<Record<HistoryEventType, DetailsKey | null>> = {
  ActivityFailed: "activityFailedEventDetails",
  ActivityScheduleFailed: "activityScheduleFailedEventDetails",
  ActivityScheduled: "activityScheduledEventDetails",
  ActivityStarted: "activityStartedEventDetails",
  ActivitySucceeded: "activitySucceededEventDetails",
  ActivityTimedOut: "activityTimedOutEventDetails",
  ChoiceStateEntered: "stateEnteredEventDetails",
  ChoiceStateExited: "stateExitedEventDetails",
  EvaluationFailed: "evaluationFailedEventDetails",
  ExecutionAborted: "executionAbortedEventDetails",
  ExecutionFailed: "executionFailedEventDetails",
  ExecutionRedriven: "executionRedrivenEventDetails",
  ExecutionStarted: "executionStartedEventDetails",
  ExecutionSucceeded: "executionSucceededEventDetails",
  ExecutionTimedOut: "executionTimedOutEventDetails",
  FailStateEntered: "stateEnteredEventDetails",
  LambdaFunctionFailed: "lambdaFunctionFailedEventDetails",
  LambdaFunctionScheduleFailed: "lambdaFunctionScheduleFailedEventDetails",
  LambdaFunctionScheduled: "lambdaFunctionScheduledEventDetails",
  LambdaFunctionStartFailed: "lambdaFunctionStartFailedEventDetails",
  LambdaFunctionStarted: null,
  LambdaFunctionSucceeded: "lambdaFunctionSucceededEventDetails",
  LambdaFunctionTimedOut: "lambdaFunctionTimedOutEventDetails",
  MapIterationAborted: "mapIterationAbortedEventDetails",
  MapIterationFailed: "mapIterationFailedEventDetails",
  MapIterationStarted: "mapIterationStartedEventDetails",
  MapIterationSucceeded: "mapIterationSucceededEventDetails",
  MapRunAborted: null,
  MapRunFailed: "mapRunFailedEventDetails",
  MapRunRedriven: "mapRunRedrivenEventDetails",
  MapRunStarted: "mapRunStartedEventDetails",
  MapRunSucceeded: null,
  MapStateAborted: null,
  MapStateEntered: "stateEnteredEventDetails",
  MapStateExited: "stateExitedEventDetails",
  MapStateFailed: null,
  MapStateStarted: "mapStateStartedEventDetails",
  MapStateSucceeded: null,
  ParallelStateAborted: null,
  ParallelStateEntered: "stateEnteredEventDetails",
  ParallelStateExited: "stateExitedEventDetails",
  ParallelStateFailed: null,
  ParallelStateStarted: null,
  ParallelStateSucceeded: null,
  PassStateEntered: "stateEnteredEventDetails",
  PassStateExited: "stateExitedEventDetails",
  SucceedStateEntered: "stateEnteredEventDetails",
  SucceedStateExited: "stateExitedEventDetails",
  TaskFailed: "taskFailedEventDetails",
  TaskScheduled: "taskScheduledEventDetails",
  TaskStartFailed: "taskStartFailedEventDetails",
  TaskStarted: "taskStartedEventDetails",
  TaskStateAborted: null,
  TaskStateEntered: "stateEnteredEventDetails",
  TaskStateExited: "stateExitedEventDetails",
  TaskSubmitFailed: "taskSubmitFailedEventDetails",
  TaskSubmitted: "taskSubmittedEventDetails",
  TaskSucceeded: "taskSucceededEventDetails",
  TaskTimedOut: "taskTimedOutEventDetails",
  WaitStateAborted: null,
  WaitStateEntered: "stateEnteredEventDetails",
  WaitStateExited: "stateExitedEventDetails",
};

export const KNOWN_EVENT_TYPES: ReadonlySet<string> = new Set(Object.keys(DETAILS_KEY_BY_TYPE));
const KNOWN_DETAILS_KEYS: ReadonlySet<string> = new Set(Object.values(DETAILS_KEY_BY_TYPE).filter((k): k is DetailsKey => k !== null));

export function isKnownEventType(type: string): type is HistoryEventType {
  return KNOWN_EVENT_TYPES.has(type);
}
export function isDetailsKey(key: string): key is DetailsKey {
  return KNOWN_DETAILS_KEYS.has(key) || key.endsWith("EventDetails");
}

/** The details member of an event, whatever its type (known or not). */
export function detailsOf(event: HistoryEvent): { key: string; value: Record<string, unknown> } | null {
  if (event.unknownDetails) return event.unknownDetails as { key: string; value: Record<string, unknown> };
  const key = isKnownEventType(event.type) ? DETAILS_KEY_BY_TYPE[event.type] : null;
  if (!key) return null;
  const value = event[key];
  return value ? { key, value: value as Record<string, unknown> } : null;
}

/** Fields of details members that hold JSON text in AWS's API. */
export const PAYLOAD_FIELDS: ReadonlySet<string> = new Set(["input", "output", "parameters"]);

export type ExecutionStatus = "RUNNING" | "SUCCEEDED" | "FAILED" | "TIMED_OUT" | "ABORTED" | "PENDING_REDRIVE";
export type StateMachineType = "STANDARD" | "EXPRESS";

/** What DescribeExecution says of an execution (the parts we keep). */
export interface ExecutionSummary {
  executionArn: string;
  stateMachineArn: string;
  name: string;
  status: ExecutionStatus;
  startDate: number;
  stopDate?: number;
  input?: string;
  output?: string;
  error?: string;
  cause?: string;
  redriveCount?: number;
  mapRunArn?: string;
  stateMachineVersionArn?: string;
}

/** The AWS maximum number of events in one Standard execution history. */
export const MAX_HISTORY_EVENTS = 25_000;
