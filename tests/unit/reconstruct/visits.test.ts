import { describe, expect, it } from "vitest";
import { extractStateVisits } from "@/lib/reconstruct/visits";
import { HistoryBuilder } from "./history-builder";

const pick = (v: { stateName: string; path: string; status: string; attempts: number; parentSeq: number | null }) =>
  `${v.path}|${v.stateName}|${v.status}|${v.attempts}|${v.parentSeq}`;

describe("extractStateVisits", () => {
  it("records sequential states at the top level with entry and exit events", () => {
    const h = new HistoryBuilder();
    h.add("ExecutionStarted", 0, { input: {} });
    const a = h.enter("Pass", "A", 0, {});
    const ax = h.exit("Pass", "A", a, {});
    const b = h.enter("Succeed", "Done", ax, {});
    const bx = h.exit("Succeed", "Done", b, {});
    h.add("ExecutionSucceeded", bx, { output: {} });
    const visits = extractStateVisits(h.events);
    expect(visits).toHaveLength(2);
    expect(visits[0]).toMatchObject({ seq: 0, parentSeq: null, path: "", stateName: "A", stateType: "Pass", enteredEventId: 2, exitedEventId: 3, status: "SUCCEEDED", attempts: 1, error: null });
    expect(visits[0].exitedAt! - visits[0].enteredAt).toBe(10);
    expect(visits[1]).toMatchObject({ stateName: "Done", stateType: "Succeed", status: "SUCCEEDED" });
  });

  it("counts retries as attempts and marks a caught failure CAUGHT with its error", () => {
    const h = new HistoryBuilder();
    h.add("ExecutionStarted", 0);
    const t = h.enter("Task", "Call", 0, {});
    let prev = t;
    for (let i = 0; i < 3; i++) {
      const s = h.add("TaskScheduled", prev, { resourceType: "lambda", resource: "invoke", region: "us-east-1", parameters: {} });
      const st = h.add("TaskStarted", s, { resourceType: "lambda", resource: "invoke" });
      prev = h.add("TaskFailed", st, { resourceType: "lambda", resource: "invoke", error: "Boom", cause: "bad" });
    }
    const x = h.exit("Task", "Call", prev, { Error: "Boom" });
    const f = h.enter("Pass", "Fallback", x, {});
    h.exit("Pass", "Fallback", f, {});
    const [call, fallback] = extractStateVisits(h.events);
    expect(call).toMatchObject({ status: "CAUGHT", attempts: 3, error: "Boom", cause: "bad", exitedEventId: x });
    expect(fallback.status).toBe("SUCCEEDED");
  });

  it("marks a task that succeeded after a retry SUCCEEDED with no error", () => {
    const h = new HistoryBuilder();
    h.add("ExecutionStarted", 0);
    const t = h.enter("Task", "Call", 0);
    const s1 = h.add("LambdaFunctionScheduled", t, { resource: "arn" });
    const f1 = h.add("LambdaFunctionFailed", h.add("LambdaFunctionStarted", s1), { error: "E" });
    const s2 = h.add("LambdaFunctionScheduled", f1, { resource: "arn" });
    const ok = h.add("LambdaFunctionSucceeded", h.add("LambdaFunctionStarted", s2), { output: 1 });
    h.add("ExecutionSucceeded", h.exit("Task", "Call", ok, 1));
    expect(extractStateVisits(h.events)[0]).toMatchObject({ status: "SUCCEEDED", attempts: 2, error: null });
  });

  it("gives Map iterations their path and parent, following AWS's pointers to the last inner event", () => {
    const h = new HistoryBuilder();
    h.add("ExecutionStarted", 0);
    const m = h.enter("Map", "Process items", 0, [1, 2]);
    const ms = h.add("MapStateStarted", m, { length: 2 });
    const i0 = h.add("MapIterationStarted", ms, { name: "Process items", index: 0 });
    const p0 = h.exit("Pass", "Step", h.enter("Pass", "Step", i0, 1), 1);
    h.add("MapIterationSucceeded", p0, { name: "Process items", index: 0 });
    const i1 = h.add("MapIterationStarted", p0, { name: "Process items", index: 1 });
    const p1 = h.exit("Pass", "Step", h.enter("Pass", "Step", i1, 2), 2);
    h.add("MapIterationSucceeded", p1, { name: "Process items", index: 1 });
    h.add("MapStateSucceeded", p1);
    const mx = h.exit("Map", "Process items", p1, [1, 2]);
    h.add("ExecutionSucceeded", mx);
    expect(extractStateVisits(h.events).map(pick)).toEqual([
      "|Process items|SUCCEEDED|1|null",
      "Process items[0]|Step|SUCCEEDED|1|0",
      "Process items[1]|Step|SUCCEEDED|1|0",
    ]);
  });

  it("nests paths of a Map inside a Map", () => {
    const h = new HistoryBuilder();
    h.add("ExecutionStarted", 0);
    const outer = h.enter("Map", "Outer", 0);
    const os = h.add("MapStateStarted", outer, { length: 1 });
    const oi = h.add("MapIterationStarted", os, { name: "Outer", index: 0 });
    const inner = h.enter("Map", "Inner", oi);
    const is = h.add("MapStateStarted", inner, { length: 1 });
    const ii = h.add("MapIterationStarted", is, { name: "Inner", index: 0 });
    const px = h.exit("Pass", "Leaf", h.enter("Pass", "Leaf", ii));
    const iis = h.add("MapIterationSucceeded", px, { name: "Inner", index: 0 });
    h.add("MapStateSucceeded", iis);
    const ix = h.exit("Map", "Inner", iis);
    const ois = h.add("MapIterationSucceeded", ix, { name: "Outer", index: 0 });
    h.add("MapStateSucceeded", ois);
    h.exit("Map", "Outer", ois);
    expect(extractStateVisits(h.events).map(pick)).toEqual(["|Outer|SUCCEEDED|1|null", "Outer[0]|Inner|SUCCEEDED|1|0", "Outer[0]/Inner[0]|Leaf|SUCCEEDED|1|1"]);
  });

  it("fails the failing iteration's task and aborts concurrent siblings when an iteration fails", () => {
    const h = new HistoryBuilder();
    h.add("ExecutionStarted", 0);
    const m = h.enter("Map", "M", 0);
    const ms = h.add("MapStateStarted", m, { length: 2 });
    const i0 = h.add("MapIterationStarted", ms, { name: "M", index: 0 });
    const i1 = h.add("MapIterationStarted", ms, { name: "M", index: 1 });
    const t0 = h.enter("Task", "T", i0);
    const s0 = h.add("TaskScheduled", t0, { resourceType: "lambda", resource: "invoke", region: "r", parameters: "{}" });
    const t1 = h.enter("Task", "T", i1);
    h.add("TaskScheduled", t1, { resourceType: "lambda", resource: "invoke", region: "r", parameters: "{}" });
    const to = h.add("TaskTimedOut", s0, { resourceType: "lambda", resource: "invoke" });
    h.add("MapIterationFailed", to, { name: "M", index: 0 });
    h.add("TaskStateAborted", to);
    h.add("MapIterationAborted", to, { name: "M", index: 1 });
    h.add("TaskStateAborted", to);
    const mf = h.add("MapStateFailed", to);
    h.add("ExecutionFailed", mf, { error: "States.Timeout" });
    const visits = extractStateVisits(h.events);
    expect(visits.map(pick)).toEqual(["|M|FAILED|1|null", "M[0]|T|FAILED|1|0", "M[1]|T|ABORTED|1|0"]);
    expect(visits[1].error).toBe("States.Timeout");
    expect(visits[0].error).toBe("States.Timeout");
  });

  it("numbers Parallel branches and marks a failed branch task FAILED and the caught Parallel CAUGHT", () => {
    const h = new HistoryBuilder();
    h.add("ExecutionStarted", 0);
    const p = h.enter("Parallel", "Resize", 0);
    const ps = h.add("ParallelStateStarted", p);
    const a = h.enter("Pass", "A", ps);
    const b = h.enter("Task", "B", ps);
    h.exit("Pass", "A", a);
    const s = h.add("TaskScheduled", b, { resourceType: "sqs", resource: "sendMessage", region: "r", parameters: "{}" });
    const f = h.add("TaskFailed", s, { resourceType: "sqs", resource: "sendMessage", error: "Nope" });
    h.add("TaskStateAborted", f);
    const pf = h.add("ParallelStateFailed", f);
    const px = h.exit("Parallel", "Resize", pf, { Error: "Nope" });
    h.exit("Pass", "Caught", h.enter("Pass", "Caught", px));
    const visits = extractStateVisits(h.events);
    expect(visits.map(pick)).toEqual(["|Resize|CAUGHT|1|null", "Resize[0]|A|SUCCEEDED|1|0", "Resize[1]|B|FAILED|1|0", "|Caught|SUCCEEDED|1|null"]);
    expect(visits[0].error).toBe("Nope");
  });

  it("marks a Fail state inside a caught Map FAILED and the Map CAUGHT", () => {
    const h = new HistoryBuilder();
    h.add("ExecutionStarted", 0);
    const m = h.enter("Map", "M", 0);
    const ms = h.add("MapStateStarted", m, { length: 1 });
    const i0 = h.add("MapIterationStarted", ms, { name: "M", index: 0 });
    const fs = h.enter("Fail", "Stop", i0);
    h.add("MapIterationFailed", fs, { name: "M", index: 0 });
    const mf = h.add("MapStateFailed", fs);
    const mx = h.exit("Map", "M", mf);
    h.exit("Pass", "After", h.enter("Pass", "After", mx));
    expect(extractStateVisits(h.events).map(pick)).toEqual(["|M|CAUGHT|1|null", "M[0]|Stop|FAILED|1|0", "|After|SUCCEEDED|1|null"]);
  });

  it("counts a retried Map's runs as attempts", () => {
    const h = new HistoryBuilder();
    h.add("ExecutionStarted", 0);
    const m = h.enter("Map", "M", 0);
    const ms = h.add("MapStateStarted", m, { length: 1 });
    const i0 = h.add("MapIterationStarted", ms, { name: "M", index: 0 });
    const fs = h.enter("Fail", "Stop", i0);
    h.add("MapIterationFailed", fs, { name: "M", index: 0 });
    const mf = h.add("MapStateFailed", fs);
    const ms2 = h.add("MapStateStarted", mf, { length: 1 });
    const j0 = h.add("MapIterationStarted", ms2, { name: "M", index: 0 });
    const fs2 = h.enter("Fail", "Stop", j0);
    h.add("MapIterationFailed", fs2, { name: "M", index: 0 });
    const mf2 = h.add("MapStateFailed", fs2);
    h.add("ExecutionFailed", mf2, { error: "X" });
    const visits = extractStateVisits(h.events);
    expect(visits[0]).toMatchObject({ stateName: "M", attempts: 2, status: "FAILED", error: "X" });
    expect(visits).toHaveLength(3);
  });

  it("aborts the running state when the execution is stopped", () => {
    const h = new HistoryBuilder();
    h.add("ExecutionStarted", 0);
    h.enter("Wait", "W", 0);
    h.add("ExecutionAborted", 0);
    expect(extractStateVisits(h.events)[0]).toMatchObject({ status: "ABORTED", exitedEventId: 3 });
  });

  it("leaves the state of an unfinished execution RUNNING", () => {
    const h = new HistoryBuilder();
    h.add("ExecutionStarted", 0);
    const t = h.enter("Task", "T", 0);
    h.add("TaskScheduled", t, { resourceType: "lambda", resource: "invoke", region: "r", parameters: "{}" });
    expect(extractStateVisits(h.events)[0]).toMatchObject({ status: "RUNNING", exitedEventId: null, exitedAt: null });
  });

  it("marks a state that failed without Catch FAILED with the execution's error when it has none", () => {
    const h = new HistoryBuilder();
    h.add("ExecutionStarted", 0);
    const p = h.enter("Pass", "P", 0);
    h.add("ExecutionFailed", p, { error: "States.Runtime", cause: "bad path" });
    expect(extractStateVisits(h.events)[0]).toMatchObject({ status: "FAILED", error: "States.Runtime", cause: "bad path" });
  });

  it("extracts 25,000 events in a few milliseconds", () => {
    const h = new HistoryBuilder();
    h.add("ExecutionStarted", 0);
    const m = h.enter("Map", "M", 0);
    let prev = h.add("MapStateStarted", m, { length: 6249 });
    for (let i = 0; i < 6249; i++) {
      const it = h.add("MapIterationStarted", prev, { name: "M", index: i });
      prev = h.exit("Pass", "P", h.enter("Pass", "P", it, i), i);
      h.add("MapIterationSucceeded", prev, { name: "M", index: i });
    }
    h.add("MapStateSucceeded", prev);
    h.exit("Map", "M", prev);
    expect(h.events.length).toBeGreaterThanOrEqual(24_999);
    // The best of a few runs: the machine is shared, and a test should not measure its neighbours.
    let visits = extractStateVisits(h.events);
    let ms = Infinity;
    for (let run = 0; run < 10; run++) {
      const t0 = performance.now();
      visits = extractStateVisits(h.events);
      ms = Math.min(ms, performance.now() - t0);
    }
    expect(visits).toHaveLength(6250);
    expect(visits[6249].path).toBe("M[6248]");
    expect(ms).toBeLessThan(50);
  });
});

describe("extractStateVisits on a running execution", () => {
  it("leaves a Task whose try just failed RUNNING: it may still be retried", () => {
    const h = new HistoryBuilder();
    h.add("ExecutionStarted", 0);
    const t = h.enter("Task", "T", 0);
    const s = h.add("TaskScheduled", t, { resourceType: "lambda", resource: "invoke", region: "r", parameters: {} });
    h.add("TaskFailed", s, { resourceType: "lambda", resource: "invoke", error: "E" });
    expect(extractStateVisits(h.events)[0]).toMatchObject({ status: "RUNNING", error: "E" });
  });
});
