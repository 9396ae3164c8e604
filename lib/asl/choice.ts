// Choice state evaluation that explains itself: which rule matched, what each rule read, and why
// the others did not match.
//
// AWS's rules: rules are tried in order and the first match wins; And/Or/Not short-circuit (so
// `And: [IsPresent, StringEquals]` never reads a missing field); a comparison whose value has the
// wrong type does not match and is not an error (a string "42" is not NumericEquals 42, recorded
// on AWS); a Variable (or `...Path` operand) that matches nothing fails the state with
// States.Runtime, except under IsPresent. A rule's Assign (and, in JSONata, Output) applies when
// it matches; the state's own Assign/Output apply when Default is taken.
import type { Json } from "../history/types";
import type { EvalEnv } from "./context";
import { StatesError, STATES_ERRORS } from "./errors";
import { evaluateJsonata, evaluateJsonataTemplate, isJsonataExpression, unexpectedJsonataType } from "./jsonata";
import type { ChoiceCondition, ChoiceRule, ChoiceState, ComparisonOperator } from "./model";
import { COMPARISON_OPERATORS } from "./model";
import { evaluatePath, evaluatePayloadTemplate } from "./paths";
import { applyInputPath, applyOutputPath } from "./dataflow";
import { parseTimestamp } from "./timestamp";

/** A value a rule read while being evaluated. */
export interface ChoiceRead {
  /** The path (JSONPath `Variable` / `...Path` operand) or the JSONata expression. */
  path: string;
  value?: Json;
  /** True when the path matched nothing. */
  missing?: boolean;
}

export interface ChoiceRuleExplanation {
  /** Index in `Choices`. */
  index: number;
  matched: boolean;
  /** e.g. "$.amount (value 120) NumericGreaterThan 100" */
  summary: string;
  reads: ChoiceRead[];
  /** Why it did or did not match, e.g. "120 > 100", "not a number: \"120\"". */
  reason: string;
  /** Rules after the matching one are not evaluated by AWS; they are listed with evaluated=false. */
  evaluated: boolean;
}

export interface ChoiceExplanation {
  /** The next state, or null when nothing matched and there is no Default (States.NoChoiceMatched). */
  next: string | null;
  /** The index of the matching rule, "Default", or null. */
  matched: number | "Default" | null;
  rules: ChoiceRuleExplanation[];
  /** The input after InputPath (JSONPath), which the rules were evaluated against. */
  afterInputPath: Json;
  /** The state output: OutputPath applied (JSONPath) or the matching rule's/state's Output (JSONata). */
  output: Json;
  /** Variables assigned by the matching rule's (or, for Default, the state's) Assign. */
  assigned?: Record<string, Json>;
}

/**
 * A Choice state failed while a rule was evaluated (States.Runtime for a missing path,
 * States.QueryEvaluationError for JSONata): the error AWS raises, plus the rules explained up to
 * and including the failing one, for the UI.
 */
export class ChoiceEvaluationError extends StatesError {
  readonly failedRule: number;
  readonly rules: ChoiceRuleExplanation[];
  constructor(error: StatesError, failedRule: number, rules: ChoiceRuleExplanation[]) {
    super(error.error, error.cause, { stateContext: error.stateContext, ...(error.location !== undefined ? { location: error.location } : {}) });
    this.name = "ChoiceEvaluationError";
    this.failedRule = failedRule;
    this.rules = rules;
  }
}

/**
 * The failure AWS raises when no rule matched and there is no Default. (AWS's cause text for it
 * is not in any recording we have; this one is ours.)
 */
export function noChoiceMatchedError(): StatesError {
  return new StatesError(STATES_ERRORS.NoChoiceMatched, "No choice rule matched the input and the Choice state has no Default.");
}

/** AWS's cause when a Variable (or a `...Path` operand) matches nothing. */
export function invalidConditionPathMessage(path: string): string {
  return `Invalid path '${path}': The choice state's condition path references an invalid value.`;
}

interface Outcome {
  matched: boolean;
  summary: string;
  reason: string;
  reads: ChoiceRead[];
}

function show(value: Json | undefined): string {
  return value === undefined ? "missing" : JSON.stringify(value);
}

function operatorOf(condition: ChoiceCondition): { operator: ComparisonOperator; operand: Json } | undefined {
  for (const operator of COMPARISON_OPERATORS) {
    const operand = condition[operator];
    if (operand !== undefined) return { operator, operand };
  }
  return undefined;
}

/**
 * `*` matches any run of characters; `\*` is a literal star and `\\` a literal backslash.
 * Matched without a regular expression: a pattern such as `*a*a*a*a*a*a*a*a*b` would make a
 * backtracking regex take hours on a string of a few dozen `a`s. This greedy match retries only
 * from the last star, so it takes at most (value length) x (pattern length) steps.
 */
export function stringMatches(value: string, pattern: string): boolean {
  const tokens: Array<string | null> = []; // a character, or null for a star
  for (let i = 0; i < pattern.length; i++) {
    const c = pattern[i];
    if (c === "\\" && i + 1 < pattern.length) tokens.push(pattern[++i]);
    else tokens.push(c === "*" ? null : c);
  }
  let v = 0;
  let t = 0;
  let star = -1; // the token index of the last star seen
  let resume = 0; // where in `value` that star's match ends
  while (v < value.length) {
    if (t < tokens.length && tokens[t] === null) {
      star = t++;
      resume = v;
    } else if (t < tokens.length && tokens[t] === value[v]) {
      t++;
      v++;
    } else if (star >= 0) {
      t = star + 1;
      v = ++resume;
    } else {
      return false;
    }
  }
  while (t < tokens.length && tokens[t] === null) t++;
  return t === tokens.length;
}

type Kind = "String" | "Numeric" | "Boolean" | "Timestamp";

function kindOf(operator: string): Kind | null {
  for (const kind of ["String", "Numeric", "Boolean", "Timestamp"] as const) if (operator.startsWith(kind)) return kind;
  return null;
}

const KIND_TEST: Record<Kind, { name: string; test: (v: Json) => boolean }> = {
  String: { name: "a string", test: (v) => typeof v === "string" },
  Numeric: { name: "a number", test: (v) => typeof v === "number" },
  Boolean: { name: "a boolean", test: (v) => typeof v === "boolean" },
  Timestamp: { name: "a timestamp", test: (v) => typeof v === "string" && parseTimestamp(v) !== null },
};

function relation(operator: string): "Equals" | "LessThan" | "GreaterThan" | "LessThanEquals" | "GreaterThanEquals" | "Matches" {
  const base = operator.replace(/^(String|Numeric|Boolean|Timestamp)/, "").replace(/Path$/, "");
  return base as "Equals";
}

const SYMBOL = { Equals: "=", LessThan: "<", GreaterThan: ">", LessThanEquals: "<=", GreaterThanEquals: ">=", Matches: "matches" };

function compare(rel: ReturnType<typeof relation>, a: number | string | bigint, b: number | string | bigint): boolean {
  switch (rel) {
    case "Equals":
      return a === b;
    case "LessThan":
      return a < b;
    case "GreaterThan":
      return a > b;
    case "LessThanEquals":
      return a <= b;
    case "GreaterThanEquals":
      return a >= b;
    default:
      return false;
  }
}

function isTest(operator: ComparisonOperator, value: Json | undefined): boolean {
  switch (operator) {
    case "IsPresent":
      return value !== undefined;
    case "IsNull":
      return value === null;
    case "IsNumeric":
      return typeof value === "number";
    case "IsString":
      return typeof value === "string";
    case "IsBoolean":
      return typeof value === "boolean";
    case "IsTimestamp":
      return typeof value === "string" && parseTimestamp(value) !== null;
    default:
      return false;
  }
}

function evaluateComparison(condition: ChoiceCondition, input: Json, env: EvalEnv): Outcome {
  const variable = condition.Variable ?? "";
  const op = operatorOf(condition);
  if (!op) throw new StatesError(STATES_ERRORS.Runtime, `The choice rule on ${variable} has no comparison operator.`);
  const { operator, operand } = op;
  const value = evaluatePath(variable, input, env);
  const reads: ChoiceRead[] = [value === undefined ? { path: variable, missing: true } : { path: variable, value }];
  const head = `${variable} (${value === undefined ? "missing" : `value ${show(value)}`}) ${operator}`;

  if (operator.startsWith("Is")) {
    const expected = operand === true;
    if (value === undefined && operator !== "IsPresent") {
      throw new StatesError(STATES_ERRORS.Runtime, invalidConditionPathMessage(variable));
    }
    const actual = isTest(operator, value);
    const matched = actual === expected;
    const what = operator.slice(2).toLowerCase();
    const reason = operator === "IsPresent"
      ? `${variable} is ${actual ? "present" : "missing"}`
      : `${show(value)} is ${actual ? "" : "not "}${what === "numeric" ? "a number" : what === "null" ? "null" : `a ${what}`}`;
    return { matched, summary: `${head} ${show(operand)}`, reason, reads };
  }

  if (value === undefined) throw new StatesError(STATES_ERRORS.Runtime, invalidConditionPathMessage(variable));

  let right: Json = operand;
  let summary = `${head} ${show(operand)}`;
  if (operator.endsWith("Path")) {
    const path = typeof operand === "string" ? operand : "";
    const resolved = evaluatePath(path, input, env);
    if (resolved === undefined) {
      reads.push({ path, missing: true });
      throw new StatesError(STATES_ERRORS.Runtime, invalidConditionPathMessage(path));
    }
    reads.push({ path, value: resolved });
    right = resolved;
    summary = `${head} ${path} (value ${show(resolved)})`;
  }

  const kind = kindOf(operator) as Kind;
  const rel = relation(operator);
  const test = KIND_TEST[kind];
  if (!test.test(value)) return { matched: false, summary, reason: `${show(value)} is not ${test.name}`, reads };
  if (!test.test(right)) return { matched: false, summary, reason: `the operand ${show(right)} is not ${test.name}`, reads };

  let matched: boolean;
  if (rel === "Matches") {
    matched = stringMatches(value as string, right as string);
  } else if (kind === "Boolean") {
    matched = value === right;
  } else if (kind === "Timestamp") {
    const a = parseTimestamp(value as string);
    const b = parseTimestamp(right as string);
    matched = a !== null && b !== null && compare(rel, a.epochNanos, b.epochNanos);
  } else {
    matched = compare(rel, value as number | string, right as number | string);
  }
  const symbol = SYMBOL[rel];
  const reason = matched ? `${show(value)} ${symbol} ${show(right)}` : `not ${show(value)} ${symbol} ${show(right)}`;
  return { matched, summary, reason, reads };
}

function evaluateCondition(condition: ChoiceCondition, input: Json, env: EvalEnv): Outcome {
  if (condition.And !== undefined || condition.Or !== undefined) {
    const isAnd = condition.And !== undefined;
    const parts = (isAnd ? condition.And : condition.Or) ?? [];
    const summaries: string[] = [];
    const reads: ChoiceRead[] = [];
    for (let i = 0; i < parts.length; i++) {
      const part = evaluateCondition(parts[i], input, env);
      summaries.push(`(${part.summary})`);
      reads.push(...part.reads);
      if (isAnd && !part.matched) {
        const rest = parts.length - i - 1;
        return {
          matched: false,
          summary: summaries.join(" and ") + (rest > 0 ? ` and ${rest} more` : ""),
          reason: `condition ${i + 1} of ${parts.length} did not match: ${part.reason}`,
          reads,
        };
      }
      if (!isAnd && part.matched) {
        const rest = parts.length - i - 1;
        return {
          matched: true,
          summary: summaries.join(" or ") + (rest > 0 ? ` or ${rest} more` : ""),
          reason: `condition ${i + 1} of ${parts.length} matched: ${part.reason}`,
          reads,
        };
      }
    }
    return isAnd
      ? { matched: true, summary: summaries.join(" and "), reason: `all ${parts.length} conditions matched`, reads }
      : { matched: false, summary: summaries.join(" or "), reason: `none of ${parts.length} conditions matched`, reads };
  }
  if (condition.Not !== undefined) {
    const inner = evaluateCondition(condition.Not, input, env);
    return {
      matched: !inner.matched,
      summary: `not (${inner.summary})`,
      reason: `the negated condition ${inner.matched ? "matched" : "did not match"}: ${inner.reason}`,
      reads: inner.reads,
    };
  }
  return evaluateComparison(condition, input, env);
}

async function evaluateJsonataCondition(rule: ChoiceRule, index: number, rawInput: Json, env: EvalEnv): Promise<Outcome> {
  const condition = rule.Condition;
  const field = `Choices[${index}]/Condition`;
  if (typeof condition === "boolean") {
    return { matched: condition, summary: String(condition), reason: `the condition is the literal ${condition}`, reads: [] };
  }
  if (typeof condition !== "string" || !isJsonataExpression(condition)) {
    throw new StatesError(STATES_ERRORS.QueryEvaluationError, `The Condition field must be a boolean or a JSONata expression, but was: ${JSON.stringify(condition ?? null)}`, { location: field });
  }
  const value = await evaluateJsonata(condition, { input: rawInput, context: env.context }, env.variables, { field, random: env.random });
  if (typeof value !== "boolean") throw unexpectedJsonataType(condition, field, "boolean", value);
  const expression = condition.slice(2, -2).trim();
  return {
    matched: value,
    summary: expression,
    reason: `the expression returned ${value}`,
    reads: [{ path: expression, value }],
  };
}

function asAssignment(value: Json): Record<string, Json> {
  return typeof value === "object" && value !== null && !Array.isArray(value) ? value : {};
}

/**
 * Evaluates a Choice state against its raw input (as in ChoiceStateEntered), in
 * `env.queryLanguage`. Rules are tried in order and the first match wins. Resolves with
 * `next: null` when nothing matches and there is no Default: the caller fails the state with
 * `noChoiceMatchedError()`. Rejects with a ChoiceEvaluationError (a StatesError carrying the rules
 * explained so far) where AWS fails the state while evaluating a rule (invalid paths, JSONata
 * errors), and with a plain StatesError when the chosen Assign/Output/OutputPath fails.
 */
export async function evaluateChoice(state: ChoiceState, input: Json, env: EvalEnv): Promise<ChoiceExplanation> {
  const jsonata = env.queryLanguage === "JSONata";
  const afterInputPath = jsonata ? input : applyInputPath(state.InputPath, input, env);
  const rules: ChoiceRuleExplanation[] = [];
  let matchedIndex: number | null = null;
  for (let index = 0; index < state.Choices.length; index++) {
    const rule = state.Choices[index];
    if (matchedIndex !== null) {
      rules.push({ index, matched: false, summary: "", reads: [], reason: "not evaluated: an earlier rule matched", evaluated: false });
      continue;
    }
    let outcome: Outcome;
    try {
      outcome = jsonata ? await evaluateJsonataCondition(rule, index, input, env) : evaluateCondition(rule, afterInputPath, env);
    } catch (e) {
      if (!(e instanceof StatesError)) throw e;
      rules.push({ index, matched: false, summary: "", reads: [], reason: `failed: ${e.cause}`, evaluated: true });
      throw new ChoiceEvaluationError(e, index, rules);
    }
    rules.push({ index, ...outcome, evaluated: true });
    if (outcome.matched) matchedIndex = index;
  }

  const jsonataStates = { input, context: env.context };
  const explanation: ChoiceExplanation = { next: null, matched: null, rules, afterInputPath, output: afterInputPath };
  let assign: Json | undefined;
  let output: Json | undefined;
  let prefix = "";
  if (matchedIndex !== null) {
    const rule = state.Choices[matchedIndex];
    explanation.next = rule.Next;
    explanation.matched = matchedIndex;
    assign = rule.Assign;
    output = rule.Output;
    prefix = `Choices[${matchedIndex}]/`;
  } else if (state.Default !== undefined) {
    explanation.next = state.Default;
    explanation.matched = "Default";
    assign = state.Assign;
    output = state.Output;
  }
  if (explanation.matched === null) return explanation;

  if (jsonata) {
    if (assign !== undefined) {
      explanation.assigned = asAssignment(await evaluateJsonataTemplate(assign, jsonataStates, env.variables, { field: `${prefix}Assign`, random: env.random }));
    }
    explanation.output = output !== undefined
      ? await evaluateJsonataTemplate(output, jsonataStates, env.variables, { field: `${prefix}Output`, random: env.random })
      : input;
  } else {
    if (assign !== undefined) explanation.assigned = asAssignment(evaluatePayloadTemplate(assign, afterInputPath, env));
    explanation.output = applyOutputPath(state.OutputPath, afterInputPath, env);
  }
  return explanation;
}
