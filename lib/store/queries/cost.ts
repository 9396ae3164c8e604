// Usage behind the cost page: transitions per state and per day, per state machine.
// Per state reads StateDayRollup for whole days (lib/store/rollup.ts).
import type { Store } from "../index";
import { bucketSql, num, splitByDay, sumByKey, ts } from "./sql";

export interface StateTransitions {
  stateMachine: string;
  type: string;
  stateName: string;
  visits: number;
  retries: number;
}

/**
 * Visits and retries per state of the executions that STARTED in [from, to) (like usageByDay,
 * so the page's per-state and per-day totals agree): whole start days from StateDayRollup (by
 * its startDay), the partial days at the edges from StateVisit. Most visits first.
 */
export async function transitionsByState(store: Store, f: { from: number; to: number }): Promise<StateTransitions[]> {
  const split = splitByDay(f.from, f.to);
  const parts = await Promise.all([
    ...(split.days ? [rollupTransitionsByState(store, split.days)] : []),
    ...split.edges.map((e) => visitTransitionsByState(store, e)),
  ]);
  const rows = sumByKey(parts.flat(), (r) => JSON.stringify([r.stateMachine, r.type, r.stateName]), ["visits", "retries"]);
  return rows.sort((a, b) => b.visits - a.visits || a.stateMachine.localeCompare(b.stateMachine) || a.stateName.localeCompare(b.stateName));
}

async function rollupTransitionsByState(store: Store, f: { from: number; to: number }): Promise<StateTransitions[]> {
  const kind = store.driver.kind;
  const rows = await store.driver.all<Record<string, unknown>>(
    `SELECT m."name" AS "sm", m."type", r."stateName", SUM(r."visits") AS "visits", SUM(r."retries") AS "retries"
     FROM "StateDayRollup" r JOIN "StateMachine" m ON m."id" = r."stateMachineId"
     WHERE r."startDay" >= ? AND r."startDay" < ? GROUP BY m."name", m."type", r."stateName"`,
    [ts(kind, f.from), ts(kind, f.to)],
  );
  return rows.map(toTransitions);
}

/** The same from StateVisit (the partial days; also the reference the rollup is tested against). */
export async function visitTransitionsByState(store: Store, f: { from: number; to: number }): Promise<StateTransitions[]> {
  const kind = store.driver.kind;
  const rows = await store.driver.all<Record<string, unknown>>(
    `SELECT m."name" AS "sm", m."type", v."stateName", COUNT(*) AS "visits", SUM(v."attempts" - 1) AS "retries"
     FROM "StateVisit" v JOIN "Execution" e ON e."id" = v."executionId" JOIN "StateMachine" m ON m."id" = e."stateMachineId"
     WHERE e."startDate" >= ? AND e."startDate" < ? GROUP BY m."name", m."type", v."stateName" ORDER BY 4 DESC`,
    [ts(kind, f.from), ts(kind, f.to)],
  );
  return rows.map(toTransitions);
}

const toTransitions = (r: Record<string, unknown>): StateTransitions => ({ stateMachine: String(r.sm), type: String(r.type), stateName: String(r.stateName), visits: num(r.visits), retries: num(r.retries) });

export async function usageByDay(store: Store, f: { from: number; to: number }): Promise<Array<{ day: number; stateMachine: string; type: string; executions: number; transitions: number; retries: number; billedDurationMs: number }>> {
  const kind = store.driver.kind;
  const b = bucketSql(kind, `e."startDate"`, 86_400_000);
  const rows = await store.driver.all<Record<string, unknown>>(
    `SELECT ${b} AS "day", m."name" AS "sm", m."type", COUNT(*) AS "executions", SUM(e."transitions") AS "transitions", SUM(e."retries") AS "retries",
       SUM(CASE WHEN COALESCE(e."durationMs", 0) < 100 THEN 100 ELSE ((e."durationMs" + 99) / 100) * 100 END) AS "billed"
     FROM "Execution" e JOIN "StateMachine" m ON m."id" = e."stateMachineId" WHERE e."startDate" >= ? AND e."startDate" < ? GROUP BY 1, m."name", m."type" ORDER BY 1`,
    [ts(kind, f.from), ts(kind, f.to)],
  );
  return rows.map((r) => ({ day: num(r.day), stateMachine: String(r.sm), type: String(r.type), executions: num(r.executions), transitions: num(r.transitions), retries: num(r.retries), billedDurationMs: num(r.billed) }));
}
