// The vocabulary of the validator: what a problem looks like, its stable codes, and the small
// helpers every validate-*.ts file shares (a collector, JSON Pointers, JSON type guards).
import { pointerToken } from "./model";

/**
 * Stable identifiers of the problems the validator reports. Tools may match on them, so a code
 * is never renamed; new checks get new codes.
 */
export type ValidationCode =
  | "not-an-object"
  | "missing-field"
  | "invalid-type"
  | "invalid-value"
  | "unknown-field"
  | "field-not-allowed-in-jsonata"
  | "field-not-allowed-in-jsonpath"
  | "invalid-query-language"
  | "jsonpath-state-in-jsonata-machine"
  | "invalid-state-type"
  | "state-name-too-long"
  | "duplicate-state-name"
  | "dangling-start-at"
  | "dangling-next"
  | "dangling-default"
  | "transition-outside-scope"
  | "unreachable-state"
  | "no-terminal-state"
  | "missing-transition"
  | "end-with-next"
  | "transition-not-allowed"
  | "mutually-exclusive-fields"
  | "heartbeat-not-below-timeout"
  | "invalid-path"
  | "invalid-reference-path"
  | "invalid-intrinsic"
  | "invalid-jsonata"
  | "jsonata-top-level-reference"
  | "jsonata-error-output-unavailable"
  | "jsonata-not-allowed"
  | "invalid-resource"
  | "duplicate-payload-field"
  | "choice-rule-operator-count"
  | "states-all-not-alone"
  | "states-all-not-last"
  | "distributed-only-field"
  | "invalid-label";

/** One thing wrong with a definition, located by a JSON Pointer (RFC 6901) into it. */
export interface ValidationProblem {
  /** e.g. "/States/Check/Next"; "" is the whole definition. */
  pointer: string;
  /** Plain English, for the person who wrote the definition. */
  message: string;
  code: ValidationCode;
}

/** Collects problems in the order the checks find them. */
export class Problems {
  readonly list: ValidationProblem[] = [];

  add(pointer: string, code: ValidationCode, message: string): void {
    this.list.push({ pointer, message, code });
  }
}

/** Appends reference tokens to a JSON Pointer, escaping each. */
export function child(pointer: string, ...tokens: Array<string | number>): string {
  return pointer + tokens.map((t) => `/${pointerToken(t)}`).join("");
}

export type JsonRecord = Record<string, unknown>;

export function isRecord(value: unknown): value is JsonRecord {
  return typeof value === "object" && value !== null && !Array.isArray(value);
}

export function has(obj: JsonRecord, key: string): boolean {
  return Object.prototype.hasOwnProperty.call(obj, key);
}

export function isInteger(value: unknown): value is number {
  return typeof value === "number" && Number.isInteger(value);
}

/** The JSON type name of a value, for messages ("a number", "null", ...). */
export function describeJson(value: unknown): string {
  if (value === null) return "null";
  if (Array.isArray(value)) return "an array";
  if (typeof value === "object") return "an object";
  if (typeof value === "string") return "a string";
  if (typeof value === "number") return "a number";
  if (typeof value === "boolean") return "a boolean";
  return typeof value;
}
