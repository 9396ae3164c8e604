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
