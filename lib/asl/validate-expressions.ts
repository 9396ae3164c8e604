// Checks of the values that hold expressions: JSONPath paths and reference paths, intrinsic
// function calls, payload templates (`.$` keys) and JSONata `{% %}` strings.
import { IntrinsicSyntaxError, parseIntrinsic, type IntrinsicCall } from "./intrinsics";
import { checkJsonataSyntax } from "./jsonata";
import { parseJsonPath } from "./paths";
import { jsonataReferenceIssues } from "./validate-jsonata";
import { child, describeJson, isRecord, type Problems } from "./validate-problems";

export interface PathRules {
  /** A Reference Path: selects one node (only `.field`, `['field']` and `[index]` steps). */
  reference?: boolean;
  /** Must address the state input (`$...`), not the context object or a variable (ResultPath). */
  inputOnly?: boolean;
  /** Must not address the context object (`$$...`); variables are fine. */
  noContext?: boolean;
}

/** Checks a string that must be a path. Returns false when it reported a problem. */
export function checkPath(problems: Problems, pointer: string, field: string, text: string, rules: PathRules = {}): boolean {
  const code = rules.reference ? "invalid-reference-path" : "invalid-path";
  const parsed = parseJsonPath(text);
  if (!parsed.ok) {
    problems.add(pointer, code, `${field} "${text}" is not a valid ${rules.reference ? "reference path" : "path"}: ${parsed.message}`);
    return false;
  }
  if (rules.inputOnly && parsed.path.root !== "input") {
    problems.add(pointer, code, `${field} "${text}" must start with "$" (the state input), not "$$" or a variable`);
    return false;
  }
  if (rules.noContext && parsed.path.root === "context") {
    problems.add(pointer, code, `${field} "${text}" must address the state input or a variable, not the context object ($$)`);
    return false;
  }
  if (rules.reference && !parsed.path.definite) {
    problems.add(
      pointer,
      code,
      `${field} "${text}" must be a reference path: one node, without wildcards, filters, slices, unions or ".."`,
    );
    return false;
  }
  return true;
}

const FIXED_ARITY: Record<string, [number, number]> = {
  "States.StringToJson": [1, 1],
  "States.JsonToString": [1, 1],
  "States.ArrayPartition": [2, 2],
  "States.ArrayContains": [2, 2],
  "States.ArrayRange": [3, 3],
  "States.ArrayGetItem": [2, 2],
  "States.ArrayLength": [1, 1],
  "States.ArrayUnique": [1, 1],
  "States.Base64Encode": [1, 1],
  "States.Base64Decode": [1, 1],
  "States.Hash": [2, 2],
  "States.JsonMerge": [3, 3],
  "States.MathRandom": [2, 3],
  "States.MathAdd": [2, 2],
  "States.StringSplit": [2, 2],
  "States.UUID": [0, 0],
  "States.Format": [1, Infinity],
  "States.Array": [0, Infinity],
};

/** Arguments that must be numbers when they are literals. */
const NUMERIC_ARGUMENTS: Record<string, number[]> = {
  "States.MathAdd": [0, 1],
  "States.MathRandom": [0, 1, 2],
  "States.ArrayRange": [0, 1, 2],
  "States.ArrayPartition": [1],
  "States.ArrayGetItem": [1],
};

const HASH_ALGORITHMS = ["MD5", "SHA-1", "SHA-256", "SHA-384", "SHA-512"];

/**
 * Checks an intrinsic function call: its syntax (parseIntrinsic: names, nesting, escapes, path
 * arguments), then what AWS rejects beyond the grammar: argument counts, literal argument types,
 * the States.Format placeholders. `allowed` restricts the outermost function (Fail's ErrorPath and
 * CausePath accept only a few).
 */
export function checkIntrinsic(problems: Problems, pointer: string, field: string, text: string, allowed?: readonly string[]): void {
  let parsed: IntrinsicCall;
  try {
    parsed = parseIntrinsic(text);
  } catch (e) {
    if (!(e instanceof IntrinsicSyntaxError)) throw e;
    problems.add(pointer, "invalid-intrinsic", `${field} "${text}" is not a valid intrinsic function call: ${e.message}`);
    return;
  }
  if (allowed && !allowed.includes(parsed.name)) {
    problems.add(pointer, "invalid-intrinsic", `${field} accepts only ${allowed.join(", ")}, not ${parsed.name}`);
  }
  const report = (message: string): void => problems.add(pointer, "invalid-intrinsic", `${field}: ${message}`);
  const visit = (call: IntrinsicCall): void => {
    const [min, max] = FIXED_ARITY[call.name] ?? [0, Infinity];
    const n = call.args.length;
    if (n < min || n > max) {
      const expected = min === max ? `${min}` : max === Infinity ? `at least ${min}` : `${min} to ${max}`;
      report(`${call.name} takes ${expected} argument${expected === "1" ? "" : "s"}, not ${n}`);
    }
    for (const index of NUMERIC_ARGUMENTS[call.name] ?? []) {
      const arg = call.args[index];
      if (arg && arg.kind !== "number" && arg.kind !== "path" && arg.kind !== "call") {
        report(`argument ${index + 1} of ${call.name} must be a number or a path, not ${arg.kind === "string" ? `the string '${arg.value}'` : arg.kind}`);
      }
    }
    const algorithm = call.name === "States.Hash" ? call.args[1] : undefined;
    if (algorithm?.kind === "string" && !HASH_ALGORITHMS.includes(algorithm.value)) {
      report(`States.Hash supports ${HASH_ALGORITHMS.join(", ")}, not '${algorithm.value}'`);
    }
    // An escaped \{ or \} reads as a brace in the parsed template, so only unescaped text is counted.
    const template = call.name === "States.Format" ? call.args[0] : undefined;
    if (template?.kind === "string" && !text.includes("\\")) {
      const placeholders = template.value.split("{}").length - 1;
      if (placeholders !== n - 1) {
        report(`the States.Format template has ${placeholders} {} placeholder${placeholders === 1 ? "" : "s"} but ${n - 1} argument${n === 2 ? " follows" : "s follow"} it`);
      }
    }
    for (const arg of call.args) if (arg.kind === "call") visit(arg.call);
  };
  visit(parsed);
}

/** A `.$` value or a `*Path` field that accepts intrinsics: a path or an intrinsic function call. */
export function checkPathOrIntrinsic(problems: Problems, pointer: string, field: string, text: string, allowed?: readonly string[]): void {
  const trimmed = text.trimStart();
  if (trimmed.startsWith("States.")) checkIntrinsic(problems, pointer, field, text, allowed);
  else if (text.startsWith("$")) checkPath(problems, pointer, field, text);
  else problems.add(pointer, "invalid-path", `${field} "${text}" must be a path ("$...") or an intrinsic function call ("States.Name(...)")`);
}

/**
 * Checks a JSONPath payload template (Parameters, ResultSelector, ItemSelector, Credentials,
 * Assign, ...): every `key.$` holds a path or an intrinsic call, and no key appears both with and
 * without `.$` (both would produce the same output field).
 */
export function checkPayloadTemplate(problems: Problems, pointer: string, field: string, value: unknown): void {
  if (Array.isArray(value)) {
    value.forEach((item, i) => checkPayloadTemplate(problems, child(pointer, i), field, item));
    return;
  }
  if (!isRecord(value)) return;
  for (const [key, item] of Object.entries(value)) {
    const itemPointer = child(pointer, key);
    if (key.endsWith(".$")) {
      if (Object.prototype.hasOwnProperty.call(value, key.slice(0, -2))) {
        problems.add(itemPointer, "duplicate-payload-field", `${field} has both "${key.slice(0, -2)}" and "${key}"; both would produce the field "${key.slice(0, -2)}"`);
      }
      if (typeof item !== "string") {
        problems.add(itemPointer, "invalid-type", `"${key}" ends in .$, so its value must be a path or an intrinsic function call (a string), not ${describeJson(item)}`);
      } else {
        checkPathOrIntrinsic(problems, itemPointer, `"${key}"`, item);
      }
    } else {
      checkPayloadTemplate(problems, itemPointer, field, item);
    }
  }
}

/** True for a string AWS evaluates as JSONata: `{%` ... `%}` with nothing outside. */
export function isJsonataString(value: unknown): value is string {
  return typeof value === "string" && value.startsWith("{%") && value.endsWith("%}") && value.length >= 4;
}

export interface JsonataFieldRules {
  /** `$states.errorOutput` is available (a catcher's Output and Assign). */
  errorOutput?: boolean;
}

/**
 * Checks one string of a JSONata state's field. A `{% %}` string must hold a valid expression;
 * a string that opens `{%` without closing it (or closes without opening) is reported, because
 * AWS would take it for a literal the author did not mean. (Text around the delimiters, as in " {% x %} ", is a literal
 * AWS accepts.)
 */
export function checkJsonataString(problems: Problems, pointer: string, field: string, text: string, rules: JsonataFieldRules = {}): void {
  if (text.startsWith("{%") && text.endsWith("%}") && text.length >= 4) {
    const body = text.slice(2, -2);
    if (body.trim() === "") {
      problems.add(pointer, "invalid-jsonata", `${field} has an empty JSONata expression "{% %}"`);
      return;
    }
    const error = checkJsonataSyntax(body);
    if (error) {
      problems.add(pointer, "invalid-jsonata", `${field} has an invalid JSONata expression: ${error}`);
      return;
    }
    for (const issue of jsonataReferenceIssues(body, rules.errorOutput === true)) {
      if (issue.kind === "error-output") {
        problems.add(pointer, "jsonata-error-output-unavailable", `${field} reads $states.errorOutput, which exists only in a catcher's Output and Assign`);
      } else {
        problems.add(
          pointer,
          "jsonata-top-level-reference",
          `${field}: reference to '${issue.name}' at the top level is not supported; a JSONata expression has no context value, so read the input as $states.input (and variables as $name)`,
        );
      }
    }
    return;
  }
  if (text.startsWith("{%")) {
    problems.add(pointer, "invalid-jsonata", `${field} opens a JSONata expression with "{%" but does not end with "%}"`);
  } else if (text.endsWith("%}") && !text.includes("{%")) {
    problems.add(pointer, "invalid-jsonata", `${field} ends a JSONata expression with "%}" but does not start with "{%"`);
  }
}

/** Checks every string inside a JSONata state's field (objects and arrays recursively). */
export function checkJsonataTemplate(problems: Problems, pointer: string, field: string, value: unknown, rules: JsonataFieldRules = {}): void {
  if (typeof value === "string") checkJsonataString(problems, pointer, field, value, rules);
  else if (Array.isArray(value)) value.forEach((item, i) => checkJsonataTemplate(problems, child(pointer, i), field, item, rules));
  else if (isRecord(value)) {
    for (const [key, item] of Object.entries(value)) checkJsonataTemplate(problems, child(pointer, key), field, item, rules);
  }
}
