import { describe, expect, it } from "vitest";
import { details, find, run, shape, START, types } from "./helpers";

describe("Pass", () => {
  it("records Entered and Exited with causal links; the first state points at 0", async () => {
    const h = await run({ StartAt: "P", States: { P: { Type: "Pass", Result: { a: 1 }, ResultPath: "$.r", End: true } } }, { x: 0 });
    expect(shape(h.events)).toEqual(["1<-0 ExecutionStarted", "2<-0 PassStateEntered", "3<-2 PassStateExited", "4<-3 ExecutionSucceeded"]);
    expect(details(h.events[2])).toEqual({ name: "P", output: '{"x":0,"r":{"a":1}}', outputDetails: { truncated: false } });
    expect(await h.result()).toEqual({ status: "SUCCEEDED", output: { x: 0, r: { a: 1 } } });
  });

  it("records assigned variables as JSON text on Exited", async () => {
    const h = await run({ StartAt: "P", States: { P: { Type: "Pass", Assign: { v: 42 }, Next: "Q" }, Q: { Type: "Pass", Parameters: { "got.$": "$v" }, End: true } } });
    expect(details(h.events[2])).toMatchObject({ assignedVariables: { v: "42" }, assignedVariablesDetails: { truncated: false } });
    expect((await h.result()).output).toEqual({ got: 42 });
  });

  it("a bad InputPath fails the execution with States.Runtime and the entered event in the cause", async () => {
    const h = await run({ StartAt: "P", States: { P: { Type: "Pass", InputPath: "$.missing", End: true } } });
    const r = await h.result();
    expect(r.status).toBe("FAILED");
    expect(r.error).toBe("States.Runtime");
    expect(r.cause).toMatch(/^An error occurred while executing the state 'P' \(entered at the event id #2\)/);
    expect(shape(h.events).at(-1)).toBe("3<-2 ExecutionFailed");
  });
});

describe("Wait", () => {
  it("waits an hour of virtual time at once", async () => {
    const t0 = Date.now();
    const h = await run({ StartAt: "W", States: { W: { Type: "Wait", Seconds: 3600, End: true } } });
    expect(Date.now() - t0).toBeLessThan(1000);
    const entered = find(h.events, "WaitStateEntered");
    const exited = find(h.events, "WaitStateExited");
    expect((exited?.timestamp ?? 0) - (entered?.timestamp ?? 0)).toBeGreaterThanOrEqual(3_600_000);
  });

  it("SecondsPath reads the duration from the input", async () => {
    const h = await run({ StartAt: "W", States: { W: { Type: "Wait", SecondsPath: "$.s", End: true } } }, { s: 60 });
    expect((find(h.events, "WaitStateExited")?.timestamp ?? 0) - (find(h.events, "WaitStateEntered")?.timestamp ?? 0)).toBeGreaterThanOrEqual(60_000);
  });

  it("Timestamp waits until that time", async () => {
    const h = await run({ StartAt: "W", States: { W: { Type: "Wait", Timestamp: "2024-01-02T00:00:00Z", End: true } } });
    expect(find(h.events, "WaitStateExited")?.timestamp).toBeGreaterThanOrEqual(Date.parse("2024-01-02T00:00:00Z"));
  });

  it("TimestampPath reads the time from the input", async () => {
    const h = await run({ StartAt: "W", States: { W: { Type: "Wait", TimestampPath: "$.t", End: true } } }, { t: "2024-01-01T00:10:00Z" });
    expect(find(h.events, "WaitStateExited")?.timestamp).toBeGreaterThanOrEqual(START + 600_000);
  });
});

describe("Choice", () => {
  const def = {
    StartAt: "C",
    States: {
      C: { Type: "Choice", Choices: [{ Variable: "$.n", NumericGreaterThan: 10, Next: "Big" }], Default: "Small" },
      Big: { Type: "Pass", Result: "big", End: true },
      Small: { Type: "Pass", Result: "small", End: true },
    },
  } as const;

  it("takes the first matching rule", async () => {
    const h = await run(def as never, { n: 11 });
    expect(types(h.events)).toEqual(["ExecutionStarted", "ChoiceStateEntered", "ChoiceStateExited", "PassStateEntered", "PassStateExited", "ExecutionSucceeded"]);
    expect((await h.result()).output).toBe("big");
  });

  it("takes Default when nothing matches", async () => {
    expect((await (await run(def as never, { n: 1 })).result()).output).toBe("small");
  });

  it("fails with States.NoChoiceMatched without a Default", async () => {
    const h = await run({ StartAt: "C", States: { C: { Type: "Choice", Choices: [{ Variable: "$.n", NumericEquals: 1, Next: "X" }] }, X: { Type: "Succeed" } } }, { n: 2 });
    expect((await h.result()).error).toBe("States.NoChoiceMatched");
  });
});

describe("Succeed and Fail", () => {
  it("Succeed ends the execution with its input", async () => {
    const h = await run({ StartAt: "S", States: { S: { Type: "Succeed" } } }, { a: 1 });
    expect(types(h.events)).toEqual(["ExecutionStarted", "SucceedStateEntered", "SucceedStateExited", "ExecutionSucceeded"]);
  });

  it("Fail has no Exited event and fails the execution with its Error and Cause", async () => {
    const h = await run({ StartAt: "F", States: { F: { Type: "Fail", Error: "MyError", Cause: "because" } } });
    expect(shape(h.events)).toEqual(["1<-0 ExecutionStarted", "2<-0 FailStateEntered", "3<-2 ExecutionFailed"]);
    expect(details(h.events[2])).toEqual({ error: "MyError", cause: "because" });
  });

  it("ErrorPath and CausePath read from the input", async () => {
    const h = await run({ StartAt: "F", States: { F: { Type: "Fail", ErrorPath: "$.e", CausePath: "$.c" } } }, { e: "E1", c: "C1" });
    expect(await h.result()).toMatchObject({ status: "FAILED", error: "E1", cause: "C1" });
  });
});

describe("JSONata and variables", () => {
  it("evaluates Output with $states.input and variables", async () => {
    const h = await run({ QueryLanguage: "JSONata", StartAt: "A", States: {
      A: { Type: "Pass", Assign: { k: "{% $states.input.x * 2 %}" }, Next: "B" },
      B: { Type: "Pass", Output: "{% { 'doubled': $k } %}", End: true },
    } }, { x: 21 });
    expect((await h.result()).output).toEqual({ doubled: 42 });
  });

  it("a failing expression records EvaluationFailed before the execution fails", async () => {
    const h = await run({ QueryLanguage: "JSONata", StartAt: "A", States: { A: { Type: "Pass", Output: "{% $states.input.nope %}", End: true } } });
    expect(types(h.events)).toEqual(["ExecutionStarted", "PassStateEntered", "EvaluationFailed", "ExecutionFailed"]);
    expect(details(find(h.events, "EvaluationFailed"))).toMatchObject({ error: "States.QueryEvaluationError", state: "A" });
  });
});

describe("context object", () => {
  it("exposes Execution, StateMachine and State", async () => {
    const h = await run({ StartAt: "P", States: { P: { Type: "Pass", Parameters: { "ctx.$": "$$" }, End: true } } }, { in: 1 }, { stateMachineName: "SM" });
    const ctx = ((await h.result()).output as { ctx: Record<string, Record<string, unknown>> }).ctx;
    expect(ctx.Execution).toMatchObject({ Name: "test", Input: { in: 1 }, StartTime: "2024-01-01T00:00:00.000Z" });
    expect(ctx.StateMachine).toMatchObject({ Name: "SM" });
    expect(ctx.State).toMatchObject({ Name: "P", RetryCount: 0 });
  });
});
