// Failures in a window for incident grouping: each failed execution with its failed visits.
import type { Store } from "../index";
import { msOrNull, num, ts } from "./sql";

export async function failedExecutionsWithVisits(store: Store, f: { from: number; to: number; stateMachine?: string; limit?: number }) {
  const kind = store.driver.kind;
  const executions = await store.driver.all<Record<string, unknown>>(
    `SELECT e."id", e."name", e."startDate", e."error", e."cause", e."failedState", m."name" AS "sm" FROM "Execution" e JOIN "StateMachine" m ON m."id" = e."stateMachineId"
     WHERE e."status" IN ('FAILED', 'TIMED_OUT', 'ABORTED') AND e."startDate" >= ? AND e."startDate" < ? ${f.stateMachine ? `AND m."name" = ?` : ""} ORDER BY e."startDate" DESC LIMIT ${f.limit ?? 5000}`,
    [ts(kind, f.from), ts(kind, f.to), ...(f.stateMachine ? [f.stateMachine] : [])],
  );
  const ids = executions.map((e) => num(e.id));
  const visits: Array<Record<string, unknown>> = [];
  for (let i = 0; i < ids.length; i += 500) {
    const chunk = ids.slice(i, i + 500);
    visits.push(...(await store.driver.all<Record<string, unknown>>(`SELECT "executionId", "stateName", "stateType", "status", "error", "cause" FROM "StateVisit" WHERE "executionId" IN (${chunk.map(() => "?").join(",")}) AND "status" IN ('FAILED', 'CAUGHT') ORDER BY "executionId", "seq"`, chunk)));
  }
  const byExecution = new Map<number, Array<{ stateName: string; stateType: string; status: string; error: string | null; cause: string | null }>>();
  for (const v of visits) {
    const id = num(v.executionId);
    const list = byExecution.get(id) ?? [];
    list.push({ stateName: String(v.stateName), stateType: String(v.stateType), status: String(v.status), error: (v.error as string | null) ?? null, cause: (v.cause as string | null) ?? null });
    byExecution.set(id, list);
  }
  return executions.map((e) => ({
    id: num(e.id), name: String(e.name), stateMachine: String(e.sm), startDate: msOrNull(e.startDate) ?? 0, error: (e.error as string | null) ?? null,
    cause: (e.cause as string | null) ?? null, failedState: (e.failedState as string | null) ?? null, visits: byExecution.get(num(e.id)) ?? [],
  }));
}
