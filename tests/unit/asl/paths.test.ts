import { describe, expect, it } from "vitest";
import { emptyEnv } from "@/lib/asl/context";
import { StatesError } from "@/lib/asl/errors";
import {
  applyResultPath, evaluatePath, evaluatePayloadTemplate, evaluateRequiredPath, parseJsonPath,
} from "@/lib/asl/paths";

const env = emptyEnv({ Execution: { Id: "arn:exec", Name: "run-1" }, Map: { Item: { Index: 2 } } }, {
  count: 3,
  order: { id: "o-1", lines: [{ sku: "a" }, { sku: "b" }] },
  empty: null,
});

function thrown(fn: () => unknown): StatesError {
  try {
    fn();
  } catch (e) {
    if (e instanceof StatesError) return e;
    throw e;
  }
  throw new Error("expected a StatesError");
}

describe("parseJsonPath", () => {
  it("normalises dot and bracket notation to AWS's message form", () => {
    const parsed = parseJsonPath("$.a['b c'][0]");
    expect(parsed.ok && parsed.path.normalized).toBe("$['a']['b c'][0]");
  });

  it("marks a path with only fields and indices as definite", () => {
    const parsed = parseJsonPath("$.a[0].b");
    expect(parsed.ok && parsed.path.definite).toBe(true);
  });

  it("marks a wildcard path as indefinite", () => {
    const parsed = parseJsonPath("$.a[*].b");
    expect(parsed.ok && parsed.path.definite).toBe(false);
  });

  it("recognises a context path", () => {
    const parsed = parseJsonPath("$$.Execution.Id");
    expect(parsed.ok && parsed.path.root).toBe("context");
  });

  it("recognises a variable path with its name", () => {
    const parsed = parseJsonPath("$order.lines[0]");
    expect(parsed.ok && [parsed.path.root, parsed.path.variable]).toEqual(["variable", "order"]);
  });

  it("rejects a path that does not start with $", () => {
    expect(parseJsonPath("a.b").ok).toBe(false);
  });

  it("rejects an unclosed bracket", () => {
    expect(parseJsonPath("$.a[0").ok).toBe(false);
  });

  it("rejects path functions such as length()", () => {
    expect(parseJsonPath("$.a.length()").ok).toBe(false);
  });

  it("accepts field names with hyphens in dot notation", () => {
    expect(evaluatePath("$.delivery-partner", { "delivery-partner": "UQS" }, env)).toBe("UQS");
  });
});

describe("evaluatePath", () => {
  const input = { a: { b: [10, 20, 30, 40] }, "key with spaces": 1, items: [{ price: 5 }, { price: 15 }, { price: 8 }] };

  it("returns the whole input for $", () => {
    expect(evaluatePath("$", input, env)).toBe(input);
  });

  it("reads nested fields", () => {
    expect(evaluatePath("$.a.b", input, env)).toEqual([10, 20, 30, 40]);
  });

  it("reads a quoted key with spaces", () => {
    expect(evaluatePath("$['key with spaces']", input, env)).toBe(1);
  });

  it("reads an array index", () => {
    expect(evaluatePath("$.a.b[1]", input, env)).toBe(20);
  });

  it("reads a negative index from the end", () => {
    expect(evaluatePath("$.a.b[-1]", input, env)).toBe(40);
  });

  it("returns undefined for a missing definite path", () => {
    expect(evaluatePath("$.a.c", input, env)).toBeUndefined();
  });

  it("returns undefined for an index out of range", () => {
    expect(evaluatePath("$.a.b[9]", input, env)).toBeUndefined();
  });

  it("returns all elements for [*]", () => {
    expect(evaluatePath("$.items[*].price", input, env)).toEqual([5, 15, 8]);
  });

  it("returns a slice with start and end", () => {
    expect(evaluatePath("$.a.b[1:3]", input, env)).toEqual([20, 30]);
  });

  it("returns a slice with only a start", () => {
    expect(evaluatePath("$.a.b[2:]", input, env)).toEqual([30, 40]);
  });

  it("returns a slice with a step", () => {
    expect(evaluatePath("$.a.b[0:4:2]", input, env)).toEqual([10, 30]);
  });

  it("returns [] for a slice over a missing field (recorded on AWS: $.items[1:] on {})", () => {
    expect(evaluatePath("$.items[1:]", {}, env)).toEqual([]);
  });

  it("returns [] for a wildcard over a missing field (recorded on AWS: $.items[*] on {})", () => {
    expect(evaluatePath("$.items[*]", {}, env)).toEqual([]);
  });

  it("returns [] for a slice then a field over a missing field (recorded on AWS)", () => {
    expect(evaluatePath("$.item.items[1:5].itemValue", {}, env)).toEqual([]);
  });

  it("returns the values of an object for $[*]", () => {
    expect(evaluatePath("$[*]", { x: 1, y: 2 }, env)).toEqual([1, 2]);
  });

  it("filters array elements with a comparison", () => {
    expect(evaluatePath("$.items[?(@.price < 10)]", input, env)).toEqual([{ price: 5 }, { price: 8 }]);
  });

  it("filters with && and ||", () => {
    expect(evaluatePath("$.items[?(@.price > 6 && @.price < 10 || @.price == 15)].price", input, env)).toEqual([15, 8]);
  });

  it("filters by the presence of a field", () => {
    expect(evaluatePath("$.rows[?(@.tag)]", { rows: [{ tag: "x" }, { other: 1 }] }, env)).toEqual([{ tag: "x" }]);
  });

  it("filters by string equality with a quoted literal", () => {
    expect(evaluatePath("$.rows[?(@.tag == 'x')].n", { rows: [{ tag: "x", n: 1 }, { tag: "y", n: 2 }] }, env)).toEqual([1]);
  });

  it("collects a name at any depth with ..", () => {
    expect(evaluatePath("$..price", input, env)).toEqual([5, 15, 8]);
  });

  it("selects several keys with a union", () => {
    expect(evaluatePath("$['x','z']", { x: 1, y: 2, z: 3 }, env)).toEqual([1, 3]);
  });

  it("reads the context object with $$", () => {
    expect(evaluatePath("$$.Execution.Name", {}, env)).toBe("run-1");
  });

  it("reads the whole context object with $$", () => {
    expect(evaluatePath("$$", {}, env)).toBe(env.context);
  });

  it("reads a variable with $name", () => {
    expect(evaluatePath("$count", {}, env)).toBe(3);
  });

  it("reads inside a variable with $name.a[0].b", () => {
    expect(evaluatePath("$order.lines[1].sku", {}, env)).toBe("b");
  });

  it("reads a variable holding null as null", () => {
    expect(evaluatePath("$empty", {}, env)).toBeNull();
  });

  it("returns undefined for an unknown variable", () => {
    expect(evaluatePath("$nope", {}, env)).toBeUndefined();
  });

  it("does not read a field of a string", () => {
    expect(evaluatePath("$.a.length", { a: "text" }, env)).toBeUndefined();
  });

  it("throws States.Runtime for an invalid path", () => {
    expect(thrown(() => evaluatePath("$.a[", {}, env)).error).toBe("States.Runtime");
  });
});

describe("evaluateRequiredPath", () => {
  it("fails with AWS's message for a missing field (recorded: InputPath $.NoSuchInputPath)", () => {
    const err = thrown(() => evaluateRequiredPath("$.NoSuchInputPath", { "int-literal": 0 }, env));
    expect([err.error, err.cause]).toEqual([
      "States.Runtime",
      "Invalid path '$.NoSuchInputPath' : No results for path: $['NoSuchInputPath']",
    ]);
  });

  it("names every segment of a nested missing path", () => {
    expect(thrown(() => evaluateRequiredPath("$.a.b[0]", {}, env)).cause).toBe(
      "Invalid path '$.a.b[0]' : No results for path: $['a']['b'][0]",
    );
  });

  it("returns null when the path holds null", () => {
    expect(evaluateRequiredPath("$.a", { a: null }, env)).toBeNull();
  });
});

describe("applyResultPath", () => {
  it("replaces the input when ResultPath is absent", () => {
    expect(applyResultPath({ a: 1 }, { r: 2 }, undefined)).toEqual({ r: 2 });
  });

  it("replaces the input when ResultPath is $", () => {
    expect(applyResultPath({ a: 1 }, 5, "$")).toBe(5);
  });

  it("discards the result when ResultPath is null", () => {
    expect(applyResultPath({ a: 1 }, { r: 2 }, null)).toEqual({ a: 1 });
  });

  it("adds the result as a new field", () => {
    expect(applyResultPath({ a: 1 }, "r", "$.result")).toEqual({ a: 1, result: "r" });
  });

  it("creates missing intermediate objects (recorded: $.enigma.mystery)", () => {
    expect(applyResultPath({ f: "x" }, { riddle: "?" }, "$.enigma.mystery")).toEqual({ f: "x", enigma: { mystery: { riddle: "?" } } });
  });

  it("overwrites an existing field", () => {
    expect(applyResultPath({ a: 1, b: 2 }, 9, "$.b")).toEqual({ a: 1, b: 9 });
  });

  it("does not modify the input object", () => {
    const input = { a: { b: 1 } };
    applyResultPath(input, 2, "$.a.c");
    expect(input).toEqual({ a: { b: 1 } });
  });

  it("writes into an existing array element", () => {
    expect(applyResultPath({ list: [{}, {}] }, 1, "$.list[1].x")).toEqual({ list: [{}, { x: 1 }] });
  });

  it("fails with States.ReferencePathConflict when the input is a string", () => {
    const err = thrown(() => applyResultPath("text", 1, "$.x"));
    expect([err.error, err.cause]).toEqual(["States.ReferencePathConflict", 'Unable to apply ReferencePath $.x to input "text"']);
  });

  it("fails with States.ReferencePathConflict when an intermediate field is a number", () => {
    expect(thrown(() => applyResultPath({ a: 1 }, 1, "$.a.b")).error).toBe("States.ReferencePathConflict");
  });
});

describe("evaluatePayloadTemplate", () => {
  const input = { flagged: 7, vals: [0, 10, 20, 30, 40, 50] };

  it("applies the specification's example (paths, slices, literals)", () => {
    const template = { flagged: true, parts: { "first.$": "$.vals[0]", "last3.$": "$.vals[3:]" } };
    expect(evaluatePayloadTemplate(template, input, env)).toEqual({ flagged: true, parts: { first: 0, last3: [30, 40, 50] } });
  });

  it("keeps a string without .$ as a literal even when it looks like a path", () => {
    expect(evaluatePayloadTemplate({ p: "$.vals" }, input, env)).toEqual({ p: "$.vals" });
  });

  it("evaluates context paths", () => {
    expect(evaluatePayloadTemplate({ "id.$": "$$.Execution.Id" }, input, env)).toEqual({ id: "arn:exec" });
  });

  it("evaluates $$.Map.Item.Index", () => {
    expect(evaluatePayloadTemplate({ "i.$": "$$.Map.Item.Index" }, input, env)).toEqual({ i: 2 });
  });

  it("evaluates variables", () => {
    expect(evaluatePayloadTemplate({ "n.$": "$count" }, input, env)).toEqual({ n: 3 });
  });

  it("evaluates intrinsic functions", () => {
    expect(evaluatePayloadTemplate({ "s.$": "States.Format('n={}', $.flagged)" }, input, env)).toEqual({ s: "n=7" });
  });

  it("recurses into arrays of objects", () => {
    expect(evaluatePayloadTemplate({ list: [{ "v.$": "$.flagged" }, 1] }, input, env)).toEqual({ list: [{ v: 7 }, 1] });
  });

  it("fails with States.Runtime and AWS's message for a missing path", () => {
    const err = thrown(() => evaluatePayloadTemplate({ "x.$": "$.missing" }, { a: 1 }, env));
    expect([err.error, err.cause]).toEqual([
      "States.Runtime",
      "The JSONPath '$.missing' specified for the field 'x.$' could not be found in the input '{\"a\":1}'",
    ]);
  });

  it("returns [] for an indefinite path over a missing field instead of failing", () => {
    expect(evaluatePayloadTemplate({ "item.$": "$.items[*]" }, {}, env)).toEqual({ item: [] });
  });
});
