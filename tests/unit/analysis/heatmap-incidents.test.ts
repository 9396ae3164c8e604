import { describe, expect, test } from "vitest";
import { cellStatus, stateTimeMatrix, statusGrid } from "@/lib/analysis/heatmap";
import { causeFingerprint, groupIncidents, rootFailure } from "@/lib/analysis/incidents";
import { parseExecutionSearch } from "@/lib/analysis/search";
import { bucketSizeFor, bucketStarts, parseTimeRange } from "@/lib/analysis/time-range";
import { gateJson } from "@/lib/analysis/json-gate";

describe("heatmaps", () => {
  test("states × time puts counts in their buckets and orders states by total", () => {
    const m = stateTimeMatrix([
      { stateName: "A", bucket: 0, failures: 1, retries: 0, timeouts: 0 },
      { stateName: "B", bucket: 10, failures: 3, retries: 0, timeouts: 0 },
      { stateName: "C", bucket: 10, failures: 0, retries: 5, timeouts: 0 },
    ], [0, 10], "failures");
    expect(m.states).toEqual(["B", "A"]);
    expect(m.values).toEqual([[0, 3], [1, 0]]);
    expect(m.max).toBe(3);
  });
  test("a grid cell shows the worst of a state's visits; a success after retries is 'retried'", () => {
    expect(cellStatus([{ status: "SUCCEEDED", attempts: 1 }, { status: "CAUGHT", attempts: 1 }])).toBe("CAUGHT");
    expect(cellStatus([{ status: "SUCCEEDED", attempts: 3 }])).toBe("RETRIED");
    expect(cellStatus([])).toBeNull();
  });
  test("the executions × states grid has a column per execution and null where a state did not run", () => {
    const g = statusGrid([1, 2], [{ executionId: 1, stateName: "A", status: "SUCCEEDED", attempts: 1 }, { executionId: 2, stateName: "B", status: "FAILED", attempts: 1 }]);
    expect(g.states).toEqual(["A", "B"]);
    expect(g.cells).toEqual([["SUCCEEDED", null], [null, "FAILED"]]);
  });
});

describe("incidents", () => {
  test("fingerprints mask numbers, ids and quoted values, and read a JSON errorMessage", () => {
    expect(causeFingerprint(JSON.stringify({ errorMessage: "card ending 4242 declined", errorType: "X" }))).toBe("card ending # declined");
    expect(causeFingerprint("request 3f2a1c4e-1111-2222-3333-444455556666 for 'bob' failed")).toBe("request <uuid> for <str> failed");
  });
  test("failures with the same state, error and fingerprint group together with first and last seen", () => {
    const f = (id: number, at: number, cause: string) => ({ executionId: id, executionName: `e${id}`, stateMachine: "m", stateName: "Charge", error: "Declined", cause, at });
    const groups = groupIncidents([f(1, 100, "card 1111 declined"), f(2, 300, "card 2222 declined"), f(3, 200, "gateway down")]);
    expect(groups).toHaveLength(2);
    expect(groups[0]).toMatchObject({ count: 2, firstSeen: 100, lastSeen: 300, fingerprint: "card # declined" });
    expect(groups[0].recent.map((r) => r.id)).toEqual([2, 1]);
  });
  test("the root failure is the failing task, not the container or the Fail state", () => {
    const visits = [
      { stateName: "Reserve", stateType: "Parallel", status: "CAUGHT", error: "Declined", cause: null },
      { stateName: "Charge", stateType: "Task", status: "FAILED", error: "Declined", cause: "x" },
      { stateName: "PaymentFailed", stateType: "Fail", status: "FAILED", error: null, cause: null },
    ];
    expect(rootFailure(visits)?.stateName).toBe("Charge");
  });
});

describe("search, time range, size gate", () => {
  test("a JSONPath equality parses with its typed value; anything else is free text", () => {
    expect(parseExecutionSearch('$.orderId = "A-17"')).toEqual({ kind: "jsonpath", path: "$.orderId", op: "=", value: "A-17" });
    expect(parseExecutionSearch("$.items[0].qty != 3")).toEqual({ kind: "jsonpath", path: "$.items[0].qty", op: "!=", value: 3 });
    expect(parseExecutionSearch("card declined")).toEqual({ kind: "text", text: "card declined" });
    expect(parseExecutionSearch("  ")).toBeNull();
  });
  test("a preset range ends now; a custom one reads from/to; junk falls back to 7 days", () => {
    const now = Date.parse("2026-03-01T00:00:00Z");
    expect(parseTimeRange({ range: "24h" }, now)).toMatchObject({ from: now - 86_400_000, to: now });
    expect(parseTimeRange({ range: "custom", from: "2026-02-01T00:00:00Z", to: "2026-02-02T00:00:00Z" }, now)).toMatchObject({ key: "custom", from: Date.parse("2026-02-01T00:00:00Z") });
    expect(parseTimeRange({ range: "nope" }, now).key).toBe("7d");
  });
  test("buckets keep charts under the bucket limit and align to UTC", () => {
    expect(bucketSizeFor(7 * 86_400_000)).toBe(3 * 3_600_000);
    expect(bucketStarts(90_000, 250_000, 60_000)).toEqual([60_000, 120_000, 180_000, 240_000]);
  });
  test("small JSON is pretty-printed; a payload over the gate becomes a preview", () => {
    expect(gateJson('{"a":1}')).toEqual({ size: 7, large: false, text: '{\n  "a": 1\n}', isJson: true });
    const big = gateJson(JSON.stringify({ x: "y".repeat(300_000) }))!;
    expect(big.large).toBe(true);
    expect(big.text.length).toBe(4096);
  });
});

describe("chart series", () => {
  test("bucket rows become one chart row per bucket, empty buckets kept", async () => {
    const { bucketSeries } = await import("@/lib/analysis/time-range");
    expect(bucketSeries([{ bucket: 0, series: "FAILED", value: 2 }, { bucket: 0, series: "SUCCEEDED", value: 5 }, { bucket: 20, series: "FAILED", value: 1 }], [0, 10, 20])).toEqual([
      { t: 0, FAILED: 2, SUCCEEDED: 5 }, { t: 10 }, { t: 20, FAILED: 1 },
    ]);
  });
});
