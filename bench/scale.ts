// npm run bench:scale -- --executions N [--explain]
// Generates N executions of the demo workflows with the engine, ingests them into SQLite and
// PostgreSQL in batches (`ingestExecutions`, --batch executions per transaction, default 500),
// then times the dashboard's queries (p50/p95 over repeated runs) on each database. Ingest speed
// is events / time spent inside the ingest calls (the engine's time is not counted).
import fs from "node:fs";
import os from "node:os";
import path from "node:path";
import pg from "pg";
import { demoIngestInput, generateDemo } from "@/lib/sources/demo/generate";
import { ingestExecutions, openStore, type IngestInput, type Store } from "@/lib/store";
import { getExecutionDetail } from "@/lib/store/queries/execution";
import { searchExecutions } from "@/lib/store/queries/executions";
import { gridData, stateBucketCounts } from "@/lib/store/queries/heatmaps";
import { machineUsage, executionsOverTime, overviewTotals, topErrors, topFailingStates } from "@/lib/store/queries/overview";
import { transitionsByState, usageByDay } from "@/lib/store/queries/cost";
import { explainQuery } from "./explain";

const argv = process.argv.slice(2);
const arg = (name: string, fallback: string) => {
  const i = argv.indexOf(`--${name}`);
  return i >= 0 ? argv[i + 1] : fallback;
};
const N = Number(arg("executions", "10000"));
const REPEAT = Number(arg("repeat", "15"));
// --explain: after the timings, every query's plans (docs/query-plans.md was captured this way).
const EXPLAIN = argv.includes("--explain");
const plans: string[] = [];
let explaining: Store | null = null;
const BATCH = Number(arg("batch", "500"));
const PG_URL = process.env.STATELENS_TEST_PG_URL ?? "postgresql://postgres@127.0.0.1:5432/test";
const DAYS = 30;
const END = Date.parse("2026-06-30T23:59:00Z");

const pct = (xs: number[], p: number) => [...xs].sort((a, b) => a - b)[Math.min(xs.length - 1, Math.floor((p / 100) * xs.length))];

async function timeQuery(name: string, db: string, fn: () => Promise<unknown>) {
  await fn(); // warm
  const times: number[] = [];
  for (let i = 0; i < REPEAT; i++) {
    const t0 = performance.now();
    await fn();
    times.push(performance.now() - t0);
  }
  console.log(`${name.padEnd(34)} ${db.padEnd(8)} p50 ${pct(times, 50).toFixed(1)} ms  p95 ${pct(times, 95).toFixed(1)} ms`);
  if (EXPLAIN && explaining) plans.push(`${await explainQuery(explaining.driver, name, fn)}\nmeasured: p50 ${pct(times, 50).toFixed(1)} ms, p95 ${pct(times, 95).toFixed(1)} ms\n`);
}

async function queries(store: Store, db: string) {
  explaining = store;
  const range = { from: END - DAYS * 86_400_000, to: END };
  const hourly = { ...range, bucketMs: 3_600_000 * 6 };
  const one = await searchExecutions(store, { status: ["FAILED"], pageSize: 1 });
  const anyId = one.rows[0]?.id ?? 1;
  await timeQuery("overview: executions over time", db, () => executionsOverTime(store, hourly));
  await timeQuery("overview: totals + percentiles", db, () => overviewTotals(store, hourly));
  await timeQuery("overview: top failing states", db, () => topFailingStates(store, hourly));
  await timeQuery("overview: top errors", db, () => topErrors(store, hourly));
  await timeQuery("list: newest page", db, () => searchExecutions(store, { ...range, page: 1, pageSize: 50 }));
  await timeQuery("list: status=FAILED", db, () => searchExecutions(store, { ...range, status: ["FAILED"] }));
  await timeQuery("list: state machine", db, () => searchExecutions(store, { ...range, stateMachine: "order-processing" }));
  await timeQuery("list: error name", db, () => searchExecutions(store, { ...range, error: "OrderRejected" }));
  await timeQuery("list: cause text", db, () => searchExecutions(store, { ...range, cause: "declined" }));
  await timeQuery("list: failed state", db, () => searchExecutions(store, { ...range, failedState: "Check inventory" }));
  await timeQuery("list: page 40, sort by duration", db, () => searchExecutions(store, { ...range, page: 40, sort: "durationMs", dir: "desc" }));
  await timeQuery("search: input $.orderId = value", db, () => searchExecutions(store, { ...range, q: '$.orderId = "A-10042"' }));
  await timeQuery("search: free text", db, () => searchExecutions(store, { ...range, q: "SKU-GRN-3" }));
  await timeQuery("heatmap: states x time", db, () => stateBucketCounts(store, { ...range, bucketMs: 86_400_000 }));
  await timeQuery("heatmap: executions x states grid", db, () => gridData(store, { stateMachine: "order-processing", ...range, limit: 50 }));
  await timeQuery("cost: transitions by state", db, () => transitionsByState(store, range));
  await timeQuery("cost: usage by day", db, () => usageByDay(store, range));
  await timeQuery("state machines: usage", db, () => machineUsage(store, range));
  await timeQuery("execution page: detail", db, () => getExecutionDetail(store, anyId));
}

async function main() {
  const dir = fs.mkdtempSync(path.join(os.tmpdir(), "statelens-scale-"));
  const sqlite = await openStore({ url: `file:${path.join(dir, "scale.db")}` });
  let pgStore: Store | null = null;
  const dbName = `statelens_scale_${process.pid}`;
  const admin = new pg.Client({ connectionString: PG_URL });
  try {
    await admin.connect();
    await admin.query(`CREATE DATABASE "${dbName}"`);
    const u = new URL(PG_URL);
    u.pathname = `/${dbName}`;
    pgStore = await openStore({ url: u.toString() });
  } catch (err) {
    console.log(`postgres skipped: ${(err as Error).message}`);
  }
  const ingestMs = { sqlite: 0, postgres: 0 };
  let events = 0;
  let batch: IngestInput[] = [];
  const flush = async () => {
    const inputs = batch;
    batch = [];
    if (!inputs.length) return;
    let s = performance.now();
    await ingestExecutions(sqlite.driver, inputs);
    ingestMs.sqlite += performance.now() - s;
    if (pgStore) {
      s = performance.now();
      await ingestExecutions(pgStore.driver, inputs);
      ingestMs.postgres += performance.now() - s;
    }
  };
  const t0 = performance.now();
  const result = await generateDemo({
    days: DAYS,
    endTime: END,
    scale: N / 2400,
    onRun: async (run) => {
      const input = demoIngestInput(run);
      events += input.events.length;
      batch.push(input);
      if (batch.length >= BATCH) await flush();
    },
  });
  await flush();
  console.log(`generated ${result.executions} executions, ${events} events in ${((performance.now() - t0) / 1000).toFixed(1)} s (engine + both ingests)`);
  console.log(`ingest sqlite   ${Math.round(events / (ingestMs.sqlite / 1000)).toLocaleString("en-US")} events/s (batches of ${BATCH} executions, ${(ingestMs.sqlite / 1000).toFixed(1)} s)`);
  if (pgStore) console.log(`ingest postgres ${Math.round(events / (ingestMs.postgres / 1000)).toLocaleString("en-US")} events/s (batches of ${BATCH} executions, ${(ingestMs.postgres / 1000).toFixed(1)} s)`);
  if (pgStore) {
    const parts = await pgStore.driver.all<{ name: string; rows: number }>(
      `SELECT c."relname" AS "name", COUNT(*)::int AS "rows" FROM "HistoryEvent" h JOIN "pg_class" c ON c."oid" = h."tableoid" GROUP BY 1 ORDER BY 1`,
    );
    console.log(`postgres HistoryEvent partitions: ${parts.map((p) => `${p.name} ${p.rows.toLocaleString("en-US")}`).join(", ")}`);
  }
  if (pgStore) await pgStore.driver.exec("ANALYZE");
  await sqlite.driver.exec("ANALYZE");
  await queries(sqlite, "sqlite");
  if (pgStore) await queries(pgStore, "postgres");
  if (EXPLAIN) console.log(`\n## Query plans at ${result.executions} executions\n\n${plans.join("\n")}`);
  await sqlite.close();
  fs.rmSync(dir, { recursive: true, force: true });
  if (pgStore) {
    await pgStore.close();
    await admin.query(`DROP DATABASE IF EXISTS "${dbName}" WITH (FORCE)`);
  }
  await admin.end().catch(() => undefined);
}

await main();
