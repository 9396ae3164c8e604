// Helpers for the raw read queries: timestamps as each database stores them, time bucketing, and a
// WHERE builder. Only lib/store/queries uses these.
import type { SqlDriver, SqlValue } from "../driver";
import { toMillis } from "../history";

export type Kind = SqlDriver["kind"];

export function ts(kind: Kind, ms: number): SqlValue {
  return kind === "sqlite" ? ms : new Date(ms).toISOString();
}

/** SQL for a column's epoch ms. */
export function msOf(kind: Kind, column: string): string {
  return kind === "sqlite" ? column : `(EXTRACT(EPOCH FROM ${column}) * 1000)::bigint`;
}

/** SQL for the bucket start (epoch ms) of a timestamp column. */
export function bucketSql(kind: Kind, column: string, size: number): string {
  const size_ = Math.max(1, Math.floor(size));
  return kind === "sqlite" ? `((${column} / ${size_}) * ${size_})` : `(FLOOR(EXTRACT(EPOCH FROM ${column}) * 1000 / ${size_}) * ${size_})::bigint`;
}

export class Where {
  readonly parts: string[] = [];
  readonly params: SqlValue[] = [];
  add(sql: string, ...params: SqlValue[]): this {
    this.parts.push(sql);
    this.params.push(...params);
    return this;
  }
  toString(): string {
    return this.parts.length ? `WHERE ${this.parts.join(" AND ")}` : "";
  }
}

export const num = (v: unknown): number => (typeof v === "bigint" ? Number(v) : typeof v === "number" ? v : v === null || v === undefined ? 0 : Number(v));
export const msOrNull = (v: unknown): number | null => (v === null || v === undefined ? null : toMillis(v));
export const like = (text: string) => `%${text.replace(/[\\%_]/g, (c) => `\\${c}`)}%`;

export const DAY_MS = 86_400_000;

/**
 * Splits [from, to) into the whole UTC days inside it (answered from StateDayRollup) and the
 * partial days at its edges (answered from the detail tables). `days` is null when the range
 * holds no whole day.
 */
export function splitByDay(from: number, to: number): { days: { from: number; to: number } | null; edges: Array<{ from: number; to: number }> } {
  const first = Math.ceil(from / DAY_MS) * DAY_MS;
  const last = Math.floor(to / DAY_MS) * DAY_MS;
  if (!(first < last)) return { days: null, edges: from < to ? [{ from, to }] : [] };
  const edges: Array<{ from: number; to: number }> = [];
  if (from < first) edges.push({ from, to: first });
  if (last < to) edges.push({ from: last, to });
  return { days: { from: first, to: last }, edges };
}

/** Adds up rows that share a key (rollup rows and edge rows of the same group). */
export function sumByKey<T extends object, F extends keyof T>(rows: T[], key: (r: T) => string, fields: F[]): T[] {
  const out = new Map<string, T>();
  for (const r of rows) {
    const k = key(r);
    const prev = out.get(k);
    if (!prev) out.set(k, { ...r });
    else for (const f of fields) (prev[f] as number) = (prev[f] as number) + (r[f] as number);
  }
  return [...out.values()];
}
