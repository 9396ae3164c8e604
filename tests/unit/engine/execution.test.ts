import { describe, expect, it } from "vitest";
import { startExecution } from "../../../lib/engine/execution";
import { details, find, run, shape, START, types } from "./helpers";

describe("execution", () => {
  it("stop() aborts with ExecutionAborted pointing at 0 and no state aborted event", async () => {
    const h = startExecution({ definition: { StartAt: "W", States: { W: { Type: "Wait", Seconds: 100, End: true } } }, startTime: START, onEvent: (e) => {
      if (e.type === "WaitStateEntered") queueMicrotask(() => h.stop("Stopped", "by test"));
    } });
    expect(await h.result()).toMatchObject({ status: "ABORTED", error: "Stopped", cause: "by test" });
    expect(shape(h.events)).toEqual(["1<-0 ExecutionStarted", "2<-0 WaitStateEntered", "3<-0 ExecutionAborted"]);
  });

  it("the state machine's TimeoutSeconds times the execution out", async () => {
    const h = await run({ TimeoutSeconds: 10, StartAt: "W", States: { W: { Type: "Wait", Seconds: 100, End: true } } });
    expect(await h.result()).toMatchObject({ status: "TIMED_OUT", error: "States.Timeout" });
    expect(types(h.events).at(-1)).toBe("ExecutionTimedOut");
  });

  it("Express executions end after 5 minutes and report billing details", async () => {
    const slow = await run({ StartAt: "W", States: { W: { Type: "Wait", Seconds: 600, End: true } } }, {}, { type: "EXPRESS" });
    expect((await slow.result()).status).toBe("TIMED_OUT");
    const quick = await run({ StartAt: "P", States: { P: { Type: "Pass", End: true } } }, {}, { type: "EXPRESS" });
    expect(quick.describe().billingDetails).toEqual({ billedMemoryUsedInMB: 64, billedDurationInMilliseconds: 100 });
    expect(quick.executionArn).toContain(":express:");
  });

  it("a Standard history stops at AWS's 25,000-event quota; Express has none", async () => {
    const loop = { StartAt: "A", States: { A: { Type: "Pass", Next: "B" }, B: { Type: "Choice", Choices: [{ Variable: "$.never", IsPresent: true, Next: "Done" }], Default: "A" }, Done: { Type: "Succeed" } } } as never;
    const h = await run(loop, {}, { maxHistoryEvents: 50 });
    expect((await h.result()).status).toBe("FAILED");
    expect(h.events.length).toBe(50);
    expect(types(h.events).at(-1)).toBe("ExecutionFailed");
  });

  it("reaching the quota inside a Map still ends the execution with ExecutionFailed", async () => {
    const map = { StartAt: "M", States: { M: { Type: "Map", ItemProcessor: { StartAt: "I", States: { I: { Type: "Pass", End: true } } }, End: true } } } as never;
    const h = await run(map, Array.from({ length: 100 }, (_, i) => i), { maxHistoryEvents: 60 });
    expect((await h.result()).status).toBe("FAILED");
    expect(h.events.length).toBe(60);
    const express = await run(map, Array.from({ length: 100 }, (_, i) => i), { type: "EXPRESS" });
    expect((await express.result()).status).toBe("SUCCEEDED");
  });

  it("describe() is shaped like DescribeExecution", async () => {
    const h = await run({ StartAt: "P", States: { P: { Type: "Pass", End: true } } }, { a: 1 }, { name: "n1", stateMachineArn: "arn:aws:states:us-east-1:111111111111:stateMachine:sm" });
    expect(h.describe()).toMatchObject({ executionArn: "arn:aws:states:us-east-1:111111111111:execution:sm:n1", name: "n1", status: "SUCCEEDED", input: '{"a":1}', output: '{"a":1}', startDate: START });
  });

  it("ExecutionStarted carries the input as JSON text and the role", async () => {
    const h = await run({ StartAt: "P", States: { P: { Type: "Pass", End: true } } }, [1], { roleArn: "arn:aws:iam::1:role/r" });
    expect(details(find(h.events, "ExecutionStarted"))).toEqual({ input: "[1]", inputDetails: { truncated: false }, roleArn: "arn:aws:iam::1:role/r" });
  });

  it("timestamps increase with virtual time", async () => {
    const h = await run({ StartAt: "P", States: { P: { Type: "Pass", Next: "W" }, W: { Type: "Wait", Seconds: 3600, End: true } } });
    const ts = h.events.map((e) => e.timestamp);
    expect([...ts].sort((a, b) => a - b)).toEqual(ts);
    expect(ts.at(-1)! - ts[0]).toBeGreaterThanOrEqual(3_600_000);
  });
});

describe("clocks", () => {
  it("the real clock waits in real time", async () => {
    const t0 = Date.now();
    const h = await run({ StartAt: "W", States: { W: { Type: "Wait", Seconds: 1, End: true } } }, {}, { clock: "real" });
    expect((await h.result()).status).toBe("SUCCEEDED");
    expect(Date.now() - t0).toBeGreaterThanOrEqual(990);
  });

  it("a callback nobody answers times out with the task's TimeoutSeconds in virtual time", async () => {
    const h = await run({ StartAt: "T", States: { T: { Type: "Task", Resource: "arn:aws:states:::sqs:sendMessage.waitForTaskToken", TimeoutSeconds: 86_400, End: true } } });
    expect(await h.result()).toMatchObject({ status: "FAILED", error: "States.Timeout" });
    expect(types(h.events)).toContain("TaskTimedOut");
  });

  it("Express rejects definitions with callback patterns", () => {
    expect(() => startExecution({ definition: { StartAt: "T", States: { T: { Type: "Task", Resource: "arn:aws:states:us-east-1:1:activity:a", End: true } } }, type: "EXPRESS" })).toThrow(/Express/);
  });
});

describe("Distributed Map child types", () => {
  it("rejects a callback pattern inside Express children", () => {
    const def = { StartAt: "M", States: { M: { Type: "Map", ItemProcessor: { ProcessorConfig: { Mode: "DISTRIBUTED", ExecutionType: "EXPRESS" }, StartAt: "T", States: { T: { Type: "Task", Resource: "arn:aws:states:::sqs:sendMessage.waitForTaskToken", End: true } } }, End: true } } } as never;
    expect(() => startExecution({ definition: def })).toThrow(/Express/);
  });

  it("runs Express children as Express executions", async () => {
    const def = { StartAt: "M", States: { M: { Type: "Map", ItemProcessor: { ProcessorConfig: { Mode: "DISTRIBUTED", ExecutionType: "EXPRESS" }, StartAt: "P", States: { P: { Type: "Pass", End: true } } }, End: true } } } as never;
    const h = await run(def, [1]);
    expect(h.mapRuns[0].executions[0].type).toBe("EXPRESS");
    expect(h.mapRuns[0].executions[0].executionArn).toContain(":express:");
  });
});
