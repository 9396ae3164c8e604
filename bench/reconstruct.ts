// `npm run bench:reconstruct`: how long the reconstruction of large histories takes.
//   1. a 25,000-event Standard history (AWS's maximum): an inline Map whose iterations run a
//      Task and a Pass, budget 250 ms;
//   2. an inline Map of 10,000 iterations, budget 1 s.
// The histories are written out event by event, as AWS records them, so the reconstruction has
// every value to compute and check; each run must also report no divergence.
import type { StateMachineDefinition } from "../lib/asl";
import { parseHistoryDocument, toCliHistory, type HistoryEvent, type Json } from "../lib/history";
import { reconstructRun } from "../lib/reconstruct";

class Recorder {
  readonly events: HistoryEvent[] = [];
  private t = Date.UTC(2024, 0, 1);
  add(type: string, previousEventId: number, key?: string, details?: Record<string, unknown>): number {
    const id = this.events.length + 1;
    this.t += 3;
    const e: Record<string, unknown> = { id, previousEventId, timestamp: this.t, type };
    if (key) e[key] = details ?? {};
    this.events.push(e as HistoryEvent);
    return id;
  }
}

const text = (v: Json) => JSON.stringify(v);
const LAMBDA = { resourceType: "lambda", resource: "invoke" };

/** A Map over `items` items; with `withTask`, each iteration runs Work (Task) then Tidy (Pass), else Tidy only. */
function mapHistory(items: number, withTask: boolean): { definition: StateMachineDefinition; events: HistoryEvent[] } {
  const inner: Record<string, unknown> = withTask
    ? {
      Work: { Type: "Task", Resource: "arn:aws:states:::lambda:invoke", Parameters: { FunctionName: "work", "Payload.$": "$" }, ResultSelector: { "id.$": "$.Payload.id", "ok.$": "$.Payload.ok" }, ResultPath: "$.result", Next: "Tidy" },
      Tidy: { Type: "Pass", OutputPath: "$.result" },
    }
    : { Tidy: { Type: "Pass", Parameters: { "id.$": "$.id", ok: true } } };
  (inner.Tidy as Record<string, unknown>).End = true;
  const definition = {
    StartAt: "Process",
    States: {
      Process: { Type: "Map", ItemsPath: "$.items", MaxConcurrency: 1, ItemProcessor: { ProcessorConfig: { Mode: "INLINE" }, StartAt: withTask ? "Work" : "Tidy", States: inner }, ResultPath: "$.results", Next: "Done" },
      Done: { Type: "Succeed" },
    },
  } as StateMachineDefinition;
  const list = Array.from({ length: items }, (_, i) => ({ id: i }));
  const input = { items: list };
  const output = { items: list, results: list.map((x) => ({ id: x.id, ok: true })) };
  const r = new Recorder();
  r.add("ExecutionStarted", 0, "executionStartedEventDetails", { input: text(input), roleArn: "arn:aws:iam::111111111111:role/bench" });
  const m = r.add("MapStateEntered", 0, "stateEnteredEventDetails", { name: "Process", input: text(input) });
  let prev = r.add("MapStateStarted", m, "mapStateStartedEventDetails", { length: items });
  for (let i = 0; i < items; i++) {
    const item = { id: i };
    const it = r.add("MapIterationStarted", prev, "mapIterationStartedEventDetails", { name: "Process", index: i });
    let tidyIn: Json = item;
    let tidyPrev = it;
    if (withTask) {
      const w = r.add("TaskStateEntered", it, "stateEnteredEventDetails", { name: "Work", input: text(item) });
      const s = r.add("TaskScheduled", w, "taskScheduledEventDetails", { ...LAMBDA, region: "us-east-1", parameters: text({ FunctionName: "work", Payload: item }) });
      const st = r.add("TaskStarted", s, "taskStartedEventDetails", LAMBDA);
      const ok = r.add("TaskSucceeded", st, "taskSucceededEventDetails", { ...LAMBDA, output: text({ Payload: { id: i, ok: true }, StatusCode: 200 }) });
      tidyIn = { id: i, result: { id: i, ok: true } };
      tidyPrev = r.add("TaskStateExited", ok, "stateExitedEventDetails", { name: "Work", output: text(tidyIn) });
    }
    const t = r.add("PassStateEntered", tidyPrev, "stateEnteredEventDetails", { name: "Tidy", input: text(tidyIn) });
    prev = r.add("PassStateExited", t, "stateExitedEventDetails", { name: "Tidy", output: text({ id: i, ok: true }) });
    r.add("MapIterationSucceeded", prev, "mapIterationSucceededEventDetails", { name: "Process", index: i });
  }
  r.add("MapStateSucceeded", prev);
  const mx = r.add("MapStateExited", prev, "stateExitedEventDetails", { name: "Process", output: text(output) });
  const d = r.add("SucceedStateEntered", mx, "stateEnteredEventDetails", { name: "Done", input: text(output) });
  const dx = r.add("SucceedStateExited", d, "stateExitedEventDetails", { name: "Done", output: text(output) });
  r.add("ExecutionSucceeded", dx, "executionSucceededEventDetails", { output: text(output) });
  return { definition, events: r.events };
}

async function measure(label: string, items: number, withTask: boolean, budgetMs: number): Promise<boolean> {
  const { definition, events } = mapHistory(items, withTask);
  // Through the parser, as the CLI reads it.
  const doc = JSON.stringify(toCliHistory(events));
  const p0 = performance.now();
  const parsed = parseHistoryDocument(doc, "bench").events;
  const parseMs = performance.now() - p0;
  await reconstructRun(definition, parsed); // warm-up
  let best = Infinity;
  let divergences = 0;
  for (let run = 0; run < 5; run++) {
    const t0 = performance.now();
    const model = await reconstructRun(definition, parsed);
    best = Math.min(best, performance.now() - t0);
    divergences = model.divergences.length;
  }
  const ok = best < budgetMs && divergences === 0;
  console.log(`${ok ? "ok  " : "FAIL"} ${label}: ${parsed.length} events, reconstruct ${best.toFixed(1)} ms (budget ${budgetMs} ms, best of 5), parse ${parseMs.toFixed(1)} ms, ${divergences} divergences`);
  return ok;
}

const results = [
  await measure("25,000-event history (Map of Task + Pass)", 2777, true, 250),
  await measure("Map of 10,000 iterations", 10_000, false, 1000),
];
process.exitCode = results.every(Boolean) ? 0 : 1;
