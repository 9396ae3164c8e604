// Intrinsic functions (JSONPath states): the grammar (nested calls, escapes, path arguments)
// and all 18 States.* functions.
//
// Behaviour pinned by executions recorded on AWS: States.Format renders objects and arrays the
// way Java does (`{Arg1=1, Arg2=[]}`, `[1, 2]`) and null as `null`; States.StringToJson of a
// blank string is null; States.MathAdd rounds each argument half up (`-0.5 -> 0`, `2.5 -> 3`,
// `-2.5 -> -2`) before adding; States.StringSplit splits on any of the delimiter characters and
// drops empty parts; States.ArrayContains compares deeply.
import type { Json } from "../history/types";
import type { EvalEnv } from "./context";
import { base64Decode, base64Encode, hashHex, HASH_ALGORITHMS, type HashAlgorithm } from "./digest";
import { StatesError, STATES_ERRORS } from "./errors";
import { canonicalJson, jsonEquals, jsonTypeName, seededRandom, uuidV4 } from "./json";

// Kept here too: the engine imports it from this module.
export { uuidV4 };
import { evaluatePath, parseJsonPath } from "./paths";

export const INTRINSIC_FUNCTIONS = [
  "States.Format", "States.StringToJson", "States.JsonToString", "States.Array", "States.ArrayPartition",
  "States.ArrayContains", "States.ArrayRange", "States.ArrayGetItem", "States.ArrayLength", "States.ArrayUnique",
  "States.Base64Encode", "States.Base64Decode", "States.Hash", "States.JsonMerge", "States.MathRandom",
  "States.MathAdd", "States.StringSplit", "States.UUID",
] as const;
export type IntrinsicFunctionName = (typeof INTRINSIC_FUNCTIONS)[number];

/** An argument of an intrinsic call. */
export type IntrinsicArgument =
  | {
      kind: "string";
      value: string;
      /** As written between the quotes, escapes kept (States.Format tells `\{` from `{`). */
      raw?: string;
    }
  | { kind: "number"; value: number }
  | { kind: "boolean"; value: boolean }
  | { kind: "null" }
  | { kind: "path"; path: string }
  | { kind: "call"; call: IntrinsicCall };

export interface IntrinsicCall {
  name: string;
  args: IntrinsicArgument[];
}

/** A syntax error in an intrinsic function call, with the offset where it was found. */
export class IntrinsicSyntaxError extends Error {
  readonly offset: number;
  constructor(message: string, offset: number) {
    super(message);
    this.name = "IntrinsicSyntaxError";
    this.offset = offset;
  }
}

/** AWS allows at most 10 nested intrinsic functions in one field. */
export const MAX_INTRINSIC_NESTING = 10;

/** True for a string that looks like an intrinsic call (`States.Name(`...). */
export function isIntrinsic(text: string): boolean {
  return /^\s*States\.[A-Za-z0-9]+\s*\(/.test(text);
}

class IntrinsicParser {
  pos = 0;
  constructor(readonly text: string) {}

  fail(message: string): never {
    throw new IntrinsicSyntaxError(`${message} (at position ${this.pos} of ${this.text})`, this.pos);
  }

  spaces(): void {
    while (/\s/.test(this.text[this.pos] ?? "")) this.pos++;
  }

  call(depth: number): IntrinsicCall {
    if (depth > MAX_INTRINSIC_NESTING) this.fail(`more than ${MAX_INTRINSIC_NESTING} nested intrinsic functions`);
    this.spaces();
    const m = /^States\.[A-Za-z0-9]+/.exec(this.text.slice(this.pos));
    if (!m) this.fail("expected an intrinsic function name States.<Name>");
    const name = m[0];
    if (!(INTRINSIC_FUNCTIONS as readonly string[]).includes(name)) this.fail(`unknown intrinsic function ${name}`);
    this.pos += name.length;
    this.spaces();
    if (this.text[this.pos] !== "(") this.fail("expected '('");
    this.pos++;
    const args: IntrinsicArgument[] = [];
    this.spaces();
    if (this.text[this.pos] === ")") {
      this.pos++;
      return { name, args };
    }
    for (;;) {
      args.push(this.argument(depth));
      this.spaces();
      const c = this.text[this.pos];
      if (c === ",") {
        this.pos++;
        continue;
      }
      if (c === ")") {
        this.pos++;
        return { name, args };
      }
      this.fail(c === undefined ? "missing ')'" : `unexpected '${c}'`);
    }
  }

  argument(depth: number): IntrinsicArgument {
    this.spaces();
    const c = this.text[this.pos];
    if (c === "'") return this.string();
    if (c === "$") return { kind: "path", path: this.path() };
    if (this.text.startsWith("States.", this.pos)) return { kind: "call", call: this.call(depth + 1) };
    const m = /^(-?\d+(\.\d+)?([eE][+-]?\d+)?|null|true|false)(?=\s*[,)])/.exec(this.text.slice(this.pos));
    if (!m) this.fail(c === undefined ? "missing argument" : `unexpected '${c}'`);
    this.pos += m[0].length;
    if (m[0] === "null") return { kind: "null" };
    if (m[0] === "true" || m[0] === "false") return { kind: "boolean", value: m[0] === "true" };
    return { kind: "number", value: Number(m[0]) };
  }

  string(): IntrinsicArgument {
    this.pos++; // opening quote
    let value = "";
    let raw = "";
    for (;;) {
      const c = this.text[this.pos];
      if (c === undefined) this.fail("unterminated string literal");
      this.pos++;
      if (c === "\\") {
        const next = this.text[this.pos];
        if (next === undefined) this.fail("unterminated escape sequence");
        if (!"'{}\\".includes(next)) this.fail(`invalid escape sequence '\\${next}'`);
        this.pos++;
        value += next;
        raw += c + next;
        continue;
      }
      if (c === "'") return { kind: "string", value, raw };
      value += c;
      raw += c;
    }
  }

  /** A path argument runs to the next ',' or ')' outside brackets and quotes. */
  path(): string {
    const start = this.pos;
    let depth = 0;
    let quote: string | null = null;
    while (this.pos < this.text.length) {
      const c = this.text[this.pos];
      if (quote) {
        if (c === "\\") this.pos++;
        else if (c === quote) quote = null;
      } else if (c === "'" || c === '"') {
        quote = c;
      } else if (c === "[" || c === "(") {
        depth++;
      } else if (c === "]" || (c === ")" && depth > 0)) {
        depth--;
      } else if ((c === "," || c === ")") && depth === 0) {
        break;
      }
      this.pos++;
    }
    const path = this.text.slice(start, this.pos).trim();
    const parsed = parseJsonPath(path);
    if (!parsed.ok) this.fail(parsed.message);
    return path;
  }
}

/** Parses an intrinsic call. Throws IntrinsicSyntaxError (the validator reports its message). */
export function parseIntrinsic(text: string): IntrinsicCall {
  const parser = new IntrinsicParser(text);
  const call = parser.call(1);
  parser.spaces();
  if (parser.pos !== text.length) parser.fail("unexpected text after the closing ')'");
  return call;
}

// ---------------------------------------------------------------------------------------------
// Evaluation

function failure(message: string): StatesError {
  // Raised by the interpreter, so AWS prefixes the cause with the state (as for States.Runtime).
  return new StatesError(STATES_ERRORS.IntrinsicFailure, message, { stateContext: true });
}

/** Java's toString of the value Jackson parsed (what States.Format prints). */
function javaString(value: Json): string {
  if (value === null) return "null";
  if (Array.isArray(value)) return `[${value.map(javaString).join(", ")}]`;
  if (typeof value === "object") {
    return `{${Object.entries(value).map(([k, v]) => `${k}=${javaString(v)}`).join(", ")}}`;
  }
  return String(value);
}

/** Java's Math.round: half up towards positive infinity (JS Math.round, without -0). */
function roundHalfUp(n: number): number {
  return Math.round(n) + 0;
}

function arity(name: string, args: Json[], min: number, max = min): void {
  if (args.length < min || args.length > max) {
    const expected = min === max ? `${min}` : `${min} to ${max}`;
    throw failure(`Invalid arguments in ${name}: expected ${expected} argument(s) but got ${args.length}`);
  }
}

function expectArray(name: string, value: Json, position: string): Json[] {
  if (!Array.isArray(value)) throw failure(`Invalid arguments in ${name}: the ${position} argument must be an array, but was ${jsonTypeName(value)}`);
  return value;
}

function expectString(name: string, value: Json, position: string): string {
  if (typeof value !== "string") throw failure(`Invalid arguments in ${name}: the ${position} argument must be a string, but was ${jsonTypeName(value)}`);
  return value;
}

function expectNumber(name: string, value: Json, position: string): number {
  if (typeof value !== "number") throw failure(`Invalid arguments in ${name}: the ${position} argument must be a number, but was ${jsonTypeName(value)}`);
  return value;
}

function expectInteger(name: string, value: Json, position: string): number {
  const n = expectNumber(name, value, position);
  if (!Number.isInteger(n)) throw failure(`Invalid arguments in ${name}: the ${position} argument must be an integer, but was ${n}`);
  return n;
}

const MAX_STRING_INPUT = 10_000;
const MAX_ARRAY_RANGE = 1000;

function format(raw: string, args: Json[]): string {
  let out = "";
  let used = 0;
  for (let i = 0; i < raw.length; i++) {
    const c = raw[i];
    if (c === "\\" && i + 1 < raw.length) {
      out += raw[i + 1];
      i++;
      continue;
    }
    if (c === "{" && raw[i + 1] === "}") {
      if (used >= args.length) throw failure("Invalid arguments in States.Format: the number of arguments does not match the number of '{}' placeholders");
      out += javaString(args[used++]);
      i++;
      continue;
    }
    out += c;
  }
  if (used !== args.length) throw failure("Invalid arguments in States.Format: the number of arguments does not match the number of '{}' placeholders");
  return out;
}

function apply(call: IntrinsicCall, args: Json[], random: () => number): Json {
  const name = call.name;
  switch (name as IntrinsicFunctionName) {
    case "States.Format": {
      const template = call.args[0];
      if (args.length < 1 || typeof args[0] !== "string") throw failure("Invalid arguments in States.Format: the first argument must be a string");
      // A template from a path has no escapes: only `{}` is special in it.
      const raw = template?.kind === "string" && template.raw !== undefined ? template.raw : args[0].replace(/\\/g, "\\\\");
      return format(raw, args.slice(1));
    }
    case "States.StringToJson": {
      arity(name, args, 1);
      const text = expectString(name, args[0], "first");
      if (text.trim() === "") return null;
      try {
        return JSON.parse(text) as Json;
      } catch {
        throw failure(`Invalid arguments in States.StringToJson: the argument is not valid JSON: ${text}`);
      }
    }
    case "States.JsonToString":
      arity(name, args, 1);
      return JSON.stringify(args[0]);
    case "States.Array":
      return args;
    case "States.ArrayPartition": {
      arity(name, args, 2);
      const array = expectArray(name, args[0], "first");
      const size = expectInteger(name, args[1], "second");
      if (size <= 0) throw failure(`Invalid arguments in States.ArrayPartition: the chunk size must be greater than 0, but was ${size}`);
      const out: Json[] = [];
      for (let i = 0; i < array.length; i += size) out.push(array.slice(i, i + size));
      return out;
    }
    case "States.ArrayContains": {
      arity(name, args, 2);
      const array = expectArray(name, args[0], "first");
      return array.some((item) => jsonEquals(item, args[1]));
    }
    case "States.ArrayRange": {
      arity(name, args, 3);
      const first = expectInteger(name, args[0], "first");
      const last = expectInteger(name, args[1], "second");
      const stepBy = expectInteger(name, args[2], "third");
      if (stepBy === 0) throw failure("Invalid arguments in States.ArrayRange: the step must not be 0");
      const count = Math.floor((last - first) / stepBy) + 1;
      if (count > MAX_ARRAY_RANGE) throw failure(`Invalid arguments in States.ArrayRange: the result would have ${count} items; at most ${MAX_ARRAY_RANGE} are allowed`);
      const out: number[] = [];
      for (let i = 0; i < count; i++) out.push(first + i * stepBy);
      return out;
    }
    case "States.ArrayGetItem": {
      arity(name, args, 2);
      const array = expectArray(name, args[0], "first");
      const index = expectInteger(name, args[1], "second");
      if (index < 0 || index >= array.length) throw failure(`Invalid arguments in States.ArrayGetItem: index ${index} is out of bounds for an array of length ${array.length}`);
      return array[index];
    }
    case "States.ArrayLength":
      arity(name, args, 1);
      return expectArray(name, args[0], "first").length;
    case "States.ArrayUnique": {
      arity(name, args, 1);
      // a Set of canonical texts: comparing every pair takes minutes on a 256 KiB array
      const seen = new Set<string>();
      const out: Json[] = [];
      for (const item of expectArray(name, args[0], "first")) {
        const key = canonicalJson(item);
        if (!seen.has(key)) {
          seen.add(key);
          out.push(item);
        }
      }
      return out;
    }
    case "States.Base64Encode": {
      arity(name, args, 1);
      const text = expectString(name, args[0], "first");
      if (text.length > MAX_STRING_INPUT) throw failure(`Invalid arguments in States.Base64Encode: the input exceeds ${MAX_STRING_INPUT} characters`);
      return base64Encode(text);
    }
    case "States.Base64Decode": {
      arity(name, args, 1);
      const text = expectString(name, args[0], "first");
      if (text.length > MAX_STRING_INPUT) throw failure(`Invalid arguments in States.Base64Decode: the input exceeds ${MAX_STRING_INPUT} characters`);
      const decoded = base64Decode(text);
      if (decoded === null) throw failure(`Invalid arguments in States.Base64Decode: the argument is not valid Base64: ${text}`);
      return decoded;
    }
    case "States.Hash": {
      arity(name, args, 2);
      const data = args[0];
      const text = typeof data === "string" ? data : JSON.stringify(data);
      const algorithm = expectString(name, args[1], "second");
      if (!(HASH_ALGORITHMS as readonly string[]).includes(algorithm)) {
        throw failure(`Invalid arguments in States.Hash: the algorithm must be one of ${HASH_ALGORITHMS.join(", ")}, but was ${algorithm}`);
      }
      if (text.length > MAX_STRING_INPUT) throw failure(`Invalid arguments in States.Hash: the input exceeds ${MAX_STRING_INPUT} characters`);
      return hashHex(text, algorithm as HashAlgorithm);
    }
    case "States.JsonMerge": {
      arity(name, args, 3);
      const [a, b, deep] = args;
      if (typeof a !== "object" || a === null || Array.isArray(a)) throw failure(`Invalid arguments in States.JsonMerge: the first argument must be a JSON object, but was ${jsonTypeName(a)}`);
      if (typeof b !== "object" || b === null || Array.isArray(b)) throw failure(`Invalid arguments in States.JsonMerge: the second argument must be a JSON object, but was ${jsonTypeName(b)}`);
      if (typeof deep !== "boolean") throw failure(`Invalid arguments in States.JsonMerge: the third argument must be a boolean, but was ${jsonTypeName(deep)}`);
      if (deep) throw failure("Invalid arguments in States.JsonMerge: deep merging is not supported; the third argument must be false");
      return { ...a, ...b };
    }
    case "States.MathRandom": {
      arity(name, args, 2, 3);
      const start = roundHalfUp(expectNumber(name, args[0], "first"));
      const end = roundHalfUp(expectNumber(name, args[1], "second"));
      if (start > end) throw failure(`Invalid arguments in States.MathRandom: the start ${start} is greater than the end ${end}`);
      const draw = args.length === 3 ? seededRandom(roundHalfUp(expectNumber(name, args[2], "third"))) : random;
      return start + Math.floor(draw() * (end - start + 1));
    }
    case "States.MathAdd": {
      arity(name, args, 2);
      return roundHalfUp(expectNumber(name, args[0], "first")) + roundHalfUp(expectNumber(name, args[1], "second"));
    }
    case "States.StringSplit": {
      arity(name, args, 2);
      const text = expectString(name, args[0], "first");
      const delimiters = expectString(name, args[1], "second");
      if (delimiters === "") return text === "" ? [] : [text];
      const parts: string[] = [];
      let current = "";
      for (const c of text) {
        if (delimiters.includes(c)) {
          if (current !== "") parts.push(current);
          current = "";
        } else {
          current += c;
        }
      }
      if (current !== "") parts.push(current);
      return parts;
    }
    case "States.UUID":
      arity(name, args, 0);
      return uuidV4(random);
  }
  throw failure(`Unknown intrinsic function ${name}`);
}

function evaluateArgument(arg: IntrinsicArgument, input: Json, env: EvalEnv, random: () => number): Json {
  switch (arg.kind) {
    case "string":
    case "number":
    case "boolean":
      return arg.value;
    case "null":
      return null;
    case "path": {
      const value = evaluatePath(arg.path, input, env);
      if (value === undefined) {
        const source = arg.path.startsWith("$$") ? env.context : input;
        throw new MissingArgument(`The JsonPath argument for the field '${arg.path}' could not be found in the input '${JSON.stringify(source)}'`);
      }
      return value;
    }
    case "call":
      return evaluateCall(arg.call, input, env, random);
  }
}

function evaluateCall(call: IntrinsicCall, input: Json, env: EvalEnv, random: () => number): Json {
  const args = call.args.map((arg) => evaluateArgument(arg, input, env, random));
  return apply(call, args, random);
}

/** A path argument that matched nothing (becomes States.Runtime). */
class MissingArgument extends Error {}

/**
 * Evaluates an intrinsic call against the input, context and variables. Failures name the whole
 * expression as written, as AWS does (real executions quoted in public reports):
 *   States.Runtime "The function 'States.Array($.x)' had the following error: The JsonPath
 *   argument for the field '$.x' could not be found in the input '{"a":1}'"
 * and StatesError(States.IntrinsicFailure) "The function '...' had the following error: <detail>"
 * when the call is malformed or a function rejects its arguments (the details are ours).
 */
export function evaluateIntrinsic(text: string, input: Json, env: EvalEnv): Json {
  const frame = (detail: string) => `The function '${text}' had the following error: ${detail}`;
  try {
    return evaluateCall(parseIntrinsic(text), input, env, env.random ?? Math.random);
  } catch (e) {
    if (e instanceof MissingArgument) throw new StatesError(STATES_ERRORS.Runtime, frame(e.message));
    if (e instanceof IntrinsicSyntaxError) throw failure(frame(e.message));
    if (e instanceof StatesError && e.error === STATES_ERRORS.IntrinsicFailure) throw failure(frame(e.cause));
    throw e;
  }
}

/** The intrinsic function names that Fail's ErrorPath/CausePath accept. */
export const FAIL_PATH_INTRINSICS: readonly IntrinsicFunctionName[] = [
  "States.Format", "States.JsonToString", "States.ArrayGetItem", "States.Base64Encode", "States.Base64Decode",
  "States.Hash", "States.UUID",
];

