// The overview: executions over time by status, failure rate, duration percentiles, top failing
// states and errors, transitions and usage for cost.
import type { Store } from "../index";
import { bucketSql, msOf, num, ts, Where } from "./sql";

export interface OverviewFilter {
  from: number;
  to: number;
  bucketMs: number;
  stateMachine?: string;
}

function baseWhere(store: Store, f: OverviewFilter): Where {
  const w = new Where().add(`e."startDate" >= ?`, ts(store.driver.kind, f.from)).add(`e."startDate" < ?`, ts(store.driver.kind, f.to));
  if (f.stateMachine) w.add(`m."name" = ?`, f.stateMachine);
  return w;
}
const FROM = `FROM "Execution" e JOIN "StateMachine" m ON m."id" = e."stateMachineId"`;

export async function executionsOverTime(store: Store, f: OverviewFilter): Promise<Array<{ bucket: number; status: string; n: number }>> {
  const w = baseWhere(store, f);
  const b = bucketSql(store.driver.kind, `e."startDate"`, f.bucketMs);
  const rows = await store.driver.all<{ bucket: unknown; status: string; n: unknown }>(`SELECT ${b} AS "bucket", e."status", COUNT(*) AS "n" ${FROM} ${w} GROUP BY 1, 2 ORDER BY 1`, w.params);
  return rows.map((r) => ({ bucket: num(r.bucket), status: r.status, n: num(r.n) }));
}

export async function overviewTotals(store: Store, f: OverviewFilter) {
  const w = baseWhere(store, f);
  const [byStatus, durations] = await Promise.all([
    store.driver.all<{ status: string; n: unknown; transitions: unknown; retries: unknown }>(`SELECT e."status", COUNT(*) AS "n", SUM(e."transitions") AS "transitions", SUM(e."retries") AS "retries" ${FROM} ${w} GROUP BY 1`, w.params),
    store.driver.all<{ d: unknown }>(`SELECT e."durationMs" AS "d" ${FROM} ${w} AND e."durationMs" IS NOT NULL ORDER BY e."durationMs" LIMIT 200000`, w.params),
  ]);
  return {
    byStatus: Object.fromEntries(byStatus.map((r) => [r.status, num(r.n)])) as Record<string, number>,
    transitions: byStatus.reduce((s, r) => s + num(r.transitions), 0),
    retries: byStatus.reduce((s, r) => s + num(r.retries), 0),
    durations: durations.map((r) => num(r.d)),
  };
}

export async function topFailingStates(store: Store, f: OverviewFilter, limit = 8): Promise<Array<{ stateMachine: string; stateName: string; failures: number }>> {
  const w = baseWhere(store, f);
  const rows = await store.driver.all<{ sm: string; s: string; n: unknown }>(
    `SELECT m."name" AS "sm", v."stateName" AS "s", COUNT(DISTINCT e."id") AS "n" ${FROM} JOIN "StateVisit" v ON v."executionId" = e."id" ${w}
     AND v."status" IN ('FAILED', 'CAUGHT') AND v."error" IS NOT NULL AND v."stateType" NOT IN ('Map', 'Parallel', 'Fail') GROUP BY 1, 2 ORDER BY 3 DESC LIMIT ${limit}`,
    w.params,
  );
  return rows.map((r) => ({ stateMachine: r.sm, stateName: r.s, failures: num(r.n) }));
}

export async function topErrors(store: Store, f: OverviewFilter, limit = 8): Promise<Array<{ error: string; n: number }>> {
  const w = baseWhere(store, f);
  const rows = await store.driver.all<{ error: string; n: unknown }>(`SELECT e."error", COUNT(*) AS "n" ${FROM} ${w} AND e."error" IS NOT NULL GROUP BY 1 ORDER BY 2 DESC LIMIT ${limit}`, w.params);
  return rows.map((r) => ({ error: r.error, n: num(r.n) }));
}

/** Usage per state machine in a window: what cost is computed from. */
export async function machineUsage(store: Store, f: { from: number; to: number }): Promise<Array<{ id: number; name: string; type: string; region: string | null; executions: number; failed: number; transitions: number; retries: number; durationMs: number; billedDurationMs: number; lastStart: number | null }>> {
  const kind = store.driver.kind;
  const w = new Where().add(`e."startDate" >= ?`, ts(kind, f.from)).add(`e."startDate" < ?`, ts(kind, f.to));
  const rows = await store.driver.all<Record<string, unknown>>(
    `SELECT m."id", m."name", m."type", m."region", COUNT(e."id") AS "executions", SUM(CASE WHEN e."status" IN ('FAILED', 'TIMED_OUT', 'ABORTED') THEN 1 ELSE 0 END) AS "failed",
       SUM(e."transitions") AS "transitions", SUM(e."retries") AS "retries", SUM(COALESCE(e."durationMs", 0)) AS "durationMs",
       SUM(CASE WHEN COALESCE(e."durationMs", 0) < 100 THEN 100 ELSE ((e."durationMs" + 99) / 100) * 100 END) AS "billed", MAX(${msOf(kind, `e."startDate"`)}) AS "lastStart"
     FROM "StateMachine" m LEFT JOIN "Execution" e ON e."stateMachineId" = m."id" AND ${w.parts.join(" AND ")} GROUP BY m."id", m."name", m."type", m."region" ORDER BY m."name"`,
    w.params,
  );
  return rows.map((r) => ({
    id: num(r.id), name: String(r.name), type: String(r.type), region: (r.region as string | null) ?? null, executions: num(r.executions), failed: num(r.failed),
    transitions: num(r.transitions), retries: num(r.retries), durationMs: num(r.durationMs), billedDurationMs: num(r.billed), lastStart: r.lastStart === null ? null : num(r.lastStart),
  }));
}
