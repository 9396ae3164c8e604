// Cost of executions: per execution (a ledger by state, with the retry share), and roll-ups for the
// cost page (per state machine, per state, per day, with a month projection and an
// Express-vs-Standard what-if).
import { billedDurationMs, expressCost, expressGbSeconds, standardCost, standardMonthlyCost } from "./pricing";

export interface VisitForCost {
  stateName: string;
  stateType: string;
  attempts: number;
}

export interface StateCostLine {
  stateName: string;
  stateType: string;
  visits: number;
  /** Tries after the first (each billed as one more transition). */
  retries: number;
  transitions: number;
  dollars: number;
}

export interface ExecutionLedger {
  type: "STANDARD" | "EXPRESS";
  transitions: number;
  retryTransitions: number;
  /** Share of transitions (and so of Standard dollars) spent on retries, 0..1. */
  retryShare: number;
  dollars: number;
  /** Express only. */
  billedDurationMs?: number;
  gbSeconds?: number;
  lines: StateCostLine[];
}

/** Retries of one visit: extra tries of a Task (Map/Parallel re-runs count the same way). */
export function retriesOf(visit: VisitForCost): number {
  return Math.max(0, visit.attempts - 1);
}

/** What one execution cost, state by state. Standard: 1 transition per state entered + 1 per retry. */
export function executionLedger(visits: readonly VisitForCost[], type: string, durationMs: number | null, region?: string | null): ExecutionLedger {
  const byState = new Map<string, StateCostLine>();
  let transitions = 0;
  let retryTransitions = 0;
  for (const v of visits) {
    let line = byState.get(v.stateName);
    if (!line) byState.set(v.stateName, (line = { stateName: v.stateName, stateType: v.stateType, visits: 0, retries: 0, transitions: 0, dollars: 0 }));
    const retries = retriesOf(v);
    line.visits++;
    line.retries += retries;
    line.transitions += 1 + retries;
    transitions += 1 + retries;
    retryTransitions += retries;
  }
  const lines = [...byState.values()].sort((a, b) => b.transitions - a.transitions || a.stateName.localeCompare(b.stateName));
  if (type === "EXPRESS") {
    const gbs = expressGbSeconds(durationMs ?? 0);
    return { type: "EXPRESS", transitions, retryTransitions, retryShare: transitions ? retryTransitions / transitions : 0, dollars: expressCost(1, gbs), billedDurationMs: billedDurationMs(durationMs ?? 0), gbSeconds: gbs, lines };
  }
  for (const line of lines) line.dollars = standardCost(line.transitions, region);
  return { type: "STANDARD", transitions, retryTransitions, retryShare: transitions ? retryTransitions / transitions : 0, dollars: standardCost(transitions, region), lines };
}

export interface MachineUsage {
  name: string;
  type: string;
  executions: number;
  transitions: number;
  retries: number;
  /** Sum of per-execution billed durations (Express), ms. */
  billedDurationMs: number;
  /** Sum of raw durations, ms. */
  durationMs: number;
}

export interface MachineCost extends MachineUsage {
  dollars: number;
  retryDollars: number;
  gbSeconds: number;
  /** What the same executions would cost as the other workflow type. */
  whatIf: { type: "STANDARD" | "EXPRESS"; dollars: number };
}

/** Dollars for a window's usage of one state machine (no free tier: a share of the bill, not the bill). */
export function machineCost(u: MachineUsage, region?: string | null): MachineCost {
  const gbSeconds = (u.billedDurationMs / 1000) * (64 / 1024);
  const asStandard = standardCost(u.transitions, region);
  const asExpress = expressCost(u.executions, gbSeconds);
  if (u.type === "EXPRESS") return { ...u, dollars: asExpress, retryDollars: 0, gbSeconds, whatIf: { type: "STANDARD", dollars: asStandard } };
  return { ...u, dollars: asStandard, retryDollars: standardCost(u.retries, region), gbSeconds, whatIf: { type: "EXPRESS", dollars: asExpress } };
}

/** Scales a window's cost to 30 days. */
export function projectMonth(dollars: number, windowMs: number): number {
  if (windowMs <= 0) return 0;
  return (dollars * 30 * 86_400_000) / windowMs;
}

/** Monthly Standard bill for a projected transition count, after the free tier. */
export function projectedStandardBill(transitionsInWindow: number, windowMs: number, region?: string | null): number {
  return standardMonthlyCost(projectMonth(transitionsInWindow, windowMs), region);
}
