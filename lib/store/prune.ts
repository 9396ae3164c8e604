// Retention: deletes executions started before a cutoff, with their events and state visits
// (ON DELETE CASCADE), in batches so a large prune neither holds one long write lock on SQLite
// nor builds one huge transaction on PostgreSQL.
import type { SqlDriver, SqlTx, SqlValue } from "./driver";

export interface PruneCounts {
  executions: number;
  events: number;
  stateVisits: number;
}

export interface PruneOptions {
  /** Executions that started strictly before this instant (epoch ms) are deleted. */
  before: number;
  dryRun?: boolean;
  batchSize?: number;
  /** Called after each batch with the running totals. */
  onBatch?: (totals: PruneCounts) => void;
}

const UNITS: Record<string, number> = { s: 1000, m: 60_000, h: 3_600_000, d: 86_400_000, w: 604_800_000 };

/** `400d`, `12h`, `2w`, `90m`, `30s` as milliseconds; null when the text is not a duration. */
export function parseRetention(text: string): number | null {
  const m = /^\s*(\d+)\s*([smhdw])\s*$/i.exec(text);
  if (!m) return null;
  const ms = Number(m[1]) * UNITS[m[2].toLowerCase()];
  return Number.isSafeInteger(ms) && ms > 0 ? ms : null;
}

function timestamp(kind: SqlDriver["kind"], ms: number): SqlValue {
  return kind === "sqlite" ? ms : new Date(ms).toISOString();
}

async function countIn(tx: SqlTx, table: string, ids: number[]): Promise<number> {
  const rows = await tx.all<{ n: number | string }>(`SELECT COUNT(*) AS "n" FROM "${table}" WHERE "executionId" IN (${ids.map(() => "?").join(",")})`, ids);
  return Number(rows[0].n);
}

export async function pruneExecutions(driver: SqlDriver, options: PruneOptions): Promise<PruneCounts> {
  const batchSize = Math.max(1, Math.min(options.batchSize ?? 500, 5000));
  const cutoff = timestamp(driver.kind, options.before);
  const totals: PruneCounts = { executions: 0, events: 0, stateVisits: 0 };
  let afterId = 0;
  for (;;) {
    const batch = await driver.transaction(async (tx) => {
      const ids = (await tx.all<{ id: number | string }>(`SELECT "id" FROM "Execution" WHERE "startDate" < ? AND "id" > ? ORDER BY "id" LIMIT ?`, [cutoff, afterId, batchSize])).map((r) => Number(r.id));
      if (!ids.length) return null;
      const counts: PruneCounts = { executions: ids.length, events: await countIn(tx, "HistoryEvent", ids), stateVisits: await countIn(tx, "StateVisit", ids) };
      if (!options.dryRun) await tx.run(`DELETE FROM "Execution" WHERE "id" IN (${ids.map(() => "?").join(",")})`, ids);
      return { ids, counts };
    });
    if (!batch) break;
    afterId = batch.ids[batch.ids.length - 1];
    totals.executions += batch.counts.executions;
    totals.events += batch.counts.events;
    totals.stateVisits += batch.counts.stateVisits;
    options.onBatch?.({ ...totals });
    if (batch.ids.length < batchSize) break;
  }
  return totals;
}
