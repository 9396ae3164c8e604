// npm run bench:ingest — events per second for importing one 25,000-event history (the AWS
// maximum), on SQLite and on PostgreSQL, next to the raw driver's insert rate for the same rows
// and Prisma's createMany, measured in the same run.
import fs from "node:fs";
import os from "node:os";
import path from "node:path";
import Database from "better-sqlite3";
import pg from "pg";
import { detailsOf, type HistoryEvent } from "@/lib/history/types";
import { ingestExecution, openStore, type Store } from "@/lib/store";
import { mapOfTasksHistory } from "./synthetic";

const EVENTS = Number(process.env.BENCH_EVENTS ?? 25_000);
const RUNS = Number(process.env.BENCH_RUNS ?? 5);
const PG_URL = process.env.STATELENS_TEST_PG_URL ?? "postgresql://postgres@127.0.0.1:5432/test";

const median = (xs: number[]) => [...xs].sort((a, b) => a - b)[Math.floor(xs.length / 2)];
const rate = (n: number, ms: number) => Math.round((n / ms) * 1000).toLocaleString("en-US");

function eventRows(events: HistoryEvent[], executionId: number, ts: (ms: number) => unknown) {
  return events.map((e) => {
    const d = detailsOf(e);
    return [executionId, e.id, e.previousEventId, ts(e.timestamp), e.type, d?.key ?? null, d ? JSON.stringify(d.value) : null];
  });
}

async function timeIngest(store: Store, events: HistoryEvent[], label: string): Promise<number[]> {
  const times: number[] = [];
  for (let r = 0; r < RUNS; r++) {
    const t0 = performance.now();
    const result = await ingestExecution(store.driver, { events, source: "file", execution: { executionArn: `arn:aws:states:us-east-1:1:execution:bench:${label}-${r}` } });
    times.push(performance.now() - t0);
    if (result.outcome !== "created") throw new Error("expected a new execution");
  }
  return times;
}

async function benchSqlite(events: HistoryEvent[]) {
  const dir = fs.mkdtempSync(path.join(os.tmpdir(), "statelens-bench-"));
  try {
    const store = await openStore({ url: `file:${path.join(dir, "bench.db")}` });
    const ours = median(await timeIngest(store, events, "sqlite"));
    // Raw better-sqlite3: one prepared statement, one transaction, the same rows.
    const db = new Database(path.join(dir, "bench.db"));
    db.pragma("journal_mode = WAL");
    db.pragma("synchronous = NORMAL");
    const exec = db.prepare(`INSERT INTO "Execution" ("arn","name","stateMachineId","status","startDate","eventCount") VALUES (?, 'raw', 1, 'SUCCEEDED', 0, 0) RETURNING "id"`);
    const insert = db.prepare(`INSERT INTO "HistoryEvent" ("executionId","eventId","previousEventId","timestamp","type","detailsKey","details") VALUES (?,?,?,?,?,?,?)`);
    const raw: number[] = [];
    for (let r = 0; r < RUNS; r++) {
      const t0 = performance.now();
      db.transaction(() => {
        const { id } = exec.get(`raw-${r}`) as { id: number };
        for (const row of eventRows(events, id, (ms) => ms)) insert.run(...row);
      })();
      raw.push(performance.now() - t0);
    }
    db.close();
    // Prisma createMany for the same rows (the path we avoid).
    const { id: prismaExecId } = await store.prisma.execution.create({ data: { arn: "prisma", name: "prisma", stateMachineId: 1, status: "SUCCEEDED", startDate: new Date(), eventCount: 0 } });
    const t0 = performance.now();
    await store.prisma.historyEvent.createMany({
      data: events.map((e) => {
        const d = detailsOf(e);
        return { executionId: prismaExecId, eventId: e.id, previousEventId: e.previousEventId, timestamp: new Date(e.timestamp), type: e.type, detailsKey: d?.key ?? null, details: d ? JSON.stringify(d.value) : null };
      }),
    });
    const prismaMs = performance.now() - t0;
    await store.close();
    return { ours, raw: median(raw), prismaMs };
  } finally {
    fs.rmSync(dir, { recursive: true, force: true });
  }
}

async function benchPostgres(events: HistoryEvent[]) {
  const dbName = `statelens_bench_${process.pid}`;
  const admin = new pg.Client({ connectionString: PG_URL });
  try {
    await admin.connect();
  } catch (err) {
    return { skipped: `no PostgreSQL at ${PG_URL}: ${(err as Error).message}` };
  }
  await admin.query(`DROP DATABASE IF EXISTS "${dbName}"`);
  await admin.query(`CREATE DATABASE "${dbName}"`);
  const u = new URL(PG_URL);
  u.pathname = `/${dbName}`;
  try {
    const store = await openStore({ url: u.toString() });
    const ours = median(await timeIngest(store, events, "pg"));
    const client = new pg.Client({ connectionString: u.toString() });
    await client.connect();
    const raw: number[] = [];
    for (let r = 0; r < RUNS; r++) {
      const t0 = performance.now();
      await client.query("BEGIN");
      const { rows } = await client.query(`INSERT INTO "Execution" ("arn","name","stateMachineId","status","startDate","eventCount") VALUES ($1, 'raw', 1, 'SUCCEEDED', now(), 0) RETURNING "id"`, [`raw-${r}`]);
      // The raw driver's fastest plain path: unnest() of column arrays in one statement.
      const rowsData = eventRows(events, rows[0].id, (ms) => new Date(ms).toISOString());
      const cols = [0, 1, 2, 3, 4, 5, 6].map((c) => rowsData.map((row) => row[c]));
      await client.query(
        `INSERT INTO "HistoryEvent" ("executionId","eventId","previousEventId","timestamp","type","detailsKey","details")
         SELECT * FROM unnest($1::int[], $2::int[], $3::int[], $4::timestamp[], $5::text[], $6::text[], $7::text[])`,
        cols,
      );
      await client.query("COMMIT");
      raw.push(performance.now() - t0);
    }
    await client.end();
    await store.close();
    return { ours, raw: median(raw) };
  } finally {
    await admin.query(`DROP DATABASE IF EXISTS "${dbName}" WITH (FORCE)`);
    await admin.end();
  }
}

const events = mapOfTasksHistory(EVENTS);
console.log(`history: ${events.length} events, median of ${RUNS} runs each`);
const s = await benchSqlite(events);
console.log(`sqlite   statelens ingest: ${s.ours.toFixed(1)} ms  (${rate(events.length, s.ours)} events/s, history + state visits in one transaction)`);
console.log(`sqlite   raw better-sqlite3: ${s.raw.toFixed(1)} ms  (${rate(events.length, s.raw)} events/s, events only)`);
console.log(`sqlite   prisma createMany:  ${s.prismaMs.toFixed(1)} ms  (${rate(events.length, s.prismaMs)} events/s, events only)`);
const p = await benchPostgres(events);
if ("skipped" in p) console.log(`postgres skipped: ${p.skipped}`);
else {
  console.log(`postgres statelens ingest: ${p.ours.toFixed(1)} ms  (${rate(events.length, p.ours)} events/s, history + state visits in one transaction)`);
  console.log(`postgres raw pg unnest:    ${p.raw.toFixed(1)} ms  (${rate(events.length, p.raw)} events/s, events only)`);
}
