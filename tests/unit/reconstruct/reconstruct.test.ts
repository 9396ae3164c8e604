import { describe, expect, it } from "vitest";
import type { StateMachineDefinition } from "@/lib/asl";
import type { HistoryEvent } from "@/lib/history";
import { reconstructRun, type DivergenceKind, type RunModel } from "@/lib/reconstruct";
import { catchScenario, copy, drop, edit, nth, orderScenario, renumber, variablesScenario, type Scenario } from "./scenarios";

const kinds = (m: RunModel) => m.divergences.map((d) => d.kind);
const visit = (m: RunModel, name: string, n = 0) => m.allVisits.filter((v) => v.stateName === name)[n];

/** The definition with a change applied (a deep copy). */
function editDefinition(s: Scenario, change: (d: Record<string, Record<string, Record<string, unknown>>>) => void): Scenario {
  const d = JSON.parse(JSON.stringify(s.definition)) as Record<string, Record<string, Record<string, unknown>>>;
  change(d);
  return { definition: d as unknown as StateMachineDefinition, events: s.events };
}

describe("reconstructRun on histories that agree with their definition", () => {
  it.each([
    ["a retried Task, a Choice, a Map and a Parallel", orderScenario],
    ["JSONata variables assigned by a Pass and a Choice rule", variablesScenario],
    ["a legacy Lambda task retried then caught", catchScenario],
    ["a Task caught into a Fail state", () => orderScenario({ tries: ["States.TaskFailed"] })],
  ])("reports no divergence for %s", async (_name, scenario) => {
    const { definition, events } = scenario();
    const model = await reconstructRun(definition, events);
    expect(model.divergences).toEqual([]);
    expect(model.drift).toBeNull();
  });

  it("builds the tree: Map iterations and Parallel branches as children with their paths", async () => {
    const { definition, events } = orderScenario();
    const model = await reconstructRun(definition, events);
    expect(model.visits.map((v) => v.stateName)).toEqual(["Validate", "IsValid", "Process", "Notify", "Done"]);
    const map = visit(model, "Process");
    expect(map.children.map((c) => [c.kind, c.index, c.status, c.visits.map((v) => `${v.path}/${v.stateName}`)])).toEqual([
      ["iteration", 0, "SUCCEEDED", ["Process[0]/Price"]],
      ["iteration", 1, "SUCCEEDED", ["Process[1]/Price"]],
    ]);
    const par = visit(model, "Notify");
    expect(par.children.map((c) => [c.kind, c.index, c.visits[0].stateName])).toEqual([["branch", 0, "Email"], ["branch", 1, "Log"]]);
  });

  it("computes each step of a Task's data flow and marks the recorded ones as verified", async () => {
    const { definition, events } = orderScenario();
    const df = visit(await reconstructRun(definition, events), "Validate").dataFlow;
    expect(df.effectiveInput).toMatchObject({ provenance: "computed", value: { FunctionName: "validate", Payload: { items: ["a", "b"] } } });
    expect(df.result).toMatchObject({ provenance: "recorded", value: { Payload: { valid: true }, StatusCode: 200 } });
    expect(df.afterResultSelector).toMatchObject({ provenance: "computed", value: { valid: true } });
    expect(df.afterResultPath).toMatchObject({ provenance: "computed", value: { items: ["a", "b"], validation: { valid: true } } });
    expect(df.output).toMatchObject({ provenance: "recorded", verified: true });
  });

  it("explains each try: the retrier that fired, its number and the backoff", async () => {
    const { definition, events } = orderScenario();
    const v = visit(await reconstructRun(definition, events), "Validate");
    expect(v.attemptList.map((a) => a.outcome)).toEqual(["FAILED", "SUCCEEDED"]);
    expect(v.attemptList[0].retry).toMatchObject({ retrierIndex: 0, retryNumber: 1, maxAttempts: 2, retried: true, expectedBackoffMs: 1000, recordedBackoffMs: 10 });
    expect(v.attemptList[0].parameters).toMatchObject({ provenance: "recorded", verified: true });
  });

  it("explains a Choice with lib/asl's evaluation", async () => {
    const { definition, events } = orderScenario();
    const v = visit(await reconstructRun(definition, events), "IsValid");
    expect(v.choice).toMatchObject({ next: "Process", matched: 0 });
    expect(v.expectedNext).toBe("Process");
    expect(v.recordedNext).toBe("Process");
  });

  it("explains which catcher fired", async () => {
    const { definition, events } = catchScenario();
    const v = visit(await reconstructRun(definition, events), "Call");
    expect(v.status).toBe("CAUGHT");
    expect(v.catch).toMatchObject({ error: "Fatal", catcherIndex: 0, next: "Handle" });
    expect(v.attemptList[0].retry).toMatchObject({ retrierIndex: 0, retried: true });
    expect(v.attemptList[1].retry).toMatchObject({ retrierIndex: null, retried: false });
  });

  it("records assigned variables, recorded and verified", async () => {
    const { definition, events } = variablesScenario();
    const m = await reconstructRun(definition, events);
    expect(visit(m, "Init").dataFlow.assignedVariables.total).toMatchObject({ provenance: "recorded", value: 6, verified: true });
    expect(visit(m, "Check").dataFlow.assignedVariables.size).toMatchObject({ provenance: "recorded", value: "big", verified: true });
    expect(visit(m, "Init").dataFlow.output.verified).toBe(true);
    expect(visit(m, "Big").dataFlow.output).toMatchObject({ provenance: "recorded", value: { size: "big", total: 6 }, verified: true });
  });

  it("counts billed state transitions: each state entered plus each retry", async () => {
    const { definition, events } = orderScenario();
    const { billing } = await reconstructRun(definition, events);
    expect(billing).toMatchObject({ statesEntered: 9, retries: 1, stateTransitions: 10, express: null });
  });

  it("bills an Express execution by duration rounded up to 100 ms and memory in 64 MB chunks", async () => {
    const { definition, events } = variablesScenario();
    const { billing } = await reconstructRun(definition, events, { execution: { type: "EXPRESS" } });
    expect(billing.type).toBe("EXPRESS");
    expect(billing.express).toMatchObject({ durationMs: 70, billedDurationMs: 100, billedMemoryMb: 64 });
  });
});

describe("reconstructRun on histories that do not hold all the data", () => {
  const strip = (events: readonly HistoryEvent[]) =>
    copy(events).map((e) => {
      for (const [k, v] of Object.entries(e)) {
        if (!k.endsWith("EventDetails") || !v || typeof v !== "object") continue;
        const d = v as Record<string, unknown>;
        delete d.input;
        delete d.output;
        delete d.parameters;
        delete d.assignedVariables;
      }
      return e;
    });

  it("reports no divergence when execution data was not included, and marks the values unknown or computed", async () => {
    const { definition, events } = orderScenario();
    const m = await reconstructRun(definition, strip(events));
    expect(m.divergences).toEqual([]);
    expect(visit(m, "Validate").dataFlow.rawInput.provenance).toBe("unknown");
    expect(visit(m, "Price").dataFlow.output.provenance).not.toBe("recorded");
  });

  it("treats a truncated payload as unknown, not as a difference", async () => {
    const { definition, events } = orderScenario();
    const i = nth(events, "TaskStateExited");
    const damaged = edit(events, i, (d) => {
      d.output = { cut: true };
      d.outputDetails = { truncated: true };
    });
    const m = await reconstructRun(definition, damaged);
    expect(m.divergences.filter((d) => d.state === "Validate")).toEqual([]);
    expect(visit(m, "Validate").dataFlow.output.provenance).toBe("computed");
  });

  it("does not judge values that depend on the execution ARN the history does not hold", async () => {
    const def = { StartAt: "P", States: { P: { Type: "Pass", Parameters: { "id.$": "$$.Execution.Id" }, End: true } } } as StateMachineDefinition;
    const arn = "arn:aws:states:us-east-1:111111111111:execution:sm:run-1";
    const t = Date.UTC(2024, 0, 1);
    const h = [
      { id: 1, previousEventId: 0, timestamp: t, type: "ExecutionStarted", executionStartedEventDetails: { input: "{}" } },
      { id: 2, previousEventId: 0, timestamp: t + 10, type: "PassStateEntered", stateEnteredEventDetails: { name: "P", input: "{}" } },
      { id: 3, previousEventId: 2, timestamp: t + 20, type: "PassStateExited", stateExitedEventDetails: { name: "P", output: JSON.stringify({ id: arn }) } },
    ] as HistoryEvent[];
    expect((await reconstructRun(def, h)).divergences).toEqual([]);
    const known = await reconstructRun(def, h, { execution: { executionArn: "arn:aws:states:us-east-1:111111111111:execution:sm:other" } });
    expect(kinds(known)).toContain("output");
  });
});

// Each row: a damaged history (or an edited definition) and the divergence it must produce.
type Case = [name: string, build: () => Scenario, kind: DivergenceKind];
const A = orderScenario;
const at = (s: Scenario, type: string, n = 0, name?: string) => nth(s.events, type, n, name);
const withEvents = (s: Scenario, events: HistoryEvent[]): Scenario => ({ definition: s.definition, events });

const CORRUPTIONS: Case[] = [
  ["a dropped TaskStateExited", () => { const s = A(); return withEvents(s, drop(s.events, (e) => e.type === "TaskStateExited")); }, "missing-event"],
  ["a dropped TaskScheduled of the retry", () => { const s = A(); const i = at(s, "TaskScheduled", 1); return withEvents(s, drop(s.events, (_e, k) => k === i)); }, "missing-event"],
  ["a dropped TaskStarted", () => { const s = A(); const i = at(s, "TaskStarted", 1); return withEvents(s, drop(s.events, (_e, k) => k === i)); }, "missing-event"],
  ["a dropped ChoiceStateExited", () => { const s = A(); return withEvents(s, drop(s.events, (e) => e.type === "ChoiceStateExited")); }, "missing-event"],
  ["a dropped Map iteration", () => {
    const s = A();
    const from = at(s, "MapIterationStarted", 1);
    const to = at(s, "MapIterationSucceeded", 1);
    return withEvents(s, drop(s.events, (_e, k) => k >= from && k <= to));
  }, "missing-event"],
  ["a dropped Parallel branch", () => { const s = A(); return withEvents(s, drop(s.events, (e) => (e.stateEnteredEventDetails ?? e.stateExitedEventDetails)?.name === "Log")); }, "missing-event"],
  ["a dropped PassStateExited inside an iteration", () => { const s = A(); const i = at(s, "PassStateExited", 0, "Price"); return withEvents(s, drop(s.events, (_e, k) => k === i)); }, "missing-event"],
  ["a dropped ExecutionStarted", () => { const s = A(); return withEvents(s, drop(s.events, (e) => e.type === "ExecutionStarted")); }, "missing-event"],
  ["a gap in the event ids", () => { const s = A(); return withEvents(s, s.events.filter((e) => e.id !== 5).map((e) => (e.previousEventId === 5 ? { ...e, previousEventId: 4 } : e))); }, "missing-event"],
  ["a swapped Choice branch (JSONPath)", () => {
    const s = A();
    const cx = at(s, "ChoiceStateExited");
    const events = copy(s.events.slice(0, cx + 1));
    const last = events[events.length - 1];
    events.push({ id: last.id + 1, previousEventId: last.id, timestamp: last.timestamp + 10, type: "FailStateEntered", stateEnteredEventDetails: { name: "Rejected", input: last.stateExitedEventDetails?.output } } as HistoryEvent);
    events.push({ id: last.id + 2, previousEventId: last.id + 1, timestamp: last.timestamp + 20, type: "ExecutionFailed", executionFailedEventDetails: { error: "Rejected", cause: "invalid order" } } as HistoryEvent);
    return withEvents(s, events);
  }, "choice"],
  ["a swapped Choice branch (JSONata)", () => {
    const s = variablesScenario();
    const events = copy(s.events).map((e) => {
      for (const d of [e.stateEnteredEventDetails, e.stateExitedEventDetails]) if (d?.name === "Big") d.name = "Small";
      return e;
    });
    const i = nth(events, "PassStateExited", 0, "Small");
    const out = edit(events, i, (d) => { d.output = { size: "small" }; });
    return withEvents(s, edit(out, out.length - 1, (d) => { d.output = { size: "small" }; }));
  }, "choice"],
  ["an edited task result", () => { const s = A(); return withEvents(s, edit(s.events, at(s, "TaskSucceeded"), (d) => { d.output = { Payload: { valid: false }, StatusCode: 200 }; })); }, "output"],
  ["an edited state output", () => { const s = A(); return withEvents(s, edit(s.events, at(s, "TaskStateExited"), (d) => { (d.output as Record<string, unknown>).extra = 1; })); }, "output"],
  ["an edited state input", () => { const s = A(); return withEvents(s, edit(s.events, at(s, "ChoiceStateEntered"), (d) => { d.input = { items: [] }; })); }, "input"],
  ["an edited iteration input", () => { const s = A(); return withEvents(s, edit(s.events, at(s, "PassStateEntered", 1, "Price"), (d) => { d.input = { sku: "z", index: 1 }; })); }, "input"],
  ["an edited iteration output", () => { const s = A(); return withEvents(s, edit(s.events, at(s, "PassStateExited", 1, "Price"), (d) => { d.output = { sku: "b", price: 11 }; })); }, "output"],
  ["an edited Map output", () => { const s = A(); return withEvents(s, edit(s.events, at(s, "MapStateExited"), (d) => { (d.output as Record<string, unknown>).priced = []; })); }, "output"],
  ["an edited branch output", () => { const s = A(); return withEvents(s, edit(s.events, at(s, "PassStateExited", 0, "Log"), (d) => { d.output = "logged!"; })); }, "output"],
  ["an edited execution output", () => { const s = A(); return withEvents(s, edit(s.events, s.events.length - 1, (d) => { d.output = { done: true }; })); }, "output"],
  ["an edited task request", () => { const s = A(); return withEvents(s, edit(s.events, at(s, "TaskScheduled"), (d) => { d.parameters = { FunctionName: "other", Payload: {} }; })); }, "parameters"],
  ["an edited assigned variable", () => { const s = variablesScenario(); return withEvents(s, edit(s.events, nth(s.events, "PassStateExited", 0, "Init"), (d) => { d.assignedVariables = { total: "7" }; })); }, "variables"],
  ["an edited Choice rule assignment", () => { const s = variablesScenario(); return withEvents(s, edit(s.events, nth(s.events, "ChoiceStateExited"), (d) => { d.assignedVariables = { size: "\"huge\"" }; })); }, "variables"],
  ["an extra retry beyond MaxAttempts", () => orderScenario({ tries: ["Lambda.ServiceException", "Lambda.ServiceException", "Lambda.ServiceException", null] }), "retry"],
  ["a retry that no retrier matches", () => orderScenario({ tries: ["Other.Error", null] }), "retry"],
  ["a missing retry", () => orderScenario({ tries: ["Lambda.ServiceException"] }), "retry"],
  ["a failure caught though no catcher matches", () => catchScenario({ second: "Unknown" }), "catch"],
  ["a failure left uncaught though a catcher matches", () => catchScenario({ uncaught: true }), "catch"],
  ["an edited catcher output", () => { const s = catchScenario(); return withEvents(s, edit(s.events, nth(s.events, "TaskStateExited"), (d) => { d.output = { err: { Error: "Fatal", Cause: "x" } }; })); }, "output"],
  ["an edited execution error", () => { const s = orderScenario({ tries: ["States.TaskFailed"] }); return withEvents(s, edit(s.events, s.events.length - 1, (d) => { d.error = "Other"; })); }, "error"],
  ["an edited Map item count", () => { const s = A(); return withEvents(s, edit(s.events, at(s, "MapStateStarted"), (d) => { d.length = 3; })); }, "items"],
  ["an event after the execution ended", () => {
    const s = A();
    const last = s.events[s.events.length - 1];
    return withEvents(s, [...copy(s.events), { id: last.id + 1, previousEventId: last.id, timestamp: last.timestamp + 10, type: "TaskStarted", taskStartedEventDetails: { resourceType: "lambda", resource: "invoke" } } as HistoryEvent]);
  }, "extra-event"],
  ["a duplicated Exited event", () => {
    const s = A();
    const i = at(s, "PassStateExited", 0, "Email");
    const events = copy(s.events);
    events.splice(i + 1, 0, { ...events[i], id: events[i].id + 0.5 });
    return withEvents(s, renumber(events));
  }, "extra-event"],
  ["a state entered after the Succeed state", () => {
    const s = A();
    const events = copy(s.events);
    const end = events.pop() as HistoryEvent;
    const prev = events[events.length - 1];
    events.push({ id: prev.id + 1, previousEventId: prev.id, timestamp: prev.timestamp + 5, type: "PassStateEntered", stateEnteredEventDetails: { name: "Email", input: "{}" } } as HistoryEvent);
    events.push({ ...end, id: prev.id + 2, previousEventId: prev.id + 1 });
    return withEvents(s, events);
  }, "transition"],
  ["a history from a definition with a renamed state", () => editDefinition(A(), (d) => {
    d.States.Finished = d.States.Done;
    delete d.States.Done;
    d.States.Notify.Next = "Finished";
  }), "definition-drift"],
  ["a history from a definition with another Next", () => editDefinition(A(), (d) => { d.States.Validate.Next = "Process"; }), "definition-drift"],
  ["a history from a definition with another resource", () => editDefinition(A(), (d) => { d.States.Validate.Resource = "arn:aws:states:::sqs:sendMessage"; }), "definition-drift"],
  ["a history from a definition with another state type", () => editDefinition(A(), (d) => { d.States.Done = { Type: "Pass", End: true }; }), "definition-drift"],
  ["a history from a definition with an inserted state", () => editDefinition(A(), (d) => {
    d.States.Audit = { Type: "Pass", Next: "IsValid" };
    d.States.Validate.Next = "Audit";
  }), "definition-drift"],
  ["a history from a definition with another StartAt", () => {
    const s = editDefinition(A(), () => undefined);
    (s.definition as { StartAt: string }).StartAt = "IsValid";
    return s;
  }, "definition-drift"],
  ["a history from a definition with a lower MaxAttempts", () => editDefinition(A(), (d) => { (d.States.Validate.Retry as Array<Record<string, unknown>>)[0].MaxAttempts = 0; }), "retry"],
  ["a history from a definition with another Pass result", () => editDefinition(A(), (d) => {
    const branches = d.States.Notify.Branches as Array<{ States: Record<string, Record<string, unknown>> }>;
    branches[0].States.Email.Result = "delivered";
  }), "output"],
];

describe("reconstructRun reports each deliberate corruption as the right divergence", () => {
  it("has at least 30 corruptions", () => {
    expect(CORRUPTIONS.length).toBeGreaterThanOrEqual(30);
  });

  it.each(CORRUPTIONS)("%s", async (_name, build, kind) => {
    const { definition, events } = build();
    const model = await reconstructRun(definition, events);
    expect(kinds(model)).toContain(kind);
    for (const d of model.divergences) {
      expect(d.message.length).toBeGreaterThan(10);
      expect(events.some((e) => e.id === d.eventId)).toBe(true);
    }
  });

  it("points definition drift at the first state where it shows", async () => {
    const { definition, events } = editDefinition(A(), (d) => { d.States.Validate.Next = "Process"; });
    const model = await reconstructRun(definition, events);
    expect(model.drift).toMatchObject({ state: "IsValid", eventId: nth(events, "ChoiceStateEntered") + 1 });
  });

  it("does not call a damaged record definition drift", async () => {
    const s = A();
    const model = await reconstructRun(s.definition, edit(s.events, at(s, "TaskStateExited"), (d) => { (d.output as Record<string, unknown>).extra = 1; }));
    expect(model.drift).toBeNull();
  });
});

describe("reconstructRun on concurrent branches", () => {
  it("numbers Parallel branches by the definition even when the second one starts first", async () => {
    const s = orderScenario();
    // Swap the order in which Email and Log were entered (both point at ParallelStateStarted).
    const events = copy(s.events);
    const e = nth(events, "PassStateEntered", 0, "Email");
    const l = nth(events, "PassStateEntered", 0, "Log");
    const [ev, lv] = [events[e], events[l]];
    events[e] = { ...lv, id: ev.id };
    events[l] = { ...ev, id: lv.id };
    // Their exits point at their own entries.
    for (const x of events) {
      if (x.stateExitedEventDetails?.name === "Email") x.previousEventId = lv.id;
      if (x.stateExitedEventDetails?.name === "Log") x.previousEventId = ev.id;
    }
    const fixed = renumber(events.sort((a, b) => a.id - b.id));
    const model = await reconstructRun(s.definition, fixed);
    expect(model.divergences).toEqual([]);
    const par = model.allVisits.find((v) => v.stateName === "Notify");
    expect(par?.children.map((c) => [c.index, c.visits[0].stateName, c.path, c.visits[0].path])).toEqual([[0, "Email", "Notify[0]", "Notify[0]"], [1, "Log", "Notify[1]", "Notify[1]"]]);
  });
});

describe("reconstructRun on states the definition does not have", () => {
  it("keeps their iterations in the tree, as recorded", async () => {
    const s = editDefinition(orderScenario(), (d) => {
      d.States.Handle = d.States.Process;
      delete d.States.Process;
      d.States.IsValid = { Type: "Choice", Choices: [{ Variable: "$.validation.valid", BooleanEquals: true, Next: "Handle" }], Default: "Rejected" };
    });
    const model = await reconstructRun(s.definition, s.events);
    expect(kinds(model)).toContain("unknown-state");
    const map = model.allVisits.find((v) => v.stateName === "Process");
    expect(map?.children.map((c) => [c.index, c.visits.map((v) => v.stateName)])).toEqual([[0, ["Price"]], [1, ["Price"]]]);
  });
});

describe("reconstructRun on a running execution", () => {
  it("does not call a retry that has not happened yet missing", async () => {
    const s = orderScenario();
    const running = s.events.slice(0, nth(s.events, "TaskFailed") + 1);
    const model = await reconstructRun(s.definition, running);
    expect(model.divergences).toEqual([]);
    expect(model.execution.status).toBe("RUNNING");
    expect(model.allVisits[0].status).toBe("RUNNING");
  });
});

describe("reconstructRun on values computed from what the history does not hold", () => {
  it("does not compare a value an expression cut out of the unknown execution ARN", async () => {
    const def = { QueryLanguage: "JSONata", StartAt: "P", States: { P: { Type: "Pass", Output: { name: "{% $substringAfter($states.context.Execution.Id, ':execution:') %}" }, End: true } } } as StateMachineDefinition;
    const t = Date.UTC(2024, 0, 1);
    const h = [
      { id: 1, previousEventId: 0, timestamp: t, type: "ExecutionStarted", executionStartedEventDetails: { input: "{}" } },
      { id: 2, previousEventId: 0, timestamp: t + 10, type: "PassStateEntered", stateEnteredEventDetails: { name: "P", input: "{}" } },
      { id: 3, previousEventId: 2, timestamp: t + 20, type: "PassStateExited", stateExitedEventDetails: { name: "P", output: JSON.stringify({ name: "sm:run-1" }) } },
    ] as HistoryEvent[];
    const model = await reconstructRun(def, h);
    expect(model.divergences).toEqual([]);
    expect(model.allVisits[0].dataFlow.output.provenance).toBe("recorded");
  });
});

describe("reconstructRun on stopped executions", () => {
  it.each(["ExecutionAborted", "ExecutionTimedOut"])("reports no divergence when %s cuts a Task short", async (end) => {
    const s = orderScenario();
    const cut = copy(s.events.slice(0, nth(s.events, "TaskScheduled") + 1));
    const last = cut[cut.length - 1];
    cut.push({ id: last.id + 1, previousEventId: 0, timestamp: last.timestamp + 10, type: end } as HistoryEvent);
    const model = await reconstructRun(s.definition, cut);
    expect(model.divergences).toEqual([]);
    expect(model.allVisits[0].status).toBe("ABORTED");
  });
});
