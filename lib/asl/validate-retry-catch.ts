// Retriers and catchers (Task, Parallel and Map): their fields and bounds, and the rule that
// States.ALL stands alone in the last retrier or catcher.
import type { QueryLanguage } from "./model";
import { checkKnownFields, checkNumber, checkString, MAX_SECONDS } from "./validate-checks";
import { checkJsonataTemplate, checkPath, checkPayloadTemplate, type JsonataFieldRules } from "./validate-expressions";
import type { FieldLanguage } from "./validate-fields";
import { child, describeJson, has, isRecord, type Problems } from "./validate-problems";

const RETRIER_FIELDS: Record<string, FieldLanguage> = {
  ErrorEquals: "both", IntervalSeconds: "both", MaxAttempts: "both", BackoffRate: "both",
  MaxDelaySeconds: "both", JitterStrategy: "both", Comment: "both",
};

const CATCHER_FIELDS: Record<string, FieldLanguage> = {
  ErrorEquals: "both", Next: "both", ResultPath: "JSONPath", Output: "JSONata", Assign: "both", Comment: "both",
};

/** AWS's cap on MaxDelaySeconds: 366 days. */
const MAX_DELAY_SECONDS = 31_622_400;

export function checkRetry(problems: Problems, pointer: string, value: unknown, language: QueryLanguage): void {
  if (!Array.isArray(value)) {
    problems.add(pointer, "invalid-type", `Retry must be an array of retriers, not ${describeJson(value)}`);
    return;
  }
  value.forEach((retrier, i) => {
    const p = child(pointer, i);
    if (!isRecord(retrier)) {
      problems.add(p, "invalid-type", `A retrier must be an object, not ${describeJson(retrier)}`);
      return;
    }
    checkKnownFields(problems, p, retrier, RETRIER_FIELDS, language, "Retriers");
    checkErrorEquals(problems, p, retrier.ErrorEquals, i === value.length - 1, "retrier");
    if (has(retrier, "IntervalSeconds")) {
      checkNumber(problems, child(p, "IntervalSeconds"), "IntervalSeconds", retrier.IntervalSeconds, { integer: true, min: 1, max: MAX_SECONDS });
    }
    if (has(retrier, "MaxAttempts")) {
      checkNumber(problems, child(p, "MaxAttempts"), "MaxAttempts", retrier.MaxAttempts, { integer: true, min: 0, max: MAX_SECONDS });
    }
    if (has(retrier, "BackoffRate")) {
      checkNumber(problems, child(p, "BackoffRate"), "BackoffRate", retrier.BackoffRate, { min: 1 });
    }
    if (has(retrier, "MaxDelaySeconds")) {
      checkNumber(problems, child(p, "MaxDelaySeconds"), "MaxDelaySeconds", retrier.MaxDelaySeconds, { integer: true, min: 1, max: MAX_DELAY_SECONDS });
    }
    if (has(retrier, "JitterStrategy") && retrier.JitterStrategy !== "FULL" && retrier.JitterStrategy !== "NONE") {
      problems.add(child(p, "JitterStrategy"), "invalid-value", `JitterStrategy must be "FULL" or "NONE", not ${JSON.stringify(retrier.JitterStrategy)}`);
    }
    if (has(retrier, "Comment")) checkString(problems, child(p, "Comment"), "Comment", retrier.Comment);
  });
}

export function checkCatch(problems: Problems, pointer: string, value: unknown, language: QueryLanguage): void {
  if (!Array.isArray(value)) {
    problems.add(pointer, "invalid-type", `Catch must be an array of catchers, not ${describeJson(value)}`);
    return;
  }
  value.forEach((catcher, i) => {
    const p = child(pointer, i);
    if (!isRecord(catcher)) {
      problems.add(p, "invalid-type", `A catcher must be an object, not ${describeJson(catcher)}`);
      return;
    }
    checkKnownFields(problems, p, catcher, CATCHER_FIELDS, language, "Catchers");
    checkErrorEquals(problems, p, catcher.ErrorEquals, i === value.length - 1, "catcher");
    if (!has(catcher, "Next")) problems.add(child(p, "Next"), "missing-field", "A catcher needs Next: the state to go to when it catches an error");
    else checkString(problems, child(p, "Next"), "Next", catcher.Next, true);
    if (language === "JSONPath" && has(catcher, "ResultPath") && catcher.ResultPath !== null) {
      if (checkString(problems, child(p, "ResultPath"), "ResultPath", catcher.ResultPath)) {
        checkPath(problems, child(p, "ResultPath"), "ResultPath", catcher.ResultPath, { reference: true, inputOnly: true });
      }
    }
    if (has(catcher, "Assign")) checkAssign(problems, child(p, "Assign"), catcher.Assign, language, { errorOutput: true });
    if (language === "JSONata" && has(catcher, "Output")) checkJsonataTemplate(problems, child(p, "Output"), "Output", catcher.Output, { errorOutput: true });
    if (has(catcher, "Comment")) checkString(problems, child(p, "Comment"), "Comment", catcher.Comment);
  });
}

function checkErrorEquals(problems: Problems, pointer: string, value: unknown, isLast: boolean, what: string): void {
  const p = child(pointer, "ErrorEquals");
  if (value === undefined) {
    problems.add(p, "missing-field", `A ${what} needs ErrorEquals: a non-empty array of error names`);
    return;
  }
  if (!Array.isArray(value) || value.length === 0) {
    problems.add(p, Array.isArray(value) ? "invalid-value" : "invalid-type", `ErrorEquals must be a non-empty array of error names`);
    return;
  }
  value.forEach((name, i) => {
    if (typeof name !== "string") problems.add(child(p, i), "invalid-type", `An error name must be a string, not ${describeJson(name)}`);
  });
  if (value.includes("States.ALL")) {
    if (value.length > 1) {
      problems.add(p, "states-all-not-alone", `"States.ALL" must be the only error name in its ErrorEquals`);
    }
    if (!isLast) {
      problems.add(p, "states-all-not-last", `A ${what} matching "States.ALL" must be the last one; the ${what}s after it can never match`);
    }
  }
}

/**
 * Assign (states, Choice rules, catchers): an object of variable names. In JSONPath states it is
 * a payload template; in JSONata states its strings may be `{% %}` expressions.
 */
export function checkAssign(problems: Problems, pointer: string, value: unknown, language: QueryLanguage, rules: JsonataFieldRules = {}): void {
  if (!isRecord(value)) {
    problems.add(pointer, "invalid-type", `Assign must be an object of variable names and values, not ${describeJson(value)}`);
    return;
  }
  // Variable names are not checked further: AWS documents no syntax for them.
  for (const key of Object.keys(value)) {
    const name = language === "JSONPath" && key.endsWith(".$") ? key.slice(0, -2) : key;
    if (name === "states") {
      problems.add(child(pointer, key), "invalid-value", `"states" is reserved for $states and cannot be assigned`);
    }
  }
  if (language === "JSONPath") checkPayloadTemplate(problems, pointer, "Assign", value);
  else checkJsonataTemplate(problems, pointer, "Assign", value, rules);
}
