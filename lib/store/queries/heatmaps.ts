// Heatmap data: per state and time bucket, failures/retries/timeouts (StateDayRollup for whole
// days); and the visits of the most recent executions of one state machine for the executions x
// states grid.
import type { StateBucketCount } from "@/lib/analysis/heatmap";
import type { Store } from "../index";
import { bucketSql, DAY_MS, msOrNull, num, splitByDay, sumByKey, ts } from "./sql";

/**
 * Per state and time bucket (by visit entry time): failures, retries, timeouts. With buckets of
 * whole UTC days, the whole days of the range come from StateDayRollup and only the partial days
 * at its edges from StateVisit; other bucket sizes read StateVisit.
 */
export async function stateBucketCounts(store: Store, f: { from: number; to: number; bucketMs: number; stateMachine?: string }): Promise<StateBucketCount[]> {
  const split = Number.isInteger(f.bucketMs) && f.bucketMs > 0 && f.bucketMs % DAY_MS === 0 ? splitByDay(f.from, f.to) : null;
  if (!split?.days) return visitBucketCounts(store, f);
  const parts = await Promise.all([rollupBucketCounts(store, { ...f, ...split.days }), ...split.edges.map((e) => visitBucketCounts(store, { ...f, ...e }))]);
  return sumByKey(parts.flat(), (r) => `${r.bucket}\u0000${r.stateName}`, ["failures", "retries", "timeouts"]);
}

async function rollupBucketCounts(store: Store, f: { from: number; to: number; bucketMs: number; stateMachine?: string }): Promise<StateBucketCount[]> {
  const kind = store.driver.kind;
  const b = bucketSql(kind, `r."day"`, f.bucketMs);
  const rows = await store.driver.all<Record<string, unknown>>(
    `SELECT r."stateName", ${b} AS "bucket", SUM(r."failures") AS "failures", SUM(r."retries") AS "retries", SUM(r."timeouts") AS "timeouts"
     FROM "StateDayRollup" r ${f.stateMachine ? `JOIN "StateMachine" m ON m."id" = r."stateMachineId"` : ""}
     WHERE r."day" >= ? AND r."day" < ? ${f.stateMachine ? `AND m."name" = ?` : ""}
     GROUP BY r."stateName", ${b}`,
    [ts(kind, f.from), ts(kind, f.to), ...(f.stateMachine ? [f.stateMachine] : [])],
  );
  return rows.map((r) => ({ stateName: String(r.stateName), bucket: num(r.bucket), failures: num(r.failures), retries: num(r.retries), timeouts: num(r.timeouts) }));
}

/** The same counts straight from StateVisit (any bucket size; also the reference the rollup is tested against). */
export async function visitBucketCounts(store: Store, f: { from: number; to: number; bucketMs: number; stateMachine?: string }): Promise<StateBucketCount[]> {
  const kind = store.driver.kind;
  const b = bucketSql(kind, `v."enteredAt"`, f.bucketMs);
  // Every visit has its execution and state machine (foreign keys): join them only to filter.
  const rows = await store.driver.all<Record<string, unknown>>(
    `SELECT v."stateName", ${b} AS "bucket",
       SUM(CASE WHEN v."status" IN ('FAILED', 'CAUGHT') AND v."error" IS NOT NULL AND v."stateType" NOT IN ('Map', 'Parallel') THEN 1 ELSE 0 END) AS "failures",
       SUM(v."attempts" - 1) AS "retries", SUM(CASE WHEN v."error" = 'States.Timeout' THEN 1 ELSE 0 END) AS "timeouts"
     FROM "StateVisit" v ${f.stateMachine ? `JOIN "Execution" e ON e."id" = v."executionId" JOIN "StateMachine" m ON m."id" = e."stateMachineId"` : ""}
     WHERE v."enteredAt" >= ? AND v."enteredAt" < ? ${f.stateMachine ? `AND m."name" = ?` : ""}
     GROUP BY v."stateName", ${b}`,
    [ts(kind, f.from), ts(kind, f.to), ...(f.stateMachine ? [f.stateMachine] : [])],
  );
  return rows.map((r) => ({ stateName: String(r.stateName), bucket: num(r.bucket), failures: num(r.failures), retries: num(r.retries), timeouts: num(r.timeouts) }));
}

/** The latest `limit` executions of a state machine and their visits (top-level and nested). */
export async function gridData(store: Store, f: { stateMachine: string; from: number; to: number; limit: number }) {
  const kind = store.driver.kind;
  const executions = await store.driver.all<Record<string, unknown>>(
    `SELECT e."id", e."name", e."status", e."startDate" FROM "Execution" e JOIN "StateMachine" m ON m."id" = e."stateMachineId" WHERE m."name" = ? AND e."startDate" >= ? AND e."startDate" < ? ORDER BY e."startDate" DESC LIMIT ${Math.max(1, Math.min(200, f.limit))}`,
    [f.stateMachine, ts(kind, f.from), ts(kind, f.to)],
  );
  const ids = executions.map((e) => num(e.id)).reverse();
  const visits = ids.length
    ? await store.driver.all<{ executionId: unknown; stateName: string; status: string; attempts: unknown }>(
        `SELECT "executionId", "stateName", "status", "attempts" FROM "StateVisit" WHERE "executionId" IN (${ids.map(() => "?").join(",")}) ORDER BY "executionId", "seq"`,
        ids,
      )
    : [];
  return {
    executions: executions.reverse().map((e) => ({ id: num(e.id), name: String(e.name), status: String(e.status), startDate: msOrNull(e.startDate) ?? 0 })),
    visits: visits.map((v) => ({ executionId: num(v.executionId), stateName: v.stateName, status: v.status, attempts: num(v.attempts) })),
  };
}
