// The same store suite on SQLite and on PostgreSQL (real servers, fresh databases).
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { toCliHistory } from "@/lib/history/parse";
import { parseHistoryDocument } from "@/lib/history/parse";
import { findExecution, ingestExecution, loadHistory, migrate, openStore, type Store } from "@/lib/store";
import { MIGRATIONS } from "@/lib/store/migrations-sql";
import { ALL_FIXTURES, EXEC_ARN, lambdaRetryCatchFail, passChain } from "../fixtures/histories";
import { postgresDatabase, postgresUnavailable, sqliteDatabase, type TestDatabase } from "../helpers/databases";

const pgReason = await postgresUnavailable();

const backends: Array<[string, () => Promise<TestDatabase>, string | null]> = [
  ["sqlite", async () => sqliteDatabase(), null],
  ["postgres", postgresDatabase, pgReason],
];

for (const [name, makeDb, skipReason] of backends) {
  describe.skipIf(skipReason !== null)(`store on ${name}${skipReason ? ` (skipped: ${skipReason})` : ""}`, () => {
    let db: TestDatabase;
    let store: Store;
    beforeAll(async () => {
      db = await makeDb();
      store = await openStore({ url: db.url });
    });
    afterAll(async () => {
      await store?.close();
      await db?.drop();
    });

    it("applies every migration once and nothing the second time", async () => {
      const again = await migrate(store.driver);
      expect(again.applied).toEqual([]);
      expect(again.alreadyApplied).toBe(MIGRATIONS[store.driver.kind].length);
    });

    it.each(Object.keys(ALL_FIXTURES))("round-trips the %s history through import and export", async (fixture) => {
      const original = ALL_FIXTURES[fixture]().cli();
      const parsed = parseHistoryDocument(JSON.stringify(original), `${fixture}.json`);
      const result = await ingestExecution(store.driver, { ...parsed, source: "file", execution: { executionArn: EXEC_ARN(fixture) } });
      expect(result.outcome).toBe("created");
      const events = await loadHistory(store.driver, result.executionId);
      expect(toCliHistory(events)).toEqual(original);
    });

    it("re-importing the same execution changes nothing", async () => {
      const parsed = parseHistoryDocument(JSON.stringify(passChain().cli()), "again.json");
      const first = await ingestExecution(store.driver, { ...parsed, source: "file", fallbackName: "again" });
      const countBefore = await store.prisma.historyEvent.count();
      const second = await ingestExecution(store.driver, { ...parsed, source: "file", fallbackName: "again" });
      expect(second).toMatchObject({ outcome: "unchanged", executionArn: first.executionArn, executionId: first.executionId });
      expect(await store.prisma.historyEvent.count()).toBe(countBefore);
    });

    it("replaces a RUNNING execution when it is seen again with more events", async () => {
      const full = lambdaRetryCatchFail().events;
      const arn = EXEC_ARN("grows");
      const partial = await ingestExecution(store.driver, { events: full.slice(0, 5), source: "aws", execution: { executionArn: arn } });
      expect((await store.prisma.execution.findUnique({ where: { arn } }))?.status).toBe("RUNNING");
      const done = await ingestExecution(store.driver, { events: full, source: "aws", execution: { executionArn: arn } });
      expect(done.outcome).toBe("updated");
      const row = await store.prisma.execution.findUnique({ where: { arn } });
      expect(row).toMatchObject({ status: "FAILED", error: "PaymentDeclined", failedState: "Declined", eventCount: full.length });
      expect(await store.prisma.historyEvent.count({ where: { executionId: partial.executionId } })).toBe(0);
    });

    it("derives summary columns and state visits", async () => {
      const arn = EXEC_ARN("summary");
      const { executionId } = await ingestExecution(store.driver, { events: lambdaRetryCatchFail().events, source: "file", execution: { executionArn: arn } });
      const row = await store.prisma.execution.findUniqueOrThrow({ where: { id: executionId }, include: { stateMachine: true } });
      expect(row.stateMachine.name).toBe("orders");
      expect(row.retries).toBe(2);
      expect(row.transitions).toBe(4); // two states entered + two retries
      expect(row.startDate).toBeInstanceOf(Date);
      const visits = await store.prisma.stateVisit.findMany({ where: { executionId }, orderBy: { seq: "asc" } });
      expect(visits.map((v) => [v.stateName, v.status, v.attempts])).toEqual([["Charge", "CAUGHT", 3], ["Declined", "FAILED", 1]]);
    });

    it("stores each distinct definition once per state machine", async () => {
      const definition = JSON.stringify({ StartAt: "Start", States: { Start: { Type: "Pass", End: true } } });
      for (const n of ["v1", "v2"]) {
        await ingestExecution(store.driver, { events: passChain().events, source: "file", definition, execution: { executionArn: `arn:aws:states:us-east-1:1:execution:versioned:${n}` } });
      }
      const sm = await store.prisma.stateMachine.findUniqueOrThrow({ where: { arn: "arn:aws:states:us-east-1:1:stateMachine:versioned" }, include: { versions: true } });
      expect(sm.versions).toHaveLength(1);
    });

    it("writes nothing of an execution whose insert fails midway", async () => {
      const events = passChain().events;
      const broken = [...events, { ...events[3] }]; // a duplicate event id violates the primary key
      const arn = EXEC_ARN("half-written");
      await expect(ingestExecution(store.driver, { events: broken, source: "file", execution: { executionArn: arn } })).rejects.toThrow();
      expect(await store.prisma.execution.findUnique({ where: { arn } })).toBeNull();
      expect(await findExecution(store.driver, arn)).toBeNull();
    });

    it("finds executions by ARN, id and name", async () => {
      const arn = EXEC_ARN("findme");
      const { executionId } = await ingestExecution(store.driver, { events: passChain().events, source: "file", execution: { executionArn: arn } });
      expect(await findExecution(store.driver, arn)).toEqual({ id: executionId, arn });
      expect(await findExecution(store.driver, String(executionId))).toEqual({ id: executionId, arn });
      expect(await findExecution(store.driver, "findme")).toEqual({ id: executionId, arn });
    });
  });
}

describe("migrations on SQLite", () => {
  it("keep existing executions and their events when a later migration alters a table", async () => {
    const { openDriver } = await import("@/lib/store/driver");
    const { resolveDatabase } = await import("@/lib/store/config");
    const { splitStatements } = await import("@/lib/store/migrate");
    const db = sqliteDatabase();
    const driver = openDriver(resolveDatabase(db.url));
    try {
      // Apply only the first migration by hand, as an old version of statelens would have.
      const [first] = MIGRATIONS.sqlite;
      await migrate(driver); // creates _prisma_migrations and everything
      await driver.exec(`DROP TABLE "StateDayRollup"; DROP TABLE "HistoryEvent"; DROP TABLE "StateVisit"; DROP TABLE "Execution"; DROP TABLE "StateMachineVersion"; DROP TABLE "StateMachine"; DROP TABLE "SyncCursor"; DROP TABLE "MapRun"; DROP TABLE "EndpointStateMachine"; DROP TABLE "SyncLease"; DELETE FROM "_prisma_migrations";`);
      for (const statement of splitStatements(first.sql)) await driver.run(statement);
      await driver.run(`INSERT INTO "_prisma_migrations" ("id","checksum","finished_at","migration_name","started_at","applied_steps_count") VALUES ('x', ?, 1, ?, 1, 1)`, [first.checksum, first.name]);
      await driver.run(`INSERT INTO "StateMachine" ("arn","name","createdAt") VALUES ('sm', 'sm', 0)`);
      await driver.run(`INSERT INTO "Execution" ("arn","name","stateMachineId","status","startDate","eventCount","importedAt") VALUES ('e', 'e', 1, 'SUCCEEDED', 0, 1, 0)`);
      await driver.run(`INSERT INTO "HistoryEvent" ("executionId","eventId","previousEventId","timestamp","type") VALUES (1, 1, 0, 0, 'ExecutionStarted')`);
      const day2 = 2 * 86_400_000; // a visit two days after the execution's start (epoch 0), failed after 2 retries
      await driver.run(`INSERT INTO "StateVisit" ("executionId","seq","stateName","stateType","enteredEventId","enteredAt","durationMs","status","attempts","error") VALUES (1, 0, 'Charge', 'Task', 2, ?, 40, 'FAILED', 3, 'Boom')`, [day2 + 5000]);
      const result = await migrate(driver);
      expect(result.applied).toEqual(MIGRATIONS.sqlite.slice(1).map((m) => m.name));
      expect(await driver.all(`SELECT "arn", "historyComplete" FROM "Execution"`)).toEqual([{ arn: "e", historyComplete: 1 }]);
      expect(await driver.all(`SELECT count(*) AS n FROM "HistoryEvent"`)).toEqual([{ n: 1 }]);
      // The rollup migration backfills from the visits already stored.
      expect(await driver.all(`SELECT "stateMachineId", "startDay", "day", "stateName", "visits", "failures", "retries", "timeouts", "durationSumMs", "durationCount", "failedExecutions" FROM "StateDayRollup"`)).toEqual([
        { stateMachineId: 1, startDay: 0, day: day2, stateName: "Charge", visits: 1, failures: 1, retries: 2, timeouts: 0, durationSumMs: 40, durationCount: 1, failedExecutions: 1 },
      ]);
    } finally {
      await driver.close();
      await db.drop();
    }
  });
});
