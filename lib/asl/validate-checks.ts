// Field-level checks shared by the state, Choice, Map and Retry/Catch validators: known fields,
// types, numeric bounds, mutually exclusive pairs.
import type { QueryLanguage } from "./model";
import { wrongLanguageMessage, type FieldLanguage } from "./validate-fields";
import { checkJsonataString, checkPath, isJsonataString, type PathRules } from "./validate-expressions";
import { child, describeJson, has, isInteger, type JsonRecord, type Problems } from "./validate-problems";

/** The largest number of seconds AWS accepts in a timeout, heartbeat, wait or retry interval. */
export const MAX_SECONDS = 99_999_999;

const RFC3339 = /^\d{4}-\d{2}-\d{2}T\d{2}:\d{2}:\d{2}(\.\d+)?(Z|[+-]\d{2}:\d{2})$/;

/** Wait's Timestamp and the Timestamp* comparisons take RFC 3339 timestamps ("2016-03-14T01:59:00Z"). */
export function isTimestamp(text: string): boolean {
  return RFC3339.test(text);
}

/**
 * Reports every field of `obj` that `allowed` does not list ("unknown-field") or that belongs to
 * the other query language. `what` names the object in messages ("Task states", "A retrier").
 */
export function checkKnownFields(
  problems: Problems,
  pointer: string,
  obj: JsonRecord,
  allowed: Readonly<Record<string, FieldLanguage>>,
  language: QueryLanguage,
  what: string,
  skip: readonly string[] = [],
): void {
  for (const key of Object.keys(obj)) {
    if (skip.includes(key)) continue;
    // own fields only: "constructor" or "__proto__" must not find Object.prototype's
    const fieldLanguage = Object.hasOwn(allowed, key) ? allowed[key] : undefined;
    if (fieldLanguage === undefined) {
      const guess = closest(key, Object.keys(allowed));
      problems.add(child(pointer, key), "unknown-field", `${what} do not have a field "${key}"${guess ? `; did you mean "${guess}"?` : ""}`);
    } else if (fieldLanguage !== "both" && fieldLanguage !== language) {
      problems.add(
        child(pointer, key),
        language === "JSONata" ? "field-not-allowed-in-jsonata" : "field-not-allowed-in-jsonpath",
        wrongLanguageMessage(key, language),
      );
    }
  }
}

export function checkString(problems: Problems, pointer: string, field: string, value: unknown, nonEmpty = false): value is string {
  if (typeof value !== "string") {
    problems.add(pointer, "invalid-type", `${field} must be a string, not ${describeJson(value)}`);
    return false;
  }
  if (nonEmpty && value === "") {
    problems.add(pointer, "invalid-value", `${field} must not be empty`);
    return false;
  }
  return true;
}

export interface NumberRules {
  min?: number;
  max?: number;
  integer?: boolean;
  /** In a JSONata state the field may be a `{% %}` expression instead. */
  language?: QueryLanguage;
}

/** Checks a numeric field (or, in JSONata states, a `{% %}` expression). */
export function checkNumber(problems: Problems, pointer: string, field: string, value: unknown, rules: NumberRules): void {
  if (rules.language === "JSONata" && typeof value === "string") {
    if (isJsonataString(value)) checkJsonataString(problems, pointer, field, value);
    else problems.add(pointer, "invalid-type", `${field} must be ${rules.integer ? "an integer" : "a number"} or a {% %} expression, not the string "${value}"`);
    return;
  }
  if (typeof value !== "number") {
    const hint = isJsonataString(value) ? " ({% %} expressions need \"QueryLanguage\": \"JSONata\")" : "";
    problems.add(pointer, "invalid-type", `${field} must be ${rules.integer ? "an integer" : "a number"}, not ${describeJson(value)}${hint}`);
    return;
  }
  if (rules.integer && !isInteger(value)) {
    problems.add(pointer, "invalid-value", `${field} must be an integer, not ${value}`);
    return;
  }
  if (rules.min !== undefined && value < rules.min) {
    problems.add(pointer, "invalid-value", `${field} must be at least ${rules.min}, not ${value}`);
  } else if (rules.max !== undefined && value > rules.max) {
    problems.add(pointer, "invalid-value", `${field} must be at most ${rules.max}, not ${value}`);
  }
}

/** Reports `second` when `first` is also present: the two fields are alternatives. */
export function checkExclusive(problems: Problems, pointer: string, obj: JsonRecord, first: string, second: string): void {
  if (has(obj, first) && has(obj, second)) {
    problems.add(child(pointer, second), "mutually-exclusive-fields", `"${first}" and "${second}" cannot both be set; use one of them`);
  }
}

/**
 * Checks a numeric field and its `...Path` alternative (TimeoutSeconds/TimeoutSecondsPath,
 * MaxConcurrency/MaxConcurrencyPath, ...): the number's bounds, the path as a reference path,
 * and that at most one of them is present.
 */
export function checkNumberAndPath(
  problems: Problems,
  pointer: string,
  obj: JsonRecord,
  field: string,
  rules: NumberRules,
  pathRules: PathRules = {},
): void {
  const pathField = `${field}Path`;
  if (has(obj, field)) checkNumber(problems, child(pointer, field), field, obj[field], rules);
  if (has(obj, pathField) && rules.language !== "JSONata") {
    const value = obj[pathField];
    if (checkString(problems, child(pointer, pathField), pathField, value)) {
      checkPath(problems, child(pointer, pathField), pathField, value, { ...pathRules, reference: true });
    }
  }
  checkExclusive(problems, pointer, obj, field, pathField);
}

/** The allowed field a misspelt one most likely meant (at most 2 edits, ignoring case), or null. */
function closest(key: string, candidates: readonly string[]): string | null {
  let best: string | null = null;
  let bestDistance = 3;
  for (const candidate of candidates) {
    const d = editDistance(key.toLowerCase(), candidate.toLowerCase());
    if (d < bestDistance) {
      best = candidate;
      bestDistance = d;
    }
  }
  return best;
}

function editDistance(a: string, b: string): number {
  let previous = Array.from({ length: b.length + 1 }, (_, j) => j);
  for (let i = 1; i <= a.length; i++) {
    const current = [i];
    for (let j = 1; j <= b.length; j++) {
      current[j] = Math.min(previous[j] + 1, current[j - 1] + 1, previous[j - 1] + (a[i - 1] === b[j - 1] ? 0 : 1));
    }
    previous = current;
  }
  return previous[b.length];
}
