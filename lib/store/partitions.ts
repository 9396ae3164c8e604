// Monthly partitions of "HistoryEvent" on PostgreSQL (the table is partitioned by RANGE on
// "timestamp" by the migration 20261124233000_history_event_partitions; SQLite has one table).
//
// Ingest calls `ensureEventPartitions` with the months of the events it is about to write,
// before its own transaction: a month this process does not know yet gets its partition in a
// short separate transaction, serialised between workers by an advisory lock. The partition is
// made as a plain table and then ATTACHed, which takes only a SHARE UPDATE EXCLUSIVE lock on
// "HistoryEvent" (CREATE TABLE ... PARTITION OF would take ACCESS EXCLUSIVE and wait for every
// ingest in flight). Rows of that month already caught by the DEFAULT partition (a month that had
// no partition when they were written) are moved into the new partition in the same transaction,
// since PostgreSQL refuses to attach a range the DEFAULT partition holds rows of. Nothing here
// ever fails an ingest: when a partition cannot be made, the rows go to the DEFAULT partition and
// a later ingest of that month tries again.
import type { SqlDriver, SqlTx } from "./driver";

export const EVENT_TABLE = "HistoryEvent";
const EVENT_COLUMNS = `"executionId", "eventId", "previousEventId", "timestamp", "type", "detailsKey", "details"`;
const PARTITION_LOCK_KEY = 7_283_540_114; // migrate.ts uses 7_283_540_113
/** How long partition maintenance waits for a table lock before giving up (ingest goes on). */
const LOCK_TIMEOUT = "5s";
/** Months made on demand: from 2000 to a year ahead. Other timestamps (0, seconds read as
 * milliseconds...) stay in the DEFAULT partition rather than making a partition each. */
const FIRST_MONTH = Date.UTC(2000, 0, 1);
const YEAR_MS = 366 * 86_400_000;

export interface EventPartition {
  name: string;
  /** Range bounds in epoch ms; -Infinity / Infinity for MINVALUE / MAXVALUE. */
  from: number;
  to: number;
}

interface PartitionState {
  partitioned: boolean;
  defaultName: string | null;
  ranges: EventPartition[];
}

const states = new WeakMap<SqlDriver, Promise<PartitionState>>();
/** Months whose partition could not be made, and when to try again (not at every batch). */
const retryAfter = new WeakMap<SqlDriver, Map<number, number>>();
const RETRY_MS = 60_000;
let warned = false;

export function monthStart(ms: number): number {
  const d = new Date(ms);
  return Date.UTC(d.getUTCFullYear(), d.getUTCMonth(), 1);
}

export function nextMonth(monthMs: number): number {
  const d = new Date(monthMs);
  return Date.UTC(d.getUTCFullYear(), d.getUTCMonth() + 1, 1);
}

/** "HistoryEvent_p2026_06" */
export function partitionName(monthMs: number): string {
  const d = new Date(monthMs);
  return `${EVENT_TABLE}_p${d.getUTCFullYear()}_${String(d.getUTCMonth() + 1).padStart(2, "0")}`;
}

/** A bound as PostgreSQL's TIMESTAMP(3) literal (the column holds UTC). */
function literal(ms: number): string {
  return `'${new Date(ms).toISOString().replace("T", " ").replace("Z", "")}'`;
}

function parseBoundValue(text: string): number {
  const t = text.trim();
  if (t === "MINVALUE") return -Infinity;
  if (t === "MAXVALUE") return Infinity;
  const m = /^'(.*)'(?:::.*)?$/.exec(t);
  const ms = Date.parse(`${(m ? m[1] : t).replace(" ", "T")}Z`);
  if (Number.isNaN(ms)) throw new Error(`cannot read partition bound ${text}`);
  return ms;
}

/** Reads `FOR VALUES FROM ('2026-06-01 00:00:00') TO ('2026-07-01 00:00:00')`; null for DEFAULT. */
export function parsePartitionBound(bound: string): { from: number; to: number } | null {
  const m = /FROM \((.+)\) TO \((.+)\)/.exec(bound);
  if (!m) return null;
  return { from: parseBoundValue(m[1]), to: parseBoundValue(m[2]) };
}

async function readState(tx: Pick<SqlTx, "all">): Promise<PartitionState> {
  const parent = await tx.all(
    `SELECT 1 AS "partitioned" FROM "pg_partitioned_table" p WHERE p."partrelid" = to_regclass(?)`,
    [`"${EVENT_TABLE}"`],
  );
  if (!parent.length) return { partitioned: false, defaultName: null, ranges: [] };
  const rows = await tx.all<{ name: string; bound: string }>(
    `SELECT c."relname" AS "name", pg_get_expr(c."relpartbound", c."oid") AS "bound"
       FROM "pg_inherits" i JOIN "pg_class" c ON c."oid" = i."inhrelid"
      WHERE i."inhparent" = to_regclass(?)`,
    [`"${EVENT_TABLE}"`],
  );
  let defaultName: string | null = null;
  const ranges: EventPartition[] = [];
  for (const row of rows) {
    const range = parsePartitionBound(row.bound);
    if (range) ranges.push({ name: row.name, ...range });
    else defaultName = row.name;
  }
  ranges.sort((a, b) => a.from - b.from);
  return { partitioned: true, defaultName, ranges };
}

/** The partitions of "HistoryEvent" (PostgreSQL), read from the catalog now. */
export async function eventPartitions(driver: SqlDriver): Promise<{ partitioned: boolean; defaultName: string | null; ranges: EventPartition[] }> {
  if (driver.kind !== "postgres") return { partitioned: false, defaultName: null, ranges: [] };
  return readState(driver);
}

/** Forgets what this process knows of the partitions (after dropping some, or in tests). */
export function forgetEventPartitions(driver: SqlDriver): void {
  states.delete(driver);
}

const overlaps = (ranges: EventPartition[], from: number, to: number) => ranges.some((r) => r.from < to && r.to > from);

/** The months (UTC month starts) that events at these instants fall in, within the window. */
export function monthsOf(spans: Iterable<{ min: number; max: number }>, now = Date.now()): number[] {
  const months = new Set<number>();
  const last = now + YEAR_MS;
  for (const { min, max } of spans) {
    if (!Number.isFinite(min) || !Number.isFinite(max)) continue;
    for (let m = monthStart(Math.max(min, FIRST_MONTH)); m <= Math.min(max, last); m = nextMonth(m)) months.add(m);
  }
  return [...months].sort((a, b) => a - b);
}

/**
 * Makes sure each of these months has its partition (PostgreSQL with a partitioned table; a no-op
 * otherwise). Never throws: rows of a month left without a partition go to the DEFAULT partition.
 */
export async function ensureEventPartitions(driver: SqlDriver, months: number[]): Promise<void> {
  if (driver.kind !== "postgres" || !months.length) return;
  try {
    let pending = states.get(driver);
    if (!pending) {
      pending = readState(driver);
      states.set(driver, pending);
      pending.catch(() => states.delete(driver));
    }
    const state = await pending;
    if (!state.partitioned) return;
    const now = Date.now();
    const waiting = retryAfter.get(driver);
    const missing = months.filter((m) => !overlaps(state.ranges, m, nextMonth(m)) && !((waiting?.get(m) ?? 0) > now));
    if (!missing.length) return;
    const fresh = await driver.transaction(async (tx) => {
      await tx.run(`SET LOCAL lock_timeout = '${LOCK_TIMEOUT}'`);
      await tx.all(`SELECT pg_advisory_xact_lock(?)`, [PARTITION_LOCK_KEY]);
      // Another worker may have made some while we waited for the lock.
      const current = await readState(tx);
      for (const month of missing) {
        const to = nextMonth(month);
        if (overlaps(current.ranges, month, to)) continue;
        await createMonthPartition(tx, current.defaultName, month);
        current.ranges.push({ name: partitionName(month), from: month, to });
      }
      return current;
    });
    fresh.ranges.sort((a, b) => a.from - b.from);
    states.set(driver, Promise.resolve(fresh));
  } catch (err) {
    // The DEFAULT partition takes the rows; try again in a while, and say so once per process.
    const waiting = retryAfter.get(driver) ?? new Map<number, number>();
    for (const m of months) waiting.set(m, Date.now() + RETRY_MS);
    retryAfter.set(driver, waiting);
    if (!warned) {
      warned = true;
      process.emitWarning(`statelens: could not create a monthly partition of "${EVENT_TABLE}" (${(err as Error).message}); its rows go to the DEFAULT partition until a later ingest creates it`);
    }
  }
}

async function createMonthPartition(tx: SqlTx, defaultName: string | null, month: number): Promise<void> {
  const name = partitionName(month);
  const from = literal(month);
  const to = literal(nextMonth(month));
  await tx.run(`CREATE TABLE "${name}" (LIKE "${EVENT_TABLE}" INCLUDING DEFAULTS INCLUDING CONSTRAINTS)`);
  if (defaultName) {
    // Rows of this month already in the DEFAULT partition move to the new one first; the ATTACH
    // below then finds none left there.
    await tx.run(
      `WITH moved AS (DELETE FROM "${defaultName}" WHERE "timestamp" >= ${from} AND "timestamp" < ${to} RETURNING ${EVENT_COLUMNS})
       INSERT INTO "${name}" (${EVENT_COLUMNS}) SELECT ${EVENT_COLUMNS} FROM moved`,
    );
  }
  // A CHECK constraint matching the range lets ATTACH skip scanning the new table.
  await tx.run(`ALTER TABLE "${name}" ADD CONSTRAINT "${name}_range" CHECK ("timestamp" >= ${from} AND "timestamp" < ${to})`);
  await tx.run(`ALTER TABLE "${EVENT_TABLE}" ATTACH PARTITION "${name}" FOR VALUES FROM (${from}) TO (${to})`);
  await tx.run(`ALTER TABLE "${name}" DROP CONSTRAINT "${name}_range"`);
}

/**
 * Partitions lying entirely before `before` (epoch ms), oldest first: what prune may drop whole.
 * The DEFAULT partition is never among them.
 */
export async function partitionsBefore(driver: SqlDriver, before: number): Promise<EventPartition[]> {
  const state = await eventPartitions(driver);
  return state.ranges.filter((r) => r.to <= before);
}
