// npm run bench:sync — executions and events per second for `statelens sync` against the local
// endpoint (the real SDK over HTTP on 127.0.0.1), into SQLite and into PostgreSQL, plus the time
// of a second, incremental sync that finds nothing new.
import fs from "node:fs";
import os from "node:os";
import path from "node:path";
import pg from "pg";
import { createSfnClient } from "@/lib/sources/aws/client";
import { storeCursors } from "@/lib/sources/aws/cursor-store";
import { storeSink } from "@/lib/sources/aws/sink";
import { syncAws } from "@/lib/sources/aws/sync";
import { startAwsEndpoint } from "@/lib/server-aws/server";
import { openStore } from "@/lib/store";
import { mapOfTasksHistory } from "./synthetic";

const EXECUTIONS = Number(process.env.BENCH_EXECUTIONS ?? 1000);
const EVENTS = Number(process.env.BENCH_EVENTS ?? 100);
const CONCURRENCY = Number(process.env.BENCH_CONCURRENCY ?? 8);
const PG_URL = process.env.STATELENS_TEST_PG_URL ?? "postgresql://postgres@127.0.0.1:5432/test";
const DEFINITION = JSON.stringify({ StartAt: "P", States: { P: { Type: "Pass", End: true } } });

process.env.AWS_ACCESS_KEY_ID ??= "bench";
process.env.AWS_SECRET_ACCESS_KEY ??= "bench";

const rate = (n: number, ms: number) => Math.round((n / ms) * 1000).toLocaleString("en-US");

async function run(label: string, url: string, endpointUrl: string): Promise<void> {
  const store = await openStore({ url });
  const client = createSfnClient({ endpoint: endpointUrl, region: "us-east-1" });
  try {
    const t0 = performance.now();
    const report = await syncAws({ client, sink: storeSink(store), cursors: storeCursors(store), endpointKey: endpointUrl, concurrency: CONCURRENCY });
    const ms = performance.now() - t0;
    if (report.failures.length || report.created !== EXECUTIONS) throw new Error(`${label}: expected ${EXECUTIONS} new executions, got ${report.created} (${report.failures.length} failures)`);
    const t1 = performance.now();
    const again = await syncAws({ client, sink: storeSink(store), cursors: storeCursors(store), endpointKey: endpointUrl, concurrency: CONCURRENCY });
    const againMs = performance.now() - t1;
    if (again.fetched !== 0) throw new Error(`${label}: the second sync fetched ${again.fetched}`);
    const calls = Object.values(report.apiCalls).reduce((a, b) => a + b, 0);
    process.stdout.write(
      `${label.padEnd(10)} ${rate(report.created, ms).padStart(8)} executions/s ${rate(report.events, ms).padStart(10)} events/s  ` +
        `(${EXECUTIONS} executions, ${report.events} events in ${(ms / 1000).toFixed(2)} s, ${calls} API calls, ${report.definitionCalls} definition calls; incremental re-sync ${againMs.toFixed(0)} ms)\n`,
    );
  } finally {
    client.destroy();
    await store.close();
  }
}

async function main(): Promise<void> {
  const endpoint = await startAwsEndpoint();
  try {
    await endpoint.sfn.handle("CreateStateMachine", { name: "bench", definition: DEFINITION, roleArn: "arn:aws:iam::123456789012:role/bench" });
    const stateMachineArn = "arn:aws:states:us-east-1:123456789012:stateMachine:bench";
    // Executions start after the state machine was created, as they do on AWS.
    const start = Date.now() + 1000;
    for (let i = 0; i < EXECUTIONS; i++) {
      const events = mapOfTasksHistory(EVENTS, start + i * 60_000);
      const executionArn = `arn:aws:states:us-east-1:123456789012:execution:bench:run-${i}`;
      endpoint.sfn.importExecution({
        stateMachineArn, definition: DEFINITION, events,
        description: { executionArn, stateMachineArn, name: `run-${i}`, status: "SUCCEEDED", startDate: events[0].timestamp, stopDate: events[events.length - 1].timestamp, input: "{}", inputDetails: { included: true } },
      });
    }
    process.stdout.write(`sync from the local endpoint (${endpoint.url}), concurrency ${CONCURRENCY}, ${EXECUTIONS} executions of ~${EVENTS} events\n`);
    const dir = fs.mkdtempSync(path.join(os.tmpdir(), "statelens-bench-sync-"));
    try {
      await run("SQLite", `file:${path.join(dir, "bench.db")}`, endpoint.url);
    } finally {
      fs.rmSync(dir, { recursive: true, force: true });
    }
    const dbName = `statelens_bench_sync_${process.pid}`;
    const admin = new pg.Client({ connectionString: PG_URL, connectionTimeoutMillis: 3000 });
    try {
      await admin.connect();
    } catch (err) {
      process.stdout.write(`PostgreSQL skipped: no server at ${PG_URL} (${(err as Error).message})\n`);
      return;
    }
    try {
      await admin.query(`CREATE DATABASE "${dbName}"`);
      const u = new URL(PG_URL);
      u.pathname = `/${dbName}`;
      await run("PostgreSQL", u.toString(), endpoint.url);
    } finally {
      await admin.query(`DROP DATABASE IF EXISTS "${dbName}" WITH (FORCE)`);
      await admin.end();
    }
  } finally {
    await endpoint.close();
  }
}

await main();
