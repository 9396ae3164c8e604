// Real databases for tests: a fresh SQLite file, or a fresh PostgreSQL database on the local
// server (STATELENS_TEST_PG_URL, default postgresql://postgres@127.0.0.1:5432/test). Each is
// dropped afterwards. PostgreSQL tests are skipped, with the reason, only where no server answers
// and CI is not set; under CI a missing server fails the run.
import fs from "node:fs";
import os from "node:os";
import path from "node:path";
import pg from "pg";

export const PG_ADMIN_URL = process.env.STATELENS_TEST_PG_URL ?? "postgresql://postgres@127.0.0.1:5432/test";

export interface TestDatabase {
  name: "sqlite" | "postgres";
  url: string;
  drop(): Promise<void>;
}

export function sqliteDatabase(): TestDatabase {
  const dir = fs.mkdtempSync(path.join(os.tmpdir(), "statelens-test-"));
  return { name: "sqlite", url: `file:${path.join(dir, "test.db")}`, drop: async () => fs.rmSync(dir, { recursive: true, force: true }) };
}

export async function postgresDatabase(): Promise<TestDatabase> {
  const dbName = `statelens_test_${process.pid}_${Math.random().toString(36).slice(2, 8)}`;
  const admin = new pg.Client({ connectionString: PG_ADMIN_URL });
  await admin.connect();
  await admin.query(`CREATE DATABASE "${dbName}"`);
  await admin.end();
  const u = new URL(PG_ADMIN_URL);
  u.pathname = `/${dbName}`;
  return {
    name: "postgres",
    url: u.toString(),
    drop: async () => {
      const c = new pg.Client({ connectionString: PG_ADMIN_URL });
      await c.connect();
      await c.query(`DROP DATABASE IF EXISTS "${dbName}" WITH (FORCE)`);
      await c.end();
    },
  };
}

/** Why PostgreSQL tests cannot run here, or null when they can. */
export async function postgresUnavailable(): Promise<string | null> {
  const c = new pg.Client({ connectionString: PG_ADMIN_URL, connectionTimeoutMillis: 3000 });
  try {
    await c.connect();
    await c.query("SELECT 1");
    return null;
  } catch (err) {
    if (process.env.CI) throw new Error(`PostgreSQL is required under CI but ${PG_ADMIN_URL} did not answer: ${(err as Error).message}`);
    return `no PostgreSQL at ${PG_ADMIN_URL}: ${(err as Error).message}`;
  } finally {
    await c.end().catch(() => undefined);
  }
}
