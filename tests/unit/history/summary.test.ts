import { describe, expect, it } from "vitest";
import { summarizeHistory } from "@/lib/history/summary";
import { indexHistory, stateNameOf } from "@/lib/history/tree";
import { activityDistributedUnknown, callbackChoiceWait, evaluationFailed, lambdaRetryCatchFail, mapAndParallel, passChain } from "../../fixtures/histories";

describe("summarizeHistory", () => {
  it("reads status, output and times of a successful execution", () => {
    const events = passChain().events;
    const s = summarizeHistory(events);
    expect(s).toMatchObject({ status: "SUCCEEDED", output: '{"orderId":"A-17","ok":true}', input: '{"orderId":"A-17"}', eventCount: 4, retries: 0, transitions: 1 });
    expect(s.stopDate! - s.startDate).toBe(events[3].timestamp - events[0].timestamp);
  });

  it("names the error and the state that failed, counting retries as billed transitions", () => {
    const s = summarizeHistory(lambdaRetryCatchFail().events);
    expect(s).toMatchObject({ status: "FAILED", error: "PaymentDeclined", cause: "card declined", failedState: "Declined", retries: 2, transitions: 4 });
  });

  it("attributes a timed-out activity to its Task state", () => {
    expect(summarizeHistory(activityDistributedUnknown().events)).toMatchObject({ status: "FAILED", error: "States.Timeout", failedState: "Work" });
  });

  it("attributes a JSONata evaluation failure to the state that evaluated it", () => {
    expect(summarizeHistory(evaluationFailed().events)).toMatchObject({ error: "States.QueryEvaluationError", failedState: "Compute" });
  });

  it("reports a history without a closing event as RUNNING with no stop date", () => {
    const s = summarizeHistory(callbackChoiceWait().events.slice(0, 5));
    expect(s.status).toBe("RUNNING");
    expect(s.stopDate).toBeUndefined();
  });

  it("counts every state entered inside Map iterations and Parallel branches", () => {
    // Each, Double x2, Both, Left, Right
    expect(summarizeHistory(mapAndParallel().events).transitions).toBe(6);
  });
});

describe("stateNameOf", () => {
  it("follows previousEventId to the state an event belongs to", () => {
    const events = lambdaRetryCatchFail().events;
    const index = indexHistory(events);
    const lastFailure = events.filter((e) => e.type === "LambdaFunctionFailed").at(-1)!;
    expect(stateNameOf(index, lastFailure)).toBe("Charge");
    expect(stateNameOf(index, events[0])).toBeUndefined();
  });
});
