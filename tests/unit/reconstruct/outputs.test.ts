import { describe, expect, it } from "vitest";
import type { StateMachineDefinition } from "@/lib/asl";
import { formatRunModel, mockConfigFromRun, reconstructRun, runModelToJson } from "@/lib/reconstruct";
import { HistoryBuilder } from "./history-builder";
import { catchScenario, edit, nth, orderScenario } from "./scenarios";

describe("mockConfigFromRun", () => {
  it("lists each Task try in invocation order as Throw or Return", async () => {
    const { definition, events } = orderScenario();
    const { config, warnings } = mockConfigFromRun(await reconstructRun(definition, events), { stateMachine: "sm", testCase: "replay" });
    expect(warnings).toEqual([]);
    expect(config.StateMachines).toEqual({ sm: { TestCases: { replay: { Validate: "replay_Validate" } } } });
    expect(config.MockedResponses.replay_Validate).toEqual({
      "0": { Throw: { Error: "Lambda.ServiceException", Cause: "try again" } },
      "1": { Return: { Payload: { valid: true }, StatusCode: 200 } },
    });
  });

  it("keeps counting invocations across retries of legacy Lambda tasks", async () => {
    const { definition, events } = catchScenario();
    const { config } = mockConfigFromRun(await reconstructRun(definition, events));
    expect(config.MockedResponses.Replay_Call).toEqual({
      "0": { Throw: { Error: "Retryable", Cause: "busy" } },
      "1": { Throw: { Error: "Fatal", Cause: "broken" } },
    });
  });

  it("warns about a result the history does not hold", async () => {
    const { definition, events } = orderScenario();
    const stripped = edit(events, nth(events, "TaskSucceeded"), (d) => { delete d.output; });
    const { config, warnings } = mockConfigFromRun(await reconstructRun(definition, stripped));
    expect(config.MockedResponses.Replay_Validate["1"]).toEqual({ Return: null });
    expect(warnings).toHaveLength(1);
  });
});

describe("formatRunModel and runModelToJson", () => {
  it("prints the tree with tries, the Choice taken, and the divergences", async () => {
    const { definition, events } = orderScenario();
    const damaged = edit(events, nth(events, "PassStateExited", 1, "Price"), (d) => { d.output = { sku: "b", price: 11 }; });
    const text = formatRunModel(await reconstructRun(definition, damaged));
    expect(text).toContain("Validate [Task] SUCCEEDED (2 tries)");
    expect(text).toContain("try 1: FAILED Lambda.ServiceException → retried");
    expect(text).toContain("choice: rule #0 → Process");
    expect(text).toContain("iteration 1 SUCCEEDED");
    expect(text).toMatch(/\[output\] Process\[1\]\/Price/);
  });

  it("gives JSON with a top-level divergences array and no unknown markers", async () => {
    const def = { StartAt: "P", States: { P: { Type: "Pass", Parameters: { "id.$": "$$.Execution.Id" }, End: true } } } as StateMachineDefinition;
    const h = new HistoryBuilder();
    h.add("ExecutionStarted", 0, { input: {} });
    const p = h.enter("Pass", "P", 0, {});
    h.add("ExecutionSucceeded", h.exit("Pass", "P", p, { id: "arn:x" }), { output: { id: "arn:x" } });
    const json = runModelToJson(await reconstructRun(def, h.events)) as Record<string, unknown>;
    expect(json.divergences).toEqual([]);
    expect(JSON.stringify(json)).not.toContain("\uE000");
  });
});

describe("reconstructRun on redriven and partial records", () => {
  it("accepts a failed state run again after a redrive and bills the redrive", async () => {
    const def = { StartAt: "T", States: { T: { Type: "Task", Resource: "arn:aws:states:::lambda:invoke", End: true } } } as StateMachineDefinition;
    const h = new HistoryBuilder();
    const L = { resourceType: "lambda", resource: "invoke" };
    h.add("ExecutionStarted", 0, { input: { a: 1 } });
    const t = h.enter("Task", "T", 0, { a: 1 });
    const f = h.add("TaskFailed", h.add("TaskStarted", h.add("TaskScheduled", t, { ...L, region: "r", parameters: { a: 1 } }), L), { ...L, error: "Boom" });
    const ef = h.add("ExecutionFailed", f, { error: "Boom" });
    const r = h.add("ExecutionRedriven", ef);
    const t2 = h.enter("Task", "T", r, { a: 1 });
    const ok = h.add("TaskSucceeded", h.add("TaskStarted", h.add("TaskScheduled", t2, { ...L, region: "r", parameters: { a: 1 } }), L), { ...L, output: 2 });
    h.add("ExecutionSucceeded", h.exit("Task", "T", ok, 2), { output: 2 });
    const model = await reconstructRun(def, h.events);
    expect(model.divergences).toEqual([]);
    expect(model.billing).toMatchObject({ statesEntered: 2, redrives: 1, stateTransitions: 3 });
  });

  it("judges only what each state shows by itself in a record that does not start at event 1", async () => {
    const { definition, events } = orderScenario();
    const page = events.slice(10);
    const model = await reconstructRun(definition, page);
    expect(model.partial).toBe(true);
    expect(model.divergences).toEqual([]);
    const edited = edit(page, nth(page, "PassStateExited", 0, "Email"), (d) => { d.output = "nope"; });
    expect((await reconstructRun(definition, edited)).divergences.map((d) => d.kind)).toContain("output");
  });
});
