// Retention: deletes executions started before a cutoff, with their events and state visits
// (ON DELETE CASCADE) and their share of StateDayRollup, in batches so a large prune neither
// holds one long write lock on SQLite nor builds one huge transaction on PostgreSQL.
// On PostgreSQL, monthly partitions of "HistoryEvent" that lie wholly before the cutoff are
// dropped first, whole (lib/store/partitions.ts): far cheaper than deleting their rows.
import type { SqlDriver, SqlTx, SqlValue } from "./driver";
import { forgetEventPartitions, partitionsBefore } from "./partitions";
import { applyStateDayRollup, storedRollupExecutions } from "./rollup";

export interface PruneCounts {
  executions: number;
  /** Including the rows of the partitions dropped. */
  events: number;
  stateVisits: number;
  /** PostgreSQL: monthly partitions of HistoryEvent dropped whole. */
  partitions?: number;
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

/**
 * PostgreSQL: drops the partitions of "HistoryEvent" that lie wholly before the cutoff, when each
 * of their rows belongs to an execution this prune deletes (one that started before the cutoff;
 * an event is never older than its execution's start, but a source may say otherwise). A
 * partition that cannot be dropped now (a lock not granted within the timeout, a deadlock with
 * an ingest of that month) is left: its rows go with their executions, row by row.
 */
export async function dropPartitionsBefore(driver: SqlDriver, before: number): Promise<{ partitions: string[]; events: number }> {
  const out = { partitions: [] as string[], events: 0 };
  if (driver.kind !== "postgres") return out;
  const cutoff = timestamp(driver.kind, before);
  for (const partition of await partitionsBefore(driver, before)) {
    const name = `"${partition.name.replace(/"/g, '""')}"`;
    try {
      const rows = await driver.transaction(async (tx) => {
        await tx.run(`SET LOCAL lock_timeout = '10s'`);
        await tx.run(`LOCK TABLE ${name} IN SHARE MODE`); // no new rows while it is checked
        const kept = await tx.all(`SELECT 1 FROM ${name} h JOIN "Execution" e ON e."id" = h."executionId" WHERE e."startDate" >= ? LIMIT 1`, [cutoff]);
        if (kept.length) return null;
        const n = Number((await tx.all<{ n: number | string }>(`SELECT COUNT(*) AS "n" FROM ${name}`))[0].n);
        await tx.run(`DROP TABLE ${name}`);
        return n;
      });
      if (rows !== null) {
        out.partitions.push(partition.name);
        out.events += rows;
      }
    } catch {
      // left for the row-by-row deletes
    }
  }
  if (out.partitions.length) forgetEventPartitions(driver);
  return out;
}

export async function pruneExecutions(driver: SqlDriver, options: PruneOptions): Promise<PruneCounts> {
  const batchSize = Math.max(1, Math.min(options.batchSize ?? 500, 5000));
  const cutoff = timestamp(driver.kind, options.before);
  const totals: PruneCounts = { executions: 0, events: 0, stateVisits: 0 };
  if (!options.dryRun && driver.kind === "postgres") {
    const dropped = await dropPartitionsBefore(driver, options.before);
    totals.events += dropped.events;
    totals.partitions = dropped.partitions.length;
  }
  let afterId = 0;
  for (;;) {
    const batch = await driver.transaction(async (tx) => {
      const ids = (await tx.all<{ id: number | string }>(`SELECT "id" FROM "Execution" WHERE "startDate" < ? AND "id" > ? ORDER BY "id" LIMIT ?`, [cutoff, afterId, batchSize])).map((r) => Number(r.id));
      if (!ids.length) return null;
      const counts: PruneCounts = { executions: ids.length, events: await countIn(tx, "HistoryEvent", ids), stateVisits: await countIn(tx, "StateVisit", ids) };
      if (!options.dryRun) {
        // Their visits leave StateDayRollup in the same transaction (rows of days wholly pruned reach zero and go).
        await applyStateDayRollup(tx, driver.kind, await storedRollupExecutions(tx, ids, -1));
        // Events have no foreign key on PostgreSQL: they go explicitly, with their execution.
        await tx.run(`DELETE FROM "HistoryEvent" WHERE "executionId" IN (${ids.map(() => "?").join(",")})`, ids);
        await tx.run(`DELETE FROM "Execution" WHERE "id" IN (${ids.map(() => "?").join(",")})`, ids);
      }
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
