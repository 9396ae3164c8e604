// npm run bench:load — dashboard read latency while `statelens sync` writes, on SQLite. A
// production server (`next start`, built like bench:ui) over a database with the demo dashboard's
// data; BENCH_CLIENTS (20) clients read every page and GET API route round-robin. First idle for
// BENCH_IDLE_MS (15 s), then while `bin/statelens sync` pulls BENCH_EXECUTIONS-ish executions
// (several state machines, two Distributed Maps) from a local endpoint whose GetExecutionHistory
// answers after BENCH_SLOW_MS (60 ms), so the sync writes during the whole phase. Prints p50/p95
// idle and under load per route, per group (pages, API) and overall, and the ratio; the target is
// p95 under load <= 3x idle p95.
import { spawn } from "node:child_process";
import fs from "node:fs";
import os from "node:os";
import path from "node:path";
import Database from "better-sqlite3";
import { startAwsEndpoint } from "@/lib/server-aws/server";
import { demoDocuments } from "../tests/fixtures/demo-histories";
import { ensureBuild, importDocuments, ROOT, startNext } from "../tests/e2e/server";
import { sfnClient } from "../tests/integration/aws/helpers";
import { appRoutes } from "../tests/integration/security/routes";
import { startWorkload } from "../tests/integration/reliability/sync-workload";

const CLIENTS = Number(process.env.BENCH_CLIENTS ?? 20);
const IDLE_MS = Number(process.env.BENCH_IDLE_MS ?? 15_000);
const SLOW_MS = Number(process.env.BENCH_SLOW_MS ?? 60);
const SCALE = Number(process.env.BENCH_EXECUTIONS ?? 500) / 500;
const WORKLOAD = { short: Math.round(160 * SCALE), long: Math.round(100 * SCALE), flow: Math.round(120 * SCALE), fans: 2, fanItems: Math.round(60 * SCALE) };
const TARGET = 3;

const log = (s: string) => process.stdout.write(`${s}\n`);

interface Sample {
  route: string;
  group: "page" | "api";
  status: number;
  ms: number;
}

const quantile = (xs: number[], q: number) => {
  const s = [...xs].sort((a, b) => a - b);
  return s[Math.min(s.length - 1, Math.floor(q * s.length))] ?? NaN;
};

async function main() {
  const dir = fs.mkdtempSync(path.join(os.tmpdir(), "statelens-bench-load-"));
  const dbFile = importDocuments(demoDocuments({ orders: 300, nightly: 30, thumbnails: 120, days: 30 }), dir);
  ensureBuild(log);
  const endpoint = await startAwsEndpoint();
  const admin = sfnClient(endpoint.url);
  const { executions: total } = await startWorkload(admin, WORKLOAD);
  log(`endpoint: ${total} executions to sync (${JSON.stringify(WORKLOAD)}), GetExecutionHistory answered after ${SLOW_MS} ms`);
  const { url, child: next } = await startNext(dbFile);
  const db = new Database(dbFile, { readonly: true });
  const id = (db.prepare(`SELECT MAX("id") AS id FROM "Execution" WHERE "status" = 'FAILED'`).get() as { id: number }).id;
  const count = () => (db.prepare(`SELECT COUNT(*) AS n FROM "Execution"`).get() as { n: number }).n;
  const before = count();
  const routes = appRoutes((p) => (/id$/i.test(p) ? String(id) : "orders"))
    .filter((r) => r.methods.includes("GET") && !r.path.startsWith("/login"))
    .map((r) => ({ label: r.file.replace(/^app\//, "").replace(/\/?(page|route)\.tsx?$/, "") || "/", path: r.path, group: r.path.startsWith("/api/") ? ("api" as const) : ("page" as const) }));
  log(`server: ${url}, ${before} executions stored, ${routes.length} routes, ${CLIENTS} clients`);

  async function readWhile(until: () => boolean, clients = CLIENTS): Promise<Sample[]> {
    const samples: Sample[] = [];
    await Promise.all(Array.from({ length: clients }, async (_, c) => {
      for (let k = c; !until(); k++) {
        const r = routes[k % routes.length];
        const t = performance.now();
        let status = 0;
        try {
          const res = await fetch(url + r.path, { signal: AbortSignal.timeout(60_000) });
          await res.arrayBuffer();
          status = res.status;
        } catch {
          // status 0
        }
        samples.push({ route: r.label, group: r.group, status, ms: performance.now() - t });
      }
    }));
    return samples;
  }

  try {
    // Warm-up: every route served a few times (first renders, JIT, caches).
    let warm = 0;
    await readWhile(() => warm++ >= routes.length * 3, 4);
    const idleEnd = Date.now() + IDLE_MS;
    const idle = await readWhile(() => Date.now() >= idleEnd);

    endpoint.faults.configure({ slow: 1, slowMs: SLOW_MS, operations: ["GetExecutionHistory"] });
    const t0 = Date.now();
    const sync = spawn(process.execPath, [path.join(ROOT, "bin", "statelens"), "sync", "--endpoint-url", endpoint.url, "--concurrency", "2", "-q"], {
      cwd: ROOT, env: { ...process.env, AWS_ACCESS_KEY_ID: "bench", AWS_SECRET_ACCESS_KEY: "bench", AWS_REGION: "us-east-1", DATABASE_URL: `file:${dbFile}` }, stdio: ["ignore", "pipe", "pipe"],
    });
    let output = "";
    sync.stdout.on("data", (d: Buffer) => (output += d.toString()));
    sync.stderr.on("data", (d: Buffer) => (output += d.toString()));
    let ended = false;
    const exit = new Promise<number | null>((resolve) => sync.on("exit", (code) => {
      ended = true;
      resolve(code);
    }));
    const loaded = await readWhile(() => ended);
    const code = await exit;
    const syncMs = Date.now() - t0;
    const written = count() - before;
    endpoint.faults.configure({});
    log(`sync: exit ${code}, ${written} executions written in ${(syncMs / 1000).toFixed(1)} s (${Math.round((written / syncMs) * 1000)}/s): ${output.trim().split("\n").pop()}`);

    const failed = [...idle, ...loaded].filter((s) => s.status === 0 || s.status >= 500);
    if (failed.length) log(`FAILED requests: ${failed.length} (${[...new Set(failed.map((s) => `${s.status} ${s.route}`))].slice(0, 5).join(", ")})`);

    const row = (label: string, pick: (s: Sample) => boolean) => {
      const a = idle.filter(pick).map((s) => s.ms);
      const b = loaded.filter(pick).map((s) => s.ms);
      const ratio = quantile(b, 0.95) / quantile(a, 0.95);
      const f = (n: number) => n.toFixed(0).padStart(6);
      log(`${label.padEnd(30)} ${String(a.length).padStart(5)} ${f(quantile(a, 0.5))} ${f(quantile(a, 0.95))} | ${String(b.length).padStart(5)} ${f(quantile(b, 0.5))} ${f(quantile(b, 0.95))} | ${ratio.toFixed(2).padStart(5)}x`);
      return { idleP95: quantile(a, 0.95), loadP95: quantile(b, 0.95), ratio };
    };
    log("");
    log(`${"route".padEnd(30)} ${"idle: n".padStart(5)}    p50    p95 | load: n    p50    p95 | p95 ratio (ms)`);
    for (const r of routes) row(r.label, (s) => s.route === r.label);
    log("");
    row("group: pages", (s) => s.group === "page");
    row("group: API routes", (s) => s.group === "api");
    const all = row("overall", () => true);
    log("");
    log(`reads under sync load: p95 ${all.loadP95.toFixed(0)} ms vs idle ${all.idleP95.toFixed(0)} ms = ${all.ratio.toFixed(2)}x (target <= ${TARGET}x)`);
    if (code !== 0 || failed.length) process.exitCode = 1;
  } finally {
    db.close();
    next.kill("SIGTERM");
    admin.destroy();
    await endpoint.close();
    fs.rmSync(dir, { recursive: true, force: true });
  }
}

main().catch((err: unknown) => {
  process.stderr.write(`${err instanceof Error ? err.stack : String(err)}\n`);
  process.exit(1);
});
