// JSONPath as Step Functions implements it: reference paths and paths over the state input,
// the context object (`$$`) and variables (`$name`); ResultPath; payload templates (`.$` keys).
//
// AWS evaluates paths with Jayway JsonPath. What matters for conformance:
// - a definite path (only fields and single indices) that matches nothing has "no results"
//   (the caller fails: "Invalid path '$.x' : No results for path: $['x']");
// - an indefinite path (`[*]`, slices, unions, filters, `..`) returns the list of matches, which
//   may be empty: `$.items[1:]` on `{}` is `[]` (recorded on AWS);
// - messages name the normalised path `$['a']['b'][0]`.
import type { Json } from "../history/types";
import type { EvalEnv } from "./context";
import { StatesError, STATES_ERRORS } from "./errors";
import { jsonEquals } from "./json";
import { evaluateIntrinsic, isIntrinsic } from "./intrinsics";

/** One step of a parsed path. */
export type PathSegment =
  | { kind: "field"; name: string }
  | { kind: "index"; index: number }
  | { kind: "wildcard" }
  | { kind: "slice"; start?: number; end?: number; step?: number }
  | { kind: "union"; items: Array<string | number> }
  /** `expression` is the text after `?`, parentheses included: `(@.price < 10)`. */
  | { kind: "filter"; expression: string }
  | { kind: "descendant"; name: string | null };

/** A parsed path: what it starts from, then its steps. */
export interface ParsedPath {
  /** `$` = the input, `$$` = the context object, `variable` = `$name`. */
  root: "input" | "context" | "variable";
  /** The variable name (root "variable" only). */
  variable?: string;
  segments: PathSegment[];
  /** True when every step selects at most one value (a Reference Path, required by ResultPath). */
  definite: boolean;
  /** The path as AWS normalises it in messages: `$['a']['b'][0]`. */
  normalized: string;
}

export type ParsePathResult = { ok: true; path: ParsedPath } | { ok: false; message: string };

// ---------------------------------------------------------------------------------------------
// Filter expressions: `?(@.price < 10 && @.tag == 'a')`

export type FilterOperand =
  | { kind: "current"; segments: PathSegment[] }
  | { kind: "root"; segments: PathSegment[] }
  | { kind: "literal"; value: Json };

export type FilterExpression =
  | { kind: "and" | "or"; left: FilterExpression; right: FilterExpression }
  | { kind: "not"; operand: FilterExpression }
  | { kind: "exists"; operand: FilterOperand }
  | { kind: "compare"; op: "==" | "!=" | "<" | "<=" | ">" | ">=" | "in" | "nin"; left: FilterOperand; right: FilterOperand };

class PathSyntaxError extends Error {}

const IDENTIFIER_START = /[A-Za-z_]/;

class PathParser {
  pos = 0;
  constructor(readonly text: string) {}

  fail(message: string): never {
    throw new PathSyntaxError(message);
  }

  peek(offset = 0): string {
    return this.text[this.pos + offset] ?? "";
  }

  atEnd(): boolean {
    return this.pos >= this.text.length;
  }

  skipSpaces(): void {
    while (this.peek() === " ") this.pos++;
  }

  /** Segments until the end of the text, or (inside filters) until a character that ends an operand. */
  segments(stopAtOperandEnd: boolean): PathSegment[] {
    const out: PathSegment[] = [];
    for (;;) {
      const c = this.peek();
      if (c === "") return out;
      if (c === ".") {
        if (this.peek(1) === ".") {
          this.pos += 2;
          if (this.peek() === "[") {
            const inner = this.bracket();
            if (inner.kind === "wildcard") out.push({ kind: "descendant", name: null });
            else if (inner.kind === "field") out.push({ kind: "descendant", name: inner.name });
            else this.fail("only a name or * may follow '..'");
          } else if (this.peek() === "*") {
            this.pos++;
            out.push({ kind: "descendant", name: null });
          } else {
            out.push({ kind: "descendant", name: this.dotName(stopAtOperandEnd) });
          }
          continue;
        }
        this.pos++;
        if (this.peek() === "*") {
          this.pos++;
          out.push({ kind: "wildcard" });
          continue;
        }
        if (this.peek() === "[") this.fail(`unexpected '[' after '.' at position ${this.pos}`);
        out.push({ kind: "field", name: this.dotName(stopAtOperandEnd) });
        continue;
      }
      if (c === "[") {
        out.push(this.bracket());
        continue;
      }
      if (stopAtOperandEnd) return out;
      this.fail(`unexpected character '${c}' at position ${this.pos}`);
    }
  }

  dotName(stopAtOperandEnd: boolean): string {
    const start = this.pos;
    const stops = stopAtOperandEnd ? ".[ )=!<>&|," : ".[";
    while (!this.atEnd() && !stops.includes(this.peek())) this.pos++;
    const name = this.text.slice(start, this.pos);
    if (name === "") this.fail(`empty field name at position ${start}`);
    if (name.endsWith("()")) this.fail(`path functions are not supported: ${name}`);
    return name;
  }

  quoted(): string {
    const quote = this.peek();
    this.pos++;
    let out = "";
    for (;;) {
      const c = this.peek();
      if (c === "") this.fail("unterminated quoted name");
      this.pos++;
      if (c === "\\") {
        const next = this.peek();
        this.pos++;
        out += next === "n" ? "\n" : next === "t" ? "\t" : next;
        continue;
      }
      if (c === quote) return out;
      out += c;
    }
  }

  integer(): number | undefined {
    const m = /^-?\d+/.exec(this.text.slice(this.pos));
    if (!m) return undefined;
    this.pos += m[0].length;
    return Number(m[0]);
  }

  bracket(): PathSegment {
    this.pos++; // [
    this.skipSpaces();
    const c = this.peek();
    let segment: PathSegment;
    if (c === "*") {
      this.pos++;
      segment = { kind: "wildcard" };
    } else if (c === "?") {
      this.pos++;
      this.skipSpaces();
      if (this.peek() !== "(") this.fail("expected '(' after '?'");
      const start = this.pos;
      this.pos++;
      this.filterOr();
      this.skipSpaces();
      if (this.peek() !== ")") this.fail(`expected ')' at position ${this.pos}`);
      this.pos++;
      segment = { kind: "filter", expression: this.text.slice(start, this.pos) };
    } else if (c === "'" || c === '"') {
      const items: Array<string | number> = [this.quoted()];
      this.skipSpaces();
      while (this.peek() === ",") {
        this.pos++;
        this.skipSpaces();
        if (this.peek() !== "'" && this.peek() !== '"') this.fail("expected a quoted name in the union");
        items.push(this.quoted());
        this.skipSpaces();
      }
      segment = items.length === 1 ? { kind: "field", name: items[0] as string } : { kind: "union", items };
    } else {
      const first = this.integer();
      this.skipSpaces();
      if (this.peek() === ":") {
        const slice: { kind: "slice"; start?: number; end?: number; step?: number } = { kind: "slice" };
        if (first !== undefined) slice.start = first;
        this.pos++;
        this.skipSpaces();
        const end = this.integer();
        if (end !== undefined) slice.end = end;
        this.skipSpaces();
        if (this.peek() === ":") {
          this.pos++;
          this.skipSpaces();
          const step = this.integer();
          if (step !== undefined) {
            if (step === 0) this.fail("slice step cannot be 0");
            slice.step = step;
          }
        }
        segment = slice;
      } else if (first !== undefined) {
        const items: number[] = [first];
        while (this.peek() === ",") {
          this.pos++;
          this.skipSpaces();
          const next = this.integer();
          if (next === undefined) this.fail("expected an index in the union");
          items.push(next);
          this.skipSpaces();
        }
        segment = items.length === 1 ? { kind: "index", index: first } : { kind: "union", items };
      } else {
        this.fail(`unexpected character '${c}' in brackets at position ${this.pos}`);
      }
    }
    this.skipSpaces();
    if (this.peek() !== "]") this.fail(`expected ']' at position ${this.pos}`);
    this.pos++;
    return segment;
  }

  // filter := or ; or := and ('||' and)* ; and := unary ('&&' unary)* ; unary := '!' unary | '(' or ')' | comparison
  filterOr(): FilterExpression {
    let left = this.filterAnd();
    for (;;) {
      this.skipSpaces();
      if (this.text.startsWith("||", this.pos)) {
        this.pos += 2;
        left = { kind: "or", left, right: this.filterAnd() };
      } else {
        return left;
      }
    }
  }

  filterAnd(): FilterExpression {
    let left = this.filterUnary();
    for (;;) {
      this.skipSpaces();
      if (this.text.startsWith("&&", this.pos)) {
        this.pos += 2;
        left = { kind: "and", left, right: this.filterUnary() };
      } else {
        return left;
      }
    }
  }

  filterUnary(): FilterExpression {
    this.skipSpaces();
    if (this.peek() === "!" && this.peek(1) !== "=") {
      this.pos++;
      return { kind: "not", operand: this.filterUnary() };
    }
    if (this.peek() === "(") {
      this.pos++;
      const inner = this.filterOr();
      this.skipSpaces();
      if (this.peek() !== ")") this.fail(`expected ')' at position ${this.pos}`);
      this.pos++;
      return inner;
    }
    const left = this.operand();
    this.skipSpaces();
    const m = /^(==|!=|<=|>=|<|>|\bnin\b|\bin\b)/.exec(this.text.slice(this.pos));
    if (!m) {
      if (left.kind === "literal") this.fail("a filter needs a comparison or an @ path");
      return { kind: "exists", operand: left };
    }
    this.pos += m[0].length;
    const right = this.operand();
    return { kind: "compare", op: m[0] as "==", left, right };
  }

  operand(): FilterOperand {
    this.skipSpaces();
    const c = this.peek();
    if (c === "@") {
      this.pos++;
      return { kind: "current", segments: this.segments(true) };
    }
    if (c === "$") {
      this.pos++;
      return { kind: "root", segments: this.segments(true) };
    }
    if (c === "'" || c === '"') return { kind: "literal", value: this.quoted() };
    if (c === "[") {
      const start = this.pos;
      let depth = 0;
      do {
        if (this.peek() === "[") depth++;
        if (this.peek() === "]") depth--;
        this.pos++;
      } while (depth > 0 && !this.atEnd());
      try {
        return { kind: "literal", value: JSON.parse(this.text.slice(start, this.pos).replace(/'/g, '"')) as Json };
      } catch {
        this.fail("invalid array literal in filter");
      }
    }
    const m = /^(-?\d+(\.\d+)?([eE][+-]?\d+)?|true|false|null)/.exec(this.text.slice(this.pos));
    if (!m) this.fail(`unexpected '${c}' in filter at position ${this.pos}`);
    this.pos += m[0].length;
    return { kind: "literal", value: JSON.parse(m[0]) as Json };
  }
}

const filterCache = new Map<string, FilterExpression>();

/** Parses a filter's text `(<expression>)` once. */
function compileFilter(expression: string): FilterExpression {
  let compiled = filterCache.get(expression);
  if (!compiled) {
    const parser = new PathParser(expression);
    try {
      compiled = parser.filterOr();
    } catch (e) {
      if (e instanceof PathSyntaxError) throw new StatesError(STATES_ERRORS.Runtime, `Invalid filter ${expression}: ${e.message}`);
      throw e;
    }
    if (filterCache.size > 1000) filterCache.clear();
    filterCache.set(expression, compiled);
  }
  return compiled;
}

function normalizeSegments(segments: PathSegment[]): string {
  return segments
    .map((s) => {
      switch (s.kind) {
        case "field":
          return `['${s.name}']`;
        case "index":
          return `[${s.index}]`;
        case "wildcard":
          return "[*]";
        case "slice":
          return `[${s.start ?? ""}:${s.end ?? ""}${s.step !== undefined ? `:${s.step}` : ""}]`;
        case "union":
          return `[${s.items.map((i) => (typeof i === "number" ? String(i) : `'${i}'`)).join(",")}]`;
        case "filter":
          return `[?${s.expression}]`;
        case "descendant":
          return s.name === null ? "..[*]" : `..['${s.name}']`;
      }
      return "";
    })
    .join("");
}

const pathCache = new Map<string, ParsePathResult>();

/** Parses a path; never throws. Used by the validator and by every evaluator here. */
export function parseJsonPath(path: string): ParsePathResult {
  const cached = pathCache.get(path);
  if (cached) return cached;
  const result = parseUncached(path);
  if (pathCache.size > 5000) pathCache.clear();
  pathCache.set(path, result);
  return result;
}

function parseUncached(path: string): ParsePathResult {
  if (typeof path !== "string" || !path.startsWith("$")) {
    return { ok: false, message: `The path '${String(path)}' must start with '$'` };
  }
  const parser = new PathParser(path);
  try {
    let root: ParsedPath["root"] = "input";
    let variable: string | undefined;
    let prefix = "$";
    if (path.startsWith("$$")) {
      root = "context";
      parser.pos = 2;
      prefix = "$$";
    } else if (IDENTIFIER_START.test(path[1] ?? "")) {
      root = "variable";
      parser.pos = 1;
      const m = /^[A-Za-z_][A-Za-z0-9_]*/.exec(path.slice(1));
      variable = m ? m[0] : "";
      parser.pos += variable.length;
      prefix = `$${variable}`;
    } else {
      parser.pos = 1;
    }
    const segments = parser.segments(false);
    const definite = segments.every((s) => s.kind === "field" || s.kind === "index");
    const parsed: ParsedPath = { root, segments, definite, normalized: prefix + normalizeSegments(segments) };
    if (variable !== undefined) parsed.variable = variable;
    return { ok: true, path: parsed };
  } catch (e) {
    if (e instanceof PathSyntaxError) return { ok: false, message: `Invalid path '${path}': ${e.message}` };
    throw e;
  }
}

// ---------------------------------------------------------------------------------------------
// Evaluation

function isObject(value: Json | undefined): value is { [key: string]: Json } {
  return typeof value === "object" && value !== null && !Array.isArray(value);
}

function hasOwn(obj: object, key: string): boolean {
  return Object.prototype.hasOwnProperty.call(obj, key);
}

function sliceIndices(length: number, s: { start?: number; end?: number; step?: number }): number[] {
  const step = s.step ?? 1;
  const norm = (i: number) => (i < 0 ? Math.max(length + i, 0) : Math.min(i, length));
  const out: number[] = [];
  if (step > 0) {
    const start = s.start === undefined ? 0 : norm(s.start);
    const end = s.end === undefined ? length : norm(s.end);
    for (let i = start; i < end; i += step) out.push(i);
  } else {
    const start = s.start === undefined ? length - 1 : Math.min(s.start < 0 ? length + s.start : s.start, length - 1);
    const end = s.end === undefined ? -1 : s.end < 0 ? Math.max(length + s.end, -1) : s.end;
    for (let i = start; i > end; i += step) out.push(i);
  }
  return out;
}

function descendants(value: Json, out: Json[]): void {
  if (Array.isArray(value)) {
    for (const v of value) {
      out.push(v);
      descendants(v, out);
    }
  } else if (isObject(value)) {
    for (const v of Object.values(value)) {
      out.push(v);
      descendants(v, out);
    }
  }
}

function collectNamed(value: Json, name: string, out: Json[]): void {
  if (Array.isArray(value)) {
    for (const v of value) collectNamed(v, name, out);
  } else if (isObject(value)) {
    if (hasOwn(value, name)) out.push(value[name]);
    for (const v of Object.values(value)) collectNamed(v, name, out);
  }
}

function step(values: Json[], segment: PathSegment, root: Json): Json[] {
  const out: Json[] = [];
  for (const value of values) {
    switch (segment.kind) {
      case "field":
        if (isObject(value) && hasOwn(value, segment.name)) out.push(value[segment.name]);
        break;
      case "index":
        if (Array.isArray(value)) {
          const i = segment.index < 0 ? value.length + segment.index : segment.index;
          if (i >= 0 && i < value.length) out.push(value[i]);
        }
        break;
      case "wildcard":
        if (Array.isArray(value)) out.push(...value);
        else if (isObject(value)) out.push(...Object.values(value));
        break;
      case "slice":
        if (Array.isArray(value)) for (const i of sliceIndices(value.length, segment)) out.push(value[i]);
        break;
      case "union":
        for (const item of segment.items) {
          if (typeof item === "number" && Array.isArray(value)) {
            const i = item < 0 ? value.length + item : item;
            if (i >= 0 && i < value.length) out.push(value[i]);
          } else if (typeof item === "string" && isObject(value) && hasOwn(value, item)) {
            out.push(value[item]);
          }
        }
        break;
      case "filter": {
        const predicate = compileFilter(segment.expression);
        if (Array.isArray(value)) {
          for (const v of value) if (filterMatches(predicate, v, root)) out.push(v);
        } else if (isObject(value)) {
          if (filterMatches(predicate, value, root)) out.push(value);
        }
        break;
      }
      case "descendant":
        if (segment.name === null) descendants(value, out);
        else collectNamed(value, segment.name, out);
        break;
    }
  }
  return out;
}

function selectAll(value: Json, segments: PathSegment[], root: Json): Json[] {
  let current: Json[] = [value];
  for (const segment of segments) current = step(current, segment, root);
  return current;
}

function operandValue(operand: FilterOperand, current: Json, root: Json): Json | undefined {
  if (operand.kind === "literal") return operand.value;
  const matches = selectAll(operand.kind === "current" ? current : root, operand.segments, root);
  const definite = operand.segments.every((s) => s.kind === "field" || s.kind === "index");
  if (definite) return matches.length ? matches[0] : undefined;
  return matches;
}

function filterMatches(expr: FilterExpression, current: Json, root: Json): boolean {
  switch (expr.kind) {
    case "and":
      return filterMatches(expr.left, current, root) && filterMatches(expr.right, current, root);
    case "or":
      return filterMatches(expr.left, current, root) || filterMatches(expr.right, current, root);
    case "not":
      return !filterMatches(expr.operand, current, root);
    case "exists":
      return operandValue(expr.operand, current, root) !== undefined;
    case "compare": {
      const l = operandValue(expr.left, current, root);
      const r = operandValue(expr.right, current, root);
      if (l === undefined || r === undefined) return expr.op === "!=" && !(l === undefined && r === undefined);
      switch (expr.op) {
        case "==":
          return jsonEquals(l, r);
        case "!=":
          return !jsonEquals(l, r);
        case "in":
          return Array.isArray(r) && r.some((x) => jsonEquals(l, x));
        case "nin":
          return Array.isArray(r) && !r.some((x) => jsonEquals(l, x));
        default: {
          const comparable = (typeof l === "number" && typeof r === "number") || (typeof l === "string" && typeof r === "string");
          if (!comparable) return false;
          const a = l as number | string;
          const b = r as number | string;
          if (expr.op === "<") return a < b;
          if (expr.op === "<=") return a <= b;
          if (expr.op === ">") return a > b;
          return a >= b;
        }
      }
    }
  }
  return false;
}

function parseOrThrow(path: string): ParsedPath {
  const parsed = parseJsonPath(path);
  if (!parsed.ok) throw new StatesError(STATES_ERRORS.Runtime, parsed.message);
  return parsed.path;
}

/** The value a path starts from, or undefined for an unknown variable. */
function rootValue(parsed: ParsedPath, input: Json, env: EvalEnv): Json | undefined {
  if (parsed.root === "context") return env.context;
  if (parsed.root === "variable") {
    const name = parsed.variable ?? "";
    return hasOwn(env.variables, name) ? env.variables[name] : undefined;
  }
  return input;
}

/** Evaluates an already parsed path (see evaluatePath). */
export function evaluateParsedPath(parsed: ParsedPath, input: Json, env: EvalEnv): Json | undefined {
  const start = rootValue(parsed, input, env);
  if (start === undefined) return parsed.definite ? undefined : [];
  const matches = selectAll(start, parsed.segments, start);
  if (parsed.definite) return matches.length ? matches[0] : undefined;
  return matches;
}

/**
 * Evaluates a path against the input (`$...`), the context object (`$$...`) or a variable
 * (`$name...`). Returns `undefined` when a definite path matches nothing. Indefinite paths
 * (`[*]`, slices, unions, filters, `..`) return the array of matches (possibly empty). Throws
 * StatesError(States.Runtime) for a syntactically invalid path.
 */
export function evaluatePath(path: string, input: Json, env: EvalEnv): Json | undefined {
  return evaluateParsedPath(parseOrThrow(path), input, env);
}

/** AWS's message when a path matches nothing: "Invalid path '$.x' : No results for path: $['x']". */
export function noResultsMessage(path: string): string {
  const parsed = parseJsonPath(path);
  return `Invalid path '${path}' : No results for path: ${parsed.ok ? parsed.path.normalized : path}`;
}

/**
 * Like evaluatePath, but a path that matches nothing fails as AWS does for InputPath, OutputPath,
 * ItemsPath and the `*Path` fields: States.Runtime
 * "Invalid path '<path>' : No results for path: <normalized>".
 */
export function evaluateRequiredPath(path: string, input: Json, env: EvalEnv): Json {
  const value = evaluatePath(path, input, env);
  if (value === undefined) throw new StatesError(STATES_ERRORS.Runtime, noResultsMessage(path));
  return value;
}

// ---------------------------------------------------------------------------------------------
// ResultPath

/**
 * Places a result into the input at ResultPath. `undefined` ResultPath = `$` (the result replaces
 * the input); `null` = the result is discarded (the input passes through). Creates missing
 * intermediate objects. Fails where AWS does, when the path runs through a value that is not an
 * object (e.g. the input is a string), with the error name and cause AWS returns in practice:
 * States.ReferencePathConflict "Unable to apply ReferencePath <path> to input <input as JSON>"
 * (real executions quoted in public reports; the specification names States.ResultPathMatchFailure).
 */
export function applyResultPath(input: Json, result: Json, resultPath: string | null | undefined): Json {
  if (resultPath === null) return input;
  if (resultPath === undefined || resultPath === "$") return result;
  const parsed = parseJsonPath(resultPath);
  const fail = (): never => {
    throw new StatesError(
      STATES_ERRORS.ReferencePathConflict,
      `Unable to apply ReferencePath ${resultPath} to input ${JSON.stringify(input)}`,
    );
  };
  if (!parsed.ok) throw new StatesError(STATES_ERRORS.Runtime, parsed.message);
  if (parsed.path.root !== "input" || !parsed.path.definite) fail();
  const segments = parsed.path.segments as Array<{ kind: "field"; name: string } | { kind: "index"; index: number }>;
  const place = (node: Json | undefined, depth: number): Json => {
    if (depth === segments.length) return result;
    const segment = segments[depth];
    if (segment.kind === "field") {
      if (node === undefined) return { [segment.name]: place(undefined, depth + 1) };
      if (!isObject(node)) return fail();
      return { ...node, [segment.name]: place(hasOwn(node, segment.name) ? node[segment.name] : undefined, depth + 1) };
    }
    if (!Array.isArray(node)) return fail();
    const i = segment.index < 0 ? node.length + segment.index : segment.index;
    if (i < 0 || i >= node.length) return fail();
    const copy = node.slice();
    copy[i] = place(node[i], depth + 1);
    return copy;
  };
  return place(input, 0);
}

// ---------------------------------------------------------------------------------------------
// Payload templates

function stringifyForMessage(value: Json): string {
  return JSON.stringify(value);
}

/**
 * Evaluates a payload template (Parameters, ResultSelector, ItemSelector, Credentials, ...):
 * keys ending in `.$` take the value of a path, context path, variable or intrinsic function
 * (the key loses its `.$`); other values are copied; objects and arrays recurse.
 * A path that matches nothing fails with States.Runtime:
 * "The JSONPath '<path>' specified for the field '<key>.$' could not be found in the input '<input>'".
 */
export function evaluatePayloadTemplate(template: Json, input: Json, env: EvalEnv): Json {
  if (Array.isArray(template)) return template.map((item) => evaluatePayloadTemplate(item, input, env));
  if (!isObject(template)) return template;
  const out: { [key: string]: Json } = {};
  for (const [key, value] of Object.entries(template)) {
    if (key.endsWith(".$") && typeof value === "string") {
      out[key.slice(0, -2)] = evaluateDollarValue(value, input, env, key);
    } else {
      out[key] = evaluatePayloadTemplate(value, input, env);
    }
  }
  return out;
}

/**
 * The value of one `.$` field (or any field that takes "a path or an intrinsic function"):
 * an intrinsic call, or a path over the input, the context object or a variable.
 * `field` is the key as written (e.g. "name.$"), used in AWS's message.
 */
export function evaluateDollarValue(text: string, input: Json, env: EvalEnv, field: string): Json {
  if (isIntrinsic(text)) return evaluateIntrinsic(text, input, env);
  const value = evaluatePath(text, input, env);
  if (value === undefined) {
    const source = text.startsWith("$$") ? env.context : input;
    throw new StatesError(
      STATES_ERRORS.Runtime,
      `The JSONPath '${text}' specified for the field '${field}' could not be found in the input '${stringifyForMessage(source)}'`,
    );
  }
  return value;
}

/** True for a string that is a path (`$`, `$.a`, `$$.a`, `$var`), as opposed to an intrinsic call. */
export function isPath(text: string): boolean {
  return text.startsWith("$");
}
