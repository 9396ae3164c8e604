// Every page over data the local engine generated (`statelens demo-data`), not hand-made
// fixtures: no page may fail, log a browser error, or show its error boundary.
import { execFileSync, type ChildProcess } from "node:child_process";
import fs from "node:fs";
import os from "node:os";
import path from "node:path";
import Database from "better-sqlite3";
import type { Browser } from "playwright-core";
import { afterAll, beforeAll, expect, test } from "vitest";
import { ensureBuild, launchChromium, ROOT, startNext } from "./server";

let dir: string;
let url: string;
let child: ChildProcess;
let browser: Browser;
let dbFile: string;

beforeAll(async () => {
  dir = fs.mkdtempSync(path.join(os.tmpdir(), "statelens-e2e-engine-"));
  dbFile = path.join(dir, "engine.db");
  execFileSync(process.execPath, [path.join(ROOT, "bin", "statelens"), "demo-data", "--days", "5", "--scale", "0.4"], { cwd: ROOT, env: { ...process.env, DATABASE_URL: `file:${dbFile}` }, stdio: "pipe" });
  ensureBuild();
  ({ url, child } = await startNext(dbFile));
  browser = await launchChromium();
}, 900_000);

afterAll(async () => {
  await browser?.close().catch(() => undefined);
  child?.kill("SIGTERM");
  if (dir) fs.rmSync(dir, { recursive: true, force: true });
});

test("every page renders engine-generated executions without errors", async () => {
  const db = new Database(dbFile, { readonly: true });
  const machines = (db.prepare(`SELECT "name" FROM "StateMachine"`).all() as Array<{ name: string }>).map((m) => m.name);
  const executions = db.prepare(`SELECT "id" FROM "Execution" ORDER BY CASE WHEN "status" = 'SUCCEEDED' THEN 1 ELSE 0 END, "eventCount" DESC LIMIT 6`).all() as Array<{ id: number }>;
  db.close();
  expect(executions.length).toBeGreaterThan(0);
  const pages = [
    "/?range=7d", "/executions?range=7d", "/state-machines?range=7d", "/incidents?range=7d", "/heatmaps?range=7d", "/heatmaps?range=7d&metric=retries", "/cost?range=7d", "/upload",
    ...machines.map((m) => `/state-machines/${encodeURIComponent(m)}?range=7d`),
    ...executions.flatMap((e) => ["", "?tab=graph", "?tab=events", "?tab=io", "?tab=cost", "?tab=definition"].map((q) => `/executions/${e.id}${q}`)),
    `/compare?b=${executions[0].id}`,
  ];
  const page = await browser.newPage({ viewport: { width: 1440, height: 900 } });
  const problems: string[] = [];
  page.on("pageerror", (e) => problems.push(`${page.url()}: ${e.message}`));
  page.on("console", (m) => {
    if (m.type() === "error" && !/favicon/.test(m.location().url)) problems.push(`${page.url()}: console: ${m.text()}`);
  });
  for (const p of pages) {
    const res = await page.goto(`${url}${p}`, { waitUntil: "networkidle" });
    expect(res?.status(), p).toBe(200);
    expect(await page.textContent("main"), p).not.toContain("This page could not be shown");
  }
  await page.goto(`${url}/executions/${executions[0].id}`, { waitUntil: "networkidle" });
  await page.screenshot({ path: path.join(ROOT, "artifacts", "screenshots", "engine-execution.png"), fullPage: true });
  expect(problems).toEqual([]);
}, 300_000);
