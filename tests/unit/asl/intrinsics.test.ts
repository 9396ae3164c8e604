import { describe, expect, it } from "vitest";
import { emptyEnv, type EvalEnv } from "@/lib/asl/context";
import { StatesError } from "@/lib/asl/errors";
import { evaluateIntrinsic, IntrinsicSyntaxError, isIntrinsic, parseIntrinsic } from "@/lib/asl/intrinsics";
import type { Json } from "@/lib/history/types";

const env: EvalEnv = {
  ...emptyEnv({ StateMachine: { Id: "arn:sm", Name: "orders-prod" }, Execution: { Name: "e1" } }, { name: "John", n: 5 }),
  random: () => 0.5,
};

function run(text: string, input: Json = {}): Json {
  return evaluateIntrinsic(text, input, env);
}

function failure(text: string, input: Json = {}): StatesError {
  try {
    run(text, input);
  } catch (e) {
    if (e instanceof StatesError) return e;
    throw e;
  }
  throw new Error("expected a StatesError");
}

describe("parseIntrinsic", () => {
  it("parses nested calls with path and literal arguments", () => {
    expect(parseIntrinsic("States.ArrayGetItem(States.StringSplit($.a, '-'), 0)")).toEqual({
      name: "States.ArrayGetItem",
      args: [
        { kind: "call", call: { name: "States.StringSplit", args: [{ kind: "path", path: "$.a" }, { kind: "string", value: "-", raw: "-" }] } },
        { kind: "number", value: 0 },
      ],
    });
  });

  it("unescapes \\' inside a string literal", () => {
    const call = parseIntrinsic("States.Format('it\\'s {}', $.x)");
    expect(call.args[0]).toEqual({ kind: "string", value: "it's {}", raw: "it\\'s {}" });
  });

  it("keeps a path with brackets and a comma inside quotes as one argument", () => {
    expect(parseIntrinsic("States.Array($['a,b'], 1)").args[0]).toEqual({ kind: "path", path: "$['a,b']" });
  });

  it("parses null and negative numbers", () => {
    expect(parseIntrinsic("States.Array(null, -1.5)").args).toEqual([{ kind: "null" }, { kind: "number", value: -1.5 }]);
  });

  it("rejects an unknown function", () => {
    expect(() => parseIntrinsic("States.Compare($.a, $.b)")).toThrow(IntrinsicSyntaxError);
  });

  it("rejects an unterminated string", () => {
    expect(() => parseIntrinsic("States.Format('abc)")).toThrow(IntrinsicSyntaxError);
  });

  it("rejects an unterminated escape", () => {
    expect(() => parseIntrinsic("States.Format('abc\\")).toThrow(IntrinsicSyntaxError);
  });

  it("rejects a missing closing parenthesis", () => {
    expect(() => parseIntrinsic("States.Array(1, 2")).toThrow(IntrinsicSyntaxError);
  });

  it("rejects more than 10 nested functions", () => {
    const text = `${"States.Array(".repeat(11)}1${")".repeat(11)}`;
    expect(() => parseIntrinsic(text)).toThrow(/nested/);
  });

  it("accepts 10 nested functions", () => {
    const text = `${"States.Array(".repeat(10)}1${")".repeat(10)}`;
    expect(() => parseIntrinsic(text)).not.toThrow();
  });

  it("recognises an intrinsic call by its prefix", () => {
    expect([isIntrinsic("States.UUID()"), isIntrinsic("$.a")]).toEqual([true, false]);
  });
});

describe("States.Format", () => {
  it("substitutes strings unquoted (recorded)", () => {
    expect(run("States.Format('Formatting argument {}.', $.v)", { v: "HelloWorld" })).toBe("Formatting argument HelloWorld.");
  });

  it("prints null as null (recorded)", () => {
    expect(run("States.Format('Formatting argument {}.', $.v)", { v: null })).toBe("Formatting argument null.");
  });

  it("prints a decimal as written (recorded)", () => {
    expect(run("States.Format('Formatting argument {}.', $.v)", { v: 1.1 })).toBe("Formatting argument 1.1.");
  });

  it("prints objects and arrays the way Java does (recorded)", () => {
    expect(run("States.Format('fst={}', $.v)", { v: { Arg1: 1, Arg2: [] } })).toBe("fst={Arg1=1, Arg2=[]}");
  });

  it("prints an array of strings unquoted with ', '", () => {
    expect(run("States.Format('{}', $.v)", { v: ["a", 1] })).toBe("[a, 1]");
  });

  it("keeps an escaped backslash literal", () => {
    expect(run("States.Format('a\\\\b {}', 1)")).toBe("a\\b 1");
  });

  it("keeps an escaped brace literal", () => {
    expect(run("States.Format('\\{\\} {}', $.v)", { v: 1 })).toBe("{} 1");
  });

  it("reads variables and context paths", () => {
    expect(run("States.Format('{} runs {}', $name, $$.Execution.Name)")).toBe("John runs e1");
  });

  it("fails when placeholders and arguments differ in number", () => {
    expect(failure("States.Format('{} {}', 1)").error).toBe("States.IntrinsicFailure");
  });
});

describe("JSON functions", () => {
  it("States.StringToJson parses a number (recorded: \"1.1\" -> 1.1)", () => {
    expect(run("States.StringToJson($.s)", { s: "1.1" })).toBe(1.1);
  });

  it("States.StringToJson of a blank string is null (recorded)", () => {
    expect(run("States.StringToJson($.s)", { s: " " })).toBeNull();
  });

  it("States.StringToJson of \"-0\" serialises as 0 (recorded)", () => {
    expect(JSON.stringify(run("States.StringToJson($.s)", { s: "-0" }))).toBe("0");
  });

  it("States.StringToJson fails on invalid JSON", () => {
    expect(failure("States.StringToJson($.s)", { s: "{nope" }).error).toBe("States.IntrinsicFailure");
  });

  it("States.JsonToString writes compact JSON (recorded)", () => {
    expect(run("States.JsonToString($.v)", { v: [1, 2, "HelloWorld"] })).toBe('[1,2,"HelloWorld"]');
  });

  it("States.JsonToString quotes a string (recorded)", () => {
    expect(run("States.JsonToString($.v)", { v: "HelloWorld" })).toBe('"HelloWorld"');
  });

  it("States.JsonMerge merges shallowly, the second object winning", () => {
    expect(run("States.JsonMerge($.a, $.b, false)", { a: { x: 1, n: { p: 1 } }, b: { y: 2, n: { q: 2 } } })).toEqual({ x: 1, y: 2, n: { q: 2 } });
  });

  it("States.JsonMerge rejects a deep merge", () => {
    expect(failure("States.JsonMerge($.a, $.b, true)", { a: {}, b: {} }).error).toBe("States.IntrinsicFailure");
  });
});

describe("array functions", () => {
  it("States.Array builds an array of its arguments (recorded)", () => {
    expect(run("States.Array($.a, $.b)", { a: { Arg1: 1 }, b: 2 })).toEqual([{ Arg1: 1 }, 2]);
  });

  it("States.Array with no arguments is []", () => {
    expect(run("States.Array()")).toEqual([]);
  });

  it("States.ArrayPartition leaves a shorter last chunk (recorded)", () => {
    expect(run("States.ArrayPartition($.a, 2)", { a: [0, 1, 2] })).toEqual([[0, 1], [2]]);
  });

  it("States.ArrayPartition splits 7 items by 4 (AWS's docs example)", () => {
    expect(run("States.ArrayPartition($.a, 4)", { a: [1, 2, 3, 4, 5, 6, 7] })).toEqual([[1, 2, 3, 4], [5, 6, 7]]);
  });

  it("States.ArrayPartition of [] is [] (recorded)", () => {
    expect(run("States.ArrayPartition($.a, 2)", { a: [] })).toEqual([]);
  });

  it("States.ArrayPartition rejects a chunk size of 0", () => {
    expect(failure("States.ArrayPartition($.a, 0)", { a: [1] }).error).toBe("States.IntrinsicFailure");
  });

  it("States.ArrayContains compares arrays deeply (recorded)", () => {
    expect(run("States.ArrayContains($.a, $.b)", { a: [[1, 2, 3], 2], b: [1, 2, 3] })).toBe(true);
  });

  it("States.ArrayContains is false for an empty array (recorded)", () => {
    expect(run("States.ArrayContains($.a, $.b)", { a: [], b: [] })).toBe(false);
  });

  it("States.ArrayRange is inclusive of a reachable end (recorded: 0,10,3)", () => {
    expect(run("States.ArrayRange(0, 10, 3)")).toEqual([0, 3, 6, 9]);
  });

  it("States.ArrayRange with a step past the end gives the start only (recorded: 1,9,9)", () => {
    expect(run("States.ArrayRange(1, 9, 9)")).toEqual([1]);
  });

  it("States.ArrayRange rejects more than 1000 items", () => {
    expect(failure("States.ArrayRange(1, 1001, 1)").error).toBe("States.IntrinsicFailure");
  });

  it("States.ArrayGetItem reads an index (recorded in a nested call)", () => {
    expect(run("States.ArrayGetItem(States.StringSplit($$.StateMachine.Name, '-'), 0)")).toBe("orders");
  });

  it("States.ArrayGetItem fails out of bounds", () => {
    expect(failure("States.ArrayGetItem($.a, 3)", { a: [1] }).error).toBe("States.IntrinsicFailure");
  });

  it("States.ArrayLength counts items (recorded)", () => {
    expect(run("States.ArrayLength($.a)", { a: [1, 2, 3, 4, 5, 6, 7, 8, 9] })).toBe(9);
  });

  it("States.ArrayUnique keeps first occurrences in order (recorded)", () => {
    expect(run("States.ArrayUnique($.a)", { a: [1, 2, 2, 3, 3, 4] })).toEqual([1, 2, 3, 4]);
  });

  it("fails with States.IntrinsicFailure when an array argument is not an array", () => {
    expect(failure("States.ArrayLength($.a)", { a: "x" }).error).toBe("States.IntrinsicFailure");
  });
});

describe("encoding and hashing", () => {
  it("States.Base64Encode (recorded: Hello World)", () => {
    expect(run("States.Base64Encode('Hello World')")).toBe("SGVsbG8gV29ybGQ=");
  });

  it("States.Base64Encode of 'Data to encode' (AWS's docs example)", () => {
    expect(run("States.Base64Encode($.s)", { s: "Data to encode" })).toBe("RGF0YSB0byBlbmNvZGU=");
  });

  it("States.Base64Decode of \"\" is \"\" (recorded)", () => {
    expect(run("States.Base64Decode($.s)", { s: "" })).toBe("");
  });

  it("States.Base64Decode decodes UTF-8", () => {
    expect(run("States.Base64Decode('w6k=')")).toBe("é");
  });

  it("States.Base64Decode fails on invalid Base64", () => {
    expect(failure("States.Base64Decode('***')").error).toBe("States.IntrinsicFailure");
  });

  it("States.Hash SHA-1 (recorded)", () => {
    expect(run("States.Hash('input data', 'SHA-1')")).toBe("aaff4a450a104cd177d28d18d74485e8cae074b7");
  });

  it("States.Hash SHA-256 (recorded)", () => {
    expect(run("States.Hash('input data', 'SHA-256')")).toBe("b4a697a057313163aee33cd8d40c66e9f0f177e00cac2de32475ffff6169c3e3");
  });

  it("States.Hash SHA-384 (recorded)", () => {
    expect(run("States.Hash('input data', 'SHA-384')")).toBe(
      "d28a7d5cf25a74f11a50a18452b75e04bb3d70c9dd0510d6123aa008c756511b87525bdc835ebb27e1fb9e9374a15562",
    );
  });

  it("States.Hash MD5", () => {
    expect(run("States.Hash('input data', 'MD5')")).toBe("812f45842bc6d66ee14572ce20db8e86");
  });

  it("States.Hash SHA-512 of the empty string", () => {
    expect(run("States.Hash('', 'SHA-512')")).toBe(
      "cf83e1357eefb8bdf1542850d66d8007d620e4050b5715dc83f4a921d36ce9ce47d0d13c5d85f2b0ff8318d2877eec2f63b931bd47417a81a538327af927da3e",
    );
  });

  it("States.Hash rejects an unknown algorithm", () => {
    expect(failure("States.Hash('x', 'SHA-3')").error).toBe("States.IntrinsicFailure");
  });
});

describe("math, strings and ids", () => {
  it("States.MathAdd rounds each argument half up before adding (recorded: -0.5 + 0.5 = 1)", () => {
    expect(run("States.MathAdd($.a, $.b)", { a: -0.5, b: 0.5 })).toBe(1);
  });

  it("States.MathAdd rounds 2.5 to 3 (recorded)", () => {
    expect(run("States.MathAdd($.a, 0)", { a: 2.5 })).toBe(3);
  });

  it("States.MathAdd rounds -2.5 to -2 (recorded)", () => {
    expect(run("States.MathAdd($.a, 0)", { a: -2.5 })).toBe(-2);
  });

  it("States.MathAdd of -1.49 and -1.5 is -2 (recorded)", () => {
    expect(run("States.MathAdd($.a, $.b)", { a: -1.49, b: -1.5 })).toBe(-2);
  });

  it("States.MathAdd reads variables (recorded: 5 + 3)", () => {
    expect(run("States.MathAdd($n, 3)")).toBe(8);
  });

  it("States.MathRandom stays within [start, end]", () => {
    expect(evaluateIntrinsic("States.MathRandom(1, 10)", {}, { ...env, random: () => 0.9999 })).toBe(10);
  });

  it("States.MathRandom with a seed is reproducible", () => {
    expect(run("States.MathRandom(1, 1000, 42)")).toBe(run("States.MathRandom(1, 1000, 42)"));
  });

  it("States.StringSplit splits on any delimiter character (recorded)", () => {
    expect(run("States.StringSplit($.s, $.d)", { s: "split on T and \nnew line", d: "T\n" })).toEqual(["split on ", " and ", "new line"]);
  });

  it("States.StringSplit splits on several delimiter characters (AWS's docs example)", () => {
    expect(run("States.StringSplit('This.is+a,test=string', '.+,=')")).toEqual(["This", "is", "a", "test", "string"]);
  });

  it("States.MathAdd adds a negative number (AWS's docs example: 111 + -1)", () => {
    expect(run("States.MathAdd(111, -1)")).toBe(110);
  });

  it("States.StringSplit drops empty parts (recorded: ', , ,')", () => {
    expect(run("States.StringSplit($.s, ',')", { s: ", , ," })).toEqual([" ", " "]);
  });

  it("States.UUID returns a version 4 UUID", () => {
    expect(run("States.UUID()")).toMatch(/^[0-9a-f]{8}-[0-9a-f]{4}-4[0-9a-f]{3}-[89ab][0-9a-f]{3}-[0-9a-f]{12}$/);
  });

  it("fails with States.Runtime and AWS's message when a path argument matches nothing", () => {
    const err = failure("States.Format('{}', $.nope)", { other: 1 });
    expect([err.error, err.cause]).toEqual([
      "States.Runtime",
      "The function 'States.Format('{}', $.nope)' had the following error: The JsonPath argument for the field '$.nope' could not be found in the input '{\"other\":1}'",
    ]);
  });

  it("names the whole expression when a nested call's argument is missing", () => {
    expect(failure("States.ArrayLength(States.Array($.nope))", {}).cause).toMatch(/^The function 'States\.ArrayLength\(States\.Array\(\$\.nope\)\)' had the following error: /);
  });

  it("frames a function's own failure with the expression", () => {
    expect(failure("States.ArrayGetItem($.a, 3)", { a: [1] }).cause).toMatch(/^The function 'States\.ArrayGetItem\(\$\.a, 3\)' had the following error: /);
  });

  it("fails with States.IntrinsicFailure on a syntax error", () => {
    expect(failure("States.Array(1,").error).toBe("States.IntrinsicFailure");
  });
});
