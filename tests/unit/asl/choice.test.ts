import { describe, expect, it } from "vitest";
import { ChoiceEvaluationError, evaluateChoice, noChoiceMatchedError, stringMatches } from "@/lib/asl/choice";
import type { EvalEnv } from "@/lib/asl/context";
import { StatesError } from "@/lib/asl/errors";
import type { ChoiceCondition, ChoiceState } from "@/lib/asl/model";
import type { Json } from "@/lib/history/types";

const env: EvalEnv = { context: {}, variables: { limit: 100 } };
const jsonata: EvalEnv = { context: {}, variables: {}, queryLanguage: "JSONata" };

function choice(rule: ChoiceCondition, fields: Partial<ChoiceState> = {}): ChoiceState {
  return { Type: "Choice", Choices: [{ ...rule, Next: "Yes" }], Default: "No", ...fields };
}

async function matches(rule: ChoiceCondition, input: Json): Promise<boolean> {
  return (await evaluateChoice(choice(rule), input, env)).matched === 0;
}

async function failure(promise: Promise<unknown>): Promise<StatesError> {
  try {
    await promise;
  } catch (e) {
    if (e instanceof StatesError) return e;
    throw e;
  }
  throw new Error("expected a StatesError");
}

describe("string operators", () => {
  it("StringEquals matches an equal string", async () => {
    expect(await matches({ Variable: "$.s", StringEquals: "a" }, { s: "a" })).toBe(true);
  });

  it("StringEquals does not match a number (no error)", async () => {
    expect(await matches({ Variable: "$.s", StringEquals: "1" }, { s: 1 })).toBe(false);
  });

  it("StringLessThan compares by code unit", async () => {
    expect(await matches({ Variable: "$.s", StringLessThan: "b" }, { s: "B" })).toBe(true);
  });

  it("StringGreaterThanEquals matches an equal string", async () => {
    expect(await matches({ Variable: "$.s", StringGreaterThanEquals: "abc" }, { s: "abc" })).toBe(true);
  });

  it("StringLessThanEquals does not match a greater string", async () => {
    expect(await matches({ Variable: "$.s", StringLessThanEquals: "abc" }, { s: "abd" })).toBe(false);
  });

  it("StringEqualsPath compares with another field", async () => {
    expect(await matches({ Variable: "$.a", StringEqualsPath: "$.b" }, { a: "x", b: "x" })).toBe(true);
  });

  it("StringMatches supports * wildcards (AWS's example log-*.txt)", async () => {
    expect(await matches({ Variable: "$.f", StringMatches: "log-*.txt" }, { f: "log-2024-01.txt" })).toBe(true);
  });

  it("StringMatches treats other characters literally", async () => {
    expect(await matches({ Variable: "$.f", StringMatches: "log-*.txt" }, { f: "log-1xtxt" })).toBe(false);
  });
});

describe("stringMatches", () => {
  it("matches an escaped star literally", () => {
    expect([stringMatches("a*b", "a\\*b"), stringMatches("axb", "a\\*b")]).toEqual([true, false]);
  });

  it("matches an escaped backslash literally", () => {
    expect(stringMatches("a\\b", "a\\\\b")).toBe(true);
  });

  it("lets * match the empty string", () => {
    expect(stringMatches("ab", "a*b")).toBe(true);
  });
});

describe("numeric operators", () => {
  it("NumericEquals matches an equal number", async () => {
    expect(await matches({ Variable: "$.n", NumericEquals: 0 }, { n: 0 })).toBe(true);
  });

  it("NumericEquals does not match a number held in a string (recorded: \"42\" vs 42)", async () => {
    expect(await matches({ Variable: "$.n", NumericEquals: 42 }, { n: "42" })).toBe(false);
  });

  it("NumericGreaterThanEquals and NumericLessThan bound a range (AWS's docs scenario, 22)", async () => {
    const rule = { And: [{ Variable: "$.value", NumericGreaterThanEquals: 20 }, { Variable: "$.value", NumericLessThan: 30 }] };
    expect(await matches(rule, { value: 22 })).toBe(true);
  });

  it("NumericLessThanEquals matches an equal decimal", async () => {
    expect(await matches({ Variable: "$.n", NumericLessThanEquals: 1.5 }, { n: 1.5 })).toBe(true);
  });

  it("NumericGreaterThanPath compares with a variable", async () => {
    expect(await matches({ Variable: "$.n", NumericGreaterThanPath: "$limit" }, { n: 120 })).toBe(true);
  });

  it("NumericEqualsPath does not match when the other value is a string", async () => {
    expect(await matches({ Variable: "$.n", NumericEqualsPath: "$.m" }, { n: 1, m: "1" })).toBe(false);
  });
});

describe("every comparison operator and its Path variant", () => {
  // [operator, variable value, operand, expected match]
  const cases: Array<[string, Json, Json, boolean]> = [
    ["StringEquals", "b", "b", true],
    ["StringLessThan", "a", "b", true],
    ["StringGreaterThan", "a", "b", false],
    ["StringLessThanEquals", "b", "b", true],
    ["StringGreaterThanEquals", "a", "b", false],
    ["NumericEquals", 2, 2, true],
    ["NumericLessThan", 1, 2, true],
    ["NumericGreaterThan", 1, 2, false],
    ["NumericLessThanEquals", 2, 2, true],
    ["NumericGreaterThanEquals", 1, 2, false],
    ["BooleanEquals", true, true, true],
    ["TimestampEquals", "2020-01-01T00:00:00Z", "2020-01-01T00:00:00Z", true],
    ["TimestampLessThan", "2020-01-01T00:00:00Z", "2020-01-02T00:00:00Z", true],
    ["TimestampGreaterThan", "2020-01-01T00:00:00Z", "2020-01-02T00:00:00Z", false],
    ["TimestampLessThanEquals", "2020-01-02T00:00:00Z", "2020-01-02T00:00:00Z", true],
    ["TimestampGreaterThanEquals", "2020-01-01T00:00:00Z", "2020-01-02T00:00:00Z", false],
  ];

  it.each(cases)("%s with %j against %j matches: %s", async (operator, value, operand, expected) => {
    expect(await matches({ Variable: "$.v", [operator]: operand }, { v: value })).toBe(expected);
  });

  it.each(cases)("%sPath with %j against %j matches: %s", async (operator, value, operand, expected) => {
    expect(await matches({ Variable: "$.v", [`${operator}Path`]: "$.o" }, { v: value, o: operand })).toBe(expected);
  });
});

describe("boolean and type tests", () => {
  it("BooleanEquals matches false (recorded)", async () => {
    expect(await matches({ Variable: "$.result.done", BooleanEquals: false }, { result: { done: false } })).toBe(true);
  });

  it("BooleanEquals does not match the string \"true\"", async () => {
    expect(await matches({ Variable: "$.b", BooleanEquals: true }, { b: "true" })).toBe(false);
  });

  it("IsPresent false matches a missing field", async () => {
    expect(await matches({ Variable: "$.x", IsPresent: false }, {})).toBe(true);
  });

  it("IsPresent false does not match a present field (recorded)", async () => {
    expect(await matches({ Variable: "$.input_value", IsPresent: false }, { input_value: "42" })).toBe(false);
  });

  it("IsNull matches null", async () => {
    expect(await matches({ Variable: "$.x", IsNull: true }, { x: null })).toBe(true);
  });

  it("IsNumeric false matches a string", async () => {
    expect(await matches({ Variable: "$.x", IsNumeric: false }, { x: "1" })).toBe(true);
  });

  it("IsString matches a string", async () => {
    expect(await matches({ Variable: "$.x", IsString: true }, { x: "" })).toBe(true);
  });

  it("IsBoolean matches a boolean", async () => {
    expect(await matches({ Variable: "$.x", IsBoolean: true }, { x: false })).toBe(true);
  });

  it("IsTimestamp matches a timestamp with an offset", async () => {
    expect(await matches({ Variable: "$.x", IsTimestamp: true }, { x: "2001-01-01T12:00:00+05:30" })).toBe(true);
  });

  it("IsTimestamp does not match a date without a time", async () => {
    expect(await matches({ Variable: "$.x", IsTimestamp: true }, { x: "2001-01-01" })).toBe(false);
  });
});

describe("timestamp operators", () => {
  it("TimestampEquals matches the same instant written with different offsets", async () => {
    expect(await matches({ Variable: "$.t", TimestampEquals: "2001-01-01T12:00:00Z" }, { t: "2001-01-01T13:00:00+01:00" })).toBe(true);
  });

  it("TimestampLessThan compares fractional seconds beyond milliseconds", async () => {
    expect(await matches({ Variable: "$.t", TimestampLessThan: "2001-01-01T12:00:00.0000002Z" }, { t: "2001-01-01T12:00:00.0000001Z" })).toBe(true);
  });

  it("TimestampGreaterThanEqualsPath compares with another field", async () => {
    expect(await matches({ Variable: "$.a", TimestampGreaterThanEqualsPath: "$.b" }, { a: "2020-01-02T00:00:00Z", b: "2020-01-01T00:00:00Z" })).toBe(true);
  });

  it("TimestampEquals does not match a value that is not a timestamp", async () => {
    expect(await matches({ Variable: "$.t", TimestampEquals: "2001-01-01T12:00:00Z" }, { t: "yesterday" })).toBe(false);
  });

  it("TimestampLessThanEquals matches an equal instant", async () => {
    expect(await matches({ Variable: "$.t", TimestampLessThanEquals: "2001-01-01T12:00:00Z" }, { t: "2001-01-01T12:00:00.000Z" })).toBe(true);
  });
});

describe("boolean expressions", () => {
  it("Not inverts a rule (AWS's docs scenario: type Public)", async () => {
    expect(await matches({ Not: { Variable: "$.type", StringEquals: "Private" } }, { type: "Public" })).toBe(true);
  });

  it("Or matches when any condition matches", async () => {
    expect(await matches({ Or: [{ Variable: "$.n", NumericEquals: 1 }, { Variable: "$.n", NumericEquals: 2 }] }, { n: 2 })).toBe(true);
  });

  it("And stops at the first condition that does not match, so a missing field is never read", async () => {
    const rule = { And: [{ Variable: "$.k", IsPresent: true }, { Variable: "$.k", StringEquals: "foo" }] };
    expect(await matches(rule, {})).toBe(false);
  });

  it("nests And inside Not", async () => {
    expect(await matches({ Not: { And: [{ Variable: "$.a", BooleanEquals: true }, { Variable: "$.b", BooleanEquals: true }] } }, { a: true, b: false })).toBe(true);
  });
});

describe("evaluateChoice", () => {
  const docs: ChoiceState = {
    Type: "Choice",
    Choices: [
      { Not: { Variable: "$.type", StringEquals: "Private" }, Next: "Public" },
      { Variable: "$.value", NumericEquals: 0, Next: "ValueIsZero" },
      { And: [{ Variable: "$.value", NumericGreaterThanEquals: 20 }, { Variable: "$.value", NumericLessThan: 30 }], Next: "ValueInTwenties" },
    ],
    Default: "DefaultState",
  };

  it("takes the first matching rule (recorded: Private, 22 -> ValueInTwenties)", async () => {
    const result = await evaluateChoice(docs, { type: "Private", value: 22 }, env);
    expect([result.next, result.matched]).toEqual(["ValueInTwenties", 2]);
  });

  it("outputs its input (recorded)", async () => {
    expect((await evaluateChoice(docs, { type: "Private", value: 22 }, env)).output).toEqual({ type: "Private", value: 22 });
  });

  it("takes Default when no rule matches", async () => {
    expect((await evaluateChoice(docs, { type: "Private", value: 5 }, env)).next).toBe("DefaultState");
  });

  it("returns next null without Default when no rule matches", async () => {
    const state: ChoiceState = { Type: "Choice", Choices: [{ Variable: "$.n", NumericEquals: 1, Next: "A" }] };
    expect((await evaluateChoice(state, { n: 2 }, env)).next).toBeNull();
  });

  it("explains a rule with the value it read", async () => {
    const state: ChoiceState = { Type: "Choice", Choices: [{ Variable: "$.amount", NumericGreaterThan: 100, Next: "Big" }] };
    const rule = (await evaluateChoice(state, { amount: 120 }, env)).rules[0];
    expect([rule.summary, rule.reason, rule.reads]).toEqual(["$.amount (value 120) NumericGreaterThan 100", "120 > 100", [{ path: "$.amount", value: 120 }]]);
  });

  it("explains a type mismatch", async () => {
    const state: ChoiceState = { Type: "Choice", Choices: [{ Variable: "$.n", NumericEquals: 42, Next: "A" }], Default: "B" };
    expect((await evaluateChoice(state, { n: "42" }, env)).rules[0].reason).toBe('"42" is not a number');
  });

  it("marks rules after the match as not evaluated", async () => {
    const rules = (await evaluateChoice(docs, { type: "Public", value: 22 }, env)).rules;
    expect(rules.map((r) => r.evaluated)).toEqual([true, false, false]);
  });

  it("applies InputPath before the rules and OutputPath after", async () => {
    const state: ChoiceState = { Type: "Choice", InputPath: "$.in", OutputPath: "$.n", Choices: [{ Variable: "$.n", NumericEquals: 1, Next: "A" }] };
    const result = await evaluateChoice(state, { in: { n: 1 } }, env);
    expect([result.next, result.output]).toEqual(["A", 1]);
  });

  it("assigns the state's Assign when Default is taken (recorded)", async () => {
    const state: ChoiceState = {
      Type: "Choice",
      Choices: [
        { Variable: "$.input_value", IsPresent: false, Assign: { status: "UNKNOWN" }, Next: "F" },
        { Variable: "$.input_value", NumericEquals: 42, Assign: { status: "CORRECT" }, Next: "F" },
      ],
      Assign: { status: "INCORRECT", "guess.$": "$.input_value" },
      Default: "F",
    };
    expect((await evaluateChoice(state, { input_value: "42" }, env)).assigned).toEqual({ status: "INCORRECT", guess: "42" });
  });

  it("assigns the matching rule's Assign in JSONPath", async () => {
    const state: ChoiceState = { Type: "Choice", Choices: [{ Variable: "$.n", NumericEquals: 1, Assign: { "hit.$": "$.n" }, Next: "A" }], Assign: { other: 1 } };
    expect((await evaluateChoice(state, { n: 1 }, env)).assigned).toEqual({ hit: 1 });
  });

  it("fails with States.Runtime when a Variable matches nothing", async () => {
    const err = await failure(evaluateChoice(choice({ Variable: "$.missing", StringEquals: "a" }), {}, env));
    expect([err.error, err.cause]).toEqual(["States.Runtime", "Invalid path '$.missing': The choice state's condition path references an invalid value."]);
  });

  it("reports which rule failed and explains the rules before it", async () => {
    const state: ChoiceState = {
      Type: "Choice",
      Choices: [{ Variable: "$.a", NumericEquals: 1, Next: "A" }, { Variable: "$.missing", NumericEquals: 1, Next: "B" }],
    };
    const err = await failure(evaluateChoice(state, { a: 2 }, env));
    expect(err instanceof ChoiceEvaluationError && [err.failedRule, err.rules.map((r) => r.matched)]).toEqual([1, [false, false]]);
  });

  it("fails with States.Runtime when a ...Path operand matches nothing", async () => {
    expect((await failure(evaluateChoice(choice({ Variable: "$.a", NumericEqualsPath: "$.b" }), { a: 1 }, env))).error).toBe("States.Runtime");
  });
});

describe("JSONata Choice", () => {
  it("matches a Condition (recorded: str_value = \"string literal\")", async () => {
    const state: ChoiceState = { Type: "Choice", Choices: [{ Condition: '{% $states.input.str_value = "string literal" %}', Next: "Success" }], Default: "Fail" };
    expect((await evaluateChoice(state, { str_value: "string literal" }, jsonata)).next).toBe("Success");
  });

  it("takes the second rule when the first Condition is false (recorded: $not(done))", async () => {
    const state: ChoiceState = {
      Type: "Choice",
      Choices: [{ Condition: "{% $states.input.result.done %}", Next: "T" }, { Condition: "{% $not($states.input.result.done) %}", Next: "F" }],
    };
    expect((await evaluateChoice(state, { result: { done: false } }, jsonata)).next).toBe("F");
  });

  it("assigns only the matching rule's Assign (recorded)", async () => {
    const state: ChoiceState = {
      Type: "Choice",
      Choices: [{ Condition: "{% $states.input.condition %}", Next: "T", Assign: { Assignment: "Condition assignment" } }],
      Default: "D",
      Assign: { Assignment: "Default Assignment" },
    };
    expect((await evaluateChoice(state, { condition: true }, jsonata)).assigned).toEqual({ Assignment: "Condition assignment" });
  });

  it("evaluates the matching rule's Output", async () => {
    const state: ChoiceState = { Type: "Choice", Choices: [{ Condition: true, Next: "T", Output: { v: "{% $states.input.n + 1 %}" } }] };
    expect((await evaluateChoice(state, { n: 1 }, jsonata)).output).toEqual({ v: 2 });
  });

  it("fails with States.QueryEvaluationError when a Condition is not a boolean", async () => {
    const state: ChoiceState = { Type: "Choice", Choices: [{ Condition: "{% $states.input.n %}", Next: "T" }] };
    const err = await failure(evaluateChoice(state, { n: 1 }, jsonata));
    expect([err.error, err.location]).toEqual(["States.QueryEvaluationError", "Choices[0]/Condition"]);
  });
});

describe("noChoiceMatchedError", () => {
  it("is States.NoChoiceMatched", () => {
    expect(noChoiceMatchedError().error).toBe("States.NoChoiceMatched");
  });
});
