// One execution with everything its page shows: the row, its state machine and version, the
// history, parent and children, and the last success of the same version (to compare with).
import type { Store } from "../index";
import { loadHistory } from "../history";
import { msOrNull, num, ts } from "./sql";

export async function getExecutionDetail(store: Store, id: number) {
  const execution = await store.prisma.execution.findUnique({
    where: { id },
    include: { stateMachine: true, version: { select: { id: true, hash: true, firstSeen: true, label: true, definition: true } } },
  });
  if (!execution) return null;
  const kind = store.driver.kind;
  const [events, parent, children, versionNumber, lastSuccess] = await Promise.all([
    loadHistory(store.driver, id),
    execution.parentArn ? store.prisma.execution.findUnique({ where: { arn: execution.parentArn }, select: { id: true, name: true, status: true } }) : Promise.resolve(null),
    store.prisma.execution.findMany({ where: { parentArn: execution.arn }, select: { id: true, name: true, status: true }, orderBy: { startDate: "asc" }, take: 50 }),
    execution.versionId
      ? store.driver.all<{ n: unknown }>(`SELECT COUNT(*) AS "n" FROM "StateMachineVersion" WHERE "stateMachineId" = ? AND "firstSeen" <= (SELECT "firstSeen" FROM "StateMachineVersion" WHERE "id" = ?)`, [execution.stateMachineId, execution.versionId])
      : Promise.resolve([]),
    lastSuccessBefore(store, { id, stateMachineId: execution.stateMachineId, versionId: execution.versionId, startDate: execution.startDate.getTime() }),
  ]);
  void kind;
  return { execution, events, parent, children, versionNumber: versionNumber.length ? num(versionNumber[0].n) : null, lastSuccess };
}

/** The most recent successful execution of the same version (else the same state machine) that started before this one. */
export async function lastSuccessBefore(store: Store, ex: { id: number; stateMachineId: number; versionId: number | null; startDate: number }): Promise<{ id: number; name: string; sameVersion: boolean } | null> {
  const kind = store.driver.kind;
  const query = (byVersion: boolean) =>
    store.driver.all<{ id: unknown; name: string }>(
      `SELECT "id", "name" FROM "Execution" WHERE "stateMachineId" = ? ${byVersion ? `AND "versionId" = ?` : ""} AND "status" = 'SUCCEEDED' AND "startDate" <= ? AND "id" <> ? ORDER BY "startDate" DESC LIMIT 1`,
      byVersion ? [ex.stateMachineId, ex.versionId, ts(kind, ex.startDate), ex.id] : [ex.stateMachineId, ts(kind, ex.startDate), ex.id],
    );
  if (ex.versionId !== null) {
    const rows = await query(true);
    if (rows.length) return { id: num(rows[0].id), name: rows[0].name, sameVersion: true };
  }
  const rows = await query(false);
  return rows.length ? { id: num(rows[0].id), name: rows[0].name, sameVersion: false } : null;
}

/** The stored state visits of an execution (for comparing two runs without loading histories). */
export async function listVisits(store: Store, executionId: number) {
  const rows = await store.driver.all<Record<string, unknown>>(
    `SELECT "seq", "parentSeq", "path", "stateName", "stateType", "status", "attempts", "durationMs", "error", "cause", "enteredEventId", "exitedEventId", "enteredAt" FROM "StateVisit" WHERE "executionId" = ? ORDER BY "seq"`,
    [executionId],
  );
  return rows.map((r) => ({
    seq: num(r.seq), parentSeq: r.parentSeq === null ? null : num(r.parentSeq), path: String(r.path ?? ""), stateName: String(r.stateName), stateType: String(r.stateType),
    status: String(r.status), attempts: num(r.attempts), durationMs: r.durationMs === null ? null : num(r.durationMs), error: (r.error as string | null) ?? null,
    cause: (r.cause as string | null) ?? null, enteredEventId: num(r.enteredEventId), exitedEventId: r.exitedEventId === null ? null : num(r.exitedEventId), enteredAt: msOrNull(r.enteredAt) ?? 0,
  }));
}

/** The payload fields of one event's details (for the download endpoint). */
export async function eventDetails(store: Store, executionId: number, eventId: number): Promise<Record<string, unknown> | null> {
  const rows = await store.driver.all<{ details: string | null }>(`SELECT "details" FROM "HistoryEvent" WHERE "executionId" = ? AND "eventId" = ?`, [executionId, eventId]);
  if (!rows.length || rows[0].details === null) return null;
  return JSON.parse(rows[0].details) as Record<string, unknown>;
}

export async function executionPayload(store: Store, executionId: number, field: "input" | "output" | "cause"): Promise<string | null> {
  const rows = await store.driver.all<Record<string, string | null>>(`SELECT "${field}" AS "v" FROM "Execution" WHERE "id" = ?`, [executionId]);
  return rows[0]?.v ?? null;
}
