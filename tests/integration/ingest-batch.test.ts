// Batched ingest (`ingestExecutions`): the same rows and outcomes as one `ingestExecution` per
// execution, duplicate ARNs in one batch, and a bad execution that costs the batch nothing, on
// SQLite and PostgreSQL (real databases).
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import type { HistoryEvent } from "@/lib/history/types";
import { IngestBatchError, ingestExecution, ingestExecutions, ingestExecutionsSettled, loadHistory, openStore, type IngestInput, type Store } from "@/lib/store";
import { ALL_FIXTURES, lambdaRetryCatchFail, passChain } from "../fixtures/histories";
import { postgresDatabase, postgresUnavailable, sqliteDatabase, type TestDatabase } from "../helpers/databases";

const pgReason = await postgresUnavailable();
const backends: Array<[string, () => Promise<TestDatabase>, string | null]> = [
  ["sqlite", async () => sqliteDatabase(), null],
  ["postgres", postgresDatabase, pgReason],
];

const DAY = 86_400_000;
const T0 = Date.parse("2026-05-10T08:00:00Z");
const arn = (machine: string, name: string) => `arn:aws:states:us-east-1:123456789012:execution:${machine}:${name}`;
const retimed = (events: HistoryEvent[], start: number): HistoryEvent[] => events.map((e, i) => ({ ...e, timestamp: start + i * 250 }));
const ms = (v: unknown) => (v instanceof Date ? v.getTime() : Number(v));

for (const [name, makeDb, skipReason] of backends) {
  describe.skipIf(skipReason !== null)(`batched ingest on ${name}${skipReason ? ` (skipped: ${skipReason})` : ""}`, () => {
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

    async function executionRow(executionArn: string) {
      const rows = await store.driver.all<Record<string, unknown>>(
        `SELECT e.*, s."arn" AS "smArn", s."name" AS "smName", s."type" AS "smType", v."hash" AS "versionHash" FROM "Execution" e
           JOIN "StateMachine" s ON s."id" = e."stateMachineId" LEFT JOIN "StateMachineVersion" v ON v."id" = e."versionId" WHERE e."arn" = ?`,
        [executionArn],
      );
      expect(rows, executionArn).toHaveLength(1);
      const { id: _id, arn: _arn, name: _name, importedAt: _importedAt, stateMachineId: _sm, versionId: _v, ...rest } = rows[0];
      return { id: Number(rows[0].id), rest: { ...rest, startDate: ms(rest.startDate), stopDate: rest.stopDate === null ? null : ms(rest.stopDate) } };
    }
    async function visitRows(executionId: number) {
      const rows = await store.driver.all<Record<string, unknown>>(`SELECT * FROM "StateVisit" WHERE "executionId" = ? ORDER BY "seq"`, [executionId]);
      return rows.map(({ id: _id, executionId: _e, enteredAt, exitedAt, ...rest }) => ({ ...rest, enteredAt: ms(enteredAt), exitedAt: exitedAt === null ? null : ms(exitedAt) }));
    }

    it("stores the same rows as one ingestExecution per execution", async () => {
      const definition = JSON.stringify({ StartAt: "A", States: { A: { Type: "Pass", End: true } } });
      const inputs = (machine: string): IngestInput[] =>
        Object.entries(ALL_FIXTURES).map(([fixture, build], i) => ({
          events: retimed(build().events, T0 + i * DAY),
          source: "file",
          definition: i % 2 ? definition : undefined,
          execution: { executionArn: arn(machine, fixture) },
        }));
      const single = [];
      for (const input of inputs("single")) single.push(await ingestExecution(store.driver, input));
      const batch = await ingestExecutions(store.driver, inputs("batched"));
      expect(batch.map((o) => o.outcome)).toEqual(single.map(() => "created"));
      expect(batch.map((o) => o.eventCount)).toEqual(single.map((o) => o.eventCount));
      expect(new Set(batch.map((o) => o.executionId)).size).toBe(batch.length);
      for (const [i, fixture] of Object.keys(ALL_FIXTURES).entries()) {
        const a = await executionRow(arn("single", fixture));
        const b = await executionRow(arn("batched", fixture));
        expect(b.id).toBe(batch[i].executionId);
        expect({ ...b.rest, smArn: undefined, smName: undefined }).toEqual({ ...a.rest, smArn: undefined, smName: undefined });
        expect(await loadHistory(store.driver, b.id)).toEqual(await loadHistory(store.driver, a.id));
        expect(await visitRows(b.id)).toEqual(await visitRows(a.id));
      }
      // One state machine and one version for the batch, as for the single ingests.
      const machines = await store.driver.all<{ name: string; versions: number }>(
        `SELECT s."name", (SELECT COUNT(*) FROM "StateMachineVersion" v WHERE v."stateMachineId" = s."id") AS "versions" FROM "StateMachine" s WHERE s."name" IN ('single', 'batched') ORDER BY s."name"`,
      );
      expect(machines.map((m) => [m.name, Number(m.versions)])).toEqual([["batched", 1], ["single", 1]]);
      // The version's firstSeen is the earliest start of the executions that ran it.
      const firstSeen = await store.driver.all<{ firstSeen: unknown }>(`SELECT v."firstSeen" FROM "StateMachineVersion" v JOIN "StateMachine" s ON s."id" = v."stateMachineId" WHERE s."name" = 'batched'`);
      expect(ms(firstSeen[0].firstSeen)).toBe(T0 + DAY);
    });

    it("is idempotent: the same batch again changes nothing", async () => {
      const inputs: IngestInput[] = [0, 1, 2].map((k) => ({ events: retimed(passChain().events, T0 + k * 1000), source: "file", execution: { executionArn: arn("again", `e${k}`) } }));
      const first = await ingestExecutions(store.driver, inputs);
      const count = async () => Number((await store.driver.all<{ n: number }>(`SELECT COUNT(*) AS "n" FROM "HistoryEvent"`))[0].n);
      const before = await count();
      const second = await ingestExecutions(store.driver, inputs);
      expect(second).toEqual(first.map((o) => ({ ...o, outcome: "unchanged" })));
      expect(await count()).toBe(before);
    });

    it("replaces a RUNNING execution seen again with more events, next to new ones", async () => {
      const full = retimed(lambdaRetryCatchFail().events, T0);
      const running = arn("grow", "running");
      const [partial] = await ingestExecutions(store.driver, [{ events: full.slice(0, 5), source: "aws", execution: { executionArn: running } }]);
      const outcomes = await ingestExecutions(store.driver, [
        { events: full, source: "aws", execution: { executionArn: running } },
        { events: retimed(passChain().events, T0), source: "aws", execution: { executionArn: arn("grow", "new") } },
      ]);
      expect(outcomes.map((o) => o.outcome)).toEqual(["updated", "created"]);
      expect(outcomes[0].executionId).not.toBe(partial.executionId);
      expect(await store.driver.all(`SELECT 1 FROM "HistoryEvent" WHERE "executionId" = ?`, [partial.executionId])).toEqual([]);
      expect((await store.driver.all<{ status: string; eventCount: number }>(`SELECT "status", "eventCount" FROM "Execution" WHERE "arn" = ?`, [running]))[0]).toMatchObject({ status: "FAILED" });
      expect((await loadHistory(store.driver, outcomes[0].executionId)).length).toBe(full.length);
    });

    it("takes an ARN given twice in one batch in turn, as separate calls would", async () => {
      const full = retimed(lambdaRetryCatchFail().events, T0);
      const twice = (n: string, ...histories: HistoryEvent[][]) => histories.map((events): IngestInput => ({ events, source: "aws", execution: { executionArn: arn("dup", n) } }));
      // shorter then longer: the longer replaces the shorter
      const grown = await ingestExecutions(store.driver, twice("grown", full.slice(0, 5), full));
      expect(grown.map((o) => o.outcome)).toEqual(["created", "updated"]);
      // longer then shorter: the shorter changes nothing
      const kept = await ingestExecutions(store.driver, twice("kept", full, full.slice(0, 5)));
      expect(kept.map((o) => o.outcome)).toEqual(["created", "unchanged"]);
      expect(kept[1]).toMatchObject({ executionId: kept[0].executionId, eventCount: full.length });
      // the same history twice
      const same = await ingestExecutions(store.driver, [...twice("same", full, full), ...twice("other", full)]);
      expect(same.map((o) => o.outcome)).toEqual(["created", "unchanged", "created"]);
      for (const n of ["grown", "kept", "same"]) {
        const rows = await store.driver.all<{ id: number; eventCount: number }>(`SELECT "id", "eventCount" FROM "Execution" WHERE "arn" = ?`, [arn("dup", n)]);
        expect(rows.map((r) => Number(r.eventCount)), n).toEqual([full.length]);
        expect((await loadHistory(store.driver, Number(rows[0].id))).length, n).toBe(full.length);
      }
    });

    it("stores the others when one execution of the batch cannot be stored, and says which", async () => {
      const good = (n: string): IngestInput => ({ events: retimed(passChain().events, T0), source: "file", execution: { executionArn: arn("partly", n) } });
      // Fails only in the database (NOT NULL), so the whole batch transaction fails first.
      const brokenInSql: IngestInput = { ...good("null-previous"), events: good("x").events.map((e, i) => (i === 2 ? ({ ...e, previousEventId: null } as unknown as HistoryEvent) : e)) };
      // Fails before any SQL: an event id twice.
      const events = good("x").events;
      const brokenEarly: IngestInput = { ...good("duplicate-id"), events: [...events, { ...events[1], timestamp: events[1].timestamp + 5 }] };
      const inputs = [good("a"), brokenInSql, good("b"), brokenEarly, good("c")];
      const err = await ingestExecutions(store.driver, inputs).then(() => null, (e: unknown) => e);
      expect(err).toBeInstanceOf(IngestBatchError);
      const failures = (err as IngestBatchError).failures;
      expect(failures.map((f) => [f.index, f.executionArn])).toEqual([[1, arn("partly", "null-previous")], [3, arn("partly", "duplicate-id")]]);
      expect(failures[0].error.message).toMatch(/null value in column "previousEventId"|NOT NULL constraint failed: HistoryEvent.previousEventId/); // from the database
      expect(failures[1].error.message).toMatch(/event id 2 appears twice/);
      expect((err as IngestBatchError).message).toContain(arn("partly", "null-previous"));
      const stored = await store.driver.all<{ arn: string }>(`SELECT "arn" FROM "Execution" WHERE "arn" LIKE ? ORDER BY "arn"`, [`${arn("partly", "")}%`]);
      expect(stored.map((r) => r.arn)).toEqual(["a", "b", "c"].map((n) => arn("partly", n)));
      // Settled results say the same without throwing; the good ones are now unchanged.
      const settled = await ingestExecutionsSettled(store.driver, inputs);
      expect(settled.map((r) => (r.ok ? r.outcome : "failed"))).toEqual(["unchanged", "failed", "unchanged", "failed", "unchanged"]);
      // and a single ingest throws the execution's own error
      await expect(ingestExecution(store.driver, brokenEarly)).rejects.toThrow(/appears twice/);
      await expect(ingestExecution(store.driver, { ...good("empty"), events: [] })).rejects.toThrow(/at least one event/);
    });

    it("keeps StateDayRollup in step with the visits it writes", async () => {
      const inputs: IngestInput[] = Object.entries(ALL_FIXTURES).map(([fixture, build], i) => ({ events: retimed(build().events, T0 + i * 3_600_000), source: "file", execution: { executionArn: arn("rollup", fixture) } }));
      await ingestExecutions(store.driver, inputs);
      const [visits, rollup] = await Promise.all([
        store.driver.all<{ n: number }>(`SELECT COUNT(*) AS "n" FROM "StateVisit" v JOIN "Execution" e ON e."id" = v."executionId" JOIN "StateMachine" s ON s."id" = e."stateMachineId" WHERE s."name" = 'rollup'`),
        store.driver.all<{ n: number }>(`SELECT COALESCE(SUM(r."visits"), 0) AS "n" FROM "StateDayRollup" r JOIN "StateMachine" s ON s."id" = r."stateMachineId" WHERE s."name" = 'rollup'`),
      ]);
      expect(Number(visits[0].n)).toBeGreaterThan(0);
      expect(Number(rollup[0].n)).toBe(Number(visits[0].n));
    });
  });
}
