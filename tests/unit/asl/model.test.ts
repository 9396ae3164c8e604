import { describe, expect, it } from "vitest";
import {
  AslDefinitionError, allStates, effectiveQueryLanguage, isDistributedMap, itemProcessorOf, nextStateName, parseDefinition,
  resolvePointer, scopes, stateAt, type MapState, type StateMachineDefinition,
} from "@/lib/asl/model";

const nested = {
  StartAt: "P",
  QueryLanguage: "JSONata",
  States: {
    P: {
      Type: "Parallel",
      Branches: [
        { StartAt: "A", States: { A: { Type: "Pass", End: true } } },
        { StartAt: "M", States: { M: { Type: "Map", ItemProcessor: { ProcessorConfig: { Mode: "DISTRIBUTED" }, StartAt: "I", States: { I: { Type: "Succeed" } } }, End: true } } },
      ],
      Next: "J",
    },
    J: { Type: "Pass", QueryLanguage: "JSONPath", End: true },
  },
};

function pointerOf(raw: unknown): string {
  try {
    parseDefinition(raw);
  } catch (e) {
    if (e instanceof AslDefinitionError) return e.pointer;
    throw e;
  }
  return "no error";
}

describe("parseDefinition", () => {
  it("accepts a nested definition", () => {
    expect(parseDefinition(nested).StartAt).toBe("P");
  });

  it("accepts the JSON text", () => {
    expect(parseDefinition(JSON.stringify(nested)).StartAt).toBe("P");
  });

  it("points at a missing StartAt", () => {
    expect(pointerOf({ States: {} })).toBe("/StartAt");
  });

  it("points at an unknown state type", () => {
    expect(pointerOf({ StartAt: "A", States: { A: { Type: "Wat" } } })).toBe("/States/A/Type");
  });

  it("points into a branch", () => {
    expect(pointerOf({ StartAt: "P", States: { P: { Type: "Parallel", Branches: [{ StartAt: "A", States: { A: {} } }] } } })).toBe("/States/P/Branches/0/States/A/Type");
  });

  it("escapes / in state names in the pointer", () => {
    expect(pointerOf({ StartAt: "a/b", States: { "a/b": { Type: "Task" } } })).toBe("/States/a~1b/Resource");
  });

  it("points at a catcher without Next", () => {
    expect(pointerOf({ StartAt: "T", States: { T: { Type: "Task", Resource: "r", End: true, Catch: [{ ErrorEquals: ["States.ALL"] }] } } })).toBe("/States/T/Catch/0/Next");
  });

  it("points at an empty ErrorEquals", () => {
    expect(pointerOf({ StartAt: "T", States: { T: { Type: "Task", Resource: "r", End: true, Retry: [{ ErrorEquals: [] }] } } })).toBe("/States/T/Retry/0/ErrorEquals");
  });

  it("points at a Map without an ItemProcessor", () => {
    expect(pointerOf({ StartAt: "M", States: { M: { Type: "Map", End: true } } })).toBe("/States/M");
  });

  it("rejects text that is not JSON at the root pointer", () => {
    expect(pointerOf("{nope")).toBe("");
  });
});

describe("scopes and states", () => {
  const def = parseDefinition(nested);

  it("lists the root, both branches and the item processor", () => {
    expect([...scopes(def)].map((s) => s.pointer)).toEqual(["", "/States/P/Branches/0", "/States/P/Branches/1", "/States/P/Branches/1/States/M/ItemProcessor"]);
  });

  it("gives each scope the path of owning states", () => {
    expect([...scopes(def)].map((s) => s.path.join("/"))).toEqual(["", "P", "P", "P/M"]);
  });

  it("lists every state with its pointer", () => {
    expect([...allStates(def)].map((s) => s.pointer)).toContain("/States/P/Branches/1/States/M/ItemProcessor/States/I");
  });

  it("finds a nested state by name", () => {
    expect(stateAt(def, "I")?.scope.kind).toBe("itemProcessor");
  });

  it("resolves a state's pointer back to the state", () => {
    const location = stateAt(def, "A");
    expect(location && resolvePointer(def, location.pointer)).toBe(location?.state);
  });

  it("returns undefined for an unknown state", () => {
    expect(stateAt(def, "Nope")).toBeUndefined();
  });

  it("recognises a distributed Map", () => {
    const m = stateAt(def, "M")?.state as MapState;
    expect([isDistributedMap(m), itemProcessorOf(m).StartAt]).toEqual([true, "I"]);
  });
});

describe("effectiveQueryLanguage", () => {
  const def = parseDefinition(nested) as StateMachineDefinition;

  it("uses the state machine's QueryLanguage", () => {
    expect(effectiveQueryLanguage(def.States.P, def)).toBe("JSONata");
  });

  it("lets a state override it", () => {
    expect(effectiveQueryLanguage(def.States.J, def)).toBe("JSONPath");
  });

  it("defaults to JSONPath", () => {
    expect(effectiveQueryLanguage({ Type: "Succeed" }, { StartAt: "S", States: {} })).toBe("JSONPath");
  });
});

describe("nextStateName", () => {
  it("gives Next", () => {
    expect(nextStateName({ Type: "Pass", Next: "B" })).toBe("B");
  });

  it("gives null for End", () => {
    expect(nextStateName({ Type: "Pass", End: true })).toBeNull();
  });
});
