// The overview's totals on SQLite and PostgreSQL: counts by status and the p50/p95 duration of
// the window, checked against the rows themselves (nearest-rank percentiles computed here).
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { demoIngestInput, generateDemo } from "@/lib/sources/demo/generate";
import { ingestExecution, openStore, type Store } from "@/lib/store";
import { overviewTotals } from "@/lib/store/queries/overview";
import { postgresDatabase, postgresUnavailable, sqliteDatabase, type TestDatabase } from "../helpers/databases";

const pgReason = await postgresUnavailable();
const backends: Array<[string, () => Promise<TestDatabase>, string | null]> = [
  ["sqlite", async () => sqliteDatabase(), null],
  ["postgres", postgresDatabase, pgReason],
];
const DAY = 86_400_000;
const END = Date.parse("2026-06-30T21:00:00Z");

for (const [name, makeDb, skipReason] of backends) {
  describe.skipIf(skipReason !== null)(`overview totals on ${name}${skipReason ? ` (skipped: ${skipReason})` : ""}`, () => {
    let db: TestDatabase;
    let store: Store;
    beforeAll(async () => {
      db = await makeDb();
      store = await openStore({ url: db.url });
      await generateDemo({
        days: 4, scale: 0.25, endTime: END,
        onRun: async (run) => void (await ingestExecution(store.driver, demoIngestInput(run))),
      });
    }, 120_000);
    afterAll(async () => {
      await store?.close();
      await db?.drop();
    });

    const windows: Array<[string, number, number]> = [["whole range", END - 4 * DAY, END], ["one day", END - 2 * DAY, END - DAY], ["empty", END + DAY, END + 2 * DAY]];
    for (const [label, from, to] of windows) {
      it(`counts and nearest-rank p50/p95 match the rows (${label})`, async () => {
        const rows = await store.prisma.execution.findMany({ where: { startDate: { gte: new Date(from), lt: new Date(to) } }, select: { status: true, durationMs: true } });
        const durations = rows.map((r) => r.durationMs).filter((d): d is number => d !== null).sort((a, b) => a - b);
        const rank = (p: number) => (durations.length ? durations[Math.max(1, Math.ceil((p / 100) * durations.length)) - 1] : null);
        const byStatus: Record<string, number> = {};
        for (const r of rows) byStatus[r.status] = (byStatus[r.status] ?? 0) + 1;

        const totals = await overviewTotals(store, { from, to, bucketMs: DAY });
        expect(totals.byStatus).toEqual(byStatus);
        expect(totals.p50).toBe(rank(50));
        expect(totals.p95).toBe(rank(95));
        if (label !== "empty") expect(durations.length).toBeGreaterThan(10);
      });
    }
  });
}
