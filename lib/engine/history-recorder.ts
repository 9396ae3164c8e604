// Appends history events with AWS's ids, causal previousEventId and details members.
// Payload fields (input, output, parameters, assignedVariables values) are JSON text, as in
// AWS's API.
import type { HistoryEvent, Json } from "../history/types";
import type { Clock } from "./clock";

/** Serialises a payload as AWS's API carries it. */
export function payload(value: Json): string {
  return JSON.stringify(value);
}

export function assignedVariablesDetails(assigned: Record<string, Json>): Record<string, string> {
  const out: Record<string, string> = {};
  for (const k of Object.keys(assigned)) out[k] = JSON.stringify(assigned[k]);
  return out;
}

/** Raised when a Standard execution's history reaches AWS's event quota. */
export class HistoryLimitExceeded extends Error {
  constructor(readonly limit: number, message = `The execution history reached the limit of ${limit} events.`) {
    super(message);
    this.name = "HistoryLimitExceeded";
  }
}

const EXECUTION_END = new Set(["ExecutionSucceeded", "ExecutionFailed", "ExecutionTimedOut", "ExecutionAborted"]);

/** AWS's Standard quota, which also bounds the silent steps of an execution without one (Express). */
const STANDARD_QUOTA = 25_000;

export class HistoryRecorder {
  readonly events: HistoryEvent[] = [];
  /** Virtual milliseconds between two events, so timestamps increase plausibly. */
  private readonly stepMs = 1;
  /** Steps that recorded no event but count against the quota (see `charge`). */
  private charged = 0;

  constructor(
    private readonly clock: Clock,
    private readonly limit: number,
    private readonly onEvent?: (event: HistoryEvent) => void,
  ) {}

  /** Records one event and returns its id. `details` is placed under `detailsKey`. */
  add(type: string, previousEventId: number, detailsKey?: string, details?: Record<string, unknown>): number {
    const id = this.events.length + 1;
    // The last slot is kept for the event that ends the execution.
    if (id + this.charged >= this.limit && !EXECUTION_END.has(type)) throw new HistoryLimitExceeded(this.limit);
    const event = { id, previousEventId, timestamp: this.clock.now(), type } as HistoryEvent;
    if (detailsKey !== undefined) (event as unknown as Record<string, unknown>)[detailsKey] = details ?? {};
    this.events.push(event);
    this.clock.step(this.stepMs);
    this.onEvent?.(event);
    return id;
  }

  /**
   * Counts a step that recorded no event against the quota: a retry after an attempt that failed
   * before its task was scheduled records nothing, so without this a retrier with MaxAttempts
   * 99,999,999 would spin through a virtual year of retries instead of meeting the quota.
   */
  charge(): void {
    this.charged++;
    const quota = Math.min(this.limit, STANDARD_QUOTA);
    if (this.events.length + this.charged >= quota) {
      throw new HistoryLimitExceeded(quota, `The execution reached the limit of ${quota} events, counting ${this.charged} retries that recorded no event.`);
    }
  }

  get lastId(): number {
    return this.events.length;
  }
}
