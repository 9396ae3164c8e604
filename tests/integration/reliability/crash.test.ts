// Crash safety: `bin/statelens import` of many files killed with SIGKILL at random points, again
// and again, into one SQLite database. After every kill the database passes integrity_check and
// holds no partial execution (each Execution row has exactly eventCount events and the state
// visits of a complete import); re-running the import finishes the work.
import { execFileSync, spawn } from "node:child_process";
import fs from "node:fs";
import os from "node:os";
import path from "node:path";
import Database from "better-sqlite3";
import { afterAll, beforeAll, expect, test } from "vitest";
import { ROOT } from "../../e2e/server";
import { demoDocuments } from "../../fixtures/demo-histories";
import { seededRandom } from "@/lib/sources/demo/generate";

const KILLS = 24;
const CLI = path.join(ROOT, "bin", "statelens");

let dir: string;
let files: string[];
/** executionArn -> [eventCount, events, visits] from an import that was never interrupted. */
let reference: Map<string, [number, number, number]>;
let fullImportMs: number;

function snapshot(dbFile: string): Map<string, [number, number, number]> {
  const db = new Database(dbFile);
  try {
    const rows = db.prepare(`SELECT e."arn" AS arn, e."eventCount" AS eventCount,
        (SELECT COUNT(*) FROM "HistoryEvent" h WHERE h."executionId" = e."id") AS events,
        (SELECT COUNT(*) FROM "StateVisit" v WHERE v."executionId" = e."id") AS visits
      FROM "Execution" e`).all() as Array<{ arn: string; eventCount: number; events: number; visits: number }>;
    return new Map(rows.map((r) => [r.arn, [r.eventCount, r.events, r.visits]]));
  } finally {
    db.close();
  }
}

function integrity(dbFile: string): string {
  const db = new Database(dbFile);
  try {
    return (db.pragma("integrity_check") as Array<{ integrity_check: string }>).map((r) => r.integrity_check).join("; ");
  } finally {
    db.close();
  }
}

function importAll(dbFile: string): void {
  execFileSync(process.execPath, [CLI, "import", "--quiet", ...files], { cwd: ROOT, env: { ...process.env, DATABASE_URL: `file:${dbFile}` }, stdio: "pipe", maxBuffer: 16 * 1024 * 1024 });
}

beforeAll(() => {
  dir = fs.mkdtempSync(path.join(os.tmpdir(), "statelens-crash-"));
  const docs = demoDocuments({ orders: 220, nightly: 40, thumbnails: 120, days: 10, seed: 11 });
  fs.mkdirSync(path.join(dir, "h"));
  files = docs.map((d) => {
    const p = path.join(dir, "h", d.file);
    fs.writeFileSync(p, JSON.stringify(d.document));
    return p;
  });
  const t = performance.now();
  importAll(path.join(dir, "reference.db"));
  fullImportMs = performance.now() - t;
  reference = snapshot(path.join(dir, "reference.db"));
}, 300_000);
afterAll(() => fs.rmSync(dir, { recursive: true, force: true }));

test(`an import killed with SIGKILL at ${KILLS} random points leaves no partial execution, and a re-run completes it`, async () => {
  const seed = Number(process.env.STATELENS_CRASH_SEED ?? Date.now() % 100_000);
  const random = seededRandom(seed);
  const present: number[] = [];
  for (let i = 0; i < KILLS; i++) {
    const dbFile = path.join(dir, `crashed-${i}.db`);
    // Kill after a random number of files were reported stored (0: during start-up and
    // migrations), plus a few milliseconds so the kill lands inside the next file's transaction.
    const target = Math.floor(random() * files.length);
    const jitter = random() * 8;
    const child = spawn(process.execPath, [CLI, "import", ...files], { cwd: ROOT, env: { ...process.env, DATABASE_URL: `file:${dbFile}` }, stdio: ["ignore", "pipe", "ignore"] });
    let lines = 0;
    await new Promise<void>((resolve) => {
      let fired = false;
      const fire = () => {
        if (fired) return;
        fired = true;
        setTimeout(() => {
          child.kill("SIGKILL");
          resolve();
        }, jitter);
      };
      if (target === 0) setTimeout(fire, 100 + jitter * 20);
      child.stdout?.on("data", (d: Buffer) => {
        lines += d.toString().split("\n").length - 1;
        if (lines >= target) fire();
      });
      child.once("exit", () => resolve());
    });
    await new Promise((r) => (child.exitCode !== null || child.signalCode !== null ? r(null) : child.once("exit", r)));
    const delay = target;
    const where = `seed ${seed}, kill ${i} after ${delay} files`;
    if (fs.existsSync(dbFile)) {
      expect(integrity(dbFile), where).toBe("ok");
      const state = snapshot(dbFile);
      for (const [arn, [eventCount, events, visits]] of state) {
        expect(events, `${arn}: events vs eventCount (${where})`).toBe(eventCount);
        expect([eventCount, events, visits], `${arn}: differs from an uninterrupted import (${where})`).toEqual(reference.get(arn));
      }
      present.push(state.size);
    } else present.push(-1);
    importAll(dbFile);
    expect(integrity(dbFile), where).toBe("ok");
    expect(snapshot(dbFile), where).toEqual(reference);
    for (const f of fs.readdirSync(dir).filter((n) => n.startsWith(`crashed-${i}.db`))) fs.rmSync(path.join(dir, f));
  }
  process.stdout.write(`[crash] seed ${seed}; full import ${Math.round(fullImportMs)} ms of ${files.length} files; executions present after each kill: ${present.join(",")}\n`);
  // the kills landed at different points of the work, not all before or after it
  expect(present.filter((n) => n > 0 && n < reference.size).length, present.join(",")).toBeGreaterThanOrEqual(KILLS / 3);
}, 900_000);
