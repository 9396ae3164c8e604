// Retries the replay round trip found misread: a missed heartbeat, a Task aborted while waiting
// to retry (a sibling branch or iteration failed), and $$.State.RetryCount after a retry.
import { describe, expect, it } from "vitest";
import type { StateMachineDefinition } from "@/lib/asl";
import { mockConfigResolver, parseMockConfig, type TaskInvocation } from "@/lib/engine";
import { mockConfigFromRun, reconstructRun } from "@/lib/reconstruct";
import { extractStateVisits } from "@/lib/reconstruct/visits";
import { HistoryBuilder } from "./history-builder";

const messages = (m: { divergences: Array<{ kind: string; message: string }> }) => m.divergences.map((d) => `${d.kind}: ${d.message}`);
const SQS = { resourceType: "sqs", resource: "sendMessage.waitForTaskToken" };

describe("a Task whose heartbeat expired (TaskTimedOut with States.Timeout)", () => {
  const definition = {
    StartAt: "Ask",
    States: {
      Ask: {
        Type: "Task", Resource: "arn:aws:states:::sqs:sendMessage.waitForTaskToken", Parameters: { QueueUrl: "q" },
        HeartbeatSeconds: 10, TimeoutSeconds: 600,
        Retry: [{ ErrorEquals: ["States.HeartbeatTimeout"], IntervalSeconds: 1, MaxAttempts: 1 }],
        Catch: [{ ErrorEquals: ["States.Timeout"], ResultPath: "$.timeout", Next: "Gave up" }],
        End: true,
      },
      "Gave up": { Type: "Pass", End: true },
    },
  } as unknown as StateMachineDefinition;

  /** One try that times out `ranMs` after it was scheduled, then (when retried) one that succeeds. */
  function history(ranMs: number, retried: boolean) {
    const h = new HistoryBuilder();
    const at = (id: number, t: number) => void (h.events[id - 1].timestamp = h.events[0].timestamp + t);
    h.add("ExecutionStarted", 0, { input: {} });
    const t = h.enter("Task", "Ask", 1, {});
    const s1 = h.add("TaskScheduled", t, { ...SQS, region: "r", parameters: { QueueUrl: "q" }, heartbeatInSeconds: 10, timeoutInSeconds: 600 });
    const st1 = h.add("TaskStarted", s1, SQS);
    for (const id of [1, t, s1, st1]) at(id, 0);
    const to = h.add("TaskTimedOut", st1, { ...SQS, error: "States.Timeout" });
    at(to, ranMs);
    if (retried) {
      const s2 = h.add("TaskScheduled", to, { ...SQS, region: "r", parameters: { QueueUrl: "q" }, heartbeatInSeconds: 10, timeoutInSeconds: 600 });
      at(s2, ranMs + 1000);
      const st2 = h.add("TaskStarted", s2, SQS);
      at(st2, ranMs + 1000);
      const ok = h.add("TaskSucceeded", st2, { ...SQS, output: { fine: 1 } });
      at(ok, ranMs + 2000);
      const x = h.exit("Task", "Ask", ok, { fine: 1 });
      at(x, ranMs + 2000);
      at(h.add("ExecutionSucceeded", x, { output: { fine: 1 } }), ranMs + 2000);
    } else {
      const x = h.exit("Task", "Ask", to, { timeout: { Error: "States.Timeout" } });
      at(x, ranMs);
      const g = h.enter("Pass", "Gave up", x, { timeout: { Error: "States.Timeout" } });
      const gx = h.exit("Pass", "Gave up", g, { timeout: { Error: "States.Timeout" } });
      h.add("ExecutionSucceeded", gx, { output: { timeout: { Error: "States.Timeout" } } });
      for (const id of [g, gx, gx + 1]) at(id, ranMs);
    }
    return h.events;
  }

  it("tells a missed heartbeat (ran HeartbeatSeconds, less than TimeoutSeconds) by its time and lets a States.HeartbeatTimeout retrier match it", async () => {
    const model = await reconstructRun(definition, history(10_000, true));
    expect(messages(model)).toEqual([]);
    const [first, second] = model.allVisits[0].attemptList;
    expect(first).toMatchObject({ outcome: "TIMED_OUT", error: "States.Timeout", heartbeatTimeout: true });
    expect(first.retry).toMatchObject({ retrierIndex: 0, retryNumber: 1, retried: true });
    expect(second.heartbeatTimeout).toBeUndefined();
  });

  it("writes it to the mock config as States.HeartbeatTimeout, which the resolver replays as a heartbeat States.Timeout", async () => {
    const model = await reconstructRun(definition, history(10_000, true));
    const { config } = mockConfigFromRun(model, { stateMachine: "M", testCase: "T" });
    expect(config.MockedResponses.T_Ask).toEqual({ "0": { Throw: { Error: "States.HeartbeatTimeout" } }, "1": { Return: { fine: 1 } } });
    const resolve = mockConfigResolver(parseMockConfig(JSON.stringify(config)), "M", "T");
    const invocation = (i: number) => ({ stateName: "Ask", invocationIndex: i }) as TaskInvocation;
    expect(resolve(invocation(0))).toEqual({ error: "States.Timeout", heartbeatTimeout: true });
    expect(resolve(invocation(1))).toEqual({ output: { fine: 1 } });
    const withCause = mockConfigResolver(parseMockConfig({ StateMachines: { M: { TestCases: { T: { Ask: "R" } } } }, MockedResponses: { R: { "0": { Throw: { Error: "States.HeartbeatTimeout", Cause: "late" } } } } }), "M", "T");
    expect(withCause(invocation(0))).toEqual({ error: "States.Timeout", cause: "late", heartbeatTimeout: true });
  });

  it("takes a try that ran TimeoutSeconds for a plain States.Timeout: no heartbeat retrier, the States.Timeout catcher", async () => {
    const model = await reconstructRun(definition, history(600_000, false));
    expect(messages(model)).toEqual([]);
    const node = model.allVisits[0];
    expect(node.attemptList[0].heartbeatTimeout).toBeUndefined();
    expect(node.attemptList[0].retry).toMatchObject({ retrierIndex: null, retried: false });
    expect(node.catch).toMatchObject({ catcherIndex: 0, next: "Gave up" });
    expect(mockConfigFromRun(model).config.MockedResponses.Replay_Ask).toEqual({ "0": { Throw: { Error: "States.Timeout" } } });
  });

  it("falls back to the definition's HeartbeatSeconds, and reports a retry after a plain States.Timeout that only a States.HeartbeatTimeout retrier names", async () => {
    const model = await reconstructRun(definition, history(600_000 - 1, true).map((e) => (e.type === "TaskScheduled" ? { ...e, taskScheduledEventDetails: { ...e.taskScheduledEventDetails!, heartbeatInSeconds: undefined } } : e)));
    // No heartbeat recorded in TaskScheduled: the definition's HeartbeatSeconds applies (10 s): a heartbeat expiry.
    expect(messages(model)).toEqual([]);
    const late = await reconstructRun(definition, history(600_000, true));
    expect(messages(late)).toEqual([expect.stringContaining("was retried after States.Timeout, but no retrier matches it")]);
  });
});

describe("a Task aborted while waiting to retry, because a sibling failed", () => {
  const fn = "arn:aws:lambda:us-east-1:111111111111:function:slow";
  const parallel = {
    StartAt: "Both",
    States: {
      Both: {
        Type: "Parallel",
        Branches: [
          { StartAt: "Slow", States: { Slow: { Type: "Task", Resource: fn, Retry: [{ ErrorEquals: ["Busy"], IntervalSeconds: 5, MaxAttempts: 3 }], End: true } } },
          { StartAt: "Bad", States: { Bad: { Type: "Task", Resource: "arn:aws:states:::ecs:runTask", Parameters: { Cluster: "c" }, End: true } } },
        ],
        Catch: [{ ErrorEquals: ["States.ALL"], ResultPath: "$.err", Next: "Recover" }],
        End: true,
      },
      Recover: { Type: "Pass", End: true },
    },
  } as unknown as StateMachineDefinition;

  /** Slow fails (retryable), Bad fails for good while Slow waits; the abort points at Bad's failure. */
  function parallelHistory(awsAbortsTheFailingTask: boolean) {
    const h = new HistoryBuilder();
    h.add("ExecutionStarted", 0, { input: { p: 1 } });
    const p = h.enter("Parallel", "Both", 0, { p: 1 });
    const ps = h.add("ParallelStateStarted", p);
    const slow = h.enter("Task", "Slow", ps, { p: 1 });
    const bad = h.enter("Task", "Bad", ps, { p: 1 });
    const ls = h.add("LambdaFunctionScheduled", slow, { resource: fn, input: { p: 1 } });
    const lf = h.add("LambdaFunctionFailed", h.add("LambdaFunctionStarted", ls), { error: "Busy" });
    void lf;
    const ts = h.add("TaskScheduled", bad, { resourceType: "ecs", resource: "runTask", region: "r", parameters: { Cluster: "c" } });
    const tf = h.add("TaskFailed", h.add("TaskStarted", ts, { resourceType: "ecs", resource: "runTask" }), { resourceType: "ecs", resource: "runTask", error: "ECS.AccessDenied", cause: "no" });
    h.add("TaskStateAborted", tf);
    if (awsAbortsTheFailingTask) h.add("TaskStateAborted", tf);
    const pf = h.add("ParallelStateFailed", tf);
    const out = { p: 1, err: { Error: "ECS.AccessDenied", Cause: "no" } };
    const px = h.exit("Parallel", "Both", pf, out);
    const r = h.exit("Pass", "Recover", h.enter("Pass", "Recover", px, out), out);
    h.add("ExecutionSucceeded", r, { output: out });
    return h.events;
  }

  it.each([["the sibling only (the engine)", false], ["the sibling and the failing Task", true]])(
    "aborts the Task waiting to retry, not the failing one, when the history aborts %s",
    async (_name, both) => {
      const events = parallelHistory(both);
      const visits = extractStateVisits(events);
      expect(visits.map((v) => `${v.stateName}:${v.status}:${v.error}`)).toEqual(["Both:CAUGHT:ECS.AccessDenied", "Slow:ABORTED:null", "Bad:FAILED:ECS.AccessDenied", "Recover:SUCCEEDED:null"]);
      const model = await reconstructRun(parallel, events);
      expect(messages(model)).toEqual([]);
      const slow = model.allVisits[1];
      expect(slow.status).toBe("ABORTED");
      expect(slow.attemptList[0].retry).toMatchObject({ retrierIndex: 0, retried: false, reason: expect.stringContaining("aborted before the retry") });
      expect(model.allVisits[0]).toMatchObject({ status: "CAUGHT", error: "ECS.AccessDenied", catch: { error: "ECS.AccessDenied", catcherIndex: 0 } });
    },
  );

  it("aborts the iteration waiting to retry in a Map whose other iteration failed; a finished sibling exits", async () => {
    const def = {
      StartAt: "Each",
      States: {
        Each: {
          Type: "Map", ItemsPath: "$.items",
          ItemProcessor: { StartAt: "Work", States: { Work: { Type: "Task", Resource: fn, Retry: [{ ErrorEquals: ["Retryable"], IntervalSeconds: 10, MaxAttempts: 3 }], End: true } } },
          End: true,
        },
      },
    } as unknown as StateMachineDefinition;
    const h = new HistoryBuilder();
    h.add("ExecutionStarted", 0, { input: { items: [1, 2, 3] } });
    const m = h.enter("Map", "Each", 0, { items: [1, 2, 3] });
    const ms = h.add("MapStateStarted", m, { length: 3 });
    const it0 = h.add("MapIterationStarted", ms, { name: "Each", index: 0 });
    const it1 = h.add("MapIterationStarted", ms, { name: "Each", index: 1 });
    const it2 = h.add("MapIterationStarted", ms, { name: "Each", index: 2 });
    const w0 = h.enter("Task", "Work", it0, 1);
    const w1 = h.enter("Task", "Work", it1, 2);
    const w2 = h.enter("Task", "Work", it2, 3);
    const f0 = h.add("LambdaFunctionFailed", h.add("LambdaFunctionStarted", h.add("LambdaFunctionScheduled", w0, { resource: fn, input: 1 })), { error: "Retryable" });
    void f0;
    const s1 = h.add("LambdaFunctionSucceeded", h.add("LambdaFunctionStarted", h.add("LambdaFunctionScheduled", w1, { resource: fn, input: 2 })), { output: 2 });
    const f2 = h.add("LambdaFunctionFailed", h.add("LambdaFunctionStarted", h.add("LambdaFunctionScheduled", w2, { resource: fn, input: 3 })), { error: "Fatal", cause: "item 3" });
    h.add("MapIterationFailed", f2, { name: "Each", index: 2 });
    h.add("TaskStateAborted", f2);
    const x1 = h.exit("Task", "Work", s1, 2);
    h.add("MapIterationAborted", f2, { name: "Each", index: 0 });
    h.add("MapIterationSucceeded", x1, { name: "Each", index: 1 });
    const mf = h.add("MapStateFailed", f2);
    h.add("ExecutionFailed", mf, { error: "Fatal", cause: "item 3" });
    const visits = extractStateVisits(h.events);
    expect(visits.map((v) => `${v.path}:${v.status}`)).toEqual([":FAILED", "Each[0]:ABORTED", "Each[1]:SUCCEEDED", "Each[2]:FAILED"]);
    const model = await reconstructRun(def, h.events);
    expect(messages(model)).toEqual([]);
    expect(model.allVisits[0]).toMatchObject({ status: "FAILED", error: "Fatal" });
  });

  it("keeps FAILED a Task whose own try failed after the failure that aborts it (AWS aborts every iteration)", () => {
    const h = new HistoryBuilder();
    h.add("ExecutionStarted", 0);
    const m = h.enter("Map", "M", 0);
    const ms = h.add("MapStateStarted", m, { length: 2 });
    const t0 = h.enter("Task", "T", h.add("MapIterationStarted", ms, { name: "M", index: 0 }));
    const t1 = h.enter("Task", "T", h.add("MapIterationStarted", ms, { name: "M", index: 1 }));
    const s0 = h.add("TaskScheduled", t0, { resourceType: "lambda", resource: "invoke", region: "r", parameters: {} });
    const s1 = h.add("TaskScheduled", t1, { resourceType: "lambda", resource: "invoke", region: "r", parameters: {} });
    const to0 = h.add("TaskTimedOut", s0, { resourceType: "lambda", resource: "invoke", error: "States.Timeout" });
    h.add("TaskTimedOut", s1, { resourceType: "lambda", resource: "invoke", error: "States.Timeout" });
    h.add("MapIterationFailed", to0, { name: "M", index: 0 });
    h.add("TaskStateAborted", to0);
    h.add("MapIterationAborted", to0, { name: "M", index: 1 });
    h.add("TaskStateAborted", to0);
    h.add("ExecutionFailed", h.add("MapStateFailed", to0), { error: "States.Timeout" });
    expect(extractStateVisits(h.events).map((v) => `${v.path}:${v.status}:${v.error}`)).toEqual([":FAILED:States.Timeout", "M[0]:FAILED:States.Timeout", "M[1]:FAILED:States.Timeout"]);
  });
});

describe("$$.State.RetryCount after a retry", () => {
  it("evaluates the successful try's Output and Assign with that try's retry count", async () => {
    const fn = "arn:aws:lambda:us-east-1:111111111111:function:load";
    const def = {
      QueryLanguage: "JSONata",
      StartAt: "Load",
      States: {
        Load: {
          Type: "Task", Resource: fn,
          Assign: { tries: "{% $states.context.State.RetryCount %}" },
          Output: { r: "{% $states.result %}", n: "{% $states.context.State.RetryCount %}" },
          Retry: [{ ErrorEquals: ["States.ALL"], IntervalSeconds: 1, MaxAttempts: 2 }],
          End: true,
        },
      },
    } as unknown as StateMachineDefinition;
    const h = new HistoryBuilder();
    h.add("ExecutionStarted", 0, { input: {} });
    let prev = h.enter("Task", "Load", 0, {});
    for (let i = 0; i < 2; i++) prev = h.add("LambdaFunctionFailed", h.add("LambdaFunctionStarted", h.add("LambdaFunctionScheduled", prev, { resource: fn, input: {} })), { error: "Flaky" });
    const ok = h.add("LambdaFunctionSucceeded", h.add("LambdaFunctionStarted", h.add("LambdaFunctionScheduled", prev, { resource: fn, input: {} })), { output: 7 });
    const x = h.exit("Task", "Load", ok, { r: 7, n: 2 }, { tries: 2 });
    h.add("ExecutionSucceeded", x, { output: { r: 7, n: 2 } });
    const model = await reconstructRun(def, h.events);
    expect(messages(model)).toEqual([]);
    expect(model.allVisits[0].dataFlow.output).toMatchObject({ provenance: "recorded", verified: true });
    expect(model.allVisits[0].dataFlow.assignedVariables.tries).toMatchObject({ provenance: "recorded", verified: true, value: 2 });
  });
});
