// Choice states: Choices and Default, and every Choice rule. A JSONPath rule is a data-test
// expression (Variable + exactly one comparison operator) or a boolean expression (And, Or, Not);
// a JSONata rule is a Condition. Only top-level rules have Next (and Assign, Output). Variable and
// the *Path operands are Reference Paths (the spec's Choice Rules section).
import { COMPARISON_OPERATORS, type QueryLanguage } from "./model";
import { checkString, isTimestamp } from "./validate-checks";
import { checkJsonataString, checkJsonataTemplate, checkPath, isJsonataString } from "./validate-expressions";
import { wrongLanguageMessage } from "./validate-fields";
import { child, describeJson, has, isRecord, type JsonRecord, type Problems } from "./validate-problems";
import { checkAssign } from "./validate-retry-catch";

const BOOLEAN_OPERATORS = ["And", "Or", "Not"];
const OPERATORS: readonly string[] = [...COMPARISON_OPERATORS, ...BOOLEAN_OPERATORS];

export function checkChoiceState(problems: Problems, pointer: string, state: JsonRecord, language: QueryLanguage): void {
  const p = child(pointer, "Choices");
  if (!has(state, "Choices")) {
    problems.add(p, "missing-field", "A Choice state needs Choices: a non-empty array of Choice rules");
  } else if (!Array.isArray(state.Choices) || state.Choices.length === 0) {
    problems.add(p, Array.isArray(state.Choices) ? "invalid-value" : "invalid-type", "Choices must be a non-empty array of Choice rules");
  } else {
    state.Choices.forEach((rule, i) => checkRule(problems, child(p, i), rule, language, true));
  }
  if (has(state, "Default")) checkString(problems, child(pointer, "Default"), "Default", state.Default, true);
}

function checkRule(problems: Problems, pointer: string, rule: unknown, language: QueryLanguage, topLevel: boolean): void {
  if (!isRecord(rule)) {
    problems.add(pointer, "invalid-type", `A Choice rule must be an object, not ${describeJson(rule)}`);
    return;
  }
  if (topLevel) {
    if (!has(rule, "Next")) problems.add(child(pointer, "Next"), "missing-field", "A Choice rule needs Next: the state to go to when it matches");
    else checkString(problems, child(pointer, "Next"), "Next", rule.Next, true);
    if (has(rule, "Assign")) checkAssign(problems, child(pointer, "Assign"), rule.Assign, language);
  } else {
    for (const field of ["Next", "Assign", "Output"]) {
      if (has(rule, field)) {
        problems.add(child(pointer, field), "unknown-field", `Only a top-level Choice rule has "${field}"; this one is nested inside And, Or or Not`);
      }
    }
  }
  if (has(rule, "Comment")) checkString(problems, child(pointer, "Comment"), "Comment", rule.Comment);
  if (language === "JSONata") checkJsonataRule(problems, pointer, rule, topLevel);
  else checkJsonPathRule(problems, pointer, rule, topLevel);
}

function checkJsonataRule(problems: Problems, pointer: string, rule: JsonRecord, topLevel: boolean): void {
  for (const key of Object.keys(rule)) {
    if (["Condition", "Next", "Assign", "Output", "Comment"].includes(key)) continue;
    const jsonPathField = key === "Variable" || OPERATORS.includes(key);
    problems.add(
      child(pointer, key),
      jsonPathField ? "field-not-allowed-in-jsonata" : "unknown-field",
      jsonPathField ? `"${key}" is a JSONPath Choice rule field; a JSONata rule tests a Condition` : `A Choice rule does not have a field "${key}"`,
    );
  }
  if (!has(rule, "Condition")) {
    problems.add(child(pointer, "Condition"), "missing-field", "A JSONata Choice rule needs a Condition ({% %} expression or boolean)");
  } else if (typeof rule.Condition === "string" && isJsonataString(rule.Condition)) {
    checkJsonataString(problems, child(pointer, "Condition"), "Condition", rule.Condition);
  } else if (typeof rule.Condition !== "boolean") {
    problems.add(child(pointer, "Condition"), "invalid-type", `Condition must be a {% %} expression or a boolean, not ${describeJson(rule.Condition)}`);
  }
  if (topLevel && has(rule, "Output")) checkJsonataTemplate(problems, child(pointer, "Output"), "Output", rule.Output);
}

function checkJsonPathRule(problems: Problems, pointer: string, rule: JsonRecord, topLevel: boolean): void {
  for (const key of Object.keys(rule)) {
    if (OPERATORS.includes(key) || ["Variable", "Next", "Assign", "Comment"].includes(key)) continue;
    if (key === "Output" && !topLevel) continue; // reported above as nested-only
    const jsonataField = key === "Condition" || key === "Output";
    problems.add(
      child(pointer, key),
      jsonataField ? "field-not-allowed-in-jsonpath" : "unknown-field",
      jsonataField ? wrongLanguageMessage(key, "JSONPath") : `A Choice rule does not have a field "${key}"`,
    );
  }
  const operators = Object.keys(rule).filter((k) => OPERATORS.includes(k));
  if (operators.length !== 1) {
    problems.add(
      pointer,
      "choice-rule-operator-count",
      operators.length === 0
        ? "A Choice rule needs exactly one comparison operator (such as StringEquals or NumericGreaterThan) or And, Or, Not; it has none"
        : `A Choice rule needs exactly one comparison operator; it has ${operators.length}: ${operators.join(", ")}`,
    );
  }
  const isBoolean = operators.length > 0 && operators.every((op) => BOOLEAN_OPERATORS.includes(op));
  if (isBoolean && has(rule, "Variable")) {
    problems.add(child(pointer, "Variable"), "unknown-field", `A rule that combines others with ${operators[0]} has no Variable`);
  } else if (!isBoolean && operators.length > 0) {
    if (!has(rule, "Variable")) {
      problems.add(child(pointer, "Variable"), "missing-field", `A Choice rule with ${operators[0]} needs a Variable: the path of the value to test`);
    } else if (checkString(problems, child(pointer, "Variable"), "Variable", rule.Variable)) {
      checkPath(problems, child(pointer, "Variable"), "Variable", rule.Variable, { reference: true });
    }
  }
  for (const op of operators) checkOperand(problems, child(pointer, op), op, rule[op], (nested, p) => checkRule(problems, p, nested, "JSONPath", false));
}

function checkOperand(
  problems: Problems,
  pointer: string,
  op: string,
  value: unknown,
  checkNested: (rule: unknown, pointer: string) => void,
): void {
  if (op === "And" || op === "Or") {
    if (!Array.isArray(value) || value.length === 0) {
      problems.add(pointer, Array.isArray(value) ? "invalid-value" : "invalid-type", `${op} must be a non-empty array of Choice rules`);
    } else {
      value.forEach((nested, i) => checkNested(nested, child(pointer, i)));
    }
    return;
  }
  if (op === "Not") {
    checkNested(value, pointer);
    return;
  }
  if (op.endsWith("Path")) {
    if (checkString(problems, pointer, op, value)) checkPath(problems, pointer, op, value, { reference: true });
    return;
  }
  const expected = op.startsWith("Is") || op === "BooleanEquals" ? "boolean" : op.startsWith("Numeric") ? "number" : "string";
  if (typeof value !== expected) {
    problems.add(pointer, "invalid-type", `${op} compares with ${expected === "number" ? "a number" : `a ${expected}`}, not ${describeJson(value)}`);
    return;
  }
  if (op.startsWith("Timestamp") && !isTimestamp(value as string)) {
    problems.add(pointer, "invalid-value", `${op} needs an RFC 3339 timestamp such as "2016-03-14T01:59:00Z", not "${value as string}"`);
  }
}
