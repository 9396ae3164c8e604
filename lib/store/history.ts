// Reading a stored history back as HistoryEvents (for export, reconstruction and the event table).
import { type HistoryEvent, isKnownEventType } from "@/lib/history/types";
import type { SqlDriver } from "./driver";

export function toMillis(value: unknown): number {
  if (value instanceof Date) return value.getTime();
  if (typeof value === "number") return value;
  if (typeof value === "bigint") return Number(value);
  if (typeof value === "string") return /^\d+$/.test(value) ? Number(value) : Date.parse(value);
  throw new Error(`not a timestamp: ${String(value)}`);
}

export interface StoredExecutionRef {
  id: number;
  arn: string;
}

/** Finds an execution by numeric id, ARN or name (a name must be unique). */
export async function findExecution(driver: SqlDriver, ref: string): Promise<StoredExecutionRef | null> {
  const byArn = await driver.all<StoredExecutionRef>(`SELECT "id", "arn" FROM "Execution" WHERE "arn" = ?`, [ref]);
  if (byArn.length) return { id: Number(byArn[0].id), arn: byArn[0].arn };
  if (/^\d+$/.test(ref)) {
    const byId = await driver.all<StoredExecutionRef>(`SELECT "id", "arn" FROM "Execution" WHERE "id" = ?`, [Number(ref)]);
    if (byId.length) return { id: Number(byId[0].id), arn: byId[0].arn };
  }
  const byName = await driver.all<StoredExecutionRef>(`SELECT "id", "arn" FROM "Execution" WHERE "name" = ? LIMIT 2`, [ref]);
  if (byName.length === 1) return { id: Number(byName[0].id), arn: byName[0].arn };
  if (byName.length > 1) throw new Error(`more than one execution is named ${JSON.stringify(ref)}: use its ARN`);
  return null;
}

export async function loadHistory(driver: SqlDriver, executionId: number): Promise<HistoryEvent[]> {
  const rows = await driver.all<{ eventId: number; previousEventId: number; timestamp: unknown; type: string; detailsKey: string | null; details: string | null }>(
    `SELECT "eventId", "previousEventId", "timestamp", "type", "detailsKey", "details" FROM "HistoryEvent" WHERE "executionId" = ? ORDER BY "eventId"`,
    [executionId],
  );
  return rows.map((r) => {
    const event: HistoryEvent = { id: Number(r.eventId), previousEventId: Number(r.previousEventId), timestamp: toMillis(r.timestamp), type: r.type };
    if (r.detailsKey && r.details !== null) {
      const value = JSON.parse(r.details) as Record<string, unknown>;
      if (r.detailsKey.endsWith("EventDetails") && !isUnknown(r.type)) (event as Record<string, unknown>)[r.detailsKey] = value;
      else event.unknownDetails = { key: r.detailsKey, value };
    }
    return event;
  });
}

const isUnknown = (type: string) => !isKnownEventType(type);
