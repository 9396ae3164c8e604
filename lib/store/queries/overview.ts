// The overview: executions over time by status, failure rate, duration percentiles, top failing
// states and errors, transitions and usage for cost.
import type { Store } from "../index";
import { percentiles } from "@/lib/analysis/stats";
import { bucketSql, msOf, num, splitByDay, sumByKey, ts, Where } from "./sql";

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

/** Executions by status, transitions, retries, and the p50/p95 duration (nearest rank) of the window. */
export async function overviewTotals(store: Store, f: OverviewFilter) {
  const w = baseWhere(store, f);
  const [byStatus, [p50, p95]] = await Promise.all([
    store.driver.all<{ status: string; n: unknown; transitions: unknown; retries: unknown }>(`SELECT e."status", COUNT(*) AS "n", SUM(e."transitions") AS "transitions", SUM(e."retries") AS "retries" ${FROM} ${w} GROUP BY 1`, w.params),
    durationPercentiles(store, w, [50, 95]),
  ]);
  return {
    byStatus: Object.fromEntries(byStatus.map((r) => [r.status, num(r.n)])) as Record<string, number>,
    transitions: byStatus.reduce((s, r) => s + num(r.transitions), 0),
    retries: byStatus.reduce((s, r) => s + num(r.retries), 0),
    p50, p95,
  };
}

/**
 * Nearest-rank percentiles of the executions' durations (lib/analysis/stats.ts's definition).
 * PostgreSQL computes them (percentile_disc is nearest rank); SQLite, in process, hands the sorted
 * durations over, which is as fast as anything it could do in SQL.
 */
async function durationPercentiles(store: Store, w: Where, ps: number[]): Promise<Array<number | null>> {
  if (store.driver.kind === "postgres") {
    const [row] = await store.driver.all<{ p: unknown[] | null }>(
      `SELECT percentile_disc(ARRAY[${ps.map((p) => (p / 100).toString()).join(", ")}]::float8[]) WITHIN GROUP (ORDER BY e."durationMs") AS "p" ${FROM} ${w} AND e."durationMs" IS NOT NULL`,
      w.params,
    );
    return ps.map((_, i) => (row?.p?.[i] === null || row?.p?.[i] === undefined ? null : num(row.p[i])));
  }
  const rows = await store.driver.all<{ d: unknown }>(`SELECT e."durationMs" AS "d" ${FROM} ${w} AND e."durationMs" IS NOT NULL ORDER BY e."durationMs"`, w.params);
  return percentiles(rows.map((r) => num(r.d)), ps);
}

/**
 * The states in which most executions (started in the window) failed: a count of distinct
 * executions per state machine name and state. Whole start days come from StateDayRollup's
 * failedExecutions, the partial days at the edges from StateVisit.
 */
export async function topFailingStates(store: Store, f: OverviewFilter, limit = 8): Promise<Array<{ stateMachine: string; stateName: string; failures: number }>> {
  const split = splitByDay(f.from, f.to);
  const parts = await Promise.all([
    ...(split.days ? [rollupFailingStates(store, { ...f, ...split.days })] : []),
    ...split.edges.map((e) => visitFailingStates(store, { ...f, ...e })),
  ]);
  const rows = sumByKey(parts.flat(), (r) => JSON.stringify([r.stateMachine, r.stateName]), ["failures"]);
  return rows.sort((a, b) => b.failures - a.failures || a.stateMachine.localeCompare(b.stateMachine) || a.stateName.localeCompare(b.stateName)).slice(0, limit);
}

async function rollupFailingStates(store: Store, f: OverviewFilter): Promise<Array<{ stateMachine: string; stateName: string; failures: number }>> {
  const kind = store.driver.kind;
  const rows = await store.driver.all<{ sm: string; s: string; n: unknown }>(
    `SELECT m."name" AS "sm", r."stateName" AS "s", SUM(r."failedExecutions") AS "n" FROM "StateDayRollup" r JOIN "StateMachine" m ON m."id" = r."stateMachineId"
     WHERE r."startDay" >= ? AND r."startDay" < ? AND r."failedExecutions" > 0 ${f.stateMachine ? `AND m."name" = ?` : ""} GROUP BY 1, 2`,
    [ts(kind, f.from), ts(kind, f.to), ...(f.stateMachine ? [f.stateMachine] : [])],
  );
  return rows.map((r) => ({ stateMachine: r.sm, stateName: r.s, failures: num(r.n) }));
}

/** The same from StateVisit, all states (the partial days; also the reference the rollup is tested against). */
export async function visitFailingStates(store: Store, f: OverviewFilter): Promise<Array<{ stateMachine: string; stateName: string; failures: number }>> {
  const w = baseWhere(store, f);
  const rows = await store.driver.all<{ sm: string; s: string; n: unknown }>(
    `SELECT m."name" AS "sm", v."stateName" AS "s", COUNT(DISTINCT e."id") AS "n" ${FROM} JOIN "StateVisit" v ON v."executionId" = e."id" ${w}
     AND v."status" IN ('FAILED', 'CAUGHT') AND v."error" IS NOT NULL AND v."stateType" NOT IN ('Map', 'Parallel', 'Fail') GROUP BY 1, 2`,
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
