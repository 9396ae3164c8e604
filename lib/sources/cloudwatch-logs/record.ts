// Step Functions' CloudWatch Logs record <-> the history event model. In a log record every
// top-level field is a string ("id": "1", "event_timestamp": "<epoch ms>") and `details` is the
// body of the event's details member (aws-facts §4.3). Pure: used by the logs source to read
// records and by the local endpoint to write them.
import { DETAILS_KEY_BY_TYPE, type HistoryEvent, isKnownEventType, PAYLOAD_FIELDS } from "@/lib/history/types";

/** One Step Functions log record, as the `message` of a CloudWatch log event holds it. */
export interface StepFunctionsLogRecord {
  id: string;
  type: string;
  details: Record<string, unknown>;
  previous_event_id: string;
  event_timestamp: string;
  execution_arn: string;
  redrive_count: string;
}

export type LogLevel = "ALL" | "ERROR" | "FATAL" | "OFF";

const FATAL_TYPES = new Set(["ExecutionAborted", "ExecutionFailed", "ExecutionTimedOut"]);
const ERROR_TYPES = new Set([
  ...FATAL_TYPES,
  "FailStateEntered", "LambdaFunctionFailed", "LambdaFunctionScheduleFailed", "LambdaFunctionStartFailed", "LambdaFunctionTimedOut",
  "MapIterationAborted", "MapIterationFailed", "MapStateAborted", "MapStateFailed", "ParallelStateAborted", "ParallelStateFailed",
  "TaskFailed", "TaskStartFailed", "TaskStateAborted", "TaskSubmitFailed", "TaskTimedOut", "WaitStateAborted",
]);

/** Whether Step Functions logs an event of this type at this log level (aws-facts §4.2). */
export function isLoggedAt(level: LogLevel, type: string): boolean {
  if (level === "ALL") return true;
  if (level === "ERROR") return ERROR_TYPES.has(type);
  if (level === "FATAL") return FATAL_TYPES.has(type);
  return false;
}

/** CloudWatch Logs truncates escaped payloads above 248 KB (aws-facts §2.1). */
export const LOG_PAYLOAD_LIMIT = 248 * 1024;

/** The log record Step Functions writes for an event. */
export function toLogRecord(event: HistoryEvent, executionArn: string, options: { includeExecutionData: boolean; redriveCount?: number }): StepFunctionsLogRecord {
  const key = event.unknownDetails?.key ?? (isKnownEventType(event.type) ? DETAILS_KEY_BY_TYPE[event.type] : null);
  const source = (event.unknownDetails?.value ?? (key ? (event as Record<string, unknown>)[key] : undefined)) as Record<string, unknown> | undefined;
  const details: Record<string, unknown> = {};
  for (const [field, value] of Object.entries(source ?? {})) {
    if (value === undefined) continue;
    const payloadField = PAYLOAD_FIELDS.has(field);
    const payloadDetails = field === "inputDetails" || field === "outputDetails";
    if (!options.includeExecutionData && (payloadField || payloadDetails)) continue;
    if (payloadField && typeof value === "string" && value.length > LOG_PAYLOAD_LIMIT) {
      details[field] = value.slice(0, LOG_PAYLOAD_LIMIT);
      if (field !== "parameters") details[`${field}Details`] = { truncated: true };
      continue;
    }
    if (payloadDetails && details[field] !== undefined) continue; // already marked truncated
    details[field] = value;
  }
  return {
    id: String(event.id),
    type: event.type,
    details,
    previous_event_id: String(event.previousEventId),
    event_timestamp: String(event.timestamp),
    execution_arn: executionArn,
    redrive_count: String(options.redriveCount ?? 0),
  };
}

export class LogRecordError extends Error {
  constructor(message: string) {
    super(message);
    this.name = "LogRecordError";
  }
}

const DIGITS = /^\d+$/;

/**
 * Reads a log event's message. Returns null for lines that are not Step Functions records (the
 * delivery-validation stream's text line); throws LogRecordError for a record with bad fields.
 */
export function parseLogRecord(message: string): StepFunctionsLogRecord | null {
  let raw: unknown;
  try {
    raw = JSON.parse(message);
  } catch {
    return null;
  }
  if (typeof raw !== "object" || raw === null || Array.isArray(raw)) return null;
  const r = raw as Record<string, unknown>;
  if (typeof r.execution_arn !== "string" || typeof r.type !== "string") return null;
  const text = (field: string): string => {
    const v = r[field];
    // AWS writes strings; tolerate numbers from other writers.
    if (typeof v === "number" && Number.isInteger(v)) return String(v);
    if (typeof v === "string" && DIGITS.test(v)) return v;
    throw new LogRecordError(`log record of ${String(r.execution_arn)}: field '${field}' must be a string of digits, got ${JSON.stringify(v)}`);
  };
  const details = r.details === undefined || r.details === null ? {} : r.details;
  if (typeof details !== "object" || Array.isArray(details)) throw new LogRecordError(`log record ${String(r.id)} of ${r.execution_arn}: 'details' must be an object`);
  return {
    id: text("id"),
    type: r.type,
    details: details as Record<string, unknown>,
    previous_event_id: r.previous_event_id === undefined ? "0" : text("previous_event_id"),
    event_timestamp: text("event_timestamp"),
    execution_arn: r.execution_arn,
    redrive_count: r.redrive_count === undefined ? "0" : text("redrive_count"),
  };
}

/** The history event a log record stands for (details wrapped in the type's details member). */
export function fromLogRecord(record: StepFunctionsLogRecord): HistoryEvent {
  const event: HistoryEvent = { id: Number(record.id), previousEventId: Number(record.previous_event_id), timestamp: Number(record.event_timestamp), type: record.type };
  const hasDetails = Object.keys(record.details).length > 0;
  if (isKnownEventType(record.type)) {
    const key = DETAILS_KEY_BY_TYPE[record.type];
    if (key) (event as Record<string, unknown>)[key] = { ...record.details };
  } else if (hasDetails) {
    const key = record.type.charAt(0).toLowerCase() + record.type.slice(1) + "EventDetails";
    event.unknownDetails = { key, value: { ...record.details } };
  }
  return event;
}
