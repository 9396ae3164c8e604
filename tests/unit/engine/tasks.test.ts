import { describe, expect, it } from "vitest";
import { handlerResolver, TaskFailure, waitForCallback } from "../../../lib/engine/resolvers";
import { startExecution } from "../../../lib/engine/execution";
import { VirtualClock } from "../../../lib/engine/clock";
import type { TaskResolver } from "../../../lib/engine/types";
import { details, find, run, shape, START, types } from "./helpers";

const LAMBDA = "arn:aws:lambda:us-east-1:123456789012:function:f";
const INVOKE = "arn:aws:states:::lambda:invoke";
const ACTIVITY = "arn:aws:states:us-east-1:123456789012:activity:work";
const task = (resource: string, extra: Record<string, unknown> = {}) => ({ StartAt: "T", States: { T: { Type: "Task", Resource: resource, End: true, ...extra } } }) as never;
const echo: TaskResolver = (inv) => ({ output: inv.input });

describe("event families", () => {
  it("a bare Lambda function ARN emits LambdaFunction* events", async () => {
    const h = await run(task(LAMBDA), { a: 1 }, { taskResolver: echo });
    expect(shape(h.events)).toEqual(["1<-0 ExecutionStarted", "2<-0 TaskStateEntered", "3<-2 LambdaFunctionScheduled", "4<-3 LambdaFunctionStarted", "5<-4 LambdaFunctionSucceeded", "6<-5 TaskStateExited", "7<-6 ExecutionSucceeded"]);
    expect(details(h.events[2])).toEqual({ resource: LAMBDA, input: '{"a":1}', inputDetails: { truncated: false } });
    expect(h.events[3]).not.toHaveProperty("lambdaFunctionStartedEventDetails");
  });

  it("an optimized integration emits Task* events with resourceType and resource", async () => {
    const h = await run(task("arn:aws:states:::aws-sdk:s3:getObject"), { Bucket: "b" }, { taskResolver: echo, region: "eu-west-1" });
    expect(types(h.events).slice(2, 5)).toEqual(["TaskScheduled", "TaskStarted", "TaskSucceeded"]);
    expect(details(h.events[2])).toEqual({ resourceType: "aws-sdk:s3", resource: "getObject", region: "eu-west-1", parameters: '{"Bucket":"b"}' });
    expect(details(h.events[4])).toEqual({ resourceType: "aws-sdk:s3", resource: "getObject", output: '{"Bucket":"b"}', outputDetails: { truncated: false } });
  });

  it(".sync emits TaskSubmitted before the result", async () => {
    const h = await run(task("arn:aws:states:::states:startExecution.sync:2"), {}, { taskResolver: echo });
    expect(types(h.events).slice(2, 6)).toEqual(["TaskScheduled", "TaskStarted", "TaskSubmitted", "TaskSucceeded"]);
  });

  it("TimeoutSeconds and HeartbeatSeconds are reported on TaskScheduled", async () => {
    const h = await run(task(INVOKE, { TimeoutSeconds: 30, HeartbeatSeconds: 10 }), {}, { taskResolver: echo });
    expect(details(find(h.events, "TaskScheduled"))).toMatchObject({ timeoutInSeconds: 30, heartbeatInSeconds: 10 });
  });

  it("Credentials put the role on TaskScheduled; JSONata Arguments become the request", async () => {
    const h = await run({ QueryLanguage: "JSONata", StartAt: "T", States: { T: { Type: "Task", Resource: INVOKE, Credentials: { RoleArn: "arn:aws:iam::1:role/r" }, Arguments: { n: "{% $states.input.n + 1 %}" }, End: true } } }, { n: 1 }, { taskResolver: echo });
    expect(details(find(h.events, "TaskScheduled"))).toMatchObject({ parameters: '{"n":2}', taskCredentials: { roleArn: "arn:aws:iam::1:role/r" } });
    expect((await h.result()).output).toEqual({ n: 2 });
  });

  it("a task no resolver answers fails the execution with States.Runtime", async () => {
    const h = await run(task(INVOKE));
    expect(await h.result()).toMatchObject({ status: "FAILED", error: "States.Runtime" });
  });
});

describe("handlers", () => {
  it("a handler per resource ARN computes the result", async () => {
    const h = await run(task(LAMBDA), { n: 2 }, { taskResolver: handlerResolver({ [LAMBDA]: (input) => ({ doubled: (input as { n: number }).n * 2 }) }) });
    expect((await h.result()).output).toEqual({ doubled: 4 });
  });

  it("a thrown TaskFailure becomes the task's error and cause", async () => {
    const h = await run(task(LAMBDA), {}, { taskResolver: handlerResolver({ [LAMBDA]: () => { throw new TaskFailure("Custom.Error", "details"); } }) });
    expect(details(find(h.events, "LambdaFunctionFailed"))).toEqual({ error: "Custom.Error", cause: "details" });
    expect(await h.result()).toMatchObject({ status: "FAILED", error: "Custom.Error", cause: "details" });
  });

  it("an async handler is awaited", async () => {
    const h = await run(task(LAMBDA), {}, { taskResolver: handlerResolver({ [LAMBDA]: async () => ({ later: true }) }) });
    expect((await h.result()).output).toEqual({ later: true });
  });
});

describe("Retry", () => {
  const failing = (times: number, error = "E"): TaskResolver => (inv) => (inv.retryCount < times ? { error, cause: `attempt ${inv.retryCount}` } : { output: "ok" });

  it("a retry re-emits Scheduled pointing at the failure, without a new Entered", async () => {
    const h = await run(task(LAMBDA, { Retry: [{ ErrorEquals: ["E"], IntervalSeconds: 1 }] }), {}, { taskResolver: failing(1) });
    expect(shape(h.events)).toEqual(["1<-0 ExecutionStarted", "2<-0 TaskStateEntered", "3<-2 LambdaFunctionScheduled", "4<-3 LambdaFunctionStarted", "5<-4 LambdaFunctionFailed",
      "6<-5 LambdaFunctionScheduled", "7<-6 LambdaFunctionStarted", "8<-7 LambdaFunctionSucceeded", "9<-8 TaskStateExited", "10<-9 ExecutionSucceeded"]);
  });

  it("waits IntervalSeconds x BackoffRate^(n-1), capped by MaxDelaySeconds", async () => {
    const h = await run(task(LAMBDA, { Retry: [{ ErrorEquals: ["E"], IntervalSeconds: 2, BackoffRate: 3, MaxAttempts: 3, MaxDelaySeconds: 10 }] }), {}, { taskResolver: failing(3) });
    const scheduled = h.events.filter((e) => e.type === "LambdaFunctionScheduled").map((e) => e.timestamp);
    const failed = h.events.filter((e) => e.type === "LambdaFunctionFailed").map((e) => e.timestamp);
    const gaps = failed.map((t, i) => scheduled[i + 1] - t);
    expect(gaps.map((g) => Math.round(g / 1000))).toEqual([2, 6, 10]);
  });

  it("JitterStrategy FULL draws the delay from [0, computed)", async () => {
    const h = await run(task(LAMBDA, { Retry: [{ ErrorEquals: ["E"], IntervalSeconds: 10, JitterStrategy: "FULL" }] }), {}, { taskResolver: failing(1), random: () => 0.5 });
    const gap = (find(h.events, "LambdaFunctionScheduled", 1)?.timestamp ?? 0) - (find(h.events, "LambdaFunctionFailed")?.timestamp ?? 0);
    expect(Math.round(gap / 1000)).toBe(5);
  });

  it("gives up after MaxAttempts and the error propagates", async () => {
    const h = await run(task(LAMBDA, { Retry: [{ ErrorEquals: ["E"], MaxAttempts: 2 }] }), {}, { taskResolver: failing(10) });
    expect(types(h.events).filter((t) => t === "LambdaFunctionScheduled")).toHaveLength(3);
    expect(await h.result()).toMatchObject({ status: "FAILED", error: "E" });
  });

  it("MaxAttempts 0 never retries", async () => {
    const h = await run(task(LAMBDA, { Retry: [{ ErrorEquals: ["E"], MaxAttempts: 0 }] }), {}, { taskResolver: failing(1) });
    expect(types(h.events).filter((t) => t === "LambdaFunctionScheduled")).toHaveLength(1);
  });

  it("the first matching retrier applies and its attempt count is its own", async () => {
    const errors = ["A", "B", "A"];
    const resolver: TaskResolver = (inv) => (inv.retryCount < errors.length ? { error: errors[inv.retryCount] } : { output: 1 });
    const h = await run(task(LAMBDA, { Retry: [{ ErrorEquals: ["A"], MaxAttempts: 2, IntervalSeconds: 1 }, { ErrorEquals: ["States.ALL"], MaxAttempts: 1, IntervalSeconds: 7 }] }), {}, { taskResolver: resolver });
    expect(await h.result()).toMatchObject({ status: "SUCCEEDED" });
    const s = h.events.filter((e) => e.type === "LambdaFunctionScheduled").map((e) => e.timestamp);
    const f = h.events.filter((e) => e.type === "LambdaFunctionFailed").map((e) => e.timestamp);
    expect(f.map((t, i) => Math.round((s[i + 1] - t) / 1000))).toEqual([1, 7, 2]);
  });

  it("$$.State.RetryCount counts the retries", async () => {
    const h = await run(task(LAMBDA, { Parameters: { "n.$": "$$.State.RetryCount" }, Retry: [{ ErrorEquals: ["E"], IntervalSeconds: 1 }] }), {}, { taskResolver: failing(2) });
    expect(h.events.filter((e) => e.type === "LambdaFunctionScheduled").map((e) => details(e).input)).toEqual(['{"n":0}', '{"n":1}', '{"n":2}']);
  });

  it("States.ALL does not retry States.Runtime", async () => {
    const h = await run(task(LAMBDA, { ResultPath: "$.a.b", Retry: [{ ErrorEquals: ["States.ALL"] }] }), "not an object", { taskResolver: echo });
    expect((await h.result()).status).toBe("FAILED");
    expect(types(h.events).filter((t) => t === "LambdaFunctionScheduled")).toHaveLength(1);
  });
});

describe("Catch", () => {
  const def = (catchers: unknown[]) => ({ StartAt: "T", States: { T: { Type: "Task", Resource: LAMBDA, Catch: [{ ErrorEquals: ["Never.Raised"], Next: "H2" }, ...catchers], End: true }, H: { Type: "Pass", End: true }, H2: { Type: "Pass", End: true } } }) as never;
  const fails = (error: string, cause?: string): TaskResolver => () => (cause === undefined ? { error } : { error, cause });

  it("Exited follows the failure directly and the handler gets {Error, Cause}", async () => {
    const h = await run(def([{ ErrorEquals: ["E"], Next: "H" }]), { a: 1 }, { taskResolver: fails("E", "why") });
    expect(shape(h.events).slice(4, 7)).toEqual(["5<-4 LambdaFunctionFailed", "6<-5 TaskStateExited", "7<-6 PassStateEntered"]);
    expect((await h.result()).output).toEqual({ Error: "E", Cause: "why" });
  });

  it("ResultPath merges the error output into the input", async () => {
    const h = await run(def([{ ErrorEquals: ["States.ALL"], Next: "H", ResultPath: "$.err" }]), { a: 1 }, { taskResolver: fails("E", "why") });
    expect((await h.result()).output).toEqual({ a: 1, err: { Error: "E", Cause: "why" } });
  });

  it("catchers are scanned in order; the first match wins", async () => {
    const h = await run(def([{ ErrorEquals: ["Other"], Next: "H" }, { ErrorEquals: ["E"], Next: "H2" }, { ErrorEquals: ["States.ALL"], Next: "H" }]), {}, { taskResolver: fails("E") });
    expect(details(find(h.events, "PassStateEntered")).name).toBe("H2");
  });

  it("States.TaskFailed catches task errors but not States.Timeout", async () => {
    const caught = await run(def([{ ErrorEquals: ["States.TaskFailed"], Next: "H" }]), {}, { taskResolver: fails("Any.Error") });
    expect((await caught.result()).status).toBe("SUCCEEDED");
    const timeout = await run(def([{ ErrorEquals: ["States.TaskFailed"], Next: "H" }]), {}, { taskResolver: fails("States.Timeout") });
    expect((await timeout.result()).error).toBe("States.Timeout");
  });

  it("Retry runs before Catch", async () => {
    let calls = 0;
    const h = await run({ StartAt: "T", States: { T: { Type: "Task", Resource: LAMBDA, Retry: [{ ErrorEquals: ["E"], MaxAttempts: 2, IntervalSeconds: 1 }], Catch: [{ ErrorEquals: ["E"], Next: "H" }], End: true }, H: { Type: "Pass", End: true } } }, {}, { taskResolver: () => (calls++, { error: "E" }) });
    expect(calls).toBe(3);
    expect(types(h.events).slice(-4)).toEqual(["TaskStateExited", "PassStateEntered", "PassStateExited", "ExecutionSucceeded"]);
  });

  it("a JSONata catcher's Output and Assign see $states.errorOutput", async () => {
    const h = await run({ QueryLanguage: "JSONata", StartAt: "T", States: { T: { Type: "Task", Resource: LAMBDA, Catch: [{ ErrorEquals: ["States.ALL"], Next: "H", Output: "{% $states.errorOutput.Error %}", Assign: { why: "{% $states.errorOutput.Cause %}" } }], End: true }, H: { Type: "Pass", Output: "{% [$states.input, $why] %}", End: true } } }, {}, { taskResolver: fails("E", "c") });
    expect((await h.result()).output).toEqual(["E", "c"]);
    expect(details(find(h.events, "TaskStateExited"))).toMatchObject({ assignedVariables: { why: '"c"' } });
  });
});

describe("timeouts, heartbeats and callbacks", () => {
  it("TimeoutSeconds fails a task that does not answer in time with States.Timeout", async () => {
    const h = await run(task("arn:aws:states:::sqs:sendMessage.waitForTaskToken", { TimeoutSeconds: 5 }), {}, { taskResolver: () => ({ pending: true }) });
    expect(types(h.events).slice(2, 7)).toEqual(["TaskScheduled", "TaskStarted", "TaskSubmitted", "TaskTimedOut", "ExecutionFailed"]);
    expect(details(find(h.events, "TaskTimedOut"))).toEqual({ resourceType: "sqs", resource: "sendMessage.waitForTaskToken", error: "States.Timeout" });
    expect((find(h.events, "TaskTimedOut")?.timestamp ?? 0) - (find(h.events, "TaskStarted")?.timestamp ?? 0)).toBeGreaterThanOrEqual(5000);
  });

  it("TimeoutSecondsPath reads the timeout from the input", async () => {
    const h = await run(task("arn:aws:states:::sqs:sendMessage.waitForTaskToken", { TimeoutSecondsPath: "$.t" }), { t: 7 }, { taskResolver: () => ({ pending: true }) });
    expect(details(find(h.events, "TaskScheduled"))).toMatchObject({ timeoutInSeconds: 7 });
    expect((await h.result()).error).toBe("States.Timeout");
  });

  it("HeartbeatSecondsPath reads the heartbeat interval from the input", async () => {
    const h = await run(task("arn:aws:states:::sqs:sendMessage.waitForTaskToken", { HeartbeatSecondsPath: "$.hb" }), { hb: 4 }, { taskResolver: () => ({ pending: true }) });
    expect(details(find(h.events, "TaskScheduled"))).toMatchObject({ heartbeatInSeconds: 4 });
    expect((find(h.events, "TaskTimedOut")?.timestamp ?? 0) - (find(h.events, "TaskStarted")?.timestamp ?? 0)).toBeLessThan(5000);
  });

  it("a missed heartbeat is recorded as TaskTimedOut with States.Timeout", async () => {
    const h = await run(task("arn:aws:states:::sqs:sendMessage.waitForTaskToken", { TimeoutSeconds: 100, HeartbeatSeconds: 3 }), {}, { taskResolver: () => ({ pending: true }) });
    const timedOut = find(h.events, "TaskTimedOut");
    expect(details(timedOut).error).toBe("States.Timeout");
    expect((timedOut?.timestamp ?? 0) - (find(h.events, "TaskStarted")?.timestamp ?? 0)).toBeLessThan(10_000);
  });

  it("States.HeartbeatTimeout catches a missed heartbeat but not a TimeoutSeconds expiry", async () => {
    const def = (extra: Record<string, unknown>) => ({ StartAt: "T", States: { T: { Type: "Task", Resource: "arn:aws:states:::sqs:sendMessage.waitForTaskToken", Catch: [{ ErrorEquals: ["States.HeartbeatTimeout"], Next: "H" }], End: true, ...extra }, H: { Type: "Pass", End: true } } }) as never;
    const heartbeat = await run(def({ TimeoutSeconds: 100, HeartbeatSeconds: 3 }), {}, { taskResolver: () => ({ pending: true }) });
    expect(await heartbeat.result()).toMatchObject({ status: "SUCCEEDED", output: { Error: "States.Timeout" } });
    const timeout = await run(def({ TimeoutSeconds: 3 }), {}, { taskResolver: () => ({ pending: true }) });
    expect(await timeout.result()).toMatchObject({ status: "FAILED", error: "States.Timeout" });
  });

  it("sendTaskSuccess completes a .waitForTaskToken task with the token from $$.Task.Token", async () => {
    const h = startExecution({ definition: task("arn:aws:states:::sqs:sendMessage.waitForTaskToken", { Parameters: { "token.$": "$$.Task.Token" } }), startTime: START, onEvent: (e) => {
      if (e.type === "TaskSubmitted") queueMicrotask(() => h.sendTaskSuccess(h.pendingTaskTokens()[0], { done: 1 }));
    } });
    const r = await h.result();
    expect(r).toMatchObject({ status: "SUCCEEDED", output: { done: 1 } });
    expect(JSON.parse(String(details(find(h.events, "TaskScheduled")).parameters)).token).toMatch(/\S+/);
  });

  it("sendTaskFailure fails the task with the given error and cause", async () => {
    const h = startExecution({ definition: task("arn:aws:states:::sqs:sendMessage.waitForTaskToken"), startTime: START, taskResolver: (inv) => {
      queueMicrotask(() => h.sendTaskFailure(inv.taskToken ?? "", "Worker.Error", "bad"));
      return { pending: true };
    } });
    expect(await h.result()).toMatchObject({ status: "FAILED", error: "Worker.Error", cause: "bad" });
    expect(details(find(h.events, "TaskFailed"))).toMatchObject({ error: "Worker.Error", cause: "bad" });
  });

  it("heartbeats keep a callback task alive past HeartbeatSeconds", async () => {
    const clock = new VirtualClock(START);
    const h = startExecution({ definition: task("arn:aws:states:::sqs:sendMessage.waitForTaskToken", { HeartbeatSeconds: 5 }), clock, taskResolver: (inv) => {
      const token = inv.taskToken ?? "";
      clock.schedule(4000, () => h.sendTaskHeartbeat(token));
      clock.schedule(8000, () => h.sendTaskHeartbeat(token));
      clock.schedule(12_000, () => h.sendTaskSuccess(token, "late"));
      return { pending: true };
    } });
    expect(await h.result()).toMatchObject({ status: "SUCCEEDED", output: "late" });
    expect((find(h.events, "TaskSucceeded")?.timestamp ?? 0) - START).toBeGreaterThanOrEqual(12_000);
  });

  it("a callback after the task timed out is told TaskTimedOut", async () => {
    let token = "";
    const h = await run(task("arn:aws:states:::sqs:sendMessage.waitForTaskToken", { TimeoutSeconds: 5 }), {}, { taskResolver: (inv) => ((token = inv.taskToken ?? ""), { pending: true }) });
    expect((await h.result()).error).toBe("States.Timeout");
    expect(() => h.sendTaskSuccess(token, {})).toThrow(expect.objectContaining({ code: "TaskTimedOut" }));
  });

  it("an unknown token is rejected", () => {
    const h = startExecution({ definition: { StartAt: "P", States: { P: { Type: "Pass", End: true } } } });
    expect(() => h.sendTaskSuccess("nope", {})).toThrow(/TaskDoesNotExist|does not exist/);
  });

  it("an activity emits Activity* events and waits for its worker", async () => {
    const h = await run(task(ACTIVITY, { HeartbeatSeconds: 5, TimeoutSeconds: 60 }), { job: 1 }, { taskResolver: handlerResolver({ [ACTIVITY]: (input) => ({ worked: input }) }) });
    expect(types(h.events).slice(1, 7)).toEqual(["TaskStateEntered", "ActivityScheduled", "ActivityStarted", "ActivitySucceeded", "TaskStateExited", "ExecutionSucceeded"]);
    expect(details(find(h.events, "ActivityScheduled"))).toEqual({ resource: ACTIVITY, input: '{"job":1}', inputDetails: { truncated: false }, timeoutInSeconds: 60, heartbeatInSeconds: 5 });
  });

  it("an activity that was not created fails with States.Runtime before it is scheduled", async () => {
    const h = await run(task(ACTIVITY), {}, { activities: [] });
    expect(shape(h.events)).toEqual(["1<-0 ExecutionStarted", "2<-0 TaskStateEntered", "3<-2 ExecutionFailed"]);
    expect(await h.result()).toMatchObject({ error: "States.Runtime", cause: `An error occurred while executing the state 'T' (entered at the event id #2). The activity ${ACTIVITY} does not exist.` });
  });

  it("an activity nobody works on times out as ActivityTimedOut", async () => {
    const h = await run(task(ACTIVITY, { TimeoutSeconds: 10 }));
    expect(types(h.events)).toContain("ActivityTimedOut");
    expect((await h.result()).error).toBe("States.Timeout");
  });

  it("a handler may hand out the token and answer later with waitForCallback", async () => {
    const h = startExecution({ definition: task("arn:aws:states:::lambda:invoke.waitForTaskToken"), startTime: START, taskResolver: handlerResolver({
      "arn:aws:states:::lambda:invoke.waitForTaskToken": (_input, inv) => {
        setTimeout(() => h.sendTaskSuccess(inv.taskToken ?? "", { cb: true }), 0);
        return waitForCallback({ StatusCode: 200 });
      },
    }), clock: "real" });
    expect((await h.result()).output).toEqual({ cb: true });
    expect(details(find(h.events, "TaskSubmitted")).output).toBe('{"StatusCode":200}');
  });
});
