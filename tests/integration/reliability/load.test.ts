// Reads under write load on SQLite: 20 clients read every page and GET API route of a `next start`
// while a `statelens sync` process writes, pulling a few hundred executions (several state
// machines, a Distributed Map) from a local Step Functions endpoint that answers slowly enough for
// the sync to write during the whole read phase. No request may fail; the sync must write every
// execution and exit 0; the database is in WAL mode and the store's connections (the sync's
// writer and the server's readers) wait on a busy database instead of failing. Read latency idle
// and under load is printed and written to artifacts/security/load-latency.json (speed targets
// are measured by `npm run bench:load`, not asserted here).
import fs from "node:fs";
import os from "node:os";
import path from "node:path";
import Database from "better-sqlite3";
import type { SFNClient } from "@aws-sdk/client-sfn";
import { afterAll, beforeAll, expect, test } from "vitest";
import { type AwsEndpoint, startAwsEndpoint } from "@/lib/server-aws/server";
import { openStore } from "@/lib/store";
import { importDocuments, ROOT } from "../../e2e/server";
import { demoDocuments } from "../../fixtures/demo-histories";
import { bundleCli, runSync } from "../aws/cli-process";
import { sfnClient, TEST_CREDENTIALS } from "../aws/helpers";
import { appRoutes } from "../security/routes";
import { type RunningServer, startServer } from "../security/server";
import { partialExecutions, startWorkload, storedExecutions } from "./sync-workload";

const CLIENTS = 20;
const IDLE_MS = 10_000;
/** 120 + 60 + 80 + 2 Distributed Maps of 40 items (82 executions): 342 executions. */
const WORKLOAD = { short: 120, long: 60, flow: 80, fans: 2, fanItems: 40 };
/**
 * Each history answered this late, two requests in flight: the sync takes at least
 * 342 x 60 / 2 ms (about 10 s) whatever the machine's speed, writing all along.
 */
const SLOW_MS = 60;
/** A sync still running after this long is stopped (SIGTERM), which it must do cleanly. */
const MAX_SYNC_MS = 240_000;

let dir: string;
let dbFile: string;
let server: RunningServer;
let endpoint: AwsEndpoint;
let admin: SFNClient;
let bundle: string;
let total: number;
let urls: string[];

interface Sample {
  url: string;
  status: number;
  ms: number;
  error?: string;
}

const executionCount = () => {
  const db = new Database(dbFile, { readonly: true });
  try {
    return (db.prepare(`SELECT COUNT(*) AS n FROM "Execution"`).get() as { n: number }).n;
  } finally {
    db.close();
  }
};

beforeAll(async () => {
  dir = fs.mkdtempSync(path.join(os.tmpdir(), "statelens-load-"));
  // The dashboard's content before the sync adds to it.
  dbFile = importDocuments(demoDocuments({ orders: 150, nightly: 20, thumbnails: 60, days: 14 }), dir);
  [endpoint, bundle] = await Promise.all([startAwsEndpoint(), bundleCli()]);
  admin = sfnClient(endpoint.url);
  total = (await startWorkload(admin, WORKLOAD)).executions;
  server = await startServer(dbFile);
  const db = new Database(dbFile, { readonly: true });
  const id = (db.prepare(`SELECT MAX("id") AS id FROM "Execution" WHERE "status" = 'FAILED'`).get() as { id: number }).id;
  db.close();
  urls = appRoutes((p) => (/id$/i.test(p) ? String(id) : "orders"))
    .filter((r) => r.methods.includes("GET") && !r.path.startsWith("/login"))
    .map((r) => r.path);
}, 900_000);
afterAll(async () => {
  await server?.stop();
  admin?.destroy();
  await endpoint?.close();
  if (bundle) fs.rmSync(bundle, { force: true });
  if (dir) fs.rmSync(dir, { recursive: true, force: true });
});

/** CLIENTS clients reading the URLs round-robin until `until` says stop. */
async function readWhile(until: () => boolean, clients = CLIENTS): Promise<Sample[]> {
  const samples: Sample[] = [];
  await Promise.all(Array.from({ length: clients }, async (_, c) => {
    for (let k = c; !until(); k++) {
      const url = urls[k % urls.length];
      const t = performance.now();
      try {
        const res = await fetch(server.url + url, { signal: AbortSignal.timeout(60_000) });
        await res.arrayBuffer();
        samples.push({ url, status: res.status, ms: performance.now() - t });
      } catch (err) {
        samples.push({ url, status: 0, ms: performance.now() - t, error: (err as Error).message });
      }
    }
  }));
  return samples;
}
const readFor = (ms: number, clients = CLIENTS) => {
  const end = Date.now() + ms;
  return readWhile(() => Date.now() >= end, clients);
};

const quantile = (xs: number[], q: number) => {
  const s = [...xs].sort((a, b) => a - b);
  return Math.round(s[Math.min(s.length - 1, Math.floor(q * s.length))] ?? 0);
};
const summary = (samples: Sample[]) => ({ requests: samples.length, p50: quantile(samples.map((s) => s.ms), 0.5), p95: quantile(samples.map((s) => s.ms), 0.95), max: quantile(samples.map((s) => s.ms), 1) });

test(`${CLIENTS} clients read every page and API route while statelens sync writes; no request fails`, async () => {
  const single = await readFor(4000, 1);
  const idle = await readFor(IDLE_MS);
  const before = executionCount();

  // The writer: `statelens sync` as its own process, like a user runs it next to the dashboard.
  endpoint.faults.configure({ slow: 1, slowMs: SLOW_MS, operations: ["GetExecutionHistory"] });
  const t0 = Date.now();
  const sync = runSync(bundle, ["--concurrency", "2", "-q"], {
    AWS_ACCESS_KEY_ID: TEST_CREDENTIALS.accessKeyId, AWS_SECRET_ACCESS_KEY: TEST_CREDENTIALS.secretAccessKey, AWS_REGION: "us-east-1", AWS_ENDPOINT_URL: endpoint.url, DATABASE_URL: `file:${dbFile}`,
  });
  let syncEnded = false;
  let stopped = false;
  const result = sync.done.then((r) => {
    syncEnded = true;
    return r;
  });
  const stopTimer = setTimeout(() => {
    stopped = true;
    sync.child.kill("SIGTERM");
  }, MAX_SYNC_MS);
  // Executions stored so far, sampled while the clients read: the sync writes throughout.
  const progress: number[] = [];
  const sampler = setInterval(() => progress.push(executionCount()), 1000);
  // The read phase lasts as long as the sync runs.
  const loaded = await readWhile(() => syncEnded);
  const { code, signal, stdout, stderr } = await result;
  clearTimeout(stopTimer);
  clearInterval(sampler);
  endpoint.faults.configure({});
  const syncMs = Date.now() - t0;
  const written = executionCount() - before;

  const idleByUrl = new Map(idle.map((s) => [s.url, s.status]));
  const failed = [...single, ...idle, ...loaded].filter((s) => s.status === 0 || s.status >= 500 || s.status !== idleByUrl.get(s.url));
  const report = {
    clients: CLIENTS, idleMs: IDLE_MS, syncMs, urls, oneClientIdle: summary(single), idle: summary(idle), underLoad: summary(loaded),
    executionsWrittenDuringLoad: written, executionsStoredEachSecond: progress, syncSummary: stdout.trim(),
  };
  fs.mkdirSync(path.join(ROOT, "artifacts", "security"), { recursive: true });
  fs.writeFileSync(path.join(ROOT, "artifacts", "security", "load-latency.json"), JSON.stringify(report, null, 2));
  process.stdout.write(`[load] one client idle ${JSON.stringify(report.oneClientIdle)}; ${CLIENTS} clients idle ${JSON.stringify(report.idle)}; under load ${JSON.stringify(report.underLoad)}; ${written} executions written by statelens sync in ${syncMs} ms\n`);

  expect(failed.slice(0, 5), `${failed.length} failed requests`).toEqual([]);
  expect(idle.every((s) => s.status === 200), [...new Set(idle.filter((s) => s.status !== 200).map((s) => `${s.status} ${s.url}`))].join(", ")).toBe(true);
  // Every URL was read while the sync wrote.
  expect(new Set(loaded.map((s) => s.url))).toEqual(new Set(urls));
  // The sync wrote during the read phase and finished its work (or, stopped at the deadline, exited cleanly).
  if (stopped) {
    expect({ code, signal }, stderr).toEqual({ code: 130, signal: null });
    expect(written).toBeGreaterThan(0);
  } else {
    expect({ code, signal }, stderr).toEqual({ code: 0, signal: null });
    expect(written).toBe(total);
    expect(stdout).toContain(`: ${total} new,`);
  }
  expect(progress.some((n) => n > before && n < before + written), `stored each second: ${progress.join(",")}`).toBe(true);
  const stored = await storedExecutions(`file:${dbFile}`);
  expect(stored.integrity).toBe("ok");
  expect(partialExecutions(stored.executions)).toEqual([]);
}, 900_000);

test("the SQLite database is in WAL mode and the store's connections wait on a busy database", async () => {
  // The mode is a property of the database file: any connection sees it.
  const raw = new Database(dbFile, { readonly: true });
  try {
    expect(raw.pragma("journal_mode", { simple: true })).toBe("wal");
  } finally {
    raw.close();
  }
  // The connections the store opens: the raw driver (the sync's and import's writes) and Prisma's
  // (most page reads), both as the server and the CLI open them.
  const store = await openStore({ url: `file:${dbFile}`, migrate: false });
  try {
    const [driverTimeout] = await store.driver.all<{ timeout: number }>("PRAGMA busy_timeout");
    expect(Number(driverTimeout.timeout)).toBeGreaterThanOrEqual(5000);
    const [driverMode] = await store.driver.all<{ journal_mode: string }>("PRAGMA journal_mode");
    expect(driverMode.journal_mode).toBe("wal");
    const [prismaTimeout] = await store.prisma.$queryRawUnsafe<Array<{ timeout: number | bigint }>>("PRAGMA busy_timeout");
    expect(Number(prismaTimeout.timeout)).toBeGreaterThanOrEqual(5000);
    const [prismaMode] = await store.prisma.$queryRawUnsafe<Array<{ journal_mode: string }>>("PRAGMA journal_mode");
    expect(prismaMode.journal_mode).toBe("wal");
  } finally {
    await store.close();
  }
});
