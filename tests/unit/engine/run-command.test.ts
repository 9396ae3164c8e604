import fs from "node:fs";
import os from "node:os";
import path from "node:path";
import { afterAll, describe, expect, it } from "vitest";
import { runCommand } from "../../../bin/actions/run";
import { CliError } from "../../../bin/commands/util";

const dir = fs.mkdtempSync(path.join(os.tmpdir(), "statelens-run-"));
afterAll(() => fs.rmSync(dir, { recursive: true, force: true }));
const file = (name: string, value: unknown) => {
  const p = path.join(dir, name);
  fs.writeFileSync(p, typeof value === "string" ? value : JSON.stringify(value));
  return p;
};
const exitCodeOf = async (p: Promise<unknown>) => {
  try {
    await p;
    return 0;
  } catch (err) {
    return err instanceof CliError ? err.exitCode : -1;
  }
};

describe("statelens run", () => {
  const def = file("def.json", { StartAt: "T", States: { T: { Type: "Task", Resource: "arn:aws:states:::lambda:invoke", End: true } } });
  const mock = file("mock.json", { StateMachines: { SM: { TestCases: { ok: { T: "R" } } } }, MockedResponses: { R: { "0": { Return: { v: 1 } } } } });

  it("prints status and output as a JSON value and writes the history as the AWS CLI prints it", async () => {
    const out = path.join(dir, "h.json");
    const r = await runCommand(def, { inputJson: '{"a":1}', mockConfig: mock, stateMachine: "SM", testCase: "ok", historyOut: out });
    expect(r).toEqual({ status: "SUCCEEDED", output: { v: 1 }, error: null, cause: null });
    const history = JSON.parse(fs.readFileSync(out, "utf8"));
    expect(history.events[0]).toMatchObject({ id: 1, previousEventId: 0, type: "ExecutionStarted" });
    expect(typeof history.events[0].timestamp).toBe("string");
  });

  it("a failed execution is a result, not an error", async () => {
    const fail = file("fail.json", { StartAt: "F", States: { F: { Type: "Fail", Error: "E" } } });
    expect(await runCommand(fail, {})).toEqual({ status: "FAILED", output: null, error: "E", cause: null });
  });

  it("exits 2 for a missing definition file", async () => {
    expect(await exitCodeOf(runCommand(path.join(dir, "nope.json"), {}))).toBe(2);
  });

  it("exits 2 for an invalid definition", async () => {
    expect(await exitCodeOf(runCommand(file("bad.json", { StartAt: "X", States: { X: { Type: "Nope" } } }), {}))).toBe(2);
    expect(await exitCodeOf(runCommand(file("notjson.json", "{"), {}))).toBe(2);
  });

  it("exits 2 for bad input JSON, or both --input and --input-json", async () => {
    expect(await exitCodeOf(runCommand(def, { inputJson: "{nope" }))).toBe(2);
    expect(await exitCodeOf(runCommand(def, { inputJson: "{}", input: def }))).toBe(2);
  });

  it("exits 2 for a mock config without --state-machine/--test-case or naming an unknown test case", async () => {
    expect(await exitCodeOf(runCommand(def, { mockConfig: mock }))).toBe(2);
    expect(await exitCodeOf(runCommand(def, { mockConfig: mock, stateMachine: "SM", testCase: "missing" }))).toBe(2);
    expect(await exitCodeOf(runCommand(def, { mockConfig: file("badmock.json", { MockedResponses: { R: { x: {} } } }), stateMachine: "SM", testCase: "ok" }))).toBe(2);
  });

  it("an activity the mock config does not answer does not exist for the CLI", async () => {
    const act = file("activity.json", { StartAt: "A", States: { A: { Type: "Task", Resource: "arn:aws:states:us-east-1:111111111111:activity:work", End: true } } });
    expect(await runCommand(act, {})).toMatchObject({ status: "FAILED", error: "States.Runtime" });
    const mocked = file("amock.json", { StateMachines: { SM: { TestCases: { ok: { A: "R" } } } }, MockedResponses: { R: { "0": { Return: "done" } } } });
    expect(await runCommand(act, { mockConfig: mocked, stateMachine: "SM", testCase: "ok" })).toMatchObject({ status: "SUCCEEDED", output: "done" });
  });

  it("--express runs with Express semantics", async () => {
    const pass = file("pass.json", { StartAt: "P", States: { P: { Type: "Pass", End: true } } });
    expect((await runCommand(pass, { express: true })).status).toBe("SUCCEEDED");
  });
});

describe("statelens run validation", () => {
  it("exits 2 for a definition lib/asl's validator rejects (unreachable state)", async () => {
    const p = file("unreachable.json", { StartAt: "A", States: { A: { Type: "Pass", End: true }, B: { Type: "Pass", End: true } } });
    expect(await exitCodeOf(runCommand(p, {}))).toBe(2);
  });

  it("exits 2 for .waitForTaskToken in an Express state machine", async () => {
    const p = file("express-callback.json", { StartAt: "T", States: { T: { Type: "Task", Resource: "arn:aws:states:::sqs:sendMessage.waitForTaskToken", End: true } } });
    expect(await exitCodeOf(runCommand(p, { express: true }))).toBe(2);
    expect(await exitCodeOf(runCommand(p, { mockConfig: file("m2.json", { StateMachines: { SM: { TestCases: { ok: { T: "R" } } } }, MockedResponses: { R: { "0": { Return: 1 } } } }), stateMachine: "SM", testCase: "ok" }))).toBe(0);
  });
});
