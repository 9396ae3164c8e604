// A recorded run as an AWS Step Functions Local mock configuration: every Task state's tries,
// in the order the execution made them, as Return (the recorded result) or Throw (the recorded
// error), keyed by invocation number ("0" = the state's first invocation; retries and later
// entries count on), so the engine replays the run exactly. A try whose heartbeat expired is
// `Throw States.HeartbeatTimeout` (replayed as a TaskTimedOut with States.Timeout).
import type { Json } from "@/lib/history";
import type { RunModel } from "./model";

export type MockResponse = { Return: Json } | { Throw: { Error: string; Cause?: string } };

export interface MockConfigDocument {
  StateMachines: Record<string, { TestCases: Record<string, Record<string, string>> }>;
  MockedResponses: Record<string, Record<string, MockResponse>>;
}

export interface MockConfigResult {
  config: MockConfigDocument;
  /** Tries the config cannot reproduce (result not recorded, try cut short). */
  warnings: string[];
}

export function mockConfigFromRun(
  model: RunModel,
  names: { stateMachine?: string; testCase?: string } = {},
): MockConfigResult {
  const stateMachine = names.stateMachine ?? "StateMachine";
  const testCase = names.testCase ?? "Replay";
  const warnings: string[] = [];
  const tries: Array<{ order: number; state: string; response: MockResponse | null; where: string }> = [];
  for (const v of model.allVisits) {
    if (v.stateType !== "Task") continue;
    for (const a of v.attemptList) {
      const where = `'${v.stateName}'${v.path ? ` (${v.path})` : ""} try ${a.number}`;
      const order = a.scheduledEventId ?? a.endedEventId ?? v.enteredEventId;
      let response: MockResponse | null = null;
      if (a.outcome === "SUCCEEDED") {
        if (a.result && a.result.provenance === "recorded" && a.result.value !== undefined) response = { Return: a.result.value };
        else {
          warnings.push(`${where}: the result is not recorded; replayed as null`);
          response = { Return: null };
        }
      } else if (a.outcome === "FAILED" || a.outcome === "TIMED_OUT") {
        // A missed heartbeat is written as States.HeartbeatTimeout: the resolver replays it as
        // States.Timeout with the heartbeat flag (what AWS records), so its retriers match again.
        const error = a.heartbeatTimeout ? "States.HeartbeatTimeout" : a.error ?? (a.outcome === "TIMED_OUT" ? "States.Timeout" : "States.TaskFailed");
        response = { Throw: a.cause === null ? { Error: error } : { Error: error, Cause: a.cause } };
      } else {
        warnings.push(`${where}: ${a.outcome === "ABORTED" ? "aborted" : "still running"} in the record; no response for it`);
      }
      tries.push({ order, state: v.stateName, response, where });
    }
  }
  tries.sort((x, y) => x.order - y.order);
  const perState = new Map<string, Record<string, MockResponse>>();
  const counters = new Map<string, number>();
  for (const t of tries) {
    const n = counters.get(t.state) ?? 0;
    counters.set(t.state, n + 1);
    if (!t.response) continue;
    const list = perState.get(t.state) ?? {};
    list[String(n)] = t.response;
    perState.set(t.state, list);
  }
  const testCaseMap: Record<string, string> = {};
  const responses: Record<string, Record<string, MockResponse>> = {};
  for (const [state, list] of perState) {
    const name = `${testCase}_${state}`;
    testCaseMap[state] = name;
    responses[name] = list;
  }
  return {
    config: { StateMachines: { [stateMachine]: { TestCases: { [testCase]: testCaseMap } } }, MockedResponses: responses },
    warnings,
  };
}
