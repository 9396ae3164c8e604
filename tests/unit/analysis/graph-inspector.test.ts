import { describe, expect, test } from "vitest";
import { findState, graphOverlay, layoutDefinition, type GraphMachine } from "@/lib/analysis/graph-layout";
import { errorMatches, inspectVisit, type StateDefinitionLike } from "@/lib/analysis/inspector";
import { eventRows, filterEventRows } from "@/lib/analysis/events";
import { parseHistoryDocument } from "@/lib/history/parse";
import { traceHistory } from "@/lib/reconstruct/visits";
import { demoDocuments, ordersDefinition } from "../../fixtures/demo-histories";

const orders = ordersDefinition(2) as unknown as GraphMachine;
const doc = (file: string) => demoDocuments({ orders: 0, nightly: 0, thumbnails: 0 }).find((d) => d.file === file)!;

describe("graph layout", () => {
  test("every state is a node; Parallel branches and the Map are groups holding their states", () => {
    const g = layoutDefinition(orders);
    const byId = new Map(g.nodes.map((n) => [n.id, n]));
    expect(byId.get("s:Reserve")?.kind).toBe("group");
    expect(byId.get("b:Reserve:1")?.parentId).toBe("s:Reserve");
    expect(byId.get("s:ChargeCard")?.parentId).toBe("b:Reserve:1");
    expect(byId.get("s:Pack")?.parentId).toBe("s:PackItems");
    expect(byId.has("t:start") && byId.has("t:end")).toBe(true);
  });
  test("parents come before their children (as @xyflow/react requires) and children fit inside", () => {
    const g = layoutDefinition(orders);
    const index = new Map(g.nodes.map((n, i) => [n.id, i]));
    for (const n of g.nodes) {
      if (!n.parentId) continue;
      const parent = g.nodes[index.get(n.parentId)!];
      expect(index.get(n.parentId)!).toBeLessThan(index.get(n.id)!);
      expect(n.x + n.width).toBeLessThanOrEqual(parent.width);
      expect(n.y + n.height).toBeLessThanOrEqual(parent.height);
    }
  });
  test("Choice rules, Default and Catch become labelled edges", () => {
    const kinds = layoutDefinition(orders).edges.filter((e) => e.source === "s:IsPriority" || e.source === "s:Reserve").map((e) => `${e.kind}:${e.target}`);
    expect(kinds).toEqual(expect.arrayContaining(["choice:s:Expedite", "default:s:Reserve", "catch:s:PaymentFailed", "next:s:PackItems"]));
  });
  test("the overlay counts visits and the transitions a run took", () => {
    const o = graphOverlay([{ stateName: "A", status: "SUCCEEDED", attempts: 2 }, { stateName: "B", status: "FAILED", attempts: 1 }], [[0, 1]]);
    expect(o.states.A).toEqual({ visits: 1, failed: 0, caught: 0, retries: 1 });
    expect(o.transitions).toEqual({ "A->B": 1 });
  });
  test("a nested state is found by name", () => {
    expect(findState(orders, "Pack")?.Type).toBe("Task");
  });
});

describe("inspector", () => {
  const failed = doc("orders-a17-failed.json");
  const events = parseHistoryDocument(JSON.stringify(failed.document), "f.json").events;
  const trace = traceHistory(events);
  const charge = trace.visits.find((v) => v.stateName === "ChargeCard")!;
  test("shows the recorded data flow: input, parameters sent, the cause", () => {
    const data = inspectVisit(trace, events, charge.seq, findState(orders, "ChargeCard") as StateDefinitionLike)!;
    expect(data.steps.map((s) => s.label)).toEqual(["Input (TaskStateEntered)", "Parameters sent (TaskScheduled)", "Cause (TaskFailed)"]);
    expect(data.error).toBe("PaymentDeclined");
  });
  test("explains that no retrier matched and the Parallel's catcher took the error", () => {
    const data = inspectVisit(trace, events, charge.seq, findState(orders, "ChargeCard") as StateDefinitionLike)!;
    expect(data.retryStory[0]).toContain("no retrier matches");
    const reserve = trace.visits.find((v) => v.stateName === "Reserve")!;
    const r = inspectVisit(trace, events, reserve.seq, findState(orders, "Reserve") as StateDefinitionLike)!;
    expect(r.catchStory).toContain("→ PaymentFailed");
  });
  test("marks the Choice rule that sent the run on, with the value it read", () => {
    const choice = trace.visits.find((v) => v.stateName === "IsPriority")!;
    const data = inspectVisit(trace, events, choice.seq, findState(orders, "IsPriority") as StateDefinitionLike)!;
    expect(data.choice).toEqual([
      { index: 0, text: '$.priority StringEquals "high"', next: "Expedite", taken: false, read: '"normal"' },
      { index: "Default", text: "no rule matched", next: "Reserve", taken: true },
    ]);
  });
  test("AWS error matching: States.ALL matches all, States.TaskFailed all but States.Timeout", () => {
    expect(errorMatches(["States.ALL"], "X")).toBe(true);
    expect(errorMatches(["States.TaskFailed"], "States.Timeout")).toBe(false);
    expect(errorMatches(["A"], "B")).toBe(false);
  });
  test("event rows name each event's state and filter by type, state and text", () => {
    const rows = eventRows(events, trace);
    expect(rows.find((r) => r.type === "TaskFailed" && r.state === "ChargeCard")?.failed).toBe(true);
    expect(filterEventRows(rows, { state: "ChargeCard" }).every((r) => r.state === "ChargeCard")).toBe(true);
    expect(filterEventRows(rows, { text: "insufficient" }).map((r) => r.type)).toContain("TaskFailed");
  });
});

describe("inspector with the run model", () => {
  test("adds the computed data-flow steps and keeps where an uncaught error went", async () => {
    const { reconstructRun } = await import("@/lib/reconstruct");
    const { withRunModel } = await import("@/lib/analysis/inspector");
    const failed = doc("orders-a17-failed.json");
    const events = parseHistoryDocument(JSON.stringify(failed.document), "f.json").events;
    const model = await reconstructRun(JSON.stringify(failed.document.definition), events);
    const trace = traceHistory(events);
    const charge = trace.visits.find((v) => v.stateName === "ChargeCard")!;
    const data = withRunModel(inspectVisit(trace, events, charge.seq, findState(orders, "ChargeCard") as StateDefinitionLike)!, model.allVisits[charge.seq], model.divergences);
    expect(data.flow[0]).toMatchObject({ step: "Input", provenance: "recorded" });
    expect(data.flow.map((f) => f.step)).toContain("After Parameters (the request)");
    expect(data.catchStory).toContain("enclosing Reserve, whose Catch handled it");
    expect(data.divergences).toEqual([]);
  });
  test("explains a Choice with the rule's own reason", async () => {
    const { reconstructRun } = await import("@/lib/reconstruct");
    const { withRunModel } = await import("@/lib/analysis/inspector");
    const failed = doc("orders-a17-failed.json");
    const events = parseHistoryDocument(JSON.stringify(failed.document), "f.json").events;
    const model = await reconstructRun(JSON.stringify(failed.document.definition), events);
    const trace = traceHistory(events);
    const choice = trace.visits.find((v) => v.stateName === "IsPriority")!;
    const data = withRunModel(inspectVisit(trace, events, choice.seq, findState(orders, "IsPriority") as StateDefinitionLike)!, model.allVisits[choice.seq], model.divergences);
    expect(data.choice?.find((r) => r.taken)).toMatchObject({ index: "Default", next: "Reserve" });
    expect(data.choice?.[0].reason).toContain('"normal"');
  });
});

describe("graph clicks", () => {
  test("a state opens its failed visit, else its last one", async () => {
    const { visitToOpen } = await import("@/lib/analysis/graph-layout");
    expect(visitToOpen([{ seq: 0, stateName: "A", status: "SUCCEEDED" }, { seq: 1, stateName: "A", status: "FAILED" }, { seq: 2, stateName: "A", status: "SUCCEEDED" }, { seq: 3, stateName: "B", status: "SUCCEEDED" }, { seq: 4, stateName: "B", status: "SUCCEEDED" }])).toEqual({ A: 1, B: 4 });
  });
});
