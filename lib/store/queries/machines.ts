// A state machine's page: its versions, the latest definition, and per-state statistics for the
// heat overlay (visits, failures, retries, durations, transitions).
import type { Store } from "../index";
import { msOrNull, num, ts } from "./sql";

export async function getStateMachine(store: Store, name: string) {
  const machine = await store.prisma.stateMachine.findFirst({ where: { name } });
  if (!machine) return null;
  const versions = await store.driver.all<Record<string, unknown>>(
    `SELECT v."id", v."hash", v."label", v."firstSeen", v."definition", COUNT(e."id") AS "executions", MAX(e."startDate") AS "lastSeen"
     FROM "StateMachineVersion" v LEFT JOIN "Execution" e ON e."versionId" = v."id" WHERE v."stateMachineId" = ? GROUP BY v."id", v."hash", v."label", v."firstSeen", v."definition" ORDER BY v."firstSeen"`,
    [machine.id],
  );
  return {
    machine,
    versions: versions.map((v, i) => ({
      id: num(v.id), number: i + 1, hash: String(v.hash), label: (v.label as string | null) ?? null, firstSeen: msOrNull(v.firstSeen) ?? 0,
      lastSeen: msOrNull(v.lastSeen), executions: num(v.executions), definition: String(v.definition),
    })),
  };
}

export interface StateStats {
  stateName: string;
  stateType: string;
  visits: number;
  failed: number;
  retries: number;
  transitions: number;
  durations: number[];
}

/** Per-state statistics over a window (durations capped per state to keep memory bounded). */
export async function stateStats(store: Store, f: { stateMachineId: number; versionId?: number; from: number; to: number }): Promise<StateStats[]> {
  const kind = store.driver.kind;
  const params = [f.stateMachineId, ts(kind, f.from), ts(kind, f.to), ...(f.versionId !== undefined ? [f.versionId] : [])];
  const filter = `e."stateMachineId" = ? AND e."startDate" >= ? AND e."startDate" < ? ${f.versionId !== undefined ? `AND e."versionId" = ?` : ""}`;
  const [agg, durations] = await Promise.all([
    store.driver.all<Record<string, unknown>>(
      `SELECT v."stateName", v."stateType", COUNT(*) AS "visits", SUM(CASE WHEN v."status" IN ('FAILED', 'CAUGHT') AND v."error" IS NOT NULL AND v."stateType" NOT IN ('Map', 'Parallel') THEN 1 ELSE 0 END) AS "failed",
         SUM(v."attempts" - 1) AS "retries" FROM "StateVisit" v JOIN "Execution" e ON e."id" = v."executionId" WHERE ${filter} GROUP BY v."stateName", v."stateType"`,
      params,
    ),
    store.driver.all<{ s: string; d: unknown }>(`SELECT v."stateName" AS "s", v."durationMs" AS "d" FROM "StateVisit" v JOIN "Execution" e ON e."id" = v."executionId" WHERE ${filter} AND v."durationMs" IS NOT NULL ORDER BY e."startDate" DESC LIMIT 200000`, params),
  ]);
  const byState = new Map<string, number[]>();
  for (const d of durations) {
    const list = byState.get(d.s) ?? [];
    if (list.length < 20_000) list.push(num(d.d));
    byState.set(d.s, list);
  }
  return agg.map((r) => {
    const visits = num(r.visits);
    const retries = num(r.retries);
    return { stateName: String(r.stateName), stateType: String(r.stateType), visits, failed: num(r.failed), retries, transitions: visits + retries, durations: byState.get(String(r.stateName)) ?? [] };
  });
}
