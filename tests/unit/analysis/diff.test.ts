import { describe, expect, test } from "vitest";
import { diffRuns, jsonDiff, type VisitForDiff } from "@/lib/analysis/diff";

const v = (seq: number, stateName: string, extra: Partial<VisitForDiff> = {}): VisitForDiff => ({ seq, stateName, stateType: "Task", path: "", status: "SUCCEEDED", attempts: 1, durationMs: 100, error: null, ...extra });

describe("run diff", () => {
  test("identical runs have no divergence", () => {
    const a = [v(0, "A"), v(1, "B")];
    expect(diffRuns(a, a).firstDivergence).toBe(-1);
  });
  test("the first divergence is the first state whose outcome differs", () => {
    const d = diffRuns([v(0, "A"), v(1, "B"), v(2, "C")], [v(0, "A"), v(1, "B", { status: "FAILED", error: "Boom" }), v(2, "Fail")]);
    expect(d.firstDivergence).toBe(1);
    expect(d.rows.map((r) => r.kind)).toEqual(["same", "changed", "only-a", "only-b"]);
  });
  test("states only one run took are aligned around the common path", () => {
    const d = diffRuns([v(0, "A"), v(1, "C")], [v(0, "A"), v(1, "B"), v(2, "C")]);
    expect(d.rows.map((r) => [r.key, r.kind])).toEqual([["A", "same"], ["B", "only-b"], ["C", "same"]]);
  });
  test("iterations align by their path, and retry and duration deltas are per state", () => {
    const d = diffRuns([v(0, "Pack", { path: "M[0]", durationMs: 100 })], [v(0, "Pack", { path: "M[0]", attempts: 3, durationMs: 400 })]);
    expect(d.rows[0]).toMatchObject({ key: "M[0]/Pack", kind: "changed", retryDelta: 2, durationDeltaMs: 300 });
    expect(d.retryDelta).toBe(2);
  });
  test("long runs align by occurrence without quadratic memory", () => {
    const a = Array.from({ length: 5000 }, (_, i) => v(i, i % 2 ? "Poll" : "Wait"));
    const b = [...a.slice(0, 4000), v(4000, "Fail")];
    const d = diffRuns(a, b);
    expect(d.rows.filter((r) => r.kind === "same")).toHaveLength(4000);
    expect(d.firstDivergence).toBe(4000);
  });
});

describe("JSON diff", () => {
  test("names added, removed and changed values by path", () => {
    expect(jsonDiff({ a: 1, b: { c: [1, 2] }, gone: true }, { a: 2, b: { c: [1, 3] }, "new key": null })).toEqual([
      { path: "$.a", kind: "changed", before: 1, after: 2 },
      { path: "$.b.c[1]", kind: "changed", before: 2, after: 3 },
      { path: "$.gone", kind: "removed", before: true },
      { path: '$["new key"]', kind: "added", after: null },
    ]);
  });
  test("stops at the limit", () => {
    const big = Object.fromEntries(Array.from({ length: 500 }, (_, i) => [`k${i}`, i]));
    expect(jsonDiff(big, {}, 10)).toHaveLength(10);
  });
});

describe("root divergence", () => {
  test("a Parallel that failed only because of a child points at the child", () => {
    const d = diffRuns(
      [v(0, "A"), v(1, "P", { stateType: "Parallel" }), v(2, "X", { path: "P[0]" }), v(3, "Y", { path: "P[1]" })],
      [v(0, "A"), v(1, "P", { stateType: "Parallel", status: "FAILED", error: "E" }), v(2, "X", { path: "P[0]" }), v(3, "Y", { path: "P[1]", status: "FAILED", error: "E" })],
    );
    expect(d.rows[d.firstDivergence].key).toBe("P");
    expect(d.rows[d.rootDivergence].key).toBe("P[1]/Y");
  });
});

describe("change summary", () => {
  test("says where the runs part and which input fields changed", async () => {
    const { changeSummary } = await import("@/lib/analysis/diff");
    const s = changeSummary([v(0, "A"), v(1, "B")], [v(0, "A"), v(1, "B", { status: "FAILED", error: "Boom" })], '{"id":1,"x":"a"}', '{"id":2,"x":"a"}');
    expect(s).toEqual({ divergence: "B: SUCCEEDED → FAILED Boom", inputChanges: ["$.id 1 → 2"] });
  });
});
