// The Prisma client for the configured database, with its driver adapter. One client type for
// both providers: the two generated clients differ only in the provider they were built for.
import { PrismaBetterSqlite3 } from "@prisma/adapter-better-sqlite3";
import { PrismaPg } from "@prisma/adapter-pg";
import { PrismaClient as PostgresClient } from "./generated/postgres/client";
import { PrismaClient as SqliteClient } from "./generated/sqlite/client";
import type { DatabaseConfig } from "./config";
import { pgPool } from "./driver";

export type Prisma = InstanceType<typeof SqliteClient>;

export function createPrisma(config: DatabaseConfig): { prisma: Prisma; close(): Promise<void> } {
  if (config.kind === "sqlite") {
    // Timestamps as epoch milliseconds: compact, fast to compare, and what the bulk writer stores.
    // The same busy timeout as the bulk driver (driver.ts): readers wait for a writer's commit.
    const prisma = new SqliteClient({ adapter: new PrismaBetterSqlite3({ url: config.url, timeout: 10_000 }, { timestampFormat: "unixepoch-ms" }) });
    return { prisma, close: () => prisma.$disconnect() };
  }
  const pool = pgPool(config.url, config.schema);
  const prisma = new PostgresClient({ adapter: new PrismaPg(pool, config.schema ? { schema: config.schema } : undefined) }) as unknown as Prisma;
  return {
    prisma,
    async close() {
      await prisma.$disconnect();
      await pool.end();
    },
  };
}
