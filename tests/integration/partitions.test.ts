// "HistoryEvent" partitioned by month on PostgreSQL (real server): partitions made at ingest,
// rows in them (tableoid), the DEFAULT partition, the migration of an existing table, prune
// dropping old partitions, and two connections ingesting into a new month at once.
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import type { HistoryEvent } from "@/lib/history/types";
import { ingestExecutions, migrate, openStore, type IngestInput, type Store } from "@/lib/store";
import { splitStatements } from "@/lib/store/migrate";
import { MIGRATIONS } from "@/lib/store/migrations-sql";
import { monthsOf, parsePartitionBound, partitionName } from "@/lib/store/partitions";
import { pruneExecutions } from "@/lib/store/prune";
import { lambdaRetryCatchFail, passChain } from "../fixtures/histories";
import { postgresDatabase, postgresUnavailable, type TestDatabase } from "../helpers/databases";

const at = (iso: string) => Date.parse(iso);
const retimed = (events: HistoryEvent[], start: number, stepMs = 1000): HistoryEvent[] => events.map((e, i) => ({ ...e, timestamp: start + i * stepMs }));
const input = (name: string, start: number, stepMs?: number, extra: Partial<IngestInput> = {}): IngestInput => ({
  events: retimed(passChain().events, start, stepMs),
  source: "file",
  execution: { executionArn: `arn:aws:states:us-east-1:123456789012:execution:parts:${name}` },
  ...extra,
});

describe("partition helpers", () => {
  it("read PostgreSQL's partition bounds", () => {
    expect(parsePartitionBound("FOR VALUES FROM ('2026-06-01 00:00:00') TO ('2026-07-01 00:00:00')")).toEqual({ from: at("2026-06-01T00:00:00Z"), to: at("2026-07-01T00:00:00Z") });
    expect(parsePartitionBound("FOR VALUES FROM (MINVALUE) TO ('2000-01-01 00:00:00')")).toEqual({ from: -Infinity, to: at("2000-01-01T00:00:00Z") });
    expect(parsePartitionBound("DEFAULT")).toBeNull();
  });

  it("name the months events fall in, from 2000 to a year ahead", () => {
    const now = at("2026-11-24T12:00:00Z");
    expect(monthsOf([{ min: at("2026-01-31T23:59:00Z"), max: at("2026-03-01T00:00:00Z") }], now).map(partitionName)).toEqual(["HistoryEvent_p2026_01", "HistoryEvent_p2026_02", "HistoryEvent_p2026_03"]);
    expect(monthsOf([{ min: 0, max: 1000 }, { min: at("2030-01-01T00:00:00Z"), max: at("2030-01-02T00:00:00Z") }, { min: Infinity, max: -Infinity }], now)).toEqual([]);
  });

  it("split migrations without cutting dollar-quoted bodies", () => {
    expect(splitStatements("CREATE TABLE a (x int);\n-- note\nDO $$\nBEGIN\n  PERFORM 1;\n  PERFORM 2;\nEND\n$$;\nSELECT '$1';\n")).toEqual(["CREATE TABLE a (x int)", "DO $$\nBEGIN\n  PERFORM 1;\n  PERFORM 2;\nEND\n$$", "SELECT '$1'"]);
  });
});

const pgReason = await postgresUnavailable();

describe.skipIf(pgReason !== null)(`HistoryEvent partitions on PostgreSQL${pgReason ? ` (skipped: ${pgReason})` : ""}`, () => {
  let db: TestDatabase;
  let store: Store;
  beforeAll(async () => {
    db = await postgresDatabase();
    store = await openStore({ url: db.url });
  });
  afterAll(async () => {
    await store?.close();
    await db?.drop();
  });

  const partitions = async (s: Store = store) =>
    (await s.driver.all<{ name: string }>(`SELECT c."relname" AS "name" FROM "pg_inherits" i JOIN "pg_class" c ON c."oid" = i."inhrelid" WHERE i."inhparent" = '"HistoryEvent"'::regclass ORDER BY 1`)).map((r) => r.name);
  /** Rows per partition they are stored in, and how many of them are not in their month's partition. */
  const placement = async (s: Store = store) => {
    const rows = await s.driver.all<{ part: string; month: string; n: number }>(
      `SELECT h."tableoid"::regclass::text AS "part", to_char(h."timestamp", 'YYYY_MM') AS "month", COUNT(*)::int AS "n" FROM "HistoryEvent" h GROUP BY 1, 2 ORDER BY 1, 2`,
    );
    return rows.map((r) => [r.part.replace(/"/g, ""), r.month, r.n] as const);
  };

  it("is partitioned by range on timestamp, with a DEFAULT partition and the timestamp in its key", async () => {
    const [table] = await store.driver.all<{ strategy: string; key: string }>(
      `SELECT p."partstrat" AS "strategy", pg_get_partkeydef(p."partrelid") AS "key" FROM "pg_partitioned_table" p WHERE p."partrelid" = '"HistoryEvent"'::regclass`,
    );
    expect(table).toEqual({ strategy: "r", key: `RANGE ("timestamp")` });
    expect(await partitions()).toContain("HistoryEvent_default");
    const constraints = await store.driver.all<{ name: string; def: string }>(
      `SELECT "conname" AS "name", pg_get_constraintdef("oid") AS "def" FROM "pg_constraint" WHERE "conrelid" = '"HistoryEvent"'::regclass ORDER BY 1`,
    );
    // No foreign key to Execution: events are written and deleted with their execution (ingest.ts, prune.ts).
    expect(constraints).toEqual([{ name: "HistoryEvent_pkey", def: `PRIMARY KEY ("executionId", "eventId", "timestamp")` }]);
    // The only index is the key: the (executionId, type) index was dropped (no read used it).
    const indexes = await store.driver.all<{ indexname: string }>(`SELECT "indexname" FROM "pg_indexes" WHERE "tablename" = 'HistoryEvent'`);
    expect(indexes.map((i) => i.indexname)).toEqual(["HistoryEvent_pkey"]);
  });

  it("creates the partitions of the months ingested, and the rows land in them", async () => {
    await ingestExecutions(store.driver, [
      input("jan", at("2026-01-15T10:00:00Z")),
      input("feb", at("2026-02-03T10:00:00Z")),
      input("mar-apr", at("2026-03-31T23:59:58Z")), // crosses into April
    ]);
    expect(await partitions()).toEqual(["HistoryEvent_default", "HistoryEvent_p2026_01", "HistoryEvent_p2026_02", "HistoryEvent_p2026_03", "HistoryEvent_p2026_04"]);
    const rows = await placement();
    expect(rows.every(([part, month]) => part === `HistoryEvent_p${month}`)).toBe(true);
    expect(rows.map(([, month]) => month)).toEqual(["2026_01", "2026_02", "2026_03", "2026_04"]);
    const n = passChain().events.length;
    expect(rows.map(([, , count]) => count)).toEqual([n, n, 2, n - 2]);
  });

  it("puts rows of a month it makes no partition for in the DEFAULT partition, and never fails for them", async () => {
    const [outcome] = await ingestExecutions(store.driver, [input("ancient", at("1995-05-05T00:00:00Z"))]);
    expect(outcome.outcome).toBe("created");
    expect(await partitions()).not.toContain("HistoryEvent_p1995_05");
    expect((await placement()).filter(([part]) => part === "HistoryEvent_default")).toEqual([["HistoryEvent_default", "1995_05", passChain().events.length]]);
  });

  it("moves a month's rows out of the DEFAULT partition when it creates that month's partition", async () => {
    // A row written while August had no partition (another writer, or an old process).
    const [{ executionId }] = await ingestExecutions(store.driver, [input("july", at("2026-07-10T00:00:00Z"))]);
    await store.driver.run(`INSERT INTO "HistoryEvent" ("executionId", "eventId", "previousEventId", "timestamp", "type") VALUES (?, 1000, 0, '2026-08-02 00:00:00', 'ExecutionSucceeded')`, [executionId]);
    expect((await placement()).filter(([, month]) => month === "2026_08")).toEqual([["HistoryEvent_default", "2026_08", 1]]);
    await ingestExecutions(store.driver, [input("august", at("2026-08-20T00:00:00Z"))]);
    expect((await placement()).filter(([, month]) => month === "2026_08")).toEqual([["HistoryEvent_p2026_08", "2026_08", passChain().events.length + 1]]);
  });

  it("lets two connections ingest into new months at the same time", async () => {
    const other = await openStore({ url: db.url });
    try {
      const months = ["2026-12", "2027-01", "2027-02"];
      const batch = (who: string) => months.flatMap((m, i) => [0, 1, 2].map((k) => input(`${who}-${i}-${k}`, at(`${m}-0${k + 1}T12:00:00Z`))));
      const [a, b] = await Promise.all([ingestExecutions(store.driver, batch("a")), ingestExecutions(other.driver, batch("b"))]);
      expect([...a, ...b].every((o) => o.outcome === "created")).toBe(true);
      const names = await partitions();
      for (const m of months) expect(names.filter((p) => p === `HistoryEvent_p${m.replace("-", "_")}`)).toHaveLength(1);
      const rows = (await placement()).filter(([, month]) => months.includes(month.replace("_", "-")));
      expect(rows.map(([part, month, n]) => [part, month, n])).toEqual(months.map((m) => [`HistoryEvent_p${m.replace("-", "_")}`, m.replace("-", "_"), 2 * 3 * passChain().events.length]));
    } finally {
      await other.close();
    }
  });

  it("prune drops the partitions wholly before the cutoff, unless one still holds rows of an execution it keeps", async () => {
    const db2 = await postgresDatabase();
    const s = await openStore({ url: db2.url });
    try {
      const n = passChain().events.length;
      await ingestExecutions(s.driver, [
        input("old-1", at("2024-01-10T00:00:00Z")),
        input("old-2", at("2024-02-10T00:00:00Z")),
        input("old-3", at("2024-03-10T00:00:00Z")),
        input("recent", at("2026-10-10T00:00:00Z")),
        // Started after the cutoff by its own account, with events in March 2024: that
        // partition must stay (its other rows go one by one).
        input("odd", at("2024-03-20T00:00:00Z"), 1000, { execution: { executionArn: "arn:aws:states:us-east-1:123456789012:execution:parts:odd", startDate: at("2025-06-01T00:00:00Z"), stopDate: at("2025-06-01T00:00:10Z") } }),
      ]);
      const cutoff = at("2025-01-01T00:00:00Z");
      const dry = await pruneExecutions(s.driver, { before: cutoff, dryRun: true });
      expect(dry).toMatchObject({ executions: 3, events: 3 * n });
      expect(await partitions(s)).toContain("HistoryEvent_p2024_01");
      const totals = await pruneExecutions(s.driver, { before: cutoff });
      expect(totals).toMatchObject({ executions: 3, events: 3 * n, partitions: 2 });
      const names = await partitions(s);
      expect(names).not.toContain("HistoryEvent_p2024_01");
      expect(names).not.toContain("HistoryEvent_p2024_02");
      expect(names).toContain("HistoryEvent_p2024_03");
      expect(await placement(s)).toEqual([["HistoryEvent_p2024_03", "2024_03", n], ["HistoryEvent_p2026_10", "2026_10", n]]);
      const left = await s.driver.all<{ arn: string }>(`SELECT "arn" FROM "Execution" ORDER BY "arn"`);
      expect(left.map((r) => r.arn.split(":").pop())).toEqual(["odd", "recent"]);
      // A month pruned away gets its partition back when something is ingested into it again.
      await ingestExecutions(s.driver, [input("late-import", at("2024-01-20T00:00:00Z"))]);
      expect(await placement(s)).toContainEqual(["HistoryEvent_p2024_01", "2024_01", n]);
    } finally {
      await s.close();
      await db2.drop();
    }
  });

  it("the migration turns an existing table into the partitioned one and keeps its rows", async () => {
    const db2 = await postgresDatabase();
    const s = await openStore({ url: db2.url });
    try {
      await ingestExecutions(s.driver, [input("m-1", at("2025-11-30T23:59:57Z")), input("m-2", at("2026-01-05T00:00:00Z")), input("m-3", at("1990-01-01T00:00:00Z"))]);
      await ingestExecutions(s.driver, [{ events: retimed(lambdaRetryCatchFail().events, at("2026-01-06T00:00:00Z")), source: "file", execution: { executionArn: "arn:aws:states:us-east-1:123456789012:execution:parts:m-4" } }]);
      const snapshot = () => s.driver.all(`SELECT * FROM "HistoryEvent" ORDER BY "executionId", "eventId"`);
      const before = await snapshot();
      expect(before.length).toBeGreaterThan(0);
      // Back to the table as the migrations before this one left it, rows included.
      const migration = MIGRATIONS.postgres.find((m) => m.name.endsWith("_history_event_partitions"))!;
      const oldTable = splitStatements(MIGRATIONS.postgres[0].sql).filter((st) => /"HistoryEvent"/.test(st) && !/^CREATE TABLE "(?!HistoryEvent")/.test(st));
      expect(oldTable).toHaveLength(3); // CREATE TABLE, its index, its foreign key
      await s.driver.transaction(async (tx) => {
        await tx.run(`CREATE TEMP TABLE "saved" ON COMMIT DROP AS SELECT * FROM "HistoryEvent"`);
        await tx.run(`DROP TABLE "HistoryEvent"`);
        for (const st of oldTable) await tx.run(st);
        await tx.run(`INSERT INTO "HistoryEvent" SELECT * FROM "saved"`);
        await tx.run(`DELETE FROM "_prisma_migrations" WHERE "migration_name" = ?`, [migration.name]);
      });
      expect(await s.driver.all(`SELECT 1 FROM "pg_partitioned_table" WHERE "partrelid" = '"HistoryEvent"'::regclass`)).toEqual([]);

      const result = await migrate(s.driver);
      expect(result.applied).toEqual([migration.name]);
      expect(await snapshot()).toEqual(before);
      expect(await partitions(s)).toEqual(["HistoryEvent_default", "HistoryEvent_p2025_11", "HistoryEvent_p2025_12", "HistoryEvent_p2026_01"]);
      const rows = await placement(s);
      expect(rows.filter(([part, month]) => part !== `HistoryEvent_p${month}`)).toEqual([["HistoryEvent_default", "1990_01", passChain().events.length]]);
      // Keys, index and the cascade from Execution as before.
      const constraints = await s.driver.all<{ def: string }>(`SELECT pg_get_constraintdef("oid") AS "def" FROM "pg_constraint" WHERE "conrelid" = '"HistoryEvent"'::regclass ORDER BY "conname"`);
      expect(constraints.map((c) => c.def)).toEqual([`FOREIGN KEY ("executionId") REFERENCES "Execution"(id) ON UPDATE CASCADE ON DELETE CASCADE`, `PRIMARY KEY ("executionId", "eventId", "timestamp")`]);
      expect(await s.driver.all(`SELECT 1 FROM "pg_indexes" WHERE "indexname" = 'HistoryEvent_executionId_type_idx'`)).toHaveLength(1);
      await s.driver.run(`DELETE FROM "Execution" WHERE "arn" LIKE '%:m-4'`);
      expect((await snapshot()).length).toBe(before.length - lambdaRetryCatchFail().events.length);
      // and ingest goes on into it
      await ingestExecutions(s.driver, [input("m-5", at("2026-02-01T00:00:00Z"))]);
      expect(await partitions(s)).toContain("HistoryEvent_p2026_02");
    } finally {
      await s.close();
      await db2.drop();
    }
  });
});
