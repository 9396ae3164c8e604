// Reads under write load on SQLite (WAL, busy timeout): 20 clients read every page and GET API
// route of a `next start` while `bin/statelens import` writes new executions. No request may fail;
// read latency idle and under load is printed and written to artifacts/security/load-latency.json.
import { spawn } from "node:child_process";
import fs from "node:fs";
import os from "node:os";
import path from "node:path";
import Database from "better-sqlite3";
import { afterAll, beforeAll, expect, test } from "vitest";
import { importDocuments, ROOT } from "../../e2e/server";
import { demoDocuments, type DemoDocument } from "../../fixtures/demo-histories";
import { appRoutes } from "../security/routes";
import { type RunningServer, startServer } from "../security/server";

const CLIENTS = 20;
const PHASE_MS = 12_000;

let dir: string;
let dbFile: string;
let server: RunningServer;
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

/** The same histories under new names, so importing them writes new executions. */
function renamed(docs: DemoDocument[], suffix: string): DemoDocument[] {
  return docs.map((d) => {
    const execution = { ...d.document.execution, executionArn: `${String(d.document.execution.executionArn)}-${suffix}`, name: `${String(d.document.execution.name)}-${suffix}` };
    return { file: d.file.replace(/\.json$/, `-${suffix}.json`), document: { ...d.document, execution } };
  });
}

beforeAll(async () => {
  dir = fs.mkdtempSync(path.join(os.tmpdir(), "statelens-load-"));
  dbFile = importDocuments(demoDocuments({ orders: 150, nightly: 20, thumbnails: 60, days: 14 }), dir);
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
  fs.rmSync(dir, { recursive: true, force: true });
});

async function readFor(ms: number, clients = CLIENTS): Promise<Sample[]> {
  const samples: Sample[] = [];
  const end = Date.now() + ms;
  await Promise.all(Array.from({ length: clients }, async (_, c) => {
    for (let k = c; Date.now() < end; k++) {
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

const quantile = (xs: number[], q: number) => {
  const s = [...xs].sort((a, b) => a - b);
  return Math.round(s[Math.min(s.length - 1, Math.floor(q * s.length))] ?? 0);
};
const summary = (samples: Sample[]) => ({ requests: samples.length, p50: quantile(samples.map((s) => s.ms), 0.5), p95: quantile(samples.map((s) => s.ms), 0.95), max: quantile(samples.map((s) => s.ms), 1) });

test(`${CLIENTS} clients read every page and API route while an import writes; no request fails`, async () => {
  const single = await readFor(4000, 1);
  const idle = await readFor(PHASE_MS);
  const before = executionCount();

  // Writers: the CLI importing batches of renamed histories, one after another, for the whole phase.
  const base = demoDocuments({ orders: 80, nightly: 10, thumbnails: 40, days: 14, seed: 5 });
  let stop = false;
  let batches = 0;
  const writer = (async () => {
    while (!stop) {
      const batchDir = path.join(dir, `batch-${batches}`);
      fs.mkdirSync(batchDir);
      const files = renamed(base, `load${batches}`).map((d) => {
        const p = path.join(batchDir, d.file);
        fs.writeFileSync(p, JSON.stringify(d.document));
        return p;
      });
      const code = await new Promise<number | null>((resolve) => {
        const child = spawn(process.execPath, [path.join(ROOT, "bin", "statelens"), "import", "--quiet", ...files], { cwd: ROOT, env: { ...process.env, DATABASE_URL: `file:${dbFile}` }, stdio: "ignore" });
        child.on("exit", resolve);
      });
      expect(code).toBe(0);
      batches++;
    }
  })();
  const loaded = await readFor(PHASE_MS);
  stop = true;
  await writer;
  const written = executionCount() - before;

  const idleByUrl = new Map(idle.map((s) => [s.url, s.status]));
  const failed = [...single, ...idle, ...loaded].filter((s) => s.status === 0 || s.status >= 500 || s.status !== idleByUrl.get(s.url));
  const report = { clients: CLIENTS, phaseMs: PHASE_MS, urls, oneClientIdle: summary(single), idle: summary(idle), underLoad: summary(loaded), executionsWrittenDuringLoad: written, importBatches: batches };
  fs.mkdirSync(path.join(ROOT, "artifacts", "security"), { recursive: true });
  fs.writeFileSync(path.join(ROOT, "artifacts", "security", "load-latency.json"), JSON.stringify(report, null, 2));
  process.stdout.write(`[load] one client idle ${JSON.stringify(report.oneClientIdle)}; ${CLIENTS} clients idle ${JSON.stringify(report.idle)}; under load ${JSON.stringify(report.underLoad)}; ${written} executions written in ${batches} import batches\n`);

  expect(failed.slice(0, 5), `${failed.length} failed requests`).toEqual([]);
  expect(written).toBeGreaterThan(0);
  expect(idle.every((s) => s.status === 200), [...new Set(idle.filter((s) => s.status !== 200).map((s) => `${s.status} ${s.url}`))].join(", ")).toBe(true);
}, 600_000);
