// Fuzzing the importer (parse + ingest) with thousands of mutated histories and validateDefinition
// with mutated definitions: nothing crashes or hangs, every rejection is a clear error, and valid
// histories imported in between are kept whole. Each run is in a worker thread with a deadline,
// so a hang fails the test (naming the seed and item) instead of blocking the run.
import fs from "node:fs";
import path from "node:path";
import { Worker } from "node:worker_threads";
import { build } from "esbuild";
import { afterAll, beforeAll, expect, test } from "vitest";
import { ROOT } from "../../e2e/server";
import { postgresDatabase, postgresUnavailable, sqliteDatabase, type TestDatabase } from "../../helpers/databases";
import type { FuzzJob, FuzzMessage } from "./fuzz-cases";

let bundle: string;
let dir: string;
const SEED = Number(process.env.STATELENS_FUZZ_SEED ?? Date.now() % 1_000_000);

beforeAll(async () => {
  // inside the project, so the bundle's package imports resolve to node_modules
  fs.mkdirSync(path.join(ROOT, "artifacts"), { recursive: true });
  dir = fs.mkdtempSync(path.join(ROOT, "artifacts", ".fuzz-"));
  bundle = path.join(dir, "fuzz-cases.mjs");
  await build({
    entryPoints: [path.join(import.meta.dirname, "fuzz-cases.ts")],
    outfile: bundle,
    bundle: true,
    platform: "node",
    format: "esm",
    packages: "external",
    alias: { "@": ROOT },
    logLevel: "error",
    banner: { js: "import { createRequire as __cr } from 'node:module'; const require = __cr(import.meta.url);" },
  });
}, 120_000);
afterAll(() => fs.rmSync(dir, { recursive: true, force: true }));

/** Runs a job in a worker; a job that passes its deadline is terminated and reported as a hang. */
function runJob(job: FuzzJob, deadlineMs: number, stallMs: number): Promise<Extract<FuzzMessage, { type: "done" }>> {
  return new Promise((resolve, reject) => {
    const worker = new Worker(bundle, { workerData: job, resourceLimits: { maxOldGenerationSizeMb: 2048 }, execArgv: [], env: { ...process.env, STATELENS_MASK_PATHS: "$..password" } });
    let current = "start-up";
    let lastProgress = Date.now();
    const fail = (message: string) => {
      clearInterval(timer);
      void worker.terminate();
      reject(new Error(message));
    };
    const started = Date.now();
    const timer = setInterval(() => {
      if (Date.now() - lastProgress > stallMs) fail(`hang: ${current} ran for more than ${stallMs} ms`);
      else if (Date.now() - started > deadlineMs) fail(`the run passed its ${deadlineMs} ms deadline at ${current}`);
    }, 250);
    worker.on("message", (m: FuzzMessage) => {
      if (m.type === "progress") {
        current = m.label;
        lastProgress = Date.now();
      } else if (m.type === "crash") fail(`${m.label}: ${m.error}`);
      else {
        clearInterval(timer);
        void worker.terminate();
        resolve(m);
      }
    });
    worker.on("error", (err) => fail(`${current}: worker died: ${err.message}`));
    worker.on("exit", (code) => code !== 0 && fail(`${current}: worker exited with ${code}`));
  });
}

let db: TestDatabase;
afterAll(async () => db?.drop());

test("thousands of mutated histories: none crashes or hangs the importer, and valid ones around them are kept", async () => {
  db = sqliteDatabase();
  const result = await runJob({ kind: "history", seed: SEED, count: 2500, dbUrl: db.url }, 420_000, 20_000);
  process.stdout.write(`[fuzz] histories seed ${SEED}: ${result.accepted} accepted, ${result.rejected} rejected with clear errors; slowest ${Math.round(result.slowest.ms)} ms (${result.slowest.label})\n  e.g. ${result.samples.join("\n  e.g. ")}\n`);
  expect(result.crashes, `unclear errors (crashes) from the importer:\n${result.crashes.join("\n")}`).toEqual([]);
  expect(result.rejected).toBeGreaterThan(1000);
  expect(result.kept.found).toBe(result.kept.expected);
  expect(result.kept.wrongCounts).toEqual([]);
  expect(result.slowest.ms).toBeLessThan(15_000);
}, 480_000);

test("thousands of mutated definitions: validateDefinition never throws or hangs and names every problem", async () => {
  const result = await runJob({ kind: "definition", seed: SEED, count: 3000 }, 300_000, 20_000);
  process.stdout.write(`[fuzz] definitions seed ${SEED}: ${result.rejected} with problems, ${result.accepted} valid; slowest ${Math.round(result.slowest.ms)} ms (${result.slowest.label})\n  e.g. ${result.samples.join("\n  e.g. ")}\n`);
  expect(result.rejected).toBeGreaterThan(1500);
  expect(result.slowest.ms).toBeLessThan(15_000);
}, 360_000);

const pgReason = await postgresUnavailable();
test.skipIf(pgReason !== null)(`mutated histories into PostgreSQL: rejected with clear errors, valid ones kept${pgReason ? ` (skipped: ${pgReason})` : ""}`, async () => {
  const pgDb = await postgresDatabase();
  try {
    const result = await runJob({ kind: "history", seed: SEED + 1, count: 600, dbUrl: pgDb.url }, 300_000, 20_000);
    process.stdout.write(`[fuzz] histories on PostgreSQL seed ${SEED + 1}: ${result.accepted} accepted, ${result.rejected} rejected; slowest ${Math.round(result.slowest.ms)} ms\n`);
    expect(result.crashes, `unclear errors (crashes) from the importer:\n${result.crashes.join("\n")}`).toEqual([]);
    expect(result.kept.found).toBe(result.kept.expected);
    expect(result.kept.wrongCounts).toEqual([]);
  } finally {
    await pgDb.drop();
  }
}, 360_000);
