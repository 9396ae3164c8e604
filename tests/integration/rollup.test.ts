// StateDayRollup against the visits it summarises, on SQLite and PostgreSQL (real databases).
// Every expectation is a GROUP BY over StateVisit written here, not an output of the code under
// test: the rollup table itself, and the dashboard queries that read it (heatmap, cost per state,
// top failing states), after ingest, re-ingest, replacement of a RUNNING execution, prune, and
// the migration's backfill.
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import type { HistoryEvent } from "@/lib/history/types";
import { demoIngestInput, generateDemo } from "@/lib/sources/demo/generate";
import { ingestExecution, openStore, type IngestInput, type Store } from "@/lib/store";
import { splitStatements } from "@/lib/store/migrate";
import { MIGRATIONS } from "@/lib/store/migrations-sql";
import { pruneExecutions } from "@/lib/store/prune";
import { transitionsByState } from "@/lib/store/queries/cost";
import { stateBucketCounts } from "@/lib/store/queries/heatmaps";
import { topFailingStates } from "@/lib/store/queries/overview";
import { ALL_FIXTURES, callbackChoiceWait, lambdaRetryCatchFail, mapAndParallel } from "../fixtures/histories";
import { postgresDatabase, postgresUnavailable, sqliteDatabase, type TestDatabase } from "../helpers/databases";

const pgReason = await postgresUnavailable();
const backends: Array<[string, () => Promise<TestDatabase>, string | null]> = [
  ["sqlite", async () => sqliteDatabase(), null],
  ["postgres", postgresDatabase, pgReason],
];

const DAY = 86_400_000;
const HOUR = 3_600_000;
const END = Date.parse("2026-06-30T21:00:00Z");
const START = END - 5 * DAY;

/** A fixture's events re-timed: the first at `start`, then one every `stepMs` (to cross midnight). */
function retimed(events: HistoryEvent[], start: number, stepMs: number): HistoryEvent[] {
  return events.map((e, i) => ({ ...e, timestamp: start + i * stepMs }));
}

const ms = (v: unknown): number => (v instanceof Date ? v.getTime() : Number(v));
const n = (v: unknown): number => Number(v ?? 0);
const byKey = <T>(rows: T[], key: (r: T) => string) => [...rows].sort((a, b) => (key(a) < key(b) ? -1 : key(a) > key(b) ? 1 : 0));

for (const [name, makeDb, skipReason] of backends) {
  describe.skipIf(skipReason !== null)(`StateDayRollup on ${name}${skipReason ? ` (skipped: ${skipReason})` : ""}`, () => {
    let db: TestDatabase;
    let store: Store;
    const demoInputs: IngestInput[] = [];

    const t = (x: number) => (store.driver.kind === "sqlite" ? x : new Date(x).toISOString());
    const day = (col: string) => (store.driver.kind === "sqlite" ? `((${col} / 86400000) * 86400000)` : `(EXTRACT(EPOCH FROM date_trunc('day', ${col})) * 1000)::bigint`);
    const bucket = (col: string, size: number) => (store.driver.kind === "sqlite" ? `((${col} / ${size}) * ${size})` : `(FLOOR(EXTRACT(EPOCH FROM ${col}) * 1000 / ${size}) * ${size})::bigint`);
    const FAILURE = `v."status" IN ('FAILED', 'CAUGHT') AND v."error" IS NOT NULL AND v."stateType" NOT IN ('Map', 'Parallel')`;

    // ---- references: GROUP BY over StateVisit ----
    async function expectedTable() {
      const rows = await store.driver.all<Record<string, unknown>>(
        `SELECT e."stateMachineId" AS "sm", ${day(`e."startDate"`)} AS "startDay", ${day(`v."enteredAt"`)} AS "day", v."stateName", v."stateType", COUNT(*) AS "visits",
           SUM(CASE WHEN ${FAILURE} THEN 1 ELSE 0 END) AS "failures", SUM(v."attempts" - 1) AS "retries", SUM(CASE WHEN v."error" = 'States.Timeout' THEN 1 ELSE 0 END) AS "timeouts",
           COALESCE(SUM(v."durationMs"), 0) AS "durationSumMs", COUNT(v."durationMs") AS "durationCount"
         FROM "StateVisit" v JOIN "Execution" e ON e."id" = v."executionId" GROUP BY 1, 2, 3, 4, 5`,
      );
      return byKey(rows.map((r) => ({ sm: n(r.sm), startDay: n(r.startDay), day: n(r.day), stateName: String(r.stateName), stateType: String(r.stateType), visits: n(r.visits), failures: n(r.failures), retries: n(r.retries), timeouts: n(r.timeouts), durationSumMs: n(r.durationSumMs), durationCount: n(r.durationCount) })), JSON.stringify);
    }
    async function expectedFailedExecutions() {
      const rows = await store.driver.all<Record<string, unknown>>(
        `SELECT e."stateMachineId" AS "sm", ${day(`e."startDate"`)} AS "startDay", v."stateName", COUNT(DISTINCT e."id") AS "n"
         FROM "StateVisit" v JOIN "Execution" e ON e."id" = v."executionId" WHERE ${FAILURE} AND v."stateType" <> 'Fail' GROUP BY 1, 2, 3`,
      );
      return byKey(rows.map((r) => ({ sm: n(r.sm), startDay: n(r.startDay), stateName: String(r.stateName), n: n(r.n) })), JSON.stringify);
    }
    async function rollupRows() {
      const rows = await store.driver.all<Record<string, unknown>>(`SELECT * FROM "StateDayRollup"`);
      return rows.map((r) => ({
        sm: n(r.stateMachineId), startDay: ms(r.startDay), day: ms(r.day), stateName: String(r.stateName), stateType: String(r.stateType), visits: n(r.visits), failures: n(r.failures),
        retries: n(r.retries), timeouts: n(r.timeouts), durationSumMs: n(r.durationSumMs), durationCount: n(r.durationCount), failedExecutions: n(r.failedExecutions),
      }));
    }
    async function expectedHeatmap(from: number, to: number, size: number, stateMachine?: string) {
      const rows = await store.driver.all<Record<string, unknown>>(
        `SELECT v."stateName", ${bucket(`v."enteredAt"`, size)} AS "bucket", SUM(CASE WHEN ${FAILURE} THEN 1 ELSE 0 END) AS "failures", SUM(v."attempts" - 1) AS "retries",
           SUM(CASE WHEN v."error" = 'States.Timeout' THEN 1 ELSE 0 END) AS "timeouts"
         FROM "StateVisit" v JOIN "Execution" e ON e."id" = v."executionId" JOIN "StateMachine" m ON m."id" = e."stateMachineId"
         WHERE v."enteredAt" >= ? AND v."enteredAt" < ? ${stateMachine ? `AND m."name" = ?` : ""} GROUP BY 1, 2`,
        [t(from), t(to), ...(stateMachine ? [stateMachine] : [])],
      );
      return byKey(rows.map((r) => ({ stateName: String(r.stateName), bucket: n(r.bucket), failures: n(r.failures), retries: n(r.retries), timeouts: n(r.timeouts) })), JSON.stringify);
    }
    async function expectedTransitions(from: number, to: number) {
      const rows = await store.driver.all<Record<string, unknown>>(
        `SELECT m."name" AS "sm", m."type", v."stateName", COUNT(*) AS "visits", SUM(v."attempts" - 1) AS "retries"
         FROM "StateVisit" v JOIN "Execution" e ON e."id" = v."executionId" JOIN "StateMachine" m ON m."id" = e."stateMachineId"
         WHERE e."startDate" >= ? AND e."startDate" < ? GROUP BY 1, 2, 3`,
        [t(from), t(to)],
      );
      return rows.map((r) => ({ stateMachine: String(r.sm), type: String(r.type), stateName: String(r.stateName), visits: n(r.visits), retries: n(r.retries) }));
    }
    async function expectedFailing(from: number, to: number, stateMachine?: string) {
      const rows = await store.driver.all<Record<string, unknown>>(
        `SELECT m."name" AS "sm", v."stateName" AS "s", COUNT(DISTINCT e."id") AS "n"
         FROM "StateVisit" v JOIN "Execution" e ON e."id" = v."executionId" JOIN "StateMachine" m ON m."id" = e."stateMachineId"
         WHERE e."startDate" >= ? AND e."startDate" < ? AND ${FAILURE} AND v."stateType" <> 'Fail' ${stateMachine ? `AND m."name" = ?` : ""} GROUP BY 1, 2`,
        [t(from), t(to), ...(stateMachine ? [stateMachine] : [])],
      );
      return rows.map((r) => ({ stateMachine: String(r.sm), stateName: String(r.s), failures: n(r.n) }));
    }

    // Ranges: day-aligned, not aligned (partial days at both ends), within one day, and past the data.
    const RANGES: Array<[string, number, number]> = [
      ["day-aligned", START - (START % DAY), END - (END % DAY) + DAY],
      ["partial days at both ends", START + 7 * HOUR + 123, END - 3 * HOUR],
      ["inside one day", END - 10 * HOUR, END - 2 * HOUR],
      ["from the epoch", 0, END + 30 * DAY],
    ];

    /** Every rollup-backed answer equals its GROUP BY over StateVisit. */
    async function expectConsistent() {
      const table = await rollupRows();
      expect(table.every((r) => r.visits > 0), "no empty rows are left").toBe(true);
      expect(byKey(table.map(({ failedExecutions: _f, ...r }) => r), JSON.stringify)).toEqual(await expectedTable());
      const failed = new Map<string, { sm: number; startDay: number; stateName: string; n: number }>();
      for (const r of table) {
        if (!r.failedExecutions) continue;
        const k = JSON.stringify([r.sm, r.startDay, r.stateName]);
        const cur = failed.get(k) ?? { sm: r.sm, startDay: r.startDay, stateName: r.stateName, n: 0 };
        cur.n += r.failedExecutions;
        failed.set(k, cur);
      }
      expect(byKey([...failed.values()], JSON.stringify)).toEqual(await expectedFailedExecutions());

      const machines = (await store.driver.all<{ name: string }>(`SELECT DISTINCT "name" FROM "StateMachine" ORDER BY 1`)).map((r) => r.name);
      expect(machines.length).toBeGreaterThan(2);
      for (const [label, from, to] of RANGES) {
        for (const size of [DAY, 2 * DAY, 7 * DAY, 6 * HOUR]) {
          for (const sm of [undefined, machines[0]]) {
            const got = await stateBucketCounts(store, { from, to, bucketMs: size, stateMachine: sm });
            expect(byKey(got, JSON.stringify), `heatmap ${label}, bucket ${size / HOUR} h, ${sm ?? "all"}`).toEqual(await expectedHeatmap(from, to, size, sm));
          }
        }
        const transitions = await transitionsByState(store, { from, to });
        const refTransitions = await expectedTransitions(from, to);
        expect(byKey(transitions, JSON.stringify), `cost ${label}`).toEqual(byKey(refTransitions, JSON.stringify));
        expect(transitions.map((r) => r.visits), `cost ${label}: most visits first`).toEqual(refTransitions.map((r) => r.visits).sort((a, b) => b - a));
        for (const sm of [undefined, machines[0]]) {
          const f = { from, to, bucketMs: 6 * HOUR, stateMachine: sm };
          const refFailing = await expectedFailing(from, to, sm);
          const all = await topFailingStates(store, f, 10_000);
          expect(byKey(all, JSON.stringify), `top failing ${label} ${sm ?? "all"}`).toEqual(byKey(refFailing, JSON.stringify));
          const top3 = await topFailingStates(store, f, 3);
          expect(top3.map((r) => r.failures)).toEqual(refFailing.map((r) => r.failures).sort((a, b) => b - a).slice(0, 3));
        }
      }
    }

    beforeAll(async () => {
      db = await makeDb();
      store = await openStore({ url: db.url });
      await generateDemo({
        days: 5,
        scale: 0.3,
        endTime: END,
        onRun: async (run) => {
          const input = demoIngestInput(run);
          demoInputs.push(input);
          await ingestExecution(store.driver, input);
        },
      });
      // Hand-built histories on two more machines, some running across midnight (visit day after start day).
      let i = 0;
      for (const [fixture, build] of Object.entries(ALL_FIXTURES)) {
        for (const [start, step] of [[START + DAY + 5 * HOUR, 40], [START + 2 * DAY - 500, 97], [START + 3 * DAY - 1, 20 * 60_000]]) {
          const machine = i++ % 2 ? "fixtures-a" : "fixtures-b";
          await ingestExecution(store.driver, { events: retimed(build().events, start, step), source: "file", execution: { executionArn: `arn:aws:states:us-east-1:1:execution:${machine}:${fixture}-${start}` } });
        }
      }
    }, 180_000);
    afterAll(async () => {
      await store?.close();
      await db?.drop();
    });

    it("after ingest, equals the GROUP BY over StateVisit", async () => {
      expect(demoInputs.length).toBeGreaterThan(50);
      expect((await rollupRows()).some((r) => r.day !== r.startDay), "some visits fall on a later day than their execution's start").toBe(true);
      await expectConsistent();
    });

    it("re-ingesting the same executions changes nothing", async () => {
      const before = byKey(await rollupRows(), JSON.stringify);
      for (const input of demoInputs.slice(0, 10)) expect((await ingestExecution(store.driver, input)).outcome).toBe("unchanged");
      expect(byKey(await rollupRows(), JSON.stringify)).toEqual(before);
      await expectConsistent();
    });

    it("replacing a RUNNING execution by its finished version moves its visits", async () => {
      const cases: Array<[string, HistoryEvent[]]> = [
        ["retry", retimed(lambdaRetryCatchFail().events, START + 4 * DAY - 700, 100)], // the Fail state is entered the next day
        ["map", retimed(mapAndParallel().events, START + 2 * DAY + HOUR, 50)],
        ["wait", retimed(callbackChoiceWait().events, START + DAY - 3000, 500)],
      ];
      for (const [label, full] of cases) {
        const arn = `arn:aws:states:us-east-1:1:execution:fixtures-a:grows-${label}`;
        let last = "";
        for (const cut of [3, Math.floor(full.length / 2), full.length - 1]) {
          const r = await ingestExecution(store.driver, { events: full.slice(0, cut), source: "aws", execution: { executionArn: arn } });
          last = r.outcome;
          await expectConsistent();
        }
        expect(last).toBe("updated");
        expect((await ingestExecution(store.driver, { events: full, source: "aws", execution: { executionArn: arn } })).outcome).toBe("updated");
        await expectConsistent();
      }
    });

    it("concurrent writers to the same rows keep it exact", async () => {
      const base = lambdaRetryCatchFail().events;
      const writes = Array.from({ length: 12 }, (_, k) => () =>
        ingestExecution(store.driver, { events: retimed(base, START + 3 * DAY + k * 1000, 30), source: "aws", execution: { executionArn: `arn:aws:states:us-east-1:1:execution:fixtures-b:parallel-${k}` } }));
      // PostgreSQL: concurrent transactions on the pool, upserting the same rollup rows. SQLite
      // serialises writers (one driver holds one transaction at a time), so one after another.
      if (store.driver.kind === "postgres") await Promise.all(writes.map((w) => w()));
      else for (const w of writes) await w();
      await expectConsistent();
    });

    it("prune keeps it exact and removes the rows of days wholly pruned", async () => {
      const cutoff = START + 2 * DAY + 9 * HOUR;
      const totals = await pruneExecutions(store.driver, { before: cutoff, batchSize: 7 });
      expect(totals.executions).toBeGreaterThan(0);
      const rows = await rollupRows();
      expect(rows.filter((r) => r.startDay < cutoff - (cutoff % DAY))).toEqual([]);
      expect(rows.some((r) => r.startDay === cutoff - (cutoff % DAY)), "the cutoff's own day keeps the executions after the cutoff").toBe(true);
      await expectConsistent();
    });

    it("the migration's backfill rebuilds the same table from StateVisit", async () => {
      const before = byKey(await rollupRows(), JSON.stringify);
      const migration = MIGRATIONS[store.driver.kind].find((m) => m.name.endsWith("_state_day_rollup"))!;
      const backfill = splitStatements(migration.sql).filter((s) => s.startsWith(`INSERT INTO "StateDayRollup"`));
      expect(backfill).toHaveLength(1);
      await store.driver.run(`DELETE FROM "StateDayRollup"`);
      await store.driver.run(backfill[0]);
      expect(byKey(await rollupRows(), JSON.stringify)).toEqual(before);
      await expectConsistent();
    });
  });
}
