// Applies the versioned migrations (prisma/migrations/<provider>, bundled into migrations-sql.ts)
// and records them in Prisma's own _prisma_migrations table, so `prisma migrate deploy` on a
// connected machine agrees with what we applied. No Prisma engine is needed at run time.
import crypto from "node:crypto";
import type { SqlDriver } from "./driver";
import { MIGRATIONS, type Migration } from "./migrations-sql";

const LOCK_KEY = 7_283_540_113; // pg advisory lock: one migrator at a time

const CREATE_TABLE = {
  sqlite: `CREATE TABLE IF NOT EXISTS "_prisma_migrations" (
    "id" TEXT PRIMARY KEY NOT NULL, "checksum" TEXT NOT NULL, "finished_at" DATETIME,
    "migration_name" TEXT NOT NULL, "logs" TEXT, "rolled_back_at" DATETIME,
    "started_at" DATETIME NOT NULL DEFAULT current_timestamp, "applied_steps_count" INTEGER UNSIGNED NOT NULL DEFAULT 0)`,
  postgres: `CREATE TABLE IF NOT EXISTS "_prisma_migrations" (
    "id" VARCHAR(36) PRIMARY KEY NOT NULL, "checksum" VARCHAR(64) NOT NULL, "finished_at" TIMESTAMPTZ,
    "migration_name" VARCHAR(255) NOT NULL, "logs" TEXT, "rolled_back_at" TIMESTAMPTZ,
    "started_at" TIMESTAMPTZ NOT NULL DEFAULT now(), "applied_steps_count" INTEGER NOT NULL DEFAULT 0)`,
};

export interface MigrationResult {
  applied: string[];
  alreadyApplied: number;
}

export function pendingMigrations(kind: SqlDriver["kind"], appliedNames: Iterable<string>): Migration[] {
  const applied = new Set(appliedNames);
  return MIGRATIONS[kind].filter((m) => !applied.has(m.name));
}

export async function migrate(driver: SqlDriver): Promise<MigrationResult> {
  // SQLite ignores PRAGMA foreign_keys inside a transaction, and a table redefinition (Prisma's
  // way of altering a SQLite table) would cascade-delete referencing rows when it drops the old
  // table: switch the checks off around the run, and verify them before switching back.
  if (driver.kind === "sqlite") await driver.exec("PRAGMA foreign_keys=OFF");
  try {
    const result = await migrateInTransaction(driver);
    if (driver.kind === "sqlite") {
      const broken = await driver.all("PRAGMA foreign_key_check");
      if (broken.length) throw new Error(`migration left ${broken.length} rows with broken foreign keys`);
    }
    return result;
  } finally {
    if (driver.kind === "sqlite") await driver.exec("PRAGMA foreign_keys=ON");
  }
}

async function migrateInTransaction(driver: SqlDriver): Promise<MigrationResult> {
  // One transaction for the whole run: PostgreSQL has transactional DDL and an advisory lock
  // keeps concurrent migrators (several app instances starting at once) from racing; SQLite's
  // BEGIN IMMEDIATE does the same.
  return driver.transaction(async (tx) => {
    if (driver.kind === "postgres") await tx.all("SELECT pg_advisory_xact_lock(?)", [LOCK_KEY]);
    await tx.run(CREATE_TABLE[driver.kind]);
    const rows = await tx.all<{ migration_name: string; checksum: string }>(
      `SELECT "migration_name", "checksum" FROM "_prisma_migrations" WHERE "rolled_back_at" IS NULL AND "finished_at" IS NOT NULL`,
    );
    for (const row of rows) {
      const known = MIGRATIONS[driver.kind].find((m) => m.name === row.migration_name);
      if (known && known.checksum !== row.checksum) {
        throw new Error(`migration ${row.migration_name} was changed after it was applied (checksum differs)`);
      }
    }
    const pending = pendingMigrations(driver.kind, rows.map((r) => r.migration_name));
    for (const m of pending) {
      const now = driver.kind === "sqlite" ? Date.now() : new Date().toISOString();
      for (const statement of splitStatements(m.sql)) await tx.run(statement);
      await tx.run(
        `INSERT INTO "_prisma_migrations" ("id", "checksum", "finished_at", "migration_name", "started_at", "applied_steps_count") VALUES (?, ?, ?, ?, ?, 1)`,
        [crypto.randomUUID(), m.checksum, now, m.name, now],
      );
    }
    return { applied: pending.map((m) => m.name), alreadyApplied: rows.length };
  });
}

/**
 * Splits a migration script into statements at a semicolon that ends a line (Prisma's scripts
 * hold no semicolons in literals). Dollar-quoted bodies (`DO $$ ... $$`, hand-written PostgreSQL
 * migrations) stay whole.
 */
export function splitStatements(sql: string): string[] {
  const parts: string[] = [];
  const dollar = /\$(?:[A-Za-z_][A-Za-z0-9_]*)?\$/y;
  const end = /;\s*(?:\n|$)/y;
  let start = 0;
  for (let i = 0; i < sql.length; ) {
    if (sql[i] === "$") {
      dollar.lastIndex = i;
      const open = dollar.exec(sql);
      if (open) {
        const close = sql.indexOf(open[0], i + open[0].length);
        i = close < 0 ? sql.length : close + open[0].length;
        continue;
      }
    } else if (sql[i] === ";") {
      end.lastIndex = i;
      const m = end.exec(sql);
      if (m) {
        parts.push(sql.slice(start, i));
        i = start = i + m[0].length;
        continue;
      }
    }
    i++;
  }
  parts.push(sql.slice(start));
  return parts.map((s) => s.replace(/^\s*--.*$/gm, "").trim()).filter((s) => s.length > 0);
}
