// A thin SQL driver over better-sqlite3 and pg for what Prisma is slow at: bulk ingestion in one
// transaction and migrations. SQL is written with `?` placeholders; the pg side numbers them.
import { AsyncLocalStorage } from "node:async_hooks";
import fs from "node:fs";
import path from "node:path";
import Database from "better-sqlite3";
import pg from "pg";
import type { DatabaseConfig } from "./config";

export type SqlValue = string | number | bigint | null | boolean;
export type Row = Record<string, unknown>;

export interface SqlTx {
  run(sql: string, params?: SqlValue[]): Promise<number>;
  all<T = Row>(sql: string, params?: SqlValue[]): Promise<T[]>;
  /**
   * Inserts many rows into a table (columns in order). `pgTypes` (one PostgreSQL type per column,
   * e.g. "int", "text", "timestamp") lets PostgreSQL take the rows as one unnest() of arrays,
   * several times faster than multi-row VALUES.
   */
  insertMany(table: string, columns: string[], rows: SqlValue[][], pgTypes?: string[]): Promise<void>;
  /**
   * `insertMany` that returns the `returning` columns of every inserted row (one statement on
   * PostgreSQL; the order of the rows returned is not guaranteed, so return a key with them).
   */
  insertReturning<T = Row>(table: string, columns: string[], rows: SqlValue[][], returning: string[], pgTypes?: string[]): Promise<T[]>;
  /**
   * Inserts rows into several tables, in this order. PostgreSQL takes them as one statement (a
   * data-modifying WITH per table; foreign keys are checked at its end, so a table may reference
   * rows of an earlier one), which the server works through while the caller's JS goes on.
   */
  insertAll(sets: InsertSet[]): Promise<void>;
}

export interface InsertSet {
  table: string;
  columns: string[];
  rows: SqlValue[][];
  /** One PostgreSQL type per column (see `insertMany`). */
  pgTypes: string[];
}

export interface SqlDriver extends SqlTx {
  readonly kind: "sqlite" | "postgres";
  exec(sql: string): Promise<void>;
  transaction<T>(fn: (tx: SqlTx) => Promise<T>): Promise<T>;
  close(): Promise<void>;
}

const quoteIdent = (name: string) => `"${name.replace(/"/g, '""')}"`;

// ---------- SQLite ----------
class SqliteDriver implements SqlDriver {
  readonly kind = "sqlite" as const;
  readonly db: Database.Database;
  private statements = new Map<string, Database.Statement>();
  private txTurn: Promise<void> = Promise.resolve();
  private readonly txContext = new AsyncLocalStorage<boolean>();

  constructor(file: string) {
    if (file !== ":memory:") fs.mkdirSync(path.dirname(file), { recursive: true });
    this.db = new Database(file);
    this.db.pragma("journal_mode = WAL");
    this.db.pragma("busy_timeout = 10000");
    this.db.pragma("synchronous = NORMAL");
    this.db.pragma("foreign_keys = ON");
  }
  private prepare(sql: string): Database.Statement {
    let st = this.statements.get(sql);
    if (!st) {
      st = this.db.prepare(sql);
      if (this.statements.size > 500) this.statements.clear();
      this.statements.set(sql, st);
    }
    return st;
  }
  private static bind(params: SqlValue[]): unknown[] {
    return params.map((p) => (typeof p === "boolean" ? (p ? 1 : 0) : p === undefined ? null : p));
  }
  async run(sql: string, params: SqlValue[] = []): Promise<number> {
    return this.prepare(sql).run(...SqliteDriver.bind(params)).changes;
  }
  async all<T = Row>(sql: string, params: SqlValue[] = []): Promise<T[]> {
    return this.prepare(sql).all(...SqliteDriver.bind(params)) as T[];
  }
  async insertMany(table: string, columns: string[], rows: SqlValue[][], _pgTypes?: string[]): Promise<void> {
    if (!rows.length) return;
    // One prepared single-row statement reused per row is the fastest path in better-sqlite3.
    const st = this.prepare(`INSERT INTO ${quoteIdent(table)} (${columns.map(quoteIdent).join(", ")}) VALUES (${columns.map(() => "?").join(", ")})`);
    for (const row of rows) st.run(...SqliteDriver.bind(row));
  }
  async insertReturning<T = Row>(table: string, columns: string[], rows: SqlValue[][], returning: string[], _pgTypes?: string[]): Promise<T[]> {
    if (!rows.length) return [];
    const st = this.prepare(
      `INSERT INTO ${quoteIdent(table)} (${columns.map(quoteIdent).join(", ")}) VALUES (${columns.map(() => "?").join(", ")}) RETURNING ${returning.map(quoteIdent).join(", ")}`,
    );
    return rows.map((row) => st.get(...SqliteDriver.bind(row)) as T);
  }
  async insertAll(sets: InsertSet[]): Promise<void> {
    for (const set of sets) await this.insertMany(set.table, set.columns, set.rows);
  }
  async exec(sql: string): Promise<void> {
    this.db.exec(sql);
  }
  /**
   * One connection, so one transaction at a time: concurrent callers (e.g. two imports in one
   * server process) wait their turn; a transaction opened inside another is refused.
   */
  async transaction<T>(fn: (tx: SqlTx) => Promise<T>): Promise<T> {
    if (this.txContext.getStore()) throw new Error("nested transactions are not supported");
    const previous = this.txTurn;
    let done!: () => void;
    this.txTurn = new Promise<void>((resolve) => (done = resolve));
    await previous;
    try {
      return await this.txContext.run(true, async () => {
        this.db.exec("BEGIN IMMEDIATE");
        try {
          const result = await fn(this);
          this.db.exec("COMMIT");
          return result;
        } catch (err) {
          if (this.db.inTransaction) this.db.exec("ROLLBACK");
          throw err;
        }
      });
    } finally {
      done();
    }
  }
  async close(): Promise<void> {
    this.db.close();
  }
}

// ---------- PostgreSQL ----------
const PG_MAX_PARAMS = 30_000;

function numberPlaceholders(sql: string): string {
  let n = 0;
  return sql.replace(/\?/g, () => `$${++n}`);
}

/**
 * `INSERT ... SELECT` of rows sent as one JSON array of arrays (parameter $n), read back with
 * jsonb_array_elements: JSON.stringify and PostgreSQL's jsonb parser are several times faster
 * than pg's serialisation of arrays and PostgreSQL's array parser (which escape every quote of
 * every payload), and the statement's text is the same whatever the number of rows.
 */
function jsonInsert(table: string, columns: string[], pgTypes: string[], n: number): string {
  const select = pgTypes.map((t, i) => (t === "text" ? `r->>${i}` : `(r->>${i})::${t}`)).join(", ");
  return `INSERT INTO ${quoteIdent(table)} (${columns.map(quoteIdent).join(", ")}) SELECT ${select} FROM jsonb_array_elements($${n}::jsonb) AS r`;
}

/** Characters of row data per JSON document (jsonb holds at most 255 MB). */
const JSON_CHUNK_CHARS = 32 * 1024 * 1024;

type WellFormed = { isWellFormed(): boolean; toWellFormed(): string }; // ES2024, Node 20

/**
 * Rows made fit for JSON, in chunks of bounded size: a lone UTF-16 surrogate becomes U+FFFD (as
 * pg's UTF-8 encoding of a text parameter does; jsonb would refuse its escape), a bigint its
 * decimal text, undefined null. The caller's rows are not modified.
 */
function* jsonChunks(rows: SqlValue[][]): Generator<SqlValue[][]> {
  let chunk: SqlValue[][] = [];
  let size = 0;
  for (let row of rows) {
    let copied = false;
    for (let c = 0; c < row.length; c++) {
      const v = row[c];
      let fixed: SqlValue | undefined;
      if (typeof v === "string") {
        size += v.length;
        if (!(v as unknown as WellFormed).isWellFormed()) fixed = (v as unknown as WellFormed).toWellFormed();
      } else if (typeof v === "bigint") fixed = String(v);
      else if (v === undefined) fixed = null;
      if (fixed !== undefined) {
        if (!copied) {
          row = [...row];
          copied = true;
        }
        row[c] = fixed;
      }
    }
    size += 8 * row.length;
    chunk.push(row);
    if (size >= JSON_CHUNK_CHARS) {
      yield chunk;
      chunk = [];
      size = 0;
    }
  }
  if (chunk.length) yield chunk;
}

class PgTx implements SqlTx {
  constructor(protected readonly client: pg.Pool | pg.PoolClient) {}
  async run(sql: string, params: SqlValue[] = []): Promise<number> {
    const r = await this.client.query(numberPlaceholders(sql), params as unknown[]);
    return r.rowCount ?? 0;
  }
  async all<T = Row>(sql: string, params: SqlValue[] = []): Promise<T[]> {
    const r = await this.client.query(numberPlaceholders(sql), params as unknown[]);
    return r.rows as T[];
  }
  async insertMany(table: string, columns: string[], rows: SqlValue[][], pgTypes?: string[]): Promise<void> {
    await this.insertRows(table, columns, rows, pgTypes, "");
  }
  async insertReturning<T = Row>(table: string, columns: string[], rows: SqlValue[][], returning: string[], pgTypes?: string[]): Promise<T[]> {
    return (await this.insertRows(table, columns, rows, pgTypes, ` RETURNING ${returning.map(quoteIdent).join(", ")}`)) as T[];
  }
  async insertAll(sets: InsertSet[]): Promise<void> {
    const nonEmpty = sets.filter((set) => set.rows.length);
    const chunks = nonEmpty.map((set) => [...jsonChunks(set.rows)]);
    if (chunks.some((c) => c.length > 1)) {
      // Too large for one JSON document per table: one statement per chunk, tables in order.
      for (const set of nonEmpty) await this.insertMany(set.table, set.columns, set.rows, set.pgTypes);
      return;
    }
    if (!nonEmpty.length) return;
    const parts = nonEmpty.map((set, i) => `"w${i}" AS (${jsonInsert(set.table, set.columns, set.pgTypes, i + 1)})`);
    await this.client.query(`WITH ${parts.join(", ")} SELECT 1`, chunks.map((c) => JSON.stringify(c[0])));
  }
  private async insertRows(table: string, columns: string[], rows: SqlValue[][], pgTypes: string[] | undefined, returning: string): Promise<Row[]> {
    if (!rows.length) return [];
    const out: Row[] = [];
    if (pgTypes && pgTypes.length === columns.length) {
      const sql = `${jsonInsert(table, columns, pgTypes, 1)}${returning}`;
      for (const chunk of jsonChunks(rows)) {
        const r = await this.client.query(sql, [JSON.stringify(chunk)]);
        for (const row of r.rows as Row[]) out.push(row);
      }
      return out;
    }
    const perChunk = Math.max(1, Math.floor(PG_MAX_PARAMS / columns.length));
    for (let start = 0; start < rows.length; start += perChunk) {
      const chunk = rows.slice(start, start + perChunk);
      const values: unknown[] = [];
      const tuples = chunk.map((row) => {
        const ph = row.map((v) => {
          values.push(v === undefined ? null : v);
          return `$${values.length}`;
        });
        return `(${ph.join(",")})`;
      });
      const r = await this.client.query(`INSERT INTO ${quoteIdent(table)} (${columns.map(quoteIdent).join(", ")}) VALUES ${tuples.join(",")}${returning}`, values);
      out.push(...(r.rows as Row[]));
    }
    return out;
  }
}

class PgDriver extends PgTx implements SqlDriver {
  readonly kind = "postgres" as const;
  constructor(private readonly pool: pg.Pool) {
    super(pool);
  }
  async exec(sql: string): Promise<void> {
    await this.pool.query(sql);
  }
  async transaction<T>(fn: (tx: SqlTx) => Promise<T>): Promise<T> {
    const client = await this.pool.connect();
    try {
      await client.query("BEGIN");
      const result = await fn(new PgTx(client));
      await client.query("COMMIT");
      return result;
    } catch (err) {
      await client.query("ROLLBACK").catch(() => undefined);
      throw err;
    } finally {
      client.release();
    }
  }
  async close(): Promise<void> {
    await this.pool.end();
  }
}

// TIMESTAMP(3) columns hold UTC; parse them as UTC whatever the process time zone.
pg.types.setTypeParser(1114, (text: string) => new Date(text.replace(" ", "T") + "Z"));
pg.types.setTypeParser(20, (text: string) => Number(text));

export function pgPool(url: string, schema?: string): pg.Pool {
  const u = new URL(url);
  u.searchParams.delete("schema");
  // Session settings travel in the startup packet, so they hold before the first query.
  const options = `-c TimeZone=UTC${schema ? ` -c search_path=${schema}` : ""}`;
  const pool = new pg.Pool({ connectionString: u.toString(), max: 8, options });
  // An idle connection closed by the server (restart, DROP DATABASE) must not crash the process;
  // the pool replaces it on the next query.
  pool.on("error", () => undefined);
  return pool;
}

export function openDriver(config: DatabaseConfig): SqlDriver {
  if (config.kind === "sqlite") return new SqliteDriver(config.file);
  return new PgDriver(pgPool(config.url, config.schema));
}
