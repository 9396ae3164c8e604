import { describe, expect, it } from "vitest";
import type { HistoryEvent } from "@/lib/history/types";
import { fromLogRecord, isLoggedAt, LOG_PAYLOAD_LIMIT, LogRecordError, parseLogRecord, toLogRecord } from "@/lib/sources/cloudwatch-logs/record";

const ARN = "arn:aws:states:eu-central-1:123456789012:express:MyMachine:exec-name:4135929f-0000-4000-8000-000000000000";
// A record as AWS writes it (aws-facts §4.3): every top-level field a string.
const STARTED = `{"id":"1","type":"ExecutionStarted","details":{"input":"{\\"name\\":\\"x\\"}","inputDetails":{"truncated":false},"roleArn":"arn:aws:iam::123456789012:role/r"},"previous_event_id":"0","event_timestamp":"1713959670672","execution_arn":"${ARN}","redrive_count":"0"}`;

describe("parseLogRecord", () => {
  it("reads AWS's all-string record", () => {
    expect(parseLogRecord(STARTED)).toMatchObject({ id: "1", type: "ExecutionStarted", previous_event_id: "0", event_timestamp: "1713959670672", execution_arn: ARN });
  });

  it("skips the delivery-validation line that is not JSON", () => {
    expect(parseLogRecord("Permissions are set correctly to allow AWS CloudWatch Logs to write into your logs while creating a subscription.")).toBeNull();
  });

  it("rejects a record whose id is not a string of digits", () => {
    expect(() => parseLogRecord(STARTED.replace('"id":"1"', '"id":"one"'))).toThrow(LogRecordError);
  });
});

describe("fromLogRecord", () => {
  it("turns strings into numbers and wraps details in the type's details member", () => {
    expect(fromLogRecord(parseLogRecord(STARTED)!)).toEqual({
      id: 1, previousEventId: 0, timestamp: 1713959670672, type: "ExecutionStarted",
      executionStartedEventDetails: { input: '{"name":"x"}', inputDetails: { truncated: false }, roleArn: "arn:aws:iam::123456789012:role/r" },
    });
  });

  it("gives types without a details member no details", () => {
    const event = fromLogRecord({ id: "5", type: "ParallelStateStarted", details: {}, previous_event_id: "4", event_timestamp: "10", execution_arn: ARN, redrive_count: "0" });
    expect(event).toEqual({ id: 5, previousEventId: 4, timestamp: 10, type: "ParallelStateStarted" });
  });

  it("keeps the details of an event type newer than the SDK", () => {
    const event = fromLogRecord({ id: "2", type: "FutureThing", details: { a: 1 }, previous_event_id: "1", event_timestamp: "10", execution_arn: ARN, redrive_count: "0" });
    expect(event.unknownDetails).toEqual({ key: "futureThingEventDetails", value: { a: 1 } });
  });
});

describe("toLogRecord", () => {
  const exited: HistoryEvent = { id: 3, previousEventId: 2, timestamp: 1000, type: "PassStateExited", stateExitedEventDetails: { name: "P", output: '{"a":1}', outputDetails: { truncated: false } } };

  it("is the inverse of fromLogRecord", () => {
    expect(fromLogRecord(parseLogRecord(JSON.stringify(toLogRecord(exited, ARN, { includeExecutionData: true })))!)).toEqual(exited);
  });

  it("leaves payloads out without execution data", () => {
    expect(toLogRecord(exited, ARN, { includeExecutionData: false }).details).toEqual({ name: "P" });
  });

  it("truncates payloads above 248 KB and says so", () => {
    const big: HistoryEvent = { ...exited, stateExitedEventDetails: { name: "P", output: "x".repeat(LOG_PAYLOAD_LIMIT + 10), outputDetails: { truncated: false } } };
    const details = toLogRecord(big, ARN, { includeExecutionData: true }).details;
    expect((details.output as string).length).toBe(LOG_PAYLOAD_LIMIT);
    expect(details.outputDetails).toEqual({ truncated: true });
  });
});

describe("isLoggedAt", () => {
  it("logs only failures at ERROR and only execution failures at FATAL", () => {
    expect(isLoggedAt("ALL", "PassStateEntered")).toBe(true);
    expect(isLoggedAt("ERROR", "PassStateEntered")).toBe(false);
    expect(isLoggedAt("ERROR", "TaskFailed")).toBe(true);
    expect(isLoggedAt("FATAL", "TaskFailed")).toBe(false);
    expect(isLoggedAt("FATAL", "ExecutionFailed")).toBe(true);
    expect(isLoggedAt("OFF", "ExecutionFailed")).toBe(false);
  });
});
