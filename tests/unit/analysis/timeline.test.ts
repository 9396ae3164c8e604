import { describe, expect, test } from "vitest";
import { failureRowIndex, layoutTimeline } from "@/lib/analysis/timeline";
import { parseHistoryDocument } from "@/lib/history/parse";
import { traceHistory } from "@/lib/reconstruct/visits";
import { catalogExecution, demoDocuments } from "../../fixtures/demo-histories";
import { lambdaRetryCatchFail, mapAndParallel } from "../../fixtures/histories";

const load = (cli: { events: Record<string, unknown>[] }) => parseHistoryDocument(JSON.stringify(cli), "t.json").events;

describe("timeline layout", () => {
  test("a retried task is one row with a segment per try and the backoff between them", () => {
    const events = load(lambdaRetryCatchFail().cli());
    const { rows } = layoutTimeline(traceHistory(events), events);
    const charge = rows.find((r) => r.label === "Charge")!;
    expect(charge.segments.map((s) => s.kind)).toEqual(["attempt", "backoff", "attempt", "backoff", "attempt"]);
    expect(charge.segments.filter((s) => s.kind === "attempt").every((s) => s.outcome === "FAILED")).toBe(true);
    const backoff = charge.segments[1];
    expect(backoff.end - backoff.start).toBe(1000);
  });
  test("times are offsets from the execution start", () => {
    const events = load(lambdaRetryCatchFail().cli());
    const layout = layoutTimeline(traceHistory(events), events);
    expect(layout.end).toBe(events[events.length - 1].timestamp - events[0].timestamp);
    expect(layout.rows[0].start).toBe(events[1].timestamp - events[0].timestamp);
  });
  test("Parallel branches become lanes under their Parallel, a Map one folded row", () => {
    const events = load(mapAndParallel().cli());
    const { rows } = layoutTimeline(traceHistory(events), events);
    expect(rows.map((r) => [r.kind, r.label, r.depth])).toEqual([
      ["visit", "Each", 0], ["map-iterations", "2 iterations", 1], ["visit", "Both", 0], ["visit", "Left", 1], ["visit", "Right", 1],
    ]);
    expect(rows[3].lane).toBe("Both[0]");
  });
  test("an expanded Map shows one row per iteration", () => {
    const events = load(mapAndParallel().cli());
    const trace = traceHistory(events);
    const { rows } = layoutTimeline(trace, events, { expandedMaps: new Set([0]) });
    expect(rows.filter((r) => r.kind === "iteration").map((r) => r.label)).toEqual(["#0", "#1"]);
  });
  test("10,000 iterations fold into one density row whose buckets count every iteration", () => {
    const events = load({ events: catalogExecution(Date.parse("2026-01-01T00:00:00Z"), "arn:aws:states:us-east-1:1:stateMachine:c", 10_000).g.toCli() });
    const { rows } = layoutTimeline(traceHistory(events), events);
    expect(rows).toHaveLength(2);
    expect(rows[1].iterations).toBe(10_000);
    expect(rows[1].density!.active.reduce((s, n) => s + n, 0)).toBeGreaterThanOrEqual(10_000);
    expect(rows[1].density!.failed.every((n) => n === 0)).toBe(true);
  });
  test("jump to failure goes to the failed task, not to the Fail state", () => {
    const failed = demoDocuments({ orders: 0, nightly: 0, thumbnails: 0 }).find((d) => d.file === "orders-a17-failed.json")!;
    const events = load(failed.document);
    const { rows } = layoutTimeline(traceHistory(events), events);
    expect(rows[failureRowIndex(rows)].label).toBe("ChargeCard");
  });
});

describe("history budget", () => {
  test("counts events per state and projects when a running execution would reach 25,000", async () => {
    const { historyBudget } = await import("@/lib/analysis/history-budget");
    const events = load(lambdaRetryCatchFail().cli());
    const b = historyBudget(traceHistory(events), events.length, { start: 0, last: 1000, running: true });
    expect(b.byState[0]).toEqual({ stateName: "Charge", events: 11 });
    expect(b.byState.reduce((s, x) => s + x.events, 0) + b.executionEvents).toBe(events.length);
    expect(b.projectedLimitAt).toBeCloseTo((1000 * 25_000) / events.length);
  });
});

describe("Map iterations", () => {
  test("an expanded Map can show only its failed iterations", () => {
    const failing = demoDocuments({ orders: 200, nightly: 0, thumbnails: 0 }).find((d) => d.document.execution.error === "Warehouse.Unavailable")!;
    const events = load(failing.document);
    const trace = traceHistory(events);
    const map = trace.visits.find((v) => v.stateType === "Map")!;
    const all = layoutTimeline(trace, events, { expandedMaps: new Set([map.seq]) }).rows.filter((r) => r.kind === "iteration");
    const failed = layoutTimeline(trace, events, { expandedMaps: new Set([map.seq]), failedIterationsOnly: true }).rows.filter((r) => r.kind === "iteration");
    expect(failed).toHaveLength(1);
    expect(failed[0].label).toMatch(/^#\d+ · Pack$/);
    expect(all.length).toBeGreaterThanOrEqual(failed.length);
  });
});

describe("Map item keys", () => {
  test("labels each iteration with a value read from its input", () => {
    const events = load({ events: catalogExecution(Date.parse("2026-01-01T00:00:00Z"), "arn:aws:states:us-east-1:1:stateMachine:c", 3).g.toCli() });
    const trace = traceHistory(events);
    const rows = layoutTimeline(trace, events, { expandedMaps: new Set([0]), itemKey: "$.sku" }).rows.filter((r) => r.kind === "iteration");
    expect(rows.map((r) => r.label)).toEqual(["#0 P-0", "#1 P-1", "#2 P-2"]);
  });
});
