import { describe, expect, it } from "vitest";
import { MockConfigError, mockConfigResolver, mockedResponseFor, parseMockConfig } from "../../../lib/engine/mock-config";
import { details, find, run, types } from "./helpers";

const LAMBDA = "arn:aws:lambda:us-east-1:123456789012:function:f";
const config = parseMockConfig({
  StateMachines: { Machine: { TestCases: { Happy: { T: "Ok" }, Retry: { T: "FlakyThenOk" }, Short: { T: "OnlyOnce" } } } },
  MockedResponses: {
    Ok: { "0": { Return: { ok: true } } },
    FlakyThenOk: { "0": { Throw: { Error: "Lambda.ServiceException", Cause: "first" } }, "1-2": { Throw: { Error: "Lambda.TooManyRequestsException", Cause: "again" } }, "3": { Return: { ok: 3 } } },
    OnlyOnce: { "0": { Return: 1 } },
  },
});

describe("mock config format", () => {
  it("picks a response by invocation number, ranges inclusive", () => {
    const steps = config.MockedResponses.FlakyThenOk;
    expect(mockedResponseFor(steps, 0)).toEqual({ Throw: { Error: "Lambda.ServiceException", Cause: "first" } });
    expect(mockedResponseFor(steps, 1)).toEqual(mockedResponseFor(steps, 2));
    expect(mockedResponseFor(steps, 3)).toEqual({ Return: { ok: 3 } });
    expect(mockedResponseFor(steps, 4)).toBeUndefined();
  });

  it("rejects a response with both Return and Throw", () => {
    expect(() => parseMockConfig({ MockedResponses: { R: { "0": { Return: 1, Throw: { Error: "E" } } } } })).toThrow(MockConfigError);
  });

  it("rejects invocation keys that are not numbers or ranges", () => {
    expect(() => parseMockConfig({ MockedResponses: { R: { first: { Return: 1 } } } })).toThrow(/invocation number/);
    expect(() => parseMockConfig({ MockedResponses: { R: { "3-1": { Return: 1 } } } })).toThrow(/invocation number/);
  });

  it("rejects a test case that names an unknown mocked response", () => {
    expect(() => parseMockConfig({ StateMachines: { M: { TestCases: { C: { S: "Nope" } } } }, MockedResponses: {} })).toThrow(/Nope/);
  });

  it("rejects an unknown state machine or test case", () => {
    expect(() => mockConfigResolver(config, "Other", "Happy")).toThrow(/Other/);
    expect(() => mockConfigResolver(config, "Machine", "Sad")).toThrow(/Sad/);
  });

  it("a Return completes the task with that output", async () => {
    const h = await run({ StartAt: "T", States: { T: { Type: "Task", Resource: LAMBDA, End: true } } }, {}, { taskResolver: mockConfigResolver(config, "Machine", "Happy") });
    expect(await h.result()).toMatchObject({ status: "SUCCEEDED", output: { ok: true } });
  });

  it("retries walk through the numbered and ranged responses", async () => {
    const h = await run({ StartAt: "T", States: { T: { Type: "Task", Resource: LAMBDA, Retry: [{ ErrorEquals: ["States.ALL"], MaxAttempts: 3 }], End: true } } }, {}, { taskResolver: mockConfigResolver(config, "Machine", "Retry") });
    expect(types(h.events).filter((t) => t === "LambdaFunctionFailed")).toHaveLength(3);
    expect(details(find(h.events, "LambdaFunctionFailed", 1))).toEqual({ error: "Lambda.TooManyRequestsException", cause: "again" });
    expect(await h.result()).toMatchObject({ status: "SUCCEEDED", output: { ok: 3 } });
  });

  it("an invocation with no mocked response fails the execution", async () => {
    const def = { StartAt: "T", States: { T: { Type: "Task", Resource: LAMBDA, Next: "Again" }, Again: { Type: "Choice", Choices: [{ Variable: "$.never", IsPresent: true, Next: "Done" }], Default: "T" }, Done: { Type: "Succeed" } } } as const;
    const h = await run(def as never, {}, { taskResolver: mockConfigResolver(config, "Machine", "Short") });
    const r = await h.result();
    expect(r.status).toBe("FAILED");
    expect(r.error).toBe("States.Runtime");
    expect(r.cause).toMatch(/No mocked response for invocation 1 of state 'T'/);
    const started = h.events.filter((e) => e.type === "LambdaFunctionStarted")[1];
    expect(h.events.at(-1)).toMatchObject({ type: "ExecutionFailed", previousEventId: started?.id });
  });
});
