// Usage behind the cost page: transitions per state and per day, per state machine.
import type { Store } from "../index";
import { bucketSql, num, ts } from "./sql";

export async function transitionsByState(store: Store, f: { from: number; to: number }): Promise<Array<{ stateMachine: string; type: string; stateName: string; visits: number; retries: number }>> {
  const kind = store.driver.kind;
  const rows = await store.driver.all<Record<string, unknown>>(
    `SELECT m."name" AS "sm", m."type", v."stateName", COUNT(*) AS "visits", SUM(v."attempts" - 1) AS "retries"
     FROM "StateVisit" v JOIN "Execution" e ON e."id" = v."executionId" JOIN "StateMachine" m ON m."id" = e."stateMachineId"
     WHERE e."startDate" >= ? AND e."startDate" < ? GROUP BY m."name", m."type", v."stateName" ORDER BY 4 DESC`,
    [ts(kind, f.from), ts(kind, f.to)],
  );
  return rows.map((r) => ({ stateMachine: String(r.sm), type: String(r.type), stateName: String(r.stateName), visits: num(r.visits), retries: num(r.retries) }));
}

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
