import { describe, expect, test } from "vitest";
import { executionLedger, machineCost, projectMonth } from "@/lib/analysis/cost";
import { billedDurationMs, billedMemoryMb, expressCost, expressDurationCost, expressGbSeconds, standardCost, standardMonthlyCost } from "@/lib/analysis/pricing";

describe("pricing", () => {
  test("a Standard transition costs $0.025 per 1,000 in us-east-1", () => {
    expect(standardCost(1000)).toBeCloseTo(0.025, 10);
  });
  test("regions without a listed price fall back to us-east-1; listed ones use theirs", () => {
    expect(standardCost(1000, "sa-east-1")).toBeCloseTo(0.0375, 10);
    expect(standardCost(1000, "xx-nowhere-1")).toBeCloseTo(0.025, 10);
  });
  test("the monthly bill subtracts the 4,000 free transitions (worked example: 25M → $624.90)", () => {
    expect(standardMonthlyCost(25_000_000)).toBeCloseTo(624.9, 6);
    expect(standardMonthlyCost(3_000)).toBe(0);
  });
  test("Express duration rounds up to 100 ms with a 100 ms minimum", () => {
    expect(billedDurationMs(1240)).toBe(1300);
    expect(billedDurationMs(0)).toBe(100);
    expect(billedDurationMs(1300)).toBe(1300);
  });
  test("Express memory is billed in 64 MB chunks", () => {
    expect(billedMemoryMb(8_000, 4_000, 10)).toBe(64);
    expect(billedMemoryMb(0, 200_000, 100)).toBe(128);
  });
  test("Express worked example: 1M executions of 1.24 s at 64 MB ≈ $2.35", () => {
    const gbs = expressGbSeconds(1240) * 1_000_000;
    expect(gbs).toBeCloseTo(81_250, 6);
    expect(expressCost(1_000_000, gbs)).toBeCloseTo(2.354, 3);
  });
  test("Express duration tiers apply past 3.6M GB-seconds", () => {
    expect(expressDurationCost(3_600_000 + 1_000)).toBeCloseTo(3_600_000 * 0.00001667 + 1_000 * 0.00000833, 6);
  });
});

describe("cost", () => {
  const visits = [
    { stateName: "Validate", stateType: "Task", attempts: 2 },
    { stateName: "IsPriority", stateType: "Choice", attempts: 1 },
    { stateName: "Pack", stateType: "Task", attempts: 1 },
    { stateName: "Pack", stateType: "Task", attempts: 1 },
  ];
  test("an execution's transitions are one per state entered plus one per retry", () => {
    const l = executionLedger(visits, "STANDARD", 1000);
    expect(l.transitions).toBe(5);
    expect(l.retryTransitions).toBe(1);
    expect(l.retryShare).toBeCloseTo(0.2);
    expect(l.dollars).toBeCloseTo(5 * 0.000025, 12);
  });
  test("the ledger lists states by transitions, with visits and retries", () => {
    const l = executionLedger(visits, "STANDARD", 1000);
    expect(l.lines.map((x) => [x.stateName, x.visits, x.retries, x.transitions])).toEqual([["Pack", 2, 0, 2], ["Validate", 1, 1, 2], ["IsPriority", 1, 0, 1]]);
  });
  test("an Express execution costs a request plus its billed GB-seconds", () => {
    const l = executionLedger(visits, "EXPRESS", 1240);
    expect(l.billedDurationMs).toBe(1300);
    expect(l.dollars).toBeCloseTo(0.000001 + 1.3 * 0.0625 * 0.00001667, 12);
  });
  test("the what-if prices Standard usage as Express and back", () => {
    const c = machineCost({ name: "m", type: "STANDARD", executions: 10, transitions: 100, retries: 10, billedDurationMs: 10_000, durationMs: 9_500 });
    expect(c.dollars).toBeCloseTo(0.0025, 10);
    expect(c.retryDollars).toBeCloseTo(0.00025, 10);
    expect(c.whatIf.type).toBe("EXPRESS");
    expect(c.whatIf.dollars).toBeCloseTo(10 * 0.000001 + 10 * 0.0625 * 0.00001667, 12);
  });
  test("a window's cost scales linearly to 30 days", () => {
    expect(projectMonth(1, 86_400_000)).toBeCloseTo(30);
  });
});
