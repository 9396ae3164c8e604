import { describe, expect, it } from "vitest";
import { StatesError } from "@/lib/asl/errors";
import {
  checkJsonataSyntax, evaluateJsonata, evaluateJsonataTemplate, isJsonataExpression, type JsonataStates,
} from "@/lib/asl/jsonata";

const states: JsonataStates = {
  input: { input_value: "string literal", input_values: [1, 2, 3], items: [{ n: 3 }, { n: 9 }] },
  context: { State: { Name: "S" } },
};

async function failure(promise: Promise<unknown>): Promise<StatesError> {
  try {
    await promise;
  } catch (e) {
    if (e instanceof StatesError) return e;
    throw e;
  }
  throw new Error("expected a StatesError");
}

describe("isJsonataExpression", () => {
  it("accepts {% ... %}", () => {
    expect(isJsonataExpression("{% 1 + 1 %}")).toBe(true);
  });

  it("rejects text around the delimiters", () => {
    expect(isJsonataExpression(" {% 1 %}")).toBe(false);
  });

  it("rejects non-strings", () => {
    expect(isJsonataExpression(1)).toBe(false);
  });
});

describe("checkJsonataSyntax", () => {
  it("returns null for a valid expression", () => {
    expect(checkJsonataSyntax("{% $states.input.a %}")).toBeNull();
  });

  it("returns the JSONata code and message for an invalid one", () => {
    expect(checkJsonataSyntax("{% 1 + %}")).toMatch(/^S0207: /);
  });
});

describe("evaluateJsonata", () => {
  it("reads $states.input", async () => {
    expect(await evaluateJsonata("{% $states.input.input_value %}", states, {})).toBe("string literal");
  });

  it("reads workflow variables (recorded: $sum(input_values) + $var_constant_1 = 7)", async () => {
    expect(await evaluateJsonata("{% $sum($states.input.input_values) + $var_constant_1 %}", states, { var_constant_1: 1 })).toBe(7);
  });

  it("maps a field over an array", async () => {
    expect(await evaluateJsonata("{% $states.input.items.n %}", states, {})).toEqual([3, 9]);
  });

  it("returns a plain array for a sequence result", async () => {
    expect(Array.isArray(await evaluateJsonata("{% $states.input.items.n %}", states, {}))).toBe(true);
  });

  it("supports regular expressions (recorded: $contains('hello$world', /^hello\\$/))", async () => {
    expect(await evaluateJsonata("{% $contains('hello$world', /^hello\\$/) %}", states, {})).toBe(true);
  });

  it("merges objects (recorded)", async () => {
    const input = { part1: { hello: "world" }, part2: { foo: "bar" } };
    expect(await evaluateJsonata("{% $merge([$states.input.part1, $states.input.part2]) %}", { ...states, input }, {})).toEqual({ hello: "world", foo: "bar" });
  });

  it("provides $partition (recorded: [0,1,2] by 2)", async () => {
    expect(await evaluateJsonata("{% $partition([0,1,2], 2) %}", states, {})).toEqual([[0, 1], [2]]);
  });

  it("provides $range with an inclusive end (recorded: 1..9 step 2)", async () => {
    expect(await evaluateJsonata("{% $range(1, 9, 2) %}", states, {})).toEqual([1, 3, 5, 7, 9]);
  });

  it("truncates a fractional chunk size in $partition", async () => {
    expect(await evaluateJsonata("{% $partition([1,2,3], 2.9) %}", states, {})).toEqual([[1, 2], [3]]);
  });

  it("makes $partition with a chunk size of 0 return nothing", async () => {
    const err = await failure(evaluateJsonata("{% $partition([1,2,3], 0) %}", states, {}, { field: "Output" }));
    expect(err.cause).toMatch(/returned nothing \(undefined\)\.$/);
  });

  it("makes $range without a step return nothing", async () => {
    const err = await failure(evaluateJsonata("{% $range(1, 3) %}", states, {}));
    expect(err.cause).toMatch(/returned nothing \(undefined\)\.$/);
  });

  it("counts down with a negative $range step", async () => {
    expect(await evaluateJsonata("{% $range(3, 1, -1) %}", states, {})).toEqual([3, 2, 1]);
  });

  it("returns the bare number for a one-element $range", async () => {
    expect(await evaluateJsonata("{% $range(1, 1, 1) %}", states, {})).toBe(1);
  });

  it("provides $hash", async () => {
    expect(await evaluateJsonata("{% $hash('input data', 'SHA-256') %}", states, {})).toBe(
      "b4a697a057313163aee33cd8d40c66e9f0f177e00cac2de32475ffff6169c3e3",
    );
  });

  it("provides $parse (recorded: an object from JSON text)", async () => {
    expect(await evaluateJsonata("{% $parse('{\"Arg1\": 1, \"Arg2\": []}') %}", states, {})).toEqual({ Arg1: 1, Arg2: [] });
  });

  it("provides $uuid from the given randomness", async () => {
    expect(await evaluateJsonata("{% $uuid() %}", states, {}, { random: () => 0 })).toBe("00000000-0000-4000-8000-000000000000");
  });

  it("provides $random with a seed, reproducibly", async () => {
    const a = await evaluateJsonata("{% $random(7) %}", states, {});
    expect(await evaluateJsonata("{% $random(7) %}", states, {})).toBe(a);
  });

  it("provides $random without a seed from the given randomness", async () => {
    expect(await evaluateJsonata("{% $random() %}", states, {}, { random: () => 0.25 })).toBe(0.25);
  });

  it("keeps a null result as a value", async () => {
    expect(await evaluateJsonataTemplate({ v: "{% $states.input.bar %}" }, { ...states, input: { bar: null } }, {})).toEqual({ v: null });
  });

  it("exposes $states.result when given", async () => {
    expect(await evaluateJsonata("{% $states.result.Payload %}", { ...states, result: { Payload: 1 } }, {})).toBe(1);
  });

  it("fails with AWS's message when the expression returns nothing (recorded)", async () => {
    const err = await failure(evaluateJsonata("{% $doesNotExist %}", states, {}, { field: "Arguments" }));
    expect([err.error, err.cause, err.location]).toEqual([
      "States.QueryEvaluationError",
      "The JSONata expression '$doesNotExist' specified for the field 'Arguments' returned nothing (undefined).",
      "Arguments",
    ]);
  });

  it("fails with AWS's message when the expression returns a function (recorded)", async () => {
    const err = await failure(evaluateJsonata("{% $fn := function($x){$x} %}", states, {}, { field: "Items" }));
    expect(err.cause).toBe("The JSONata expression '$fn := function($x){$x}' specified for the field 'Items' returned an unsupported result type.");
  });

  it("fails with the JSONata code and message when evaluation throws (AWS's text, via TestState)", async () => {
    const err = await failure(evaluateJsonata("{% $sum('a') %}", states, {}, { field: "Output/r" }));
    expect(err.cause).toBe(
      "The JSONata expression '$sum('a')' specified for the field 'Output/r' threw an error during evaluation. T0412: Argument 1 of function \"sum\" must be an array of \"numbers\"",
    );
  });

  it("does not provide $eval (AWS: T1006 Attempted to invoke a non-function)", async () => {
    const err = await failure(evaluateJsonata('{% $eval("1+1") %}', states, {}, { field: "Output/r" }));
    expect(err.cause).toBe(
      "The JSONata expression '$eval(\"1+1\")' specified for the field 'Output/r' threw an error during evaluation. T1006: Attempted to invoke a non-function",
    );
  });
});

describe("evaluateJsonataTemplate", () => {
  it("evaluates expressions nested in objects and arrays and copies literals (recorded)", async () => {
    const template = [null, 0, 0.1, true, "string", [], "$nosuchvar", "$.no.such.path", "{% $states.input.input_value %}", { key: "{% true %}" }];
    expect(await evaluateJsonataTemplate(template, states, {})).toEqual([
      null, 0, 0.1, true, "string", [], "$nosuchvar", "$.no.such.path", "string literal", { key: true },
    ]);
  });

  it("names a nested object key in the failing field (recorded: Output/result)", async () => {
    const err = await failure(evaluateJsonataTemplate({ result: "{% $doesNotExist %}" }, states, {}, { field: "Output" }));
    expect(err.cause).toBe("The JSONata expression '$doesNotExist' specified for the field 'Output/result' returned nothing (undefined).");
  });

  it("names an array index in the failing field", async () => {
    const err = await failure(evaluateJsonataTemplate({ list: [1, "{% $nope %}"] }, states, {}, { field: "Arguments" }));
    expect(err.location).toBe("Arguments/list[1]");
  });
});
