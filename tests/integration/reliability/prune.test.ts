// Retention: `statelens prune --older-than` deletes executions started before the cutoff with
// their events and state visits, in batches, and --dry-run only counts.
import { execFileSync } from "node:child_process";
import { afterAll, beforeAll, describe, expect, test } from "vitest";
import { ingestExecution, openStore, type Store } from "@/lib/store";
import { parseRetention, pruneExecutions } from "@/lib/store/prune";
import { ROOT } from "../../e2e/server";
import { passChain } from "../../fixtures/histories";
import { postgresDatabase, postgresUnavailable, sqliteDatabase, type TestDatabase } from "../../helpers/databases";

const DAY = 86_400_000;
const NOW = Date.now();

async function seed(store: Store, ages: number[]): Promise<void> {
  for (const [i, days] of ages.entries()) {
    const events = passChain().events.map((e) => ({ ...e, timestamp: NOW - days * DAY + e.id }));
    await ingestExecution(store.driver, { events, execution: { executionArn: `arn:aws:states:us-east-1:123456789012:execution:orders:age-${days}-${i}` }, source: "file" });
  }
}
const count = async (store: Store, table: string) => Number((await store.driver.all<{ n: number }>(`SELECT COUNT(*) AS "n" FROM "${table}"`))[0].n);

test("retention ages read as durations", () => {
  expect(parseRetention("400d")).toBe(400 * DAY);
  expect(parseRetention("2w")).toBe(14 * DAY);
  expect(parseRetention("36h")).toBe(36 * 3_600_000);
  for (const bad of ["", "400", "d", "-5d", "1.5d", "400y", "0d"]) expect(parseRetention(bad), bad).toBeNull();
});

const pgReason = await postgresUnavailable();
for (const [name, open, skip] of [
  ["SQLite", async () => sqliteDatabase(), null],
  ["PostgreSQL", postgresDatabase, pgReason],
] as const) {
  describe.skipIf(skip !== null)(`prune on ${name}${skip ? ` (skipped: ${skip})` : ""}`, () => {
    let db: TestDatabase;
    let store: Store;
    beforeAll(async () => {
      db = await open();
      store = await openStore({ url: db.url });
      await seed(store, [500, 450, 401, 401, 410, 399, 30, 1]);
    });
    afterAll(async () => {
      await store?.close();
      await db?.drop();
    });

    test("a dry run counts and deletes nothing", async () => {
      const events = await count(store, "HistoryEvent");
      const totals = await pruneExecutions(store.driver, { before: NOW - 400 * DAY, dryRun: true, batchSize: 2 });
      expect(totals.executions).toBe(5);
      expect(totals.events).toBe(5 * passChain().events.length);
      expect(await count(store, "Execution")).toBe(8);
      expect(await count(store, "HistoryEvent")).toBe(events);
    });

    test("deletes executions started before the cutoff in batches, with their events and visits", async () => {
      const batches: number[] = [];
      const totals = await pruneExecutions(store.driver, { before: NOW - 400 * DAY, batchSize: 2, onBatch: (t) => batches.push(t.executions) });
      expect(batches).toEqual([2, 4, 5]);
      expect(totals.executions).toBe(5);
      expect(totals.stateVisits).toBeGreaterThan(0);
      expect(await count(store, "Execution")).toBe(3);
      expect(await count(store, "HistoryEvent")).toBe(3 * passChain().events.length);
      const orphans = await store.driver.all(`SELECT 1 FROM "StateVisit" v WHERE NOT EXISTS (SELECT 1 FROM "Execution" e WHERE e."id" = v."executionId")`);
      expect(orphans).toEqual([]);
    });

    test("the CLI prints the counts", () => {
      const run = (args: string[]) => execFileSync(process.execPath, [`${ROOT}/bin/statelens`, "prune", ...args], { cwd: ROOT, env: { ...process.env, DATABASE_URL: db.url }, encoding: "utf8" });
      expect(run(["--older-than", "20d", "--dry-run"])).toMatch(/would delete 2 executions, \d+ events, \d+ state visits \(dry run\)/);
      expect(run(["--older-than", "20d"])).toMatch(/deleted 2 executions/);
      expect(run(["--older-than", "20d"])).toMatch(/deleted 0 executions/);
    });
  });
}

test("the CLI refuses an age it cannot read", () => {
  let stderr = "";
  try {
    execFileSync(process.execPath, [`${ROOT}/bin/statelens`, "prune", "--older-than", "400"], { cwd: ROOT, encoding: "utf8", stdio: "pipe" });
  } catch (err) {
    stderr = String((err as { stderr?: string }).stderr);
  }
  expect(stderr).toContain("--older-than: expected a number and a unit");
});
