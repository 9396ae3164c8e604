// Synthetic AWS-shaped histories for benchmarks: a sequential inline Map whose iterations each run
// a Lambda task, sized to a target number of events (a 25,000-event history is AWS's maximum).
import type { HistoryEvent } from "@/lib/history/types";

export function mapOfTasksHistory(targetEvents: number, start = Date.parse("2026-03-01T00:00:00Z")): HistoryEvent[] {
  const events: HistoryEvent[] = [];
  let t = start;
  const add = (type: string, prev: number, details?: [string, Record<string, unknown>]) => {
    const e = { id: events.length + 1, previousEventId: prev, timestamp: (t += 3), type } as HistoryEvent;
    if (details) (e as Record<string, unknown>)[details[0]] = details[1];
    events.push(e);
    return e.id;
  };
  const perIteration = 9;
  const items = Math.max(1, Math.floor((targetEvents - 6) / perIteration));
  const input = JSON.stringify({ items: Array.from({ length: Math.min(items, 50) }, (_, i) => ({ sku: `SKU-${i}`, qty: i % 5 })) });
  add("ExecutionStarted", 0, ["executionStartedEventDetails", { input, inputDetails: { truncated: false } }]);
  add("MapStateEntered", 0, ["stateEnteredEventDetails", { name: "Process items", input, inputDetails: { truncated: false } }]);
  let prev = add("MapStateStarted", 2, ["mapStateStartedEventDetails", { length: items }]);
  for (let i = 0; i < items; i++) {
    const item = JSON.stringify({ sku: `SKU-${i}`, qty: i % 5 });
    const it = add("MapIterationStarted", prev, ["mapIterationStartedEventDetails", { name: "Process items", index: i }]);
    const entered = add("TaskStateEntered", it, ["stateEnteredEventDetails", { name: "Reserve", input: item, inputDetails: { truncated: false } }]);
    const sched = add("LambdaFunctionScheduled", entered, ["lambdaFunctionScheduledEventDetails", { resource: "arn:aws:lambda:us-east-1:123456789012:function:reserve", input: item, inputDetails: { truncated: false } }]);
    const started = add("LambdaFunctionStarted", sched);
    const ok = add("LambdaFunctionSucceeded", started, ["lambdaFunctionSucceededEventDetails", { output: JSON.stringify({ reserved: true, sku: `SKU-${i}` }), outputDetails: { truncated: false } }]);
    const exited = add("TaskStateExited", ok, ["stateExitedEventDetails", { name: "Reserve", output: JSON.stringify({ reserved: true }), outputDetails: { truncated: false } }]);
    const pe = add("PassStateEntered", exited, ["stateEnteredEventDetails", { name: "Mark", input: JSON.stringify({ reserved: true }), inputDetails: { truncated: false } }]);
    prev = add("PassStateExited", pe, ["stateExitedEventDetails", { name: "Mark", output: JSON.stringify({ reserved: true, marked: true }), outputDetails: { truncated: false } }]);
    add("MapIterationSucceeded", prev, ["mapIterationSucceededEventDetails", { name: "Process items", index: i }]);
  }
  add("MapStateSucceeded", prev);
  const exited = add("MapStateExited", prev, ["stateExitedEventDetails", { name: "Process items", output: "[]", outputDetails: { truncated: false } }]);
  add("ExecutionSucceeded", exited, ["executionSucceededEventDetails", { output: "[]", outputDetails: { truncated: false } }]);
  return events;
}
