import { describe, expect, it } from "vitest";
import { HistoryParseError, parseHistoryDocument, parseTimestamp, toCliHistory } from "@/lib/history/parse";
import { ALL_FIXTURES, lambdaRetryCatchFail, passChain } from "../../fixtures/histories";

const parse = (doc: unknown) => parseHistoryDocument(JSON.stringify(doc), "h.json");
const problemOf = (doc: unknown) => {
  try {
    parse(doc);
  } catch (err) {
    expect(err).toBeInstanceOf(HistoryParseError);
    return (err as Error).message;
  }
  throw new Error("expected a HistoryParseError");
};

describe("parseHistoryDocument", () => {
  it("reads `aws stepfunctions get-execution-history` output with nextToken", () => {
    const parsed = parse({ ...passChain().cli(), nextToken: "abc" });
    expect(parsed.events).toHaveLength(4);
    expect(parsed.nextToken).toBe("abc");
    expect(parsed.events[1].stateEnteredEventDetails?.name).toBe("Start");
  });

  it("reads a bare array of events", () => {
    expect(parse(passChain().cli().events).events.map((e) => e.type)).toEqual(["ExecutionStarted", "PassStateEntered", "PassStateExited", "ExecutionSucceeded"]);
  });

  it("reads a bundle with describe-execution output and the definition", () => {
    const parsed = parse({
      execution: { executionArn: "arn:aws:states:us-east-1:1:execution:sm:e1", stateMachineArn: "arn:aws:states:us-east-1:1:stateMachine:sm", status: "SUCCEEDED", startDate: 1700000000.5, name: "e1" },
      definition: { StartAt: "Start", States: { Start: { Type: "Pass", End: true } } },
      events: passChain().cli().events,
    });
    expect(parsed.execution.executionArn).toContain(":e1");
    expect(parsed.execution.startDate).toBe(1700000000500);
    expect(JSON.parse(parsed.definition!)).toEqual({ StartAt: "Start", States: { Start: { Type: "Pass", End: true } } });
  });

  it("accepts payloads that an export already parsed into objects, keeping them as JSON text", () => {
    const doc = passChain().cli();
    (doc.events[0].executionStartedEventDetails as Record<string, unknown>).input = { orderId: "A-17" };
    expect(parse(doc).events[0].executionStartedEventDetails?.input).toBe('{"orderId":"A-17"}');
  });

  it("keeps events of unknown types verbatim", () => {
    const doc = { events: [...passChain().cli().events.slice(0, 1), { id: 2, previousEventId: 1, timestamp: "2026-03-01T12:00:01Z", type: "BrandNewEvent", brandNewEventDetails: { x: 1 } }] };
    const e = parse(doc).events[1];
    expect(e.type).toBe("BrandNewEvent");
    expect(e.unknownDetails).toEqual({ key: "brandNewEventDetails", value: { x: 1 } });
  });

  it("rejects text that is not JSON, naming the file", () => {
    expect(() => parseHistoryDocument("{nope", "bad.json")).toThrow(/^bad\.json: not valid JSON/);
  });

  it("rejects an event without id, naming its index", () => {
    const doc = passChain().cli();
    delete doc.events[2].id;
    expect(problemOf(doc)).toMatch(/event #2: missing field 'id'/);
  });

  it("rejects an event without type or timestamp", () => {
    const doc = passChain().cli();
    delete doc.events[1].type;
    delete doc.events[3].timestamp;
    const message = problemOf(doc);
    expect(message).toMatch(/event #1: missing field 'type'/);
    expect(message).toMatch(/event #3: missing field 'timestamp'/);
  });

  it("rejects duplicate ids", () => {
    const doc = passChain().cli();
    doc.events[2].id = 2;
    expect(problemOf(doc)).toMatch(/event #2: duplicate id 2 \(also at event #1\)/);
  });

  it("rejects a previousEventId that points nowhere", () => {
    const doc = passChain().cli();
    doc.events[3].previousEventId = 99;
    expect(problemOf(doc)).toMatch(/previousEventId 99 points at no event/);
  });

  it("rejects a details member that belongs to another event type", () => {
    const doc = passChain().cli();
    doc.events[1] = { ...doc.events[1], taskFailedEventDetails: { error: "x" } };
    expect(problemOf(doc)).toMatch(/'taskFailedEventDetails' does not belong to a PassStateEntered event/);
  });
});

describe("timestamps", () => {
  it("reads ISO text with microseconds and offsets, epoch seconds and epoch milliseconds", () => {
    expect(parseTimestamp("2024-01-01T00:00:00.123000+00:00")).toBe(Date.parse("2024-01-01T00:00:00.123Z"));
    expect(parseTimestamp("2024-01-01T02:00:00.5+02:00")).toBe(Date.parse("2024-01-01T00:00:00.500Z"));
    expect(parseTimestamp(1704067200.25)).toBe(1704067200250);
    expect(parseTimestamp(1704067200250)).toBe(1704067200250);
    expect(parseTimestamp("yesterday")).toBeNull();
  });
});

describe("toCliHistory", () => {
  it.each(Object.entries(ALL_FIXTURES))("round-trips the %s history", (_name, make) => {
    const original = make().cli();
    const again = toCliHistory(parse(original).events);
    expect(again).toEqual(original);
  });

  it("prints timestamps as the AWS CLI does", () => {
    const out = toCliHistory(parse(lambdaRetryCatchFail().cli()).events);
    expect(out.events[0].timestamp).toMatch(/^\d{4}-\d\d-\d\dT\d\d:\d\d:\d\d\.\d{6}\+00:00$/);
  });
});

describe("malformed details", () => {
  it("rejects a state name that is not a string", () => {
    const doc = passChain().cli();
    (doc.events[1].stateEnteredEventDetails as Record<string, unknown>).name = ["Start"];
    expect(problemOf(doc)).toMatch(/event #1: field 'stateEnteredEventDetails.name' must be a string \(id 2\)/);
  });

  it("rejects a Map iteration index that is not a number", () => {
    const doc = passChain().cli();
    doc.events.splice(2, 0, { id: 3, previousEventId: 2, timestamp: "2026-03-01T12:00:00Z", type: "MapIterationStarted", mapIterationStartedEventDetails: { name: "M", index: "7" } });
    doc.events.forEach((e, i) => { e.id = i + 1; });
    expect(problemOf(doc)).toMatch(/'mapIterationStartedEventDetails.index' must be a number/);
  });

  it("rejects timestamps outside the range of a date", () => {
    expect(parseTimestamp(1e20)).toBeNull();
    expect(parseTimestamp("+275760-09-14T00:00:00.001Z")).toBeNull();
  });
});
