// Fuzzing the importer (parse + ingest) with thousands of mutated histories, validateDefinition
// with mutated definitions, and the engine (runExecution, and `statelens run` on the nastiest
// files): nothing crashes or hangs, every rejection is a clear error, valid histories imported in
// between are kept whole, and every execution the engine accepts ends with a well-formed history.
// Each run is in a worker thread (or a child process) with a deadline, so a hang fails the test
// (naming the seed and item) instead of blocking the run. STATELENS_FUZZ_SEED=<n> replays a run.
// The HTTP API is fuzzed in api-fuzz.test.ts.
import { execFile, execFileSync } from "node:child_process";
import fs from "node:fs";
import os from "node:os";
import path from "node:path";
import { Worker } from "node:worker_threads";
import { build } from "esbuild";
import { afterAll, beforeAll, describe, expect, test } from "vitest";
import { ROOT } from "../../e2e/server";
import { postgresDatabase, postgresUnavailable, sqliteDatabase, type TestDatabase } from "../../helpers/databases";
import type { FuzzJob, FuzzMessage } from "./fuzz-cases";

let bundle: string;
let dir: string;
const SEED = Number(process.env.STATELENS_FUZZ_SEED ?? Date.now() % 1_000_000);
const BIG_STRING_JSON = JSON.stringify("x".repeat(10 * 1024 * 1024));

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
    // exit 0 before "done": the worker's event loop ran empty (a promise that never settles)
    worker.on("exit", (code) => fail(`${current}: worker exited with ${code} before it finished`));
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

test("thousands of mutated definitions and inputs: the engine ends every one it accepts with a well-formed history", async () => {
  const result = await runJob({ kind: "engine", seed: SEED, count: 2000 }, 300_000, 20_000);
  const statuses = result.statuses ?? {};
  process.stdout.write(`[fuzz] engine seed ${SEED}: ${JSON.stringify(statuses)}; slowest ${Math.round(result.slowest.ms)} ms (${result.slowest.label})\n  e.g. ${result.samples.join("\n  e.g. ")}\n`);
  expect(result.crashes, `the engine crashed, hung on a promise, or wrote a malformed history:\n${result.crashes.join("\n")}`).toEqual([]);
  // the mutations reach every outcome: refused definitions and inputs, and each way a run ends
  expect(statuses.INVALID).toBeGreaterThan(200);
  expect(statuses.INVALID_INPUT).toBeGreaterThan(20);
  expect(statuses.SUCCEEDED).toBeGreaterThan(100);
  expect(statuses.FAILED).toBeGreaterThan(300);
  expect(statuses.TIMED_OUT).toBeGreaterThan(10);
  expect(result.slowest.ms).toBeLessThan(15_000);
}, 360_000);

// ---------------------------------------------------------------- statelens run
// A few hundred CLI runs would take minutes; these are the nastiest files, each in its own process
// with a deadline. Bad files exit 2 with a message; anything else exits 0 with a status, whatever
// happened in the execution. Neither prints a stack trace.
const FN = "arn:aws:lambda:us-east-1:123456789012:function:f";
const pass = { StartAt: "P", States: { P: { Type: "Pass", End: true } } };
const deepText = (n: number) => "[".repeat(n) + "]".repeat(n);
interface CliCase {
  name: string;
  definition: unknown;
  /** Input file content (text as is, anything else as JSON). */
  input?: unknown;
  args?: string[];
  /** 2: refused with this message; otherwise exit 0 and one of these statuses. */
  expect: { exit: 2; message: RegExp } | { exit: 0; status: string[]; error?: RegExp };
}
const CLI_CASES: CliCase[] = [
  { name: "definition is truncated JSON", definition: JSON.stringify(pass).slice(0, 30), expect: { exit: 2, message: /not valid JSON/ } },
  { name: "definition is an empty file", definition: "", expect: { exit: 2, message: /not valid JSON/ } },
  { name: "definition is an array", definition: [pass], expect: { exit: 2, message: /must be a JSON object, not an array/ } },
  { name: "definition is a 10 MB string", definition: BIG_STRING_JSON, expect: { exit: 2, message: /must be a JSON object/ } },
  { name: "definition is nested 100,000 deep", definition: deepText(100_000), expect: { exit: 2, message: /must be a JSON object/ } },
  { name: "definition with NUL bytes and a lone surrogate", definition: '{"StartAt":"P\u0000","States":{"\ud800":{"Type":"Pass","End":true}}}', expect: { exit: 2, message: /invalid definition/ } },
  { name: "definition with a 10 MB Comment and deep Parameters", definition: { ...pass, Comment: "c".repeat(10 * 1024 * 1024), States: { P: { Type: "Pass", Parameters: deepObject(200), End: true } } }, expect: { exit: 0, status: ["SUCCEEDED"] } },
  { name: "input is truncated JSON", definition: pass, input: '{"a": [1, 2', expect: { exit: 2, message: /input file .* is not valid JSON/ } },
  { name: "input is binary garbage", definition: pass, input: "\u0000\u00ff\ufffd{", expect: { exit: 2, message: /not valid JSON/ } },
  { name: "input is a 10 MB string", definition: pass, input: { s: "x".repeat(10 * 1024 * 1024) }, expect: { exit: 2, message: /execution input is \d+ bytes.*256 KiB/ } },
  { name: "input is nested 100,000 deep", definition: pass, input: deepText(100_000), expect: { exit: 2, message: /execution input is nested too deeply/ } },
  { name: "input with huge numbers, -0 and unicode", definition: pass, input: '{"a":1e400,"b":-1e400,"c":-0,"d":123456789012345678901234567890,"e":"\ud83d\ude00\u202e"}', expect: { exit: 0, status: ["SUCCEEDED"] } },
  { name: "mock config that is an array", definition: { StartAt: "T", States: { T: { Type: "Task", Resource: FN, End: true } } }, args: ["--mock-config", "MOCK", "--state-machine", "SM", "--test-case", "c"], expect: { exit: 2, message: /invalid mock config/ } },
  {
    name: "StringMatches that backtracks exponentially as a regex",
    definition: { StartAt: "C", States: { C: { Type: "Choice", Choices: [{ Variable: "$.s", StringMatches: "*a".repeat(30) + "b", Next: "Y" }], Default: "N" }, Y: { Type: "Succeed" }, N: { Type: "Fail", Error: "NoMatch" } } },
    input: { s: "a".repeat(80) },
    expect: { exit: 0, status: ["FAILED"], error: /^NoMatch$/ },
  },
  {
    name: "a JSONata expression that never ends",
    definition: { QueryLanguage: "JSONata", StartAt: "P", States: { P: { Type: "Pass", Output: "{% ($f := function($x){ $f($x + 1) }; $f(0)) %}", End: true } } },
    expect: { exit: 0, status: ["FAILED"], error: /^States\.QueryEvaluationError$/ },
  },
  {
    name: "an Express loop that never waits",
    definition: { StartAt: "A", States: { A: { Type: "Pass", Next: "B" }, B: { Type: "Choice", Choices: [{ Variable: "$.stop", IsPresent: true, Next: "E" }], Default: "A" }, E: { Type: "Succeed" } } },
    args: ["--express"],
    expect: { exit: 0, status: ["TIMED_OUT"] },
  },
  {
    name: "a Standard loop that runs into the history quota",
    definition: { StartAt: "A", States: { A: { Type: "Pass", Next: "B" }, B: { Type: "Choice", Choices: [{ Variable: "$.stop", IsPresent: true, Next: "E" }], Default: "A" }, E: { Type: "Succeed" } } },
    expect: { exit: 0, status: ["FAILED"], error: /^States\.Runtime$/ },
  },
  {
    name: "an inline Map whose iterations run into the history quota",
    definition: { StartAt: "M", States: { M: { Type: "Map", ItemProcessor: { StartAt: "P", States: { P: { Type: "Pass", End: true } } }, End: true } } },
    input: Array.from({ length: 20_000 }, (_, i) => i),
    expect: { exit: 0, status: ["FAILED"], error: /^States\.Runtime$/ },
  },
  {
    name: "States.ArrayUnique over 40,000 items",
    definition: { StartAt: "P", States: { P: { Type: "Pass", Parameters: { "n.$": "States.ArrayLength(States.ArrayUnique($.items))" }, End: true } } },
    input: { items: Array.from({ length: 40_000 }, (_, i) => i % 30_000) },
    expect: { exit: 0, status: ["SUCCEEDED"] },
  },
  {
    name: "a task whose request grows past 256 KiB",
    definition: { StartAt: "T", States: { T: { Type: "Task", Resource: FN, Parameters: { "a.$": "$.s", "b.$": "$.s" }, End: true } } },
    input: { s: "x".repeat(140_000) },
    expect: { exit: 0, status: ["FAILED"], error: /^States\.DataLimitExceeded$/ },
  },
  {
    name: "a task retried 99,999,999 times, failing before it is scheduled",
    definition: { StartAt: "T", States: { T: { Type: "Task", Resource: FN, Parameters: { "x.$": "States.ArrayGetItem($.a, 99)" }, Retry: [{ ErrorEquals: ["States.ALL"], MaxAttempts: 99_999_999, IntervalSeconds: 1, BackoffRate: 1, JitterStrategy: "FULL" }], End: true } } },
    input: { a: [1] },
    expect: { exit: 0, status: ["FAILED"], error: /^States\.Runtime$/ },
  },
];
function deepObject(n: number): unknown {
  let v: unknown = { "leaf.$": "$" };
  for (let i = 0; i < n; i++) v = { a: v };
  return v;
}

describe("statelens run with hostile files", () => {
  let cliDir: string;
  beforeAll(() => {
    execFileSync(process.execPath, [path.join(ROOT, "scripts", "build-cli.mjs")], { cwd: ROOT, stdio: "pipe" });
    cliDir = fs.mkdtempSync(path.join(os.tmpdir(), "statelens-cli-fuzz-"));
  }, 120_000);
  afterAll(() => cliDir && fs.rmSync(cliDir, { recursive: true, force: true }));

  function runCli(c: CliCase, i: number): Promise<{ code: number | null; stdout: string; stderr: string; killed: boolean }> {
    const write = (name: string, v: unknown) => {
      const file = path.join(cliDir, `${i}-${name}`);
      fs.writeFileSync(file, typeof v === "string" ? v : JSON.stringify(v));
      return file;
    };
    const args = ["run", write("definition.json", c.definition)];
    if (c.input !== undefined) args.push("--input", write("input.json", c.input));
    args.push(...(c.args ?? []).map((a) => (a === "MOCK" ? write("mock.json", [{ StateMachines: {} }]) : a)));
    return new Promise((resolve) => {
      // a deadline for hangs, not a timing assertion
      execFile(process.execPath, [path.join(ROOT, "bin", "statelens"), ...args], { cwd: cliDir, timeout: 90_000, maxBuffer: 64 * 1024 * 1024 }, (err, stdout, stderr) => {
        resolve({ code: err ? (typeof err.code === "number" ? err.code : null) : 0, stdout, stderr, killed: Boolean(err?.killed) });
      });
    });
  }

  test.each(CLI_CASES.map((c, i) => [c.name, c, i] as const))("%s", async (_name, c, i) => {
    const { code, stdout, stderr, killed } = await runCli(c, i);
    expect(killed, `statelens run was still running after 90 s`).toBe(false);
    expect(stderr, "a stack trace on stderr").not.toMatch(/^\s+at /m);
    if (c.expect.exit === 2) {
      expect({ code, stderr: stderr.slice(0, 300) }).toMatchObject({ code: 2, stderr: expect.stringMatching(/^statelens: /) });
      expect(stderr).toMatch(c.expect.message);
      expect(stdout).toBe("");
    } else {
      expect({ code, stderr: stderr.slice(0, 300) }).toEqual({ code: 0, stderr: "" });
      const summary = JSON.parse(stdout) as { status: string; error: string | null };
      expect(c.expect.status).toContain(summary.status);
      if (c.expect.error) expect(summary.error).toMatch(c.expect.error);
    }
  }, 120_000);
});
