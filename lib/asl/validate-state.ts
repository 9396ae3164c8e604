// One state's own fields: which are allowed, their types and bounds, the transition fields, and the
// fields each state type needs. Nested state machines (branches, item processors) and the
// targets of transitions are checked by validate.ts, which sees every scope.
import { STATE_TYPES, type QueryLanguage, type StateType } from "./model";
import { checkExclusive, checkKnownFields, checkNumber, checkNumberAndPath, checkString, isTimestamp, MAX_SECONDS } from "./validate-checks";
import { checkChoiceState } from "./validate-choice";
import {
  checkJsonataString,
  checkJsonataTemplate,
  checkPath,
  checkPathOrIntrinsic,
  checkPayloadTemplate,
  isJsonataString,
} from "./validate-expressions";
import { STATE_FIELDS } from "./validate-fields";
import { checkMapState } from "./validate-map";
import { child, describeJson, has, isRecord, type JsonRecord, type Problems } from "./validate-problems";
import { checkAssign, checkCatch, checkRetry } from "./validate-retry-catch";

/** What a state check needs to know about where the state sits. */
export interface StateSite {
  problems: Problems;
  /** JSON Pointer of the state. */
  pointer: string;
  /** The state machine's top-level QueryLanguage (states inherit it). */
  machineLanguage: QueryLanguage;
}

/** Fail's ErrorPath and CausePath accept only these intrinsic functions (AWS's Fail state page). */
const FAIL_PATH_INTRINSICS = [
  "States.Format", "States.JsonToString", "States.ArrayGetItem", "States.Base64Encode",
  "States.Base64Decode", "States.Hash", "States.UUID",
];

/**
 * Checks one state. Returns its type when the state is an object with a known Type (so
 * validate.ts can walk its transitions and nested scopes), else null.
 */
export function checkState(site: StateSite, value: unknown): StateType | null {
  const { problems, pointer } = site;
  if (!isRecord(value)) {
    problems.add(pointer, "invalid-type", `A state must be an object, not ${describeJson(value)}`);
    return null;
  }
  const state = value;
  const language = checkStateQueryLanguage(site, state);
  if (!has(state, "Type")) {
    problems.add(child(pointer, "Type"), "missing-field", `A state needs a Type (one of ${STATE_TYPES.join(", ")})`);
    return null;
  }
  const type = state.Type;
  if (typeof type !== "string" || !(STATE_TYPES as readonly string[]).includes(type)) {
    problems.add(child(pointer, "Type"), "invalid-state-type", `Type must be one of ${STATE_TYPES.join(", ")}, not ${JSON.stringify(type)}`);
    return null;
  }
  const stateType = type as StateType;
  // Next and End on Choice, Succeed and Fail get their own message in checkTransition.
  const ownTransition = stateType !== "Choice" && stateType !== "Succeed" && stateType !== "Fail";
  checkKnownFields(problems, pointer, state, STATE_FIELDS[stateType], language, `${stateType} states`, ownTransition ? [] : ["Next", "End"]);
  if (has(state, "Comment")) checkString(problems, child(pointer, "Comment"), "Comment", state.Comment);
  checkTransition(problems, pointer, state, stateType);
  checkDataFlow(problems, pointer, state, stateType, language);
  switch (stateType) {
    case "Task":
      checkTask(problems, pointer, state, language);
      break;
    case "Wait":
      checkWait(problems, pointer, state, language);
      break;
    case "Fail":
      checkFail(problems, pointer, state, language);
      break;
    case "Choice":
      checkChoiceState(problems, pointer, state, language);
      break;
    case "Parallel":
      checkParallel(problems, pointer, state);
      break;
    case "Map":
      checkMapState(problems, pointer, state, language);
      break;
    default:
      break;
  }
  if (has(state, "Retry")) checkRetry(problems, child(pointer, "Retry"), state.Retry, language);
  if (has(state, "Catch")) checkCatch(problems, child(pointer, "Catch"), state.Catch, language);
  return stateType;
}

/**
 * The state's query language. A JSONata state machine may not contain JSONPath states
 * ("You cannot revert a top-level JSONata-based state machine to a mix of JSONata and JSONPath
 * states", AWS's state machine structure page); the opposite mix is how machines migrate.
 */
function checkStateQueryLanguage(site: StateSite, state: JsonRecord): QueryLanguage {
  const { problems, pointer, machineLanguage } = site;
  if (!has(state, "QueryLanguage")) return machineLanguage;
  const value = state.QueryLanguage;
  if (value !== "JSONPath" && value !== "JSONata") {
    // AWS then checks the state as JSONata: only the exact string "JSONPath" means JSONPath.
    problems.add(child(pointer, "QueryLanguage"), "invalid-query-language", `QueryLanguage must be "JSONPath" or "JSONata", not ${JSON.stringify(value)}`);
    return "JSONata";
  }
  if (value === "JSONPath" && machineLanguage === "JSONata") {
    problems.add(
      child(pointer, "QueryLanguage"),
      "jsonpath-state-in-jsonata-machine",
      `A JSONPath state cannot be used in a state machine whose top-level QueryLanguage is JSONata; set the top level to JSONPath (the default) to mix the two`,
    );
  }
  return value;
}

function checkTransition(problems: Problems, pointer: string, state: JsonRecord, type: StateType): void {
  if (type === "Choice" || type === "Succeed" || type === "Fail") {
    for (const field of ["Next", "End"]) {
      if (!has(state, field)) continue;
      problems.add(
        child(pointer, field),
        "transition-not-allowed",
        type === "Choice"
          ? `A Choice state cannot have "${field}": it moves on through its Choices and Default`
          : `A ${type} state cannot have "${field}": it always ends its state machine`,
      );
    }
    return;
  }
  const hasNext = has(state, "Next");
  if (hasNext) checkString(problems, child(pointer, "Next"), "Next", state.Next, true);
  if (has(state, "End") && typeof state.End !== "boolean") {
    problems.add(child(pointer, "End"), "invalid-type", `End must be true, not ${describeJson(state.End)}`);
  }
  if (hasNext && has(state, "End")) {
    problems.add(child(pointer, "End"), "end-with-next", `A state cannot have both "Next" and "End"; keep one`);
  } else if (!hasNext && state.End !== true) {
    problems.add(pointer, "missing-transition", `A ${type} state needs "Next" (the state to run after it) or "End": true`);
  }
}

/** InputPath, OutputPath, ResultPath, Parameters, ResultSelector, Result, Arguments, Output, Assign. */
function checkDataFlow(problems: Problems, pointer: string, state: JsonRecord, type: StateType, language: QueryLanguage): void {
  if (language === "JSONPath") {
    for (const field of ["InputPath", "OutputPath"]) {
      if (!has(state, field) || state[field] === null) continue;
      if (checkString(problems, child(pointer, field), field, state[field])) {
        checkPath(problems, child(pointer, field), field, state[field] as string);
      }
    }
    if (has(state, "ResultPath") && state.ResultPath !== null) {
      if (checkString(problems, child(pointer, "ResultPath"), "ResultPath", state.ResultPath)) {
        checkPath(problems, child(pointer, "ResultPath"), "ResultPath", state.ResultPath, { reference: true, inputOnly: true });
      }
    }
    // AWS accepts any JSON value as Parameters (arrays included), though the spec says object.
    // A Map's Parameters is the legacy ItemSelector, checked with the Map.
    if (has(state, "Parameters") && type !== "Map") checkPayloadTemplate(problems, child(pointer, "Parameters"), "Parameters", state.Parameters);
    if (has(state, "ResultSelector")) {
      if (!isRecord(state.ResultSelector)) {
        problems.add(child(pointer, "ResultSelector"), "invalid-type", `ResultSelector must be an object (a payload template), not ${describeJson(state.ResultSelector)}`);
      } else {
        checkPayloadTemplate(problems, child(pointer, "ResultSelector"), "ResultSelector", state.ResultSelector);
      }
    }
  } else {
    if (has(state, "Arguments")) {
      const args = state.Arguments;
      if (!isRecord(args) && !isJsonataString(args)) {
        problems.add(child(pointer, "Arguments"), "invalid-type", `Arguments must be an object or a {% %} expression, not ${describeJson(args)}`);
      } else {
        checkJsonataTemplate(problems, child(pointer, "Arguments"), "Arguments", args);
      }
    }
    if (has(state, "Output")) checkJsonataTemplate(problems, child(pointer, "Output"), "Output", state.Output);
  }
  if (has(state, "Assign")) checkAssign(problems, child(pointer, "Assign"), state.Assign, language);
}

function checkTask(problems: Problems, pointer: string, state: JsonRecord, language: QueryLanguage): void {
  if (!has(state, "Resource")) {
    problems.add(child(pointer, "Resource"), "missing-field", "A Task state needs a Resource (the ARN of the work to run)");
  } else if (checkString(problems, child(pointer, "Resource"), "Resource", state.Resource, true)) {
    if (isJsonataString(state.Resource)) {
      problems.add(child(pointer, "Resource"), "jsonata-not-allowed", "Resource must be a literal ARN; it cannot be a {% %} expression");
    } else {
      const problem = resourceArnProblem(state.Resource);
      if (problem) problems.add(child(pointer, "Resource"), "invalid-resource", problem);
    }
  }
  checkNumberAndPath(problems, pointer, state, "TimeoutSeconds", { integer: true, min: 1, max: MAX_SECONDS, language });
  checkNumberAndPath(problems, pointer, state, "HeartbeatSeconds", { integer: true, min: 1, max: MAX_SECONDS, language });
  const timeout = state.TimeoutSeconds;
  const heartbeat = state.HeartbeatSeconds;
  if (typeof timeout === "number" && typeof heartbeat === "number" && heartbeat >= timeout) {
    problems.add(
      child(pointer, "HeartbeatSeconds"),
      "heartbeat-not-below-timeout",
      `HeartbeatSeconds (${heartbeat}) must be less than TimeoutSeconds (${timeout})`,
    );
  }
  if (has(state, "Credentials")) {
    const credentials = state.Credentials;
    if (language === "JSONata" && isJsonataString(credentials)) {
      checkJsonataString(problems, child(pointer, "Credentials"), "Credentials", credentials);
    } else if (!isRecord(credentials)) {
      problems.add(child(pointer, "Credentials"), "invalid-type", `Credentials must be an object (with RoleArn), not ${describeJson(credentials)}`);
    } else if (language === "JSONPath") {
      checkPayloadTemplate(problems, child(pointer, "Credentials"), "Credentials", credentials);
    } else {
      checkJsonataTemplate(problems, child(pointer, "Credentials"), "Credentials", credentials);
    }
  }
}

const LAMBDA_FUNCTION_ARN = /^arn:[^:]+:lambda:[^:]*:[^:]*:function:/;
const LAMBDA_QUALIFIER = /^(\$LATEST|[A-Za-z0-9_-]+)$/;

/**
 * What is wrong with an ARN given as a Task's Resource, or null. Only ARNs are checked (a
 * Resource may also be a template placeholder such as "${FunctionArn}"): six colon-separated
 * parts, and for a Lambda function a name with at most one qualifier (a version or an alias).
 */
function resourceArnProblem(resource: string): string | null {
  if (!resource.startsWith("arn:")) return null;
  const parts = resource.split(":");
  if (parts.length < 6 || parts[1] === "" || parts[2] === "") {
    return `Resource "${resource}" is not a valid ARN (arn:partition:service:region:account:resource)`;
  }
  if (!LAMBDA_FUNCTION_ARN.test(resource)) return null;
  const [name, qualifier, ...rest] = parts.slice(6);
  if (!name) return `Resource "${resource}" names no Lambda function`;
  if (rest.length > 0 || (qualifier !== undefined && !LAMBDA_QUALIFIER.test(qualifier))) {
    return `Resource "${resource}" has an invalid Lambda qualifier: use a version number, an alias (letters, digits, - and _) or $LATEST`;
  }
  return null;
}

const WAIT_FIELDS = ["Seconds", "SecondsPath", "Timestamp", "TimestampPath"];

function checkWait(problems: Problems, pointer: string, state: JsonRecord, language: QueryLanguage): void {
  const present = WAIT_FIELDS.filter((f) => has(state, f));
  if (present.length === 0) {
    const fields = language === "JSONata" ? "Seconds or Timestamp" : "Seconds, SecondsPath, Timestamp or TimestampPath";
    problems.add(pointer, "missing-field", `A Wait state needs exactly one of ${fields}`);
  }
  for (const extra of present.slice(1)) {
    problems.add(child(pointer, extra), "mutually-exclusive-fields", `A Wait state takes exactly one of ${WAIT_FIELDS.join(", ")}; "${present[0]}" and "${extra}" are both set`);
  }
  if (has(state, "Seconds")) {
    checkNumber(problems, child(pointer, "Seconds"), "Seconds", state.Seconds, { integer: true, min: 0, max: MAX_SECONDS, language });
  }
  if (has(state, "Timestamp")) {
    const p = child(pointer, "Timestamp");
    const ts = state.Timestamp;
    if (language === "JSONata" && isJsonataString(ts)) checkJsonataString(problems, p, "Timestamp", ts);
    else if (checkString(problems, p, "Timestamp", ts) && !isTimestamp(ts)) {
      problems.add(p, "invalid-value", `Timestamp "${ts}" must be an RFC 3339 timestamp such as "2016-03-14T01:59:00Z"`);
    }
  }
  if (language === "JSONPath") {
    for (const field of ["SecondsPath", "TimestampPath"]) {
      if (has(state, field) && checkString(problems, child(pointer, field), field, state[field])) {
        checkPath(problems, child(pointer, field), field, state[field] as string, { reference: true });
      }
    }
  }
}

function checkFail(problems: Problems, pointer: string, state: JsonRecord, language: QueryLanguage): void {
  for (const field of ["Error", "Cause"]) {
    const pathField = `${field}Path`;
    checkExclusive(problems, pointer, state, field, pathField);
    if (has(state, field) && checkString(problems, child(pointer, field), field, state[field]) && language === "JSONata") {
      checkJsonataString(problems, child(pointer, field), field, state[field] as string);
    }
    if (language === "JSONPath" && has(state, pathField) && checkString(problems, child(pointer, pathField), pathField, state[pathField])) {
      checkPathOrIntrinsic(problems, child(pointer, pathField), pathField, state[pathField] as string, FAIL_PATH_INTRINSICS);
    }
  }
}

const BRANCH_FIELDS = ["StartAt", "States", "Comment"];

/** The shape of Branches; the state machines inside are walked by validate.ts. */
function checkParallel(problems: Problems, pointer: string, state: JsonRecord): void {
  const p = child(pointer, "Branches");
  if (!has(state, "Branches")) {
    problems.add(p, "missing-field", "A Parallel state needs Branches: an array of state machines");
    return;
  }
  const branches = state.Branches;
  if (!Array.isArray(branches) || branches.length === 0) {
    problems.add(p, Array.isArray(branches) ? "invalid-value" : "invalid-type", "Branches must be a non-empty array of state machines");
    return;
  }
  branches.forEach((branch, i) => {
    if (!isRecord(branch)) {
      problems.add(child(p, i), "invalid-type", `A branch must be an object with StartAt and States, not ${describeJson(branch)}`);
      return;
    }
    for (const key of Object.keys(branch)) {
      if (!BRANCH_FIELDS.includes(key)) {
        problems.add(child(p, i, key), "unknown-field", `A Parallel branch has only StartAt, States and Comment, not "${key}"`);
      }
    }
  });
}
