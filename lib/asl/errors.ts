// Runtime failures with AWS's error names, and AWS's rules for matching them against a
// retrier's or catcher's ErrorEquals.
import type { Json } from "../history/types";
import type { Catcher, Retrier } from "./model";

/** The predefined error names (Appendix A of the States Language, plus AWS's additions). */
export const STATES_ERRORS = {
  ALL: "States.ALL",
  HeartbeatTimeout: "States.HeartbeatTimeout",
  Timeout: "States.Timeout",
  TaskFailed: "States.TaskFailed",
  Permissions: "States.Permissions",
  ResultPathMatchFailure: "States.ResultPathMatchFailure",
  /** What AWS actually raises when ResultPath cannot be applied (see applyResultPath). */
  ReferencePathConflict: "States.ReferencePathConflict",
  ParameterPathFailure: "States.ParameterPathFailure",
  QueryEvaluationError: "States.QueryEvaluationError",
  BranchFailed: "States.BranchFailed",
  NoChoiceMatched: "States.NoChoiceMatched",
  IntrinsicFailure: "States.IntrinsicFailure",
  ExceedToleratedFailureThreshold: "States.ExceedToleratedFailureThreshold",
  ItemReaderFailed: "States.ItemReaderFailed",
  ResultWriterFailed: "States.ResultWriterFailed",
  Runtime: "States.Runtime",
  DataLimitExceeded: "States.DataLimitExceeded",
} as const;

/**
 * A failure while interpreting a state, with AWS's error name (`error`) and cause text (`cause`).
 *
 * AWS prefixes the cause of some failures with the state and the id of its `*StateEntered` event:
 * "An error occurred while executing the state 'S' (entered at the event id #2). <cause>".
 * This module cannot know the event id, so `cause` holds only the detail and `stateContext`
 * says whether AWS adds the prefix; the caller builds the full text with `fullCause()`.
 */
export class StatesError extends Error {
  readonly error: string;
  readonly cause: string;
  /** True when AWS prefixes the cause with the state name and entered event id. */
  readonly stateContext: boolean;
  /** JSONata only: the field that failed, as in `EvaluationFailed.location` (e.g. "Output/result"). */
  readonly location?: string;

  constructor(error: string, cause: string, options: { stateContext?: boolean; location?: string } = {}) {
    super(`${error}: ${cause}`);
    this.name = "StatesError";
    this.error = error;
    this.cause = cause;
    this.stateContext = options.stateContext ?? (error === STATES_ERRORS.Runtime || error === STATES_ERRORS.QueryEvaluationError);
    if (options.location !== undefined) this.location = options.location;
  }

  /** The cause text as AWS records it in the history. */
  fullCause(stateName: string, enteredEventId: number): string {
    return this.stateContext ? stateErrorCause(stateName, enteredEventId, this.cause) : this.cause;
  }

  /** The error output a catcher receives: `{ Error, Cause }`. */
  toErrorOutput(stateName?: string, enteredEventId?: number): { Error: string; Cause: string } {
    const cause = stateName !== undefined && enteredEventId !== undefined ? this.fullCause(stateName, enteredEventId) : this.cause;
    return { Error: this.error, Cause: cause };
  }
}

/** AWS's prefix for runtime and evaluation failures. */
export function stateErrorCause(stateName: string, enteredEventId: number, detail: string): string {
  return `An error occurred while executing the state '${stateName}' (entered at the event id #${enteredEventId}). ${detail}`;
}

export function isStatesError(value: unknown): value is StatesError {
  return value instanceof StatesError;
}

/** The error output object a catcher's ResultPath/Output receives. */
export function errorOutput(error: string, cause: string | undefined): Json {
  return cause === undefined ? { Error: error } : { Error: error, Cause: cause };
}

/**
 * Errors no retrier or catcher handles: States.Runtime "is not retriable, and will always cause
 * the execution to fail".
 *
 * States.DataLimitExceeded is NOT listed although AWS's guide calls it terminal: recorded AWS
 * executions show a task's too-large result (TaskFailed / LambdaFunctionFailed with
 * States.DataLimitExceeded) caught by `States.ALL` and by `States.DataLimitExceeded`. A state's own
 * output exceeding the limit (e.g. a Pass state) fails the execution directly; the engine raises
 * that where no catcher exists anyway.
 */
export const UNCATCHABLE_ERRORS: readonly string[] = [STATES_ERRORS.Runtime];

export interface MatchOptions {
  /**
   * The failure is a heartbeat expiry. AWS records it as `States.Timeout`, and a retrier or
   * catcher naming `States.HeartbeatTimeout` also matches it (reported by the floci project,
   * measured against AWS).
   */
  heartbeatTimeout?: boolean;
}

/**
 * Whether an `ErrorEquals` list matches an error name, by AWS's rules:
 * - an exact name matches itself (names are case-sensitive);
 * - `States.ALL` matches any error;
 * - `States.TaskFailed` matches any error except `States.Timeout`;
 * - `States.HeartbeatTimeout` matches a heartbeat expiry (recorded as `States.Timeout`);
 * - nothing matches `States.Runtime`.
 */
export function errorMatches(errorEquals: readonly string[], error: string, options: MatchOptions = {}): boolean {
  if (UNCATCHABLE_ERRORS.includes(error)) return false;
  return errorEquals.some(
    (name) =>
      name === error ||
      name === STATES_ERRORS.ALL ||
      (name === STATES_ERRORS.TaskFailed && error !== STATES_ERRORS.Timeout) ||
      (name === STATES_ERRORS.HeartbeatTimeout && error === STATES_ERRORS.Timeout && options.heartbeatTimeout === true),
  );
}

/** Index of the first retrier whose ErrorEquals matches, or -1. */
export function findRetrier(retry: readonly Retrier[] | undefined, error: string, options: MatchOptions = {}): number {
  return (retry ?? []).findIndex((r) => errorMatches(r.ErrorEquals, error, options));
}

/** Index of the first catcher whose ErrorEquals matches, or -1. */
export function findCatcher(catchers: readonly Catcher[] | undefined, error: string, options: MatchOptions = {}): number {
  return (catchers ?? []).findIndex((c) => errorMatches(c.ErrorEquals, error, options));
}
