// The 25,000-event budget of a Standard execution: how much is used, which states use it, and
// for a running execution when it would run out at the current rate.
import { MAX_HISTORY_EVENTS } from "@/lib/history/types";
import type { HistoryTrace } from "@/lib/reconstruct/visits";

export interface HistoryBudget {
  used: number;
  limit: number;
  fraction: number;
  /** Events per state name (its *StateEntered and every event attributed to it), most first. */
  byState: Array<{ stateName: string; events: number }>;
  /** Events not attributed to a state (ExecutionStarted, ...). */
  executionEvents: number;
  /** Running executions: epoch ms at which the history would reach the limit at the rate so far. */
  projectedLimitAt: number | null;
}

export function historyBudget(trace: HistoryTrace, eventCount: number, times: { start: number; last: number; running: boolean }): HistoryBudget {
  const counts = new Map<string, number>();
  trace.visits.forEach((v, seq) => counts.set(v.stateName, (counts.get(v.stateName) ?? 0) + 1 + (trace.eventsOf[seq]?.length ?? 0)));
  const byState = [...counts.entries()].map(([stateName, events]) => ({ stateName, events })).sort((a, b) => b.events - a.events || a.stateName.localeCompare(b.stateName));
  const elapsed = times.last - times.start;
  const projectedLimitAt = times.running && elapsed > 0 && eventCount > 1 && eventCount < MAX_HISTORY_EVENTS ? times.start + (elapsed * MAX_HISTORY_EVENTS) / eventCount : null;
  return { used: eventCount, limit: MAX_HISTORY_EVENTS, fraction: eventCount / MAX_HISTORY_EVENTS, byState, executionEvents: trace.executionEvents.length, projectedLimitAt };
}
