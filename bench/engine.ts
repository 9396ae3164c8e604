// Benchmark: statelens's engine against aws-local-stepfunctions@3 on the same workloads, in the
// same process. `npm run bench:engine`. Both record their full event log (our history; its
// eventLogs generator is drained). Wait and retry delays are zero on both sides: ours run on
// the virtual clock, aws-local-stepfunctions gets waitTimeOverrides/retryIntervalOverrides of 0.
import { spawnSync } from "node:child_process";
import fs from "node:fs";
import os from "node:os";
import path from "node:path";
import v8 from "node:v8";
import vm from "node:vm";
import type { Json } from "../lib/history/types";
import { summarizeHistory } from "../lib/history/summary";
import { runExecution } from "../lib/engine/execution";
import type { TaskResolver } from "../lib/engine/types";
import type { StateMachineDefinition } from "../lib/asl/model";

// aws-local-stepfunctions declares Node 22; on Node 20 it needs only this standard polyfill.
interface WithResolvers<T> { promise: Promise<T>; resolve: (v: T) => void; reject: (e: unknown) => void }
const P = Promise as unknown as { withResolvers?: <T>() => WithResolvers<T> };
if (!P.withResolvers) {
  P.withResolvers = <T>() => {
    let resolve!: (v: T) => void;
    let reject!: (e: unknown) => void;
    const promise = new Promise<T>((res, rej) => ((resolve = res), (reject = rej)));
    return { promise, resolve, reject };
  };
}

v8.setFlagsFromString("--expose-gc");
const gc = vm.runInNewContext("gc") as () => void;

const TASK_ARN = "arn:aws:lambda:us-east-1:123456789012:function:bench";

interface Workload {
  name: string;
  definition: StateMachineDefinition;
  input: Json;
  /** Express: histories longer than AWS's 25,000-event Standard quota. */
  express?: boolean;
  resolver?: () => TaskResolver;
  alsHandlers?: () => Record<string, (input: Json) => Promise<Json> | Json>;
  retryStates?: string[];
  repeat: number;
}

function passChain(n: number): StateMachineDefinition {
  const States: Record<string, StateMachineDefinition["States"][string]> = {};
  for (let i = 0; i < n; i++) States[`P${i}`] = i === n - 1 ? { Type: "Pass", End: true } : { Type: "Pass", Next: `P${i + 1}` };
  return { StartAt: "P0", States };
}

function failTwiceResolver(): TaskResolver {
  return (inv) => (inv.retryCount < 2 ? { error: "Bench.Flaky", cause: "fails twice" } : { output: inv.input });
}
function failTwiceHandler(): Record<string, (input: Json) => Json> {
  const attempts = new Map<number, number>();
  return {
    Flaky: (input: Json) => {
      const i = (input as { i: number }).i;
      const n = (attempts.get(i) ?? 0) + 1;
      attempts.set(i, n);
      if (n <= 2) {
        const err = new Error("fails twice");
        err.name = "Bench.Flaky";
        throw err;
      }
      return input;
    },
  };
}

const workloads: Workload[] = [
  { name: "pass-chain-200", definition: passChain(200), input: { a: 1 }, repeat: 30 },
  {
    name: "map-10000",
    definition: { StartAt: "M", States: { M: { Type: "Map", ItemProcessor: { StartAt: "I", States: { I: { Type: "Pass", End: true } } }, End: true } } },
    input: Array.from({ length: 10_000 }, (_, i) => i),
    express: true,
    repeat: 5,
  },
  {
    name: "choice-loop-1000",
    definition: {
      StartAt: "Inc",
      States: {
        Inc: { Type: "Pass", Parameters: { "n.$": "States.MathAdd($.n, 1)" }, Next: "Loop" },
        Loop: { Type: "Choice", Choices: [{ Variable: "$.n", NumericLessThan: 1000, Next: "Inc" }], Default: "Done" },
        Done: { Type: "Succeed" },
      },
    },
    input: { n: 0 },
    repeat: 10,
  },
  {
    name: "parallel-20x10",
    definition: { StartAt: "Par", States: { Par: { Type: "Parallel", Branches: Array.from({ length: 20 }, (_, b) => {
      const chain = passChain(10);
      const States: Record<string, StateMachineDefinition["States"][string]> = {};
      for (const [k, v] of Object.entries(chain.States)) States[`B${b}${k}`] = v.Type === "Pass" && v.Next ? { ...v, Next: `B${b}${v.Next}` } : v;
      return { StartAt: `B${b}P0`, States };
    }), End: true } } },
    input: {},
    repeat: 20,
  },
  {
    name: "map-1000-retry",
    definition: { StartAt: "M", States: { M: { Type: "Map", ItemSelector: { "i.$": "$$.Map.Item.Index" }, ItemProcessor: { StartAt: "Flaky", States: {
      Flaky: { Type: "Task", Resource: TASK_ARN, Retry: [{ ErrorEquals: ["States.ALL"], IntervalSeconds: 1, MaxAttempts: 3 }], End: true },
    } }, End: true } } },
    input: Array.from({ length: 1000 }, (_, i) => i),
    resolver: failTwiceResolver,
    alsHandlers: failTwiceHandler,
    retryStates: ["Flaky"],
    repeat: 10,
  },
];

interface Measure { bestMs: number; medianMs: number; transitions: number; events: number; peakMB: number; status: string }

// The machine is shared, so each run is timed and the best and the median are reported: the
// best is the least disturbed by other processes and is what the summary lines compare.
async function measure(run: () => Promise<{ transitions: number; events: number; status: string }>, repeat: number): Promise<Measure> {
  gc();
  const base = process.memoryUsage().heapUsed;
  let peak = base;
  const sampler = setInterval(() => (peak = Math.max(peak, process.memoryUsage().heapUsed)), 2);
  let last = { transitions: 0, events: 0, status: "" };
  await run(); // warm-up
  const times: number[] = [];
  for (let i = 0; i < repeat; i++) {
    const t0 = performance.now();
    last = await run();
    times.push(performance.now() - t0);
    peak = Math.max(peak, process.memoryUsage().heapUsed);
  }
  clearInterval(sampler);
  times.sort((a, b) => a - b);
  return { bestMs: times[0], medianMs: times[Math.floor(times.length / 2)], transitions: last.transitions, events: last.events, peakMB: (peak - base) / 2 ** 20, status: last.status };
}

async function runOurs(w: Workload) {
  const handle = await runExecution({ definition: w.definition, input: w.input, type: w.express ? "EXPRESS" : "STANDARD", taskResolver: w.resolver?.() });
  const summary = summarizeHistory(handle.events);
  return { transitions: summary.transitions, events: handle.events.length, status: handle.status };
}

async function runTheirs(w: Workload) {
  const { StateMachine } = await import("aws-local-stepfunctions");
  const sm = new StateMachine(w.definition as never, { validationOptions: { checkArn: false, checkPaths: false } });
  const retryIntervalOverrides = Object.fromEntries((w.retryStates ?? []).map((s) => [s, 0]));
  const execution = sm.run(w.input as never, { overrides: { taskResourceLocalHandlers: w.alsHandlers?.() as never, waitTimeOverrides: {}, retryIntervalOverrides } });
  let events = 0;
  let transitions = 0;
  const drain = (async () => {
    for await (const e of execution.eventLogs) {
      events++;
      if (e.type === "StateEntered" || e.type === "StateRetried") transitions++;
    }
  })();
  let status = "SUCCEEDED";
  try {
    await execution.result;
  } catch {
    status = "FAILED";
  }
  await drain;
  return { transitions, events, status };
}

function fmt(n: number, digits = 1): string {
  return n.toFixed(digits);
}

async function main(): Promise<void> {
  const only = process.argv[2];
  const lines: string[] = [];
  for (const w of workloads) {
    if (only && !w.name.includes(only)) continue;
    const ours = await measure(() => runOurs(w), w.repeat);
    const theirs = await measure(() => runTheirs(w), w.repeat);
    for (const [who, m] of [["statelens", ours], ["aws-local-stepfunctions", theirs]] as const) {
      console.log(`${w.name.padEnd(18)} ${who.padEnd(24)} best ${fmt(m.bestMs, 2).padStart(8)} ms, median ${fmt(m.medianMs, 2).padStart(8)} ms  ${fmt(1000 / m.bestMs).padStart(8)} executions/s  ${fmt((m.transitions * 1000) / m.bestMs, 0).padStart(9)} transitions/s  ${String(m.events).padStart(6)} events  peak ${fmt(m.peakMB)} MB  ${m.status}`);
    }
    lines.push(`${w.name}: statelens ${fmt(ours.bestMs, 2)} ms, aws-local-stepfunctions ${fmt(theirs.bestMs, 2)} ms, speedup ${fmt(theirs.bestMs / ours.bestMs)}x`);
  }

  if (!only || only === "limits") {
    // A Standard history at AWS's 25,000-event quota, and its memory.
    gc();
    const before = process.memoryUsage().heapUsed;
    const big = await runExecution({ definition: passChain(12_499), input: { payload: "x".repeat(200) } });
    const mb = (process.memoryUsage().heapUsed - before) / 2 ** 20;
    console.log(`25,000-event history: ${big.events.length} events, ${fmt(mb)} MB heap (target < 100 MB)`);
    // The whole CLI process on the 10,000-item Map.
    const dir = fs.mkdtempSync(path.join(os.tmpdir(), "statelens-bench-"));
    const def = path.join(dir, "map.json");
    const input = path.join(dir, "input.json");
    fs.writeFileSync(def, JSON.stringify(workloads[1].definition));
    fs.writeFileSync(input, JSON.stringify(workloads[1].input));
    const cli = path.resolve(path.dirname(process.argv[1] ?? "."), "..", "bin", "statelens");
    const timeCli = (args: string[]) => {
      let best = Infinity;
      let out = "";
      for (let i = 0; i < 3; i++) {
        const t0 = performance.now();
        const r = spawnSync(process.execPath, [cli, ...args], { encoding: "utf8" });
        best = Math.min(best, performance.now() - t0);
        out = `exit ${r.status}, ${r.stdout.slice(0, 24)}...`;
      }
      return { best, out };
    };
    const pass = path.join(dir, "pass.json");
    fs.writeFileSync(pass, JSON.stringify(passChain(1)));
    const startup = timeCli(["run", pass]);
    const whole = timeCli(["run", def, "--input", input, "--express", "--history-out", path.join(dir, "history.json")]);
    console.log(`bin/statelens run map-10000 --express --history-out: ${fmt(whole.best, 0)} ms whole process, best of 3 (target < 1000 ms), ${whole.out}`);
    console.log(`  of which CLI start-up (a one-Pass definition): ${fmt(startup.best, 0)} ms`);
    fs.rmSync(dir, { recursive: true, force: true });
  }
  for (const l of lines) console.log(l);
}

main().catch((err) => {
  console.error(err);
  process.exit(1);
});
