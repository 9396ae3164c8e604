// Log records -> executions: group by execution ARN, drop duplicates (overlapping reads), order by
// id, and judge whether the history is complete enough to stand for the execution's history.
import type { HistoryEvent } from "@/lib/history/types";
import { fromLogRecord, type LogLevel, type StepFunctionsLogRecord } from "./record";

export interface LoggedExecution {
  executionArn: string;
  /** the Express state machine's ARN, from the execution ARN */
  stateMachineArn: string;
  events: HistoryEvent[];
  /** the execution's last event is in the logs */
  closed: boolean;
  /** why the logged history is not the whole history, or null when it is */
  incomplete: string | null;
}

const TERMINAL = new Set(["ExecutionSucceeded", "ExecutionFailed", "ExecutionTimedOut", "ExecutionAborted"]);

/** `arn:aws:states:<r>:<a>:express:<machine>:<name>:<uuid>` -> `arn:aws:states:<r>:<a>:stateMachine:<machine>` */
export function stateMachineArnOfExecution(executionArn: string): string {
  const parts = executionArn.split(":");
  return [...parts.slice(0, 5), "stateMachine", parts[6]].join(":");
}

export class ExecutionGrouper {
  private byArn = new Map<string, Map<number, StepFunctionsLogRecord>>();
  /** when each execution's terminal record was seen (epoch ms) */
  private closedAt = new Map<string, number>();
  /** executions handed out by take(): their records are not collected again */
  private taken = new Set<string>();

  add(record: StepFunctionsLogRecord): void {
    if (this.taken.has(record.execution_arn)) return;
    if (TERMINAL.has(record.type)) this.closedAt.set(record.execution_arn, Number(record.event_timestamp));
    let events = this.byArn.get(record.execution_arn);
    if (!events) this.byArn.set(record.execution_arn, (events = new Map()));
    events.set(Number(record.id), record);
  }

  get size(): number {
    return this.byArn.size;
  }

  /**
   * Hands out, and forgets, the executions whose terminal record is older than `before`: records
   * come in timestamp order, so nothing of theirs can follow. Keeps memory flat on long windows.
   */
  takeClosedBefore(before: number, logging: { level: LogLevel; includeExecutionData: boolean }): LoggedExecution[] {
    const arns = [...this.closedAt].filter(([, at]) => at < before).map(([arn]) => arn);
    return this.take(arns, logging);
  }

  /** Hands out every execution collected. */
  takeAll(logging: { level: LogLevel; includeExecutionData: boolean }): LoggedExecution[] {
    return this.take([...this.byArn.keys()], logging);
  }

  private take(arns: string[], logging: { level: LogLevel; includeExecutionData: boolean }): LoggedExecution[] {
    const out = this.executions(logging, arns);
    for (const arn of arns) {
      this.byArn.delete(arn);
      this.closedAt.delete(arn);
      this.taken.add(arn);
    }
    return out;
  }

  executions(logging: { level: LogLevel; includeExecutionData: boolean }, only?: string[]): LoggedExecution[] {
    const out: LoggedExecution[] = [];
    for (const executionArn of only ?? this.byArn.keys()) {
      const records = this.byArn.get(executionArn);
      if (!records) continue;
      const events = [...records.values()].map(fromLogRecord).sort((a, b) => a.id - b.id);
      out.push({ executionArn, stateMachineArn: stateMachineArnOfExecution(executionArn), events, closed: events.some((e) => TERMINAL.has(e.type)), incomplete: incompleteness(events, logging) });
    }
    return out;
  }
}

/** Why a logged history falls short of the API's history: level, payloads, truncation, gaps. */
export function incompleteness(events: readonly HistoryEvent[], logging: { level: LogLevel; includeExecutionData: boolean }): string | null {
  if (logging.level !== "ALL") return `log level ${logging.level}: only some event types are logged`;
  if (!logging.includeExecutionData) return "includeExecutionData is false: inputs and outputs are not logged";
  if (events[0]?.type !== "ExecutionStarted") return "the ExecutionStarted event is missing";
  for (let i = 0; i < events.length; i++) {
    if (events[i].id !== i + 1) return `events are missing before id ${events[i].id}`;
    for (const [key, value] of Object.entries(events[i])) {
      if (!key.endsWith("EventDetails") || typeof value !== "object" || value === null) continue;
      const d = value as { inputDetails?: { truncated?: boolean }; outputDetails?: { truncated?: boolean } };
      if (d.inputDetails?.truncated || d.outputDetails?.truncated) return `a payload is truncated at event ${events[i].id}`;
    }
  }
  return null;
}
