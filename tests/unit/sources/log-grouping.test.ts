import { describe, expect, it } from "vitest";
import { ExecutionGrouper, incompleteness, stateMachineArnOfExecution } from "@/lib/sources/cloudwatch-logs/group";
import type { StepFunctionsLogRecord } from "@/lib/sources/cloudwatch-logs/record";

const ARN_A = "arn:aws:states:us-east-1:123456789012:express:orders:a:11111111-1111-4111-8111-111111111111";
const ARN_B = "arn:aws:states:us-east-1:123456789012:express:orders:b:22222222-2222-4222-8222-222222222222";
const rec = (arn: string, id: number, type: string, details: Record<string, unknown> = {}): StepFunctionsLogRecord => ({
  id: String(id), type, details, previous_event_id: String(id - 1), event_timestamp: String(1000 + id), execution_arn: arn, redrive_count: "0",
});
const ALL = { level: "ALL" as const, includeExecutionData: true };

describe("ExecutionGrouper", () => {
  it("groups interleaved records by execution, in id order, once each", () => {
    const g = new ExecutionGrouper();
    for (const r of [rec(ARN_A, 2, "PassStateEntered", { name: "P" }), rec(ARN_B, 1, "ExecutionStarted", { input: "{}" }), rec(ARN_A, 1, "ExecutionStarted", { input: "{}" }), rec(ARN_A, 2, "PassStateEntered", { name: "P" })]) g.add(r);
    const byArn = new Map(g.executions(ALL).map((e) => [e.executionArn, e]));
    expect(byArn.get(ARN_A)!.events.map((e) => e.id)).toEqual([1, 2]);
    expect(byArn.get(ARN_B)!.events.map((e) => e.id)).toEqual([1]);
  });

  it("knows an execution is closed by its last event", () => {
    const g = new ExecutionGrouper();
    g.add(rec(ARN_A, 1, "ExecutionStarted", { input: "{}" }));
    g.add(rec(ARN_A, 2, "ExecutionSucceeded", { output: "{}" }));
    g.add(rec(ARN_B, 1, "ExecutionStarted", { input: "{}" }));
    const closed = Object.fromEntries(g.executions(ALL).map((e) => [e.executionArn, e.closed]));
    expect(closed).toEqual({ [ARN_A]: true, [ARN_B]: false });
  });
});

describe("ExecutionGrouper.takeClosedBefore", () => {
  it("hands out executions that closed before a time once, and ignores their late records", () => {
    const g = new ExecutionGrouper();
    g.add(rec(ARN_A, 1, "ExecutionStarted", { input: "{}" }));
    g.add(rec(ARN_A, 2, "ExecutionSucceeded", { output: "{}" })); // at 1002
    g.add(rec(ARN_B, 1, "ExecutionStarted", { input: "{}" }));
    expect(g.takeClosedBefore(1002, ALL)).toEqual([]);
    expect(g.takeClosedBefore(1003, ALL).map((e) => e.executionArn)).toEqual([ARN_A]);
    g.add(rec(ARN_A, 2, "ExecutionSucceeded", { output: "{}" }));
    expect(g.takeAll(ALL).map((e) => e.executionArn)).toEqual([ARN_B]);
  });
});

describe("incompleteness", () => {
  const g = (records: StepFunctionsLogRecord[]) => {
    const grouper = new ExecutionGrouper();
    records.forEach((r) => grouper.add(r));
    return grouper.executions(ALL)[0].events;
  };

  it("is null for a whole history logged at ALL with execution data", () => {
    expect(incompleteness(g([rec(ARN_A, 1, "ExecutionStarted", { input: "{}" }), rec(ARN_A, 2, "ExecutionSucceeded", { output: "{}" })]), ALL)).toBeNull();
  });

  it("names the log level below ALL", () => {
    expect(incompleteness([], { level: "ERROR", includeExecutionData: true })).toMatch(/log level ERROR/);
  });

  it("names missing execution data", () => {
    expect(incompleteness([], { level: "ALL", includeExecutionData: false })).toMatch(/includeExecutionData/);
  });

  it("finds a gap in the ids", () => {
    expect(incompleteness(g([rec(ARN_A, 1, "ExecutionStarted"), rec(ARN_A, 3, "ExecutionSucceeded")]), ALL)).toMatch(/missing before id 3/);
  });

  it("finds a truncated payload", () => {
    expect(incompleteness(g([rec(ARN_A, 1, "ExecutionStarted", { input: "{", inputDetails: { truncated: true } })]), ALL)).toMatch(/truncated at event 1/);
  });
});

describe("stateMachineArnOfExecution", () => {
  it("maps an Express execution ARN to its state machine", () => {
    expect(stateMachineArnOfExecution(ARN_A)).toBe("arn:aws:states:us-east-1:123456789012:stateMachine:orders");
  });
});
