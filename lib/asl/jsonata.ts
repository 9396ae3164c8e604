// JSONata as Step Functions evaluates it: `{% %}` strings, the `$states` reserved variable,
// workflow variables, AWS's added functions, and States.QueryEvaluationError on failure.
//
// AWS's causes (recorded executions, and AWS TestState answers quoted in public bug reports):
//   The JSONata expression '<expr>' specified for the field '<field>' returned nothing (undefined).
//   The JSONata expression '<expr>' specified for the field '<field>' returned an unsupported result type.
//   The JSONata expression '<expr>' specified for the field '<field>' threw an error during evaluation. <CODE>: <message>
//   The JSONata expression '<expr>' specified for the field '<field>' returned an unexpected result type. Expected 'array', but was 'string' for value: "x"
// where <expr> is the text between `{%` and `%}`, trimmed, and <field> is the field's location
// ("Output", "Output/result", "Arguments/list[0]", "Items", "Choices[0]/Condition").
import jsonata from "jsonata";
import type { Json } from "../history/types";
import { hashHex, HASH_ALGORITHMS, type HashAlgorithm } from "./digest";
import { StatesError, STATES_ERRORS } from "./errors";
import { jsonTypeName, seededRandom, uuidV4 } from "./json";

/** What `$states` holds while a field is evaluated. */
export interface JsonataStates {
  input: Json;
  /** Task/Parallel/Map result (Output and Assign of a successful state). */
  result?: Json;
  /** Catcher's Output and Assign only. */
  errorOutput?: Json;
  context: Json;
}

export interface JsonataOptions {
  /**
   * The field being evaluated, as in `EvaluationFailed.location` and AWS's messages:
   * "Arguments", "Output", "Items", "Output/result" (a nested key), "Assign/x", ...
   */
  field?: string;
  /** Randomness for $random() and $uuid(); defaults to Math.random. */
  random?: () => number;
}

/** True for a string `{% ... %}` (no characters outside the delimiters). */
export function isJsonataExpression(value: unknown): boolean {
  return typeof value === "string" && value.startsWith("{%") && value.endsWith("%}") && value.length >= 4;
}

/** The expression between `{%` and `%}`. */
export function jsonataBody(text: string): string {
  return isJsonataExpression(text) ? text.slice(2, -2) : text;
}

type Compiled = ReturnType<typeof jsonata>;
const compiledCache = new Map<string, Compiled>();
/**
 * An expression that runs longer than this fails (D1012, "Evaluation timeout ... Check for
 * infinite loop") instead of hanging the engine: a tail-recursive function never overflows the
 * stack, and jsonata evaluates on microtasks, so nothing else (timers, a deadline) runs meanwhile.
 */
export const JSONATA_TIMEOUT_MS = 5000;

function compile(body: string): Compiled {
  let compiled = compiledCache.get(body);
  if (!compiled) {
    compiled = jsonata(body, { timeout: JSONATA_TIMEOUT_MS });
    if (compiledCache.size > 2000) compiledCache.clear();
    compiledCache.set(body, compiled);
  }
  return compiled;
}

interface JsonataLibraryError {
  code?: string;
  message?: string;
  position?: number;
}

function asLibraryError(e: unknown): JsonataLibraryError {
  return typeof e === "object" && e !== null ? (e as JsonataLibraryError) : { message: String(e) };
}

/** Returns the syntax error message of an expression (with or without `{% %}`), or null. */
export function checkJsonataSyntax(text: string): string | null {
  try {
    compile(jsonataBody(text));
    return null;
  } catch (e) {
    const err = asLibraryError(e);
    const where = err.position !== undefined ? ` (at character ${err.position})` : "";
    return `${err.code ? `${err.code}: ` : ""}${err.message ?? String(e)}${where}`;
  }
}

function exprText(text: string): string {
  return jsonataBody(text).trim();
}

function sentence(text: string, field: string): string {
  return `The JSONata expression '${exprText(text)}' specified for the field '${field}'`;
}

function queryError(cause: string, field: string): StatesError {
  return new StatesError(STATES_ERRORS.QueryEvaluationError, cause, { location: field });
}

/**
 * AWS's failure when a JSONata field returns a value of the wrong type, e.g. for Items:
 * "... returned an unexpected result type. Expected 'array', but was 'string' for value: \"x\"".
 */
export function unexpectedJsonataType(text: string, field: string, expected: string, value: Json): StatesError {
  return queryError(
    `${sentence(text, field)} returned an unexpected result type. Expected '${expected}', but was '${jsonTypeName(value)}' for value: ${JSON.stringify(value)}`,
    field,
  );
}

const UNSUPPORTED = Symbol("unsupported");

/**
 * Converts a JSONata result to JSON: drops sequence flags and undefined members; functions are
 * unsupported; a non-finite number becomes the string JavaScript names it by ("Infinity", "NaN"),
 * as AWS writes it (reported by the floci project).
 */
function toJson(value: unknown): Json | undefined | typeof UNSUPPORTED {
  if (value === undefined) return undefined;
  if (value === null || typeof value === "string" || typeof value === "boolean") return value;
  if (typeof value === "number") return Number.isFinite(value) ? value : String(value);
  if (typeof value === "function") return UNSUPPORTED;
  if (Array.isArray(value)) {
    const out: Json[] = [];
    for (const item of value) {
      const converted = toJson(item);
      if (converted === UNSUPPORTED) return UNSUPPORTED;
      if (converted !== undefined) out.push(converted);
    }
    return out;
  }
  if (typeof value === "object") {
    if (value instanceof RegExp) return UNSUPPORTED;
    const record = value as Record<string, unknown>;
    if (typeof record._jsonata_lambda === "boolean" || typeof record._jsonata_function === "boolean") return UNSUPPORTED;
    const out: { [key: string]: Json } = {};
    for (const [k, v] of Object.entries(record)) {
      const converted = toJson(v);
      if (converted === UNSUPPORTED) return UNSUPPORTED;
      if (converted !== undefined) out[k] = converted;
    }
    return out;
  }
  return UNSUPPORTED;
}

/** Thrown inside AWS's added functions; reported as "threw an error during evaluation: <message>". */
function functionError(message: string): Error {
  return new Error(message);
}

/** AWS bounds $range before it allocates (third-party measurement against AWS: 360,145 items). */
const MAX_RANGE_ITEMS = 360_145;

/**
 * The functions Step Functions adds to JSONata, and `$eval`, which it removes. Behaviour as
 * measured against AWS (reported by the floci project): non-integer arguments are truncated
 * towards zero; a chunk size of 0, an empty array, a $range without a step or with a step whose
 * sign disagrees with the direction, and a $hash without an algorithm evaluate to nothing (so
 * the field fails with "returned nothing (undefined)"); a one-element $range is the bare number.
 */
function awsFunctions(random: () => number): Record<string, unknown> {
  return {
    partition: (array: unknown, size: unknown) => {
      if (!Array.isArray(array)) throw functionError("Argument 1 of function $partition must be an array");
      if (typeof size !== "number") throw functionError("Argument 2 of function $partition must be a number");
      const chunk = Math.trunc(size);
      if (array.length === 0 || chunk <= 0) return undefined;
      const out: unknown[][] = [];
      for (let i = 0; i < array.length; i += chunk) out.push(array.slice(i, i + chunk));
      return out;
    },
    range: (start: unknown, end: unknown, step?: unknown) => {
      if (typeof start !== "number" || typeof end !== "number") throw functionError("Arguments of function $range must be numbers");
      if (step === undefined) return undefined;
      if (typeof step !== "number") throw functionError("Argument 3 of function $range must be a number");
      const [from, to, by] = [Math.trunc(start), Math.trunc(end), Math.trunc(step)];
      if (by === 0 || (to > from && by < 0) || (to < from && by > 0)) return undefined;
      const count = Math.floor((to - from) / by) + 1;
      if (count > MAX_RANGE_ITEMS) throw functionError("Expression evaluation memory limit exceeded: Check for excessive memory usage");
      const out: number[] = [];
      for (let i = 0; i < count; i++) out.push(from + i * by);
      return out.length === 1 ? out[0] : out;
    },
    hash: (value: unknown, algorithm?: unknown) => {
      if (algorithm === undefined) return undefined;
      if (typeof value !== "string") throw functionError("Argument 1 of function $hash must be a string");
      if (typeof algorithm !== "string" || !(HASH_ALGORITHMS as readonly string[]).includes(algorithm)) {
        throw functionError(`Argument 2 of function $hash must be one of ${HASH_ALGORITHMS.join(", ")}`);
      }
      return hashHex(value, algorithm as HashAlgorithm);
    },
    random: (seed?: unknown) => {
      if (seed === undefined) return random();
      if (typeof seed !== "number") throw functionError("Argument 1 of function $random must be a number");
      return seededRandom(Math.trunc(seed))();
    },
    uuid: () => uuidV4(random),
    parse: (text: unknown) => {
      if (typeof text !== "string") throw functionError("Argument 1 of function $parse must be a string");
      try {
        return JSON.parse(text) as unknown;
      } catch {
        throw functionError(`Argument 1 of function $parse is not valid JSON: ${text}`);
      }
    },
    // Step Functions supports every JSONata function except $eval: calling it is
    // "T1006: Attempted to invoke a non-function". (An undefined binding would fall through to
    // the built-in, and jsonata cannot report a call of null, so it is bound to false.)
    eval: false,
  };
}

/**
 * Evaluates one `{% %}` expression. Resolves to its value; rejects with
 * StatesError(States.QueryEvaluationError) when the expression fails or returns nothing
 * ("The JSONata expression '<expr>' specified for the field '<field>' returned nothing (undefined).").
 */
export async function evaluateJsonata(
  text: string,
  states: JsonataStates,
  variables: Record<string, Json>,
  options: JsonataOptions = {},
): Promise<Json> {
  const field = options.field ?? "Output";
  let compiled: Compiled;
  try {
    compiled = compile(jsonataBody(text));
  } catch (e) {
    const err = asLibraryError(e);
    throw queryError(`${sentence(text, field)} threw an error during evaluation. ${err.code ? `${err.code}: ` : ""}${err.message ?? ""}`, field);
  }
  const statesValue: Record<string, Json> = { input: states.input, context: states.context };
  if (states.result !== undefined) statesValue.result = states.result;
  if (states.errorOutput !== undefined) statesValue.errorOutput = states.errorOutput;
  const bindings: Record<string, unknown> = {
    ...awsFunctions(options.random ?? Math.random),
    ...variables,
    states: statesValue,
  };
  let raw: unknown;
  try {
    raw = await compiled.evaluate(undefined, bindings);
  } catch (e) {
    const err = asLibraryError(e);
    const tail = err.code ? `. ${err.code}: ${err.message ?? ""}` : `: ${err.message ?? String(e)}`;
    throw queryError(`${sentence(text, field)} threw an error during evaluation${tail}`, field);
  }
  const value = toJson(raw);
  if (value === undefined) throw queryError(`${sentence(text, field)} returned nothing (undefined).`, field);
  if (value === UNSUPPORTED) throw queryError(`${sentence(text, field)} returned an unsupported result type.`, field);
  return value;
}

/**
 * Evaluates every `{% %}` string inside a value (objects and arrays recursively; other values
 * are copied), as AWS does for Arguments, Output, Assign, Items, ItemSelector, ... .
 * `options.field` is the top-level field name; nested failures report "Field/key" and "Field[i]".
 */
export async function evaluateJsonataTemplate(
  template: Json,
  states: JsonataStates,
  variables: Record<string, Json>,
  options: JsonataOptions = {},
): Promise<Json> {
  const field = options.field ?? "Output";
  if (typeof template === "string") {
    return isJsonataExpression(template) ? evaluateJsonata(template, states, variables, { ...options, field }) : template;
  }
  if (Array.isArray(template)) {
    const out: Json[] = [];
    for (let i = 0; i < template.length; i++) {
      out.push(await evaluateJsonataTemplate(template[i], states, variables, { ...options, field: `${field}[${i}]` }));
    }
    return out;
  }
  if (template !== null && typeof template === "object") {
    const out: { [key: string]: Json } = {};
    for (const [key, value] of Object.entries(template)) {
      out[key] = await evaluateJsonataTemplate(value, states, variables, { ...options, field: `${field}/${key}` });
    }
    return out;
  }
  return template;
}
