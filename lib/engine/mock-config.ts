// Task resolution from an AWS Step Functions Local mock configuration file, exactly as AWS
// documents it (sfn-local-mock-cfg-file):
//   { "StateMachines": { <name>: { "TestCases": { <case>: { <TaskState>: <responseName> } } } },
//     "MockedResponses": { <responseName>: { "0": {"Return": ...}, "1-2": {"Throw": {"Error","Cause"}} } } }
// Keys are invocation numbers of the Task state ("0" = its first invocation, retries count), or
// inclusive ranges. A mocked state invoked with no response for that invocation fails the
// execution ("If you do not specify a mocked response, the state machine execution will fail").
import type { Json } from "../history/types";
import { StatesError, STATES_ERRORS } from "../asl/errors";
import type { TaskOutcome, TaskResolver } from "./types";

export type MockedResponse = { Return: Json } | { Throw: { Error: string; Cause?: string } };

export interface MockConfig {
  StateMachines: Record<string, { TestCases: Record<string, Record<string, string>> }>;
  MockedResponses: Record<string, Record<string, MockedResponse>>;
}

/** A defect in a mock configuration, with the JSON Pointer where it is. */
export class MockConfigError extends Error {
  constructor(readonly pointer: string, message: string) {
    super(`${pointer || "/"}: ${message}`);
    this.name = "MockConfigError";
  }
}

const isObject = (v: unknown): v is Record<string, unknown> => typeof v === "object" && v !== null && !Array.isArray(v);
const RANGE_KEY = /^(\d+)(?:-(\d+))?$/;

/** Checks a mock configuration's shape (JSON text or parsed) and returns it typed. */
export function parseMockConfig(raw: unknown): MockConfig {
  let value = raw;
  if (typeof raw === "string") {
    try {
      value = JSON.parse(raw);
    } catch (e) {
      throw new MockConfigError("", `not valid JSON (${(e as Error).message})`);
    }
  }
  if (!isObject(value)) throw new MockConfigError("", "a mock configuration must be a JSON object");
  const machines = value.StateMachines ?? {};
  const responses = value.MockedResponses ?? {};
  if (!isObject(machines)) throw new MockConfigError("/StateMachines", "must be an object");
  if (!isObject(responses)) throw new MockConfigError("/MockedResponses", "must be an object");
  for (const [sm, cfg] of Object.entries(machines)) {
    const p = `/StateMachines/${sm}`;
    if (!isObject(cfg) || !isObject(cfg.TestCases)) throw new MockConfigError(`${p}/TestCases`, "must be an object");
    for (const [tc, states] of Object.entries(cfg.TestCases)) {
      if (!isObject(states)) throw new MockConfigError(`${p}/TestCases/${tc}`, "must be an object of state name -> mocked response name");
      for (const [state, responseName] of Object.entries(states)) {
        if (typeof responseName !== "string") throw new MockConfigError(`${p}/TestCases/${tc}/${state}`, "must be the name of a mocked response");
        if (!(responseName in responses)) throw new MockConfigError(`${p}/TestCases/${tc}/${state}`, `no mocked response named '${responseName}' in MockedResponses`);
      }
    }
  }
  for (const [name, steps] of Object.entries(responses)) {
    const p = `/MockedResponses/${name}`;
    if (!isObject(steps)) throw new MockConfigError(p, "must be an object of invocation number (\"0\", \"1-2\") -> response");
    for (const [key, response] of Object.entries(steps)) {
      const m = RANGE_KEY.exec(key);
      if (!m || (m[2] !== undefined && Number(m[2]) < Number(m[1]))) {
        throw new MockConfigError(`${p}/${key}`, "the key must be an invocation number such as \"0\" or an inclusive range such as \"1-2\"");
      }
      if (!isObject(response)) throw new MockConfigError(`${p}/${key}`, "must be an object with Return or Throw");
      const hasReturn = "Return" in response;
      const hasThrow = "Throw" in response;
      if (hasReturn === hasThrow) throw new MockConfigError(`${p}/${key}`, "a response must contain a single field named Return or Throw");
      if (hasThrow) {
        const t = response.Throw;
        if (!isObject(t) || typeof t.Error !== "string" || (t.Cause !== undefined && typeof t.Cause !== "string")) {
          throw new MockConfigError(`${p}/${key}/Throw`, "Throw must be an object with string fields Error and Cause");
        }
      }
    }
  }
  return { StateMachines: machines as MockConfig["StateMachines"], MockedResponses: responses as MockConfig["MockedResponses"] };
}

/** The response for invocation `index` of a mocked response, or undefined. */
export function mockedResponseFor(steps: Record<string, MockedResponse>, index: number): MockedResponse | undefined {
  const exact = steps[String(index)];
  if (exact) return exact;
  for (const [key, response] of Object.entries(steps)) {
    const m = RANGE_KEY.exec(key);
    if (m && m[2] !== undefined && index >= Number(m[1]) && index <= Number(m[2])) return response;
  }
  return undefined;
}

/**
 * A task resolver answering the Task states a test case mocks. States the test case does not
 * list are left to the next resolver (Step Functions Local would call the real service).
 */
export function mockConfigResolver(config: MockConfig, stateMachineName: string, testCaseName: string): TaskResolver {
  const machine = config.StateMachines[stateMachineName];
  if (!machine) throw new MockConfigError("/StateMachines", `no state machine named '${stateMachineName}' (have: ${Object.keys(config.StateMachines).join(", ") || "none"})`);
  const testCase = machine.TestCases[testCaseName];
  if (!testCase) throw new MockConfigError(`/StateMachines/${stateMachineName}/TestCases`, `no test case named '${testCaseName}' (have: ${Object.keys(machine.TestCases).join(", ") || "none"})`);
  return (invocation): TaskOutcome | undefined => {
    const responseName = testCase[invocation.stateName];
    if (responseName === undefined) return undefined;
    const response = mockedResponseFor(config.MockedResponses[responseName], invocation.invocationIndex);
    if (!response) {
      throw new StatesError(
        STATES_ERRORS.Runtime,
        `No mocked response for invocation ${invocation.invocationIndex} of state '${invocation.stateName}' in mocked response '${responseName}' (test case '${testCaseName}').`,
      );
    }
    if ("Return" in response) return { output: response.Return };
    // A missed heartbeat: AWS records TaskTimedOut with States.Timeout, and retriers and catchers
    // naming States.HeartbeatTimeout match it.
    if (response.Throw.Error === STATES_ERRORS.HeartbeatTimeout) {
      return response.Throw.Cause === undefined
        ? { error: STATES_ERRORS.Timeout, heartbeatTimeout: true }
        : { error: STATES_ERRORS.Timeout, cause: response.Throw.Cause, heartbeatTimeout: true };
    }
    return response.Throw.Cause === undefined ? { error: response.Throw.Error } : { error: response.Throw.Error, cause: response.Throw.Cause };
  };
}
