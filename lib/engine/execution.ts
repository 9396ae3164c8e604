// One execution: runs a definition with lib/asl's semantics and records AWS's history events.
// Each thread of control (the execution, a Parallel branch, a Map iteration) is an async
// runScope() over its states; a state returns where to go next or how it failed, plus the id of
// its last event, which the next event's previousEventId points at (the history is a tree).
import type { ExecutionStatus, HistoryEvent, Json, StateMachineType } from "../history/types";
import {
  type Catcher, type ChoiceState, type FailState, type MapState, type ParallelState, type PassState, type State,
  type StateMachineDefinition, type SucceedState, type TaskState, type WaitState,
  effectiveQueryLanguage, isDistributedMap, itemProcessorOf, parseDefinition,
} from "../asl/model";
import { errorOutput, findCatcher, findRetrier, StatesError, STATES_ERRORS } from "../asl/errors";
import type { EvalEnv } from "../asl/context";
import { evaluateChoice, noChoiceMatchedError } from "../asl/choice";
import {
  canRetry, failErrorCause, mapItemInputs, mapItems, mapMaxConcurrency, prepareInput, processCatch, processPassThrough,
  processResult, retryDelay, runPass, taskCredentials, taskTimeouts, waitUntil,
} from "../asl/dataflow";
import { uuidV4 } from "../asl/intrinsics";
import { Aborted, type AbortReason, Cancellation } from "./cancellation";
import { isoTime } from "./format";
import { type Failure, type Frame, type MapRun, type Outcome, runChildren, type ScopeOutcome, StepGate } from "./threads";
import { type Clock, RealClock, VirtualClock } from "./clock";
import { assignedVariablesDetails, HistoryLimitExceeded, HistoryRecorder, payload } from "./history-recorder";
import { checkDefinition, executionInputText } from "./definition";
import { type DistributedMapHost, runDistributedMap } from "./distributed-map";
import { classifyResource, type TaskResource, usesTaskToken } from "./resources";
import { awaitTaskOutcome, type PendingToken } from "./task-outcome";
import {
  type ExecutionDescription, type ExecutionHandle, type ExecutionResult, type MapRunRecord, type StartExecutionOptions,
  type TaskInvocation, type TaskOutcome, TaskTokenError,
} from "./types";

/** AWS's maximum execution duration of an Express workflow. */
const EXPRESS_MAX_SECONDS = 300;
/** AWS's maximum execution duration of a Standard workflow (one year). */
const STANDARD_MAX_SECONDS = 365 * 24 * 3600;
/** "The Inline Map state supports up to 40 concurrent iterations." */
const INLINE_MAP_MAX_CONCURRENCY = 40;

/** Shared between a parent execution and its Distributed Map children. */
interface SharedRun {
  invocations: Map<string, number>;
  tokenSeq: { n: number };
  tokens: Map<string, PendingToken>;
  timedOutTokens: Set<string>;
}

function withCause(details: Record<string, unknown>, error: string | undefined, cause: string | undefined): Record<string, unknown> {
  if (error !== undefined) details.error = error;
  if (cause !== undefined) details.cause = cause;
  return details;
}

const TRUNCATED_FALSE = { truncated: false } as const;
/** AWS's payload quota: 256 KiB of UTF-8 per state input or output. */
const PAYLOAD_LIMIT = 262_144;
const encoder = new TextEncoder();
function utf8Length(text: string): number {
  return encoder.encode(text).length;
}

export class Execution implements ExecutionHandle {
  readonly executionArn: string;
  readonly name: string;
  readonly stateMachineArn: string;
  readonly stateMachineName: string;
  readonly type: StateMachineType;
  readonly mapRuns: MapRunRecord[] = [];
  status: ExecutionStatus = "RUNNING";

  private readonly def: StateMachineDefinition;
  private readonly input: Json;
  /** The input as JSON text (ExecutionStarted, DescribeExecution). */
  private readonly inputText: string;
  private readonly clock: Clock;
  private readonly recorder: HistoryRecorder;
  private readonly random: () => number;
  private readonly region: string;
  private readonly accountId: string;
  private readonly roleArn: string;
  private readonly startDate: number;
  /** When the execution times out (TimeoutSeconds after the start). */
  private deadline = Number.POSITIVE_INFINITY;
  private stopDate?: number;
  private final?: ExecutionResult;
  private readonly done: Promise<ExecutionResult>;
  private readonly rootCancel = new Cancellation();
  private readonly shared: SharedRun;
  private readonly resourceCache = new WeakMap<TaskState, TaskResource>();
  private readonly taskGate = new StepGate();
  /** A state entry's retry counts -> the last event id when it was last retried (see nextRetry). */
  private readonly lastIdAtRetry = new WeakMap<number[], number>();
  /** Map attempt's first previousEventId -> its MapStateStarted id, for failures raised after MapStateStarted. */
  private readonly mapProgress = new Map<number, number>();
  private endExecution!: (result: ExecutionResult) => void;
  private readonly contextBase: { Execution: Record<string, Json>; StateMachine: Record<string, Json> };

  constructor(private readonly options: StartExecutionOptions, shared?: SharedRun, clock?: Clock) {
    this.type = options.type ?? "STANDARD";
    // Distributed Map children run a processor of an already checked definition.
    this.def = shared ? parseDefinition(options.definition) : checkDefinition(options.definition, this.type);
    this.input = options.input === undefined ? {} : options.input;
    this.inputText = executionInputText(this.input);
    this.random = options.random ?? Math.random;
    this.region = options.region ?? "us-east-1";
    this.accountId = options.accountId ?? "111111111111";
    this.roleArn = options.roleArn ?? `arn:aws:iam::${this.accountId}:role/statelens-local`;
    this.stateMachineName = options.stateMachineName ?? options.stateMachineArn?.split(":").pop() ?? "statelens-local";
    this.stateMachineArn = options.stateMachineArn ?? `arn:aws:states:${this.region}:${this.accountId}:stateMachine:${this.stateMachineName}`;
    this.name = options.name ?? uuidV4(this.random);
    const arnBase = this.stateMachineArn.replace(":stateMachine:", this.type === "EXPRESS" ? ":express:" : ":execution:");
    this.executionArn = `${arnBase}:${this.name}`;
    this.clock = clock ?? (options.clock === "real" ? new RealClock() : options.clock && options.clock !== "virtual" ? options.clock : new VirtualClock(options.startTime ?? Date.now()));
    const limit = options.maxHistoryEvents ?? (this.type === "EXPRESS" ? Number.POSITIVE_INFINITY : 25_000);
    this.recorder = new HistoryRecorder(this.clock, limit, options.onEvent);
    this.shared = shared ?? { invocations: new Map(), tokenSeq: { n: 0 }, tokens: new Map(), timedOutTokens: new Set() };
    this.startDate = this.clock.now();
    this.contextBase = {
      Execution: { Id: this.executionArn, Input: this.input, StartTime: isoTime(this.startDate), Name: this.name, RoleArn: this.roleArn },
      StateMachine: { Id: this.stateMachineArn, Name: this.stateMachineName },
    };
    this.done = new Promise((resolve) => (this.endExecution = resolve));
  }

  // ---- the handle -------------------------------------------------------------------------

  get events(): readonly HistoryEvent[] {
    return this.recorder.events;
  }

  result(): Promise<ExecutionResult> {
    return this.done;
  }

  describe(): ExecutionDescription {
    const d: ExecutionDescription = {
      executionArn: this.executionArn,
      stateMachineArn: this.stateMachineArn,
      name: this.name,
      status: this.status,
      startDate: this.startDate,
      input: this.inputText,
      inputDetails: { included: true },
    };
    if (this.stopDate !== undefined) d.stopDate = this.stopDate;
    if (this.final?.output !== undefined) {
      d.output = payload(this.final.output);
      d.outputDetails = { included: true };
    }
    if (this.final?.error !== undefined) d.error = this.final.error;
    if (this.final?.cause !== undefined) d.cause = this.final.cause;
    if (this.options.mapRunArn) d.mapRunArn = this.options.mapRunArn;
    if (this.type === "EXPRESS" && this.stopDate !== undefined) {
      // Express bills duration in 100 ms increments (minimum 100 ms) and memory in 64 MB steps.
      const ms = Math.max(100, Math.ceil((this.stopDate - this.startDate) / 100) * 100);
      d.billingDetails = { billedMemoryUsedInMB: 64, billedDurationInMilliseconds: ms };
    }
    return d;
  }

  pendingTaskTokens(): string[] {
    return [...this.shared.tokens.keys()];
  }

  sendTaskSuccess(taskToken: string, output: Json): void {
    this.tokenFor(taskToken).settle({ output });
  }

  sendTaskFailure(taskToken: string, error?: string, cause?: string): void {
    const outcome: TaskOutcome = cause === undefined ? { error: error ?? "" } : { error: error ?? "", cause };
    this.tokenFor(taskToken).settle(outcome);
  }

  sendTaskHeartbeat(taskToken: string): void {
    this.tokenFor(taskToken).heartbeat();
  }

  stop(error?: string, cause?: string): void {
    if (this.status !== "RUNNING") return;
    this.rootCancel.cancel({ prev: 0, silent: true });
    this.finish("ABORTED", "ExecutionAborted", 0, "executionAbortedEventDetails", withCause({}, error, cause), { status: "ABORTED", error, cause });
  }

  private tokenFor(token: string): PendingToken {
    const pending = this.shared.tokens.get(token);
    if (!pending && this.shared.timedOutTokens.has(token)) throw new TaskTokenError("TaskTimedOut", `The task of token ${token} timed out.`);
    if (!pending) throw new TaskTokenError("TaskDoesNotExist", `Task does not exist anymore or the token is invalid: ${token}`);
    return pending;
  }

  // ---- running ----------------------------------------------------------------------------

  /** Starts the execution; the returned promise is the same as result(). */
  start(): Promise<ExecutionResult> {
    this.run().catch((err: unknown) => this.failUnexpectedly(err));
    return this.done;
  }

  /**
   * The last resort for an error no state turned into a States error (a bug, or a value the
   * engine cannot handle): the execution fails with States.Runtime naming it, instead of leaving
   * an unhandled rejection and a result() that never settles.
   */
  private failUnexpectedly(err: unknown): void {
    const cause = `The execution failed on an unexpected error: ${err instanceof Error ? `${err.name}: ${err.message}` : String(err)}`;
    this.rootCancel.cancel({ prev: 0, silent: true });
    try {
      this.finish("FAILED", "ExecutionFailed", this.recorder.lastId, "executionFailedEventDetails", { error: STATES_ERRORS.Runtime, cause }, { status: "FAILED", error: STATES_ERRORS.Runtime, cause });
    } catch {
      // the event could not be recorded (an onEvent callback threw): the execution ends anyway
    }
    if (!this.final) {
      this.status = "FAILED";
      this.final = { status: "FAILED", error: STATES_ERRORS.Runtime, cause };
      this.endExecution(this.final);
    }
  }

  private async run(): Promise<void> {
    const frame: Frame = { machine: this.def, variables: {}, cancel: this.rootCancel };
    let outcome: ScopeOutcome;
    try {
      this.emit("ExecutionStarted", 0, "executionStartedEventDetails", { input: this.inputText, inputDetails: TRUNCATED_FALSE, roleArn: this.roleArn });
      // An Express execution runs five minutes at most, whatever TimeoutSeconds says.
      const timeoutSeconds = this.type === "EXPRESS" ? Math.min(this.def.TimeoutSeconds ?? EXPRESS_MAX_SECONDS, EXPRESS_MAX_SECONDS) : (this.def.TimeoutSeconds ?? STANDARD_MAX_SECONDS);
      this.deadline = this.startDate + timeoutSeconds * 1000;
      const cancelTimer = this.clock.schedule(timeoutSeconds * 1000, () => this.timeOut());
      void this.done.then(cancelTimer);
      outcome = await this.runScope(frame, this.input, 0);
    } catch (err) {
      if (err instanceof HistoryLimitExceeded) {
        this.rootCancel.cancel({ prev: 0, silent: true });
        // AWS fails an execution whose history reaches the quota; the error name is not documented.
        outcome = { t: "fail", error: STATES_ERRORS.Runtime, cause: err.message, prev: this.recorder.lastId };
      } else throw err;
    }
    if (this.status !== "RUNNING") return;
    if (outcome.t === "ok") {
      this.finish("SUCCEEDED", "ExecutionSucceeded", outcome.prev, "executionSucceededEventDetails", { output: payload(outcome.output), outputDetails: TRUNCATED_FALSE }, { status: "SUCCEEDED", output: outcome.output });
    } else if (outcome.t === "fail") {
      const error = outcome.error === "" ? undefined : outcome.error;
      this.finish("FAILED", "ExecutionFailed", outcome.prev, "executionFailedEventDetails", withCause({}, error, outcome.cause), { status: "FAILED", error, cause: outcome.cause });
    }
  }

  private timeOut(): void {
    if (this.status !== "RUNNING") return;
    this.rootCancel.cancel({ prev: 0, silent: true });
    this.finish("TIMED_OUT", "ExecutionTimedOut", this.recorder.lastId, "executionTimedOutEventDetails", { error: STATES_ERRORS.Timeout }, { status: "TIMED_OUT", error: STATES_ERRORS.Timeout });
  }

  private finish(status: ExecutionStatus, type: string, prev: number, key: string, details: Record<string, unknown>, result: ExecutionResult): void {
    if (this.status !== "RUNNING") return;
    this.status = status;
    try {
      this.recorder.add(type, prev, key, details);
    } catch (err) {
      if (!(err instanceof HistoryLimitExceeded)) throw err;
    }
    this.stopDate = this.clock.now();
    this.final = result;
    // Whatever still waits (a callback, a timer) ends silently; its task token stops working.
    this.rootCancel.cancel({ prev: 0, silent: true });
    this.endExecution(result);
  }

  private get tokenPrefix(): string {
    return `${this.options.taskTokenPrefix ?? "tt"}.${this.name}.`;
  }

  private emit(type: string, prev: number, key?: string, details?: Record<string, unknown>): number {
    // Nothing follows the event that ends the execution: a thread still inside a state when the
    // execution timed out (see runScope) stops here.
    if (this.status !== "RUNNING") throw new Aborted({ prev: 0, silent: true });
    return this.recorder.add(type, prev, key, details);
  }

  private env(frame: Frame, stateName: string, state: State, enteredTime: number, retryCount = 0, token?: string): EvalEnv {
    const context: Record<string, Json> = {
      Execution: this.contextBase.Execution,
      StateMachine: this.contextBase.StateMachine,
      State: { Name: stateName, EnteredTime: isoTime(enteredTime), RetryCount: retryCount },
    };
    if (token !== undefined) context.Task = { Token: token };
    return { context, variables: frame.variables, random: this.random, queryLanguage: effectiveQueryLanguage(state, this.def) };
  }

  private async runScope(frame: Frame, input: Json, prev: number): Promise<ScopeOutcome> {
    let name = frame.machine.StartAt;
    let current = input;
    for (;;) {
      // The timeout timer fires only when the engine is idle; a loop that never waits (an
      // Express history has no event quota) would otherwise run past it forever.
      if (this.clock.now() >= this.deadline) this.timeOut();
      if (frame.cancel.reason) return { t: "aborted" };
      const state = frame.machine.States[name];
      if (!state) return { t: "fail", error: STATES_ERRORS.Runtime, cause: `The state '${name}' does not exist.`, prev };
      const outcome = await this.runState(frame, name, state, current, prev);
      if (outcome.t === "fail" && state.Type === "Task") return { ...outcome, openTask: true };
      if (outcome.t !== "next") return outcome;
      if (outcome.next === null) return { t: "ok", output: outcome.output, prev: outcome.prev };
      name = outcome.next;
      current = outcome.output;
      prev = outcome.prev;
    }
  }

  private runState(frame: Frame, name: string, state: State, input: Json, prev: number): Promise<Outcome> {
    switch (state.Type) {
      case "Pass": return this.runPassState(frame, name, state, input, prev);
      case "Task": return this.runTaskState(frame, name, state, input, prev);
      case "Choice": return this.runChoiceState(frame, name, state, input, prev);
      case "Wait": return this.runWaitState(frame, name, state, input, prev);
      case "Succeed": return this.runSucceedState(frame, name, state, input, prev);
      case "Fail": return this.runFailState(frame, name, state, input, prev);
      case "Parallel": return this.runParallelState(frame, name, state, input, prev);
      case "Map": return this.runMapState(frame, name, state, input, prev);
    }
  }

  private entered(type: string, name: string, input: Json, prev: number): number {
    return this.emit(`${type}StateEntered`, prev, "stateEnteredEventDetails", { name, input: payload(input), inputDetails: TRUNCATED_FALSE });
  }

  private exited(type: string, name: string, output: Json, prev: number, frame: Frame, assigned?: Record<string, Json>): number {
    const text = payload(output);
    if (text.length > PAYLOAD_LIMIT / 3 && utf8Length(text) > PAYLOAD_LIMIT) {
      throw new StatesError(STATES_ERRORS.DataLimitExceeded, `The state/task '${name}' returned a result with a size exceeding the maximum number of bytes service limit.`);
    }
    const details: Record<string, unknown> = { name, output: text, outputDetails: TRUNCATED_FALSE };
    if (assigned && Object.keys(assigned).length > 0) {
      details.assignedVariables = assignedVariablesDetails(assigned);
      details.assignedVariablesDetails = TRUNCATED_FALSE;
      Object.assign(frame.variables, assigned);
    }
    return this.emit(`${type}StateExited`, prev, "stateExitedEventDetails", details);
  }

  /**
   * A failure raised while evaluating a state (paths, templates, JSONata): recorded as AWS does
   * (EvaluationFailed for JSONata errors; the cause prefixed with the state and entered event id).
   */
  private evaluationFailure(err: unknown, name: string, enteredId: number, prev: number, evaluationLinksToEntered = false): Failure {
    if (err instanceof Aborted || err instanceof HistoryLimitExceeded) throw err;
    const se = err instanceof StatesError ? err : new StatesError(STATES_ERRORS.Runtime, err instanceof Error ? err.message : String(err));
    const cause = se.fullCause(name, enteredId);
    if (se.error === STATES_ERRORS.QueryEvaluationError) {
      const details: Record<string, unknown> = { error: se.error, cause };
      if (se.location !== undefined) details.location = se.location;
      details.state = name;
      // AWS links EvaluationFailed to the event the state's *StateEntered points at, except
      // for a Wait state's Timestamp/Seconds (evaluated once the wait begins): its Entered event.
      const entered = this.recorder.events[enteredId - 1];
      const link = evaluationLinksToEntered || !entered ? enteredId : entered.previousEventId;
      prev = this.emit("EvaluationFailed", link, "evaluationFailedEventDetails", details);
    }
    return { error: se.error, cause, prev };
  }

  private fail(f: Failure): Outcome {
    return f.cause === undefined ? { t: "fail", error: f.error, prev: f.prev } : { t: "fail", error: f.error, cause: f.cause, prev: f.prev };
  }

  private sleep(frame: Frame, ms: number): Promise<void> {
    return new Promise((resolve, reject) => {
      let unsubscribe = () => {};
      const cancelTimer = this.clock.schedule(ms, () => {
        unsubscribe();
        resolve();
      });
      unsubscribe = frame.cancel.onCancel(() => {
        cancelTimer();
        reject(new Aborted(frame.cancel.reason as AbortReason));
      });
    });
  }

  /** Records `<Type>StateAborted` for a state interrupted by a sibling's failure. */
  private aborted(type: "Task" | "Wait" | "Map" | "Parallel", reason: AbortReason): Outcome {
    if (!reason.silent) this.emit(`${type}StateAborted`, reason.prev);
    return { t: "aborted" };
  }

  // ---- simple states ------------------------------------------------------------------------

  private async runPassState(frame: Frame, name: string, state: PassState, input: Json, prev: number): Promise<Outcome> {
    const enteredTime = this.clock.now();
    const enteredId = this.entered("Pass", name, input, prev);
    try {
      const r = await runPass(state, input, this.env(frame, name, state, enteredTime));
      return { t: "next", next: state.End ? null : (state.Next ?? null), output: r.output, prev: this.exited("Pass", name, r.output, enteredId, frame, r.assigned) };
    } catch (err) {
      return this.fail(this.evaluationFailure(err, name, enteredId, enteredId));
    }
  }

  private async runSucceedState(frame: Frame, name: string, state: SucceedState, input: Json, prev: number): Promise<Outcome> {
    const enteredTime = this.clock.now();
    const enteredId = this.entered("Succeed", name, input, prev);
    try {
      const r = await processPassThrough(state, input, this.env(frame, name, state, enteredTime));
      return { t: "next", next: null, output: r.output, prev: this.exited("Succeed", name, r.output, enteredId, frame, r.assigned) };
    } catch (err) {
      return this.fail(this.evaluationFailure(err, name, enteredId, enteredId));
    }
  }

  private async runFailState(frame: Frame, name: string, state: FailState, input: Json, prev: number): Promise<Outcome> {
    const enteredTime = this.clock.now();
    const enteredId = this.entered("Fail", name, input, prev);
    try {
      const r = await failErrorCause(state, input, this.env(frame, name, state, enteredTime));
      return this.fail({ error: r.error ?? "", cause: r.cause, prev: enteredId });
    } catch (err) {
      return this.fail(this.evaluationFailure(err, name, enteredId, enteredId));
    }
  }

  private async runChoiceState(frame: Frame, name: string, state: ChoiceState, input: Json, prev: number): Promise<Outcome> {
    const enteredTime = this.clock.now();
    const enteredId = this.entered("Choice", name, input, prev);
    try {
      const r = await evaluateChoice(state, input, this.env(frame, name, state, enteredTime));
      if (r.next === null) throw noChoiceMatchedError();
      return { t: "next", next: r.next, output: r.output, prev: this.exited("Choice", name, r.output, enteredId, frame, r.assigned) };
    } catch (err) {
      return this.fail(this.evaluationFailure(err, name, enteredId, enteredId));
    }
  }

  private async runWaitState(frame: Frame, name: string, state: WaitState, input: Json, prev: number): Promise<Outcome> {
    const enteredTime = this.clock.now();
    const enteredId = this.entered("Wait", name, input, prev);
    const env = this.env(frame, name, state, enteredTime);
    let output: Json;
    let assigned: Record<string, Json> | undefined;
    try {
      const target = await waitUntil(state, input, env, enteredTime);
      const r = await processPassThrough(state, input, env);
      output = r.output;
      assigned = r.assigned;
      const ms = target.until - this.clock.now();
      if (ms > 0) await this.sleep(frame, ms);
      else frame.cancel.throwIfCancelled();
    } catch (err) {
      if (err instanceof Aborted) return this.aborted("Wait", err.reason);
      return this.fail(this.evaluationFailure(err, name, enteredId, enteredId, true));
    }
    return { t: "next", next: state.End ? null : (state.Next ?? null), output, prev: this.exited("Wait", name, output, enteredId, frame, assigned) };
  }

  // ---- error handling shared by Task, Parallel and Map ----------------------------------------

  /** After retries are exhausted: the first matching catcher, or the failure propagates. */
  private async catchOrFail(frame: Frame, name: string, state: TaskState | ParallelState | MapState, type: string, input: Json, enteredTime: number, enteredId: number, f: Failure): Promise<Outcome> {
    const index = findCatcher(state.Catch, f.error, { heartbeatTimeout: f.heartbeatTimeout === true });
    if (index < 0) return this.fail(f);
    const catcher = (state.Catch as Catcher[])[index];
    try {
      // A failure without an error name (e.g. SendTaskFailure without one) reaches the catcher as nulls.
      const output = f.error === "" ? { Error: null, Cause: f.cause ?? null } : errorOutput(f.error, f.cause);
      const caught = await processCatch(state, catcher, input, output, this.env(frame, name, state, enteredTime));
      return { t: "next", next: catcher.Next, output: caught.output, prev: this.exited(type, name, caught.output, f.prev, frame, caught.assigned) };
    } catch (err) {
      return this.fail(this.evaluationFailure(err, name, enteredId, f.prev));
    }
  }

  /**
   * After a failed try of a Parallel or Map: waits out the retrier's delay and answers null (try
   * again: a retry goes straight back to <Type>StateStarted), or ends the state through its Catch
   * or as failed (only giving up records <Type>StateFailed, when the state itself failed).
   */
  private async retryOrEnd(
    frame: Frame, name: string, state: ParallelState | MapState, type: "Parallel" | "Map", input: Json, enteredTime: number, enteredId: number,
    counts: number[], f: Failure, stateFailed: boolean,
  ): Promise<Outcome | null> {
    const delay = this.nextRetry(state, counts, f);
    if (delay === null) {
      const failure = stateFailed ? { ...f, prev: this.emit(`${type}StateFailed`, f.prev) } : f;
      return this.catchOrFail(frame, name, state, type, input, enteredTime, enteredId, failure);
    }
    try {
      if (delay > 0) await this.sleep(frame, delay);
    } catch (err) {
      if (err instanceof Aborted) return this.aborted(type, err.reason);
      throw err;
    }
    return null;
  }

  /** The retrier that takes this failure, and the delay before the retry (ms), or null. */
  private nextRetry(state: TaskState | ParallelState | MapState, counts: number[], f: Failure): number | null {
    const index = findRetrier(state.Retry, f.error, { heartbeatTimeout: f.heartbeatTimeout === true });
    if (index < 0) return null;
    const retrier = (state.Retry ?? [])[index];
    if (!canRetry(retrier, counts[index] + 1)) return null;
    // A retry of a state entry whose last attempt recorded no event counts against the quota.
    if (this.lastIdAtRetry.get(counts) === this.recorder.lastId) this.recorder.charge();
    this.lastIdAtRetry.set(counts, this.recorder.lastId);
    counts[index]++;
    return Math.round(retryDelay(retrier, counts[index], this.random) * 1000);
  }

  // ---- Task -----------------------------------------------------------------------------------

  private async runTaskState(frame: Frame, name: string, state: TaskState, input: Json, prev: number): Promise<Outcome> {
    const wait = this.taskGate.acquire();
    if (wait) await wait;
    let gateHeld = true;
    const leaveGate = (): Promise<void> | null => {
      if (!gateHeld) return null;
      gateHeld = false;
      return this.taskGate.leave();
    };
    try {
      if (frame.cancel.reason) return { t: "aborted" };
      return await this.runTaskSteps(frame, name, state, input, prev, leaveGate);
    } finally {
      if (gateHeld) {
        gateHeld = false;
        this.taskGate.release();
      }
    }
  }

  private async runTaskSteps(frame: Frame, name: string, state: TaskState, input: Json, prev: number, scheduled: () => Promise<void> | null): Promise<Outcome> {
    const enteredTime = this.clock.now();
    const enteredId = this.entered("Task", name, input, prev);
    let target = this.resourceCache.get(state);
    if (!target) {
      target = classifyResource(state.Resource);
      this.resourceCache.set(state, target);
    }
    const counts = (state.Retry ?? []).map(() => 0);
    let retryCount = 0;
    let last = enteredId;
    for (;;) {
      let attempt: { ok: true; result: Json; prev: number } | { ok: false; failure: Failure };
      try {
        attempt = await this.taskAttempt(frame, name, state, target, input, enteredTime, enteredId, retryCount, last, scheduled);
      } catch (err) {
        // Failed before scheduling (Parameters, TimeoutSecondsPath, ...): no event of this attempt yet.
        if (err instanceof Aborted) return this.aborted("Task", err.reason);
        attempt = { ok: false, failure: this.evaluationFailure(err, name, enteredId, last) };
      }
      if (attempt.ok) {
        try {
          const r = await processResult(state, input, attempt.result, this.env(frame, name, state, enteredTime, retryCount));
          return { t: "next", next: state.End ? null : (state.Next ?? null), output: r.output, prev: this.exited("Task", name, r.output, attempt.prev, frame, r.assigned) };
        } catch (err) {
          const f = this.evaluationFailure(err, name, enteredId, attempt.prev);
          return this.catchOrFail(frame, name, state, "Task", input, enteredTime, enteredId, f);
        }
      }
      const f = attempt.failure;
      const delay = this.nextRetry(state, counts, f);
      if (delay === null) return this.catchOrFail(frame, name, state, "Task", input, enteredTime, enteredId, f);
      retryCount++;
      last = f.prev;
      try {
        if (delay > 0) await this.sleep(frame, delay);
        else frame.cancel.throwIfCancelled();
      } catch (err) {
        if (err instanceof Aborted) return this.aborted("Task", err.reason);
        throw err;
      }
    }
  }

  /** Leaves the entering step; the task starts once no other thread is inside one (see StepGate). */
  private async afterScheduled(frame: Frame, leave: () => Promise<void> | null): Promise<void> {
    const started = leave();
    if (!started) return;
    await started;
    frame.cancel.throwIfCancelled();
  }

  private newToken(): string {
    const n = ++this.shared.tokenSeq.n;
    return `${this.tokenPrefix}${n}.${Math.floor(this.random() * 0xffffffff).toString(16).padStart(8, "0")}`;
  }

  /** One attempt: Scheduled, Started, (Submitted), then Succeeded / Failed / TimedOut. */
  private async taskAttempt(
    frame: Frame, name: string, state: TaskState, target: TaskResource, input: Json, enteredTime: number, enteredId: number, retryCount: number, prev: number,
    scheduled: () => Promise<void> | null,
  ): Promise<{ ok: true; result: Json; prev: number } | { ok: false; failure: Failure }> {
    if (target.kind === "activity" && this.options.activities && !this.options.activities.includes(target.arn)) {
      throw new StatesError(STATES_ERRORS.Runtime, `The activity ${target.arn} does not exist.`);
    }
    const token = usesTaskToken(target) ? this.newToken() : undefined;
    const env = this.env(frame, name, state, enteredTime, retryCount, token);
    const request = (await prepareInput(state, input, env)).effectiveInput;
    // AWS: States.DataLimitExceeded "when, after Parameters processing, the input of a state is
    // larger than the payload size quota" (a retried task would otherwise record it again and again)
    const requestText = payload(request);
    if (requestText.length > PAYLOAD_LIMIT || (requestText.length > PAYLOAD_LIMIT / 3 && utf8Length(requestText) > PAYLOAD_LIMIT)) {
      throw new StatesError(STATES_ERRORS.DataLimitExceeded, `The state/task '${name}' has an input (after Parameters or Arguments) exceeding the maximum number of bytes service limit.`);
    }
    const timeouts = state.TimeoutSeconds !== undefined || state.TimeoutSecondsPath !== undefined || state.HeartbeatSeconds !== undefined || state.HeartbeatSecondsPath !== undefined
      ? await taskTimeouts(state, input, env)
      : {};
    const credentials = state.Credentials !== undefined ? await taskCredentials(state, input, env) : undefined;
    const roleArn = credentials && typeof credentials === "object" && !Array.isArray(credentials) && typeof credentials.RoleArn === "string" ? credentials.RoleArn : undefined;
    frame.cancel.throwIfCancelled();

    // Scheduled and Started
    let id: number;
    if (target.kind === "lambda") {
      const d: Record<string, unknown> = { resource: target.arn, input: requestText, inputDetails: TRUNCATED_FALSE };
      if (timeouts.timeoutSeconds !== undefined) d.timeoutInSeconds = timeouts.timeoutSeconds;
      if (roleArn !== undefined) d.taskCredentials = { roleArn };
      id = this.emit("LambdaFunctionScheduled", prev, "lambdaFunctionScheduledEventDetails", d);
      await this.afterScheduled(frame, scheduled);
      id = this.emit("LambdaFunctionStarted", id);
    } else if (target.kind === "activity") {
      const d: Record<string, unknown> = { resource: target.arn, input: requestText, inputDetails: TRUNCATED_FALSE };
      if (timeouts.timeoutSeconds !== undefined) d.timeoutInSeconds = timeouts.timeoutSeconds;
      if (timeouts.heartbeatSeconds !== undefined) d.heartbeatInSeconds = timeouts.heartbeatSeconds;
      id = this.emit("ActivityScheduled", prev, "activityScheduledEventDetails", d);
      await this.afterScheduled(frame, scheduled);
    } else {
      const d: Record<string, unknown> = { resourceType: target.resourceType, resource: target.resource, region: this.region, parameters: requestText };
      if (timeouts.timeoutSeconds !== undefined) d.timeoutInSeconds = timeouts.timeoutSeconds;
      if (timeouts.heartbeatSeconds !== undefined) d.heartbeatInSeconds = timeouts.heartbeatSeconds;
      if (roleArn !== undefined) d.taskCredentials = { roleArn };
      id = this.emit("TaskScheduled", prev, "taskScheduledEventDetails", d);
      await this.afterScheduled(frame, scheduled);
      id = this.emit("TaskStarted", id, "taskStartedEventDetails", { resourceType: target.resourceType, resource: target.resource });
    }

    const invocationIndex = this.shared.invocations.get(name) ?? 0;
    this.shared.invocations.set(name, invocationIndex + 1);
    const invocation: TaskInvocation = {
      stateName: name, resource: state.Resource, target, input: request, retryCount, invocationIndex, context: env.context,
      executionArn: this.executionArn, stateMachineName: this.stateMachineName,
    };
    if (token !== undefined) invocation.taskToken = token;

    let outcome: TaskOutcome;
    try {
      const pending = awaitTaskOutcome({ clock: this.clock, tokens: this.shared.tokens, timedOutTokens: this.shared.timedOutTokens, resolver: this.options.taskResolver }, frame.cancel, target, invocation, timeouts, () => {
        if (target.kind === "activity") id = this.emit("ActivityStarted", id, "activityStartedEventDetails", { workerName: "statelens-local" });
      }, (submitted) => {
        if (target.kind === "service") id = this.emit("TaskSubmitted", id, "taskSubmittedEventDetails", { resourceType: target.resourceType, resource: target.resource, output: payload(submitted), outputDetails: TRUNCATED_FALSE });
      });
      outcome = pending instanceof Promise ? await pending : pending;
    } catch (err) {
      // e.g. a mocked state with no response for this invocation: the execution fails after TaskStarted
      if (err instanceof Aborted) throw err;
      return { ok: false, failure: this.evaluationFailure(err, name, enteredId, id) };
    }

    if ("output" in outcome) {
      const out = { output: payload(outcome.output), outputDetails: TRUNCATED_FALSE };
      if (target.kind === "lambda") id = this.emit("LambdaFunctionSucceeded", id, "lambdaFunctionSucceededEventDetails", out);
      else if (target.kind === "activity") id = this.emit("ActivitySucceeded", id, "activitySucceededEventDetails", out);
      else id = this.emit("TaskSucceeded", id, "taskSucceededEventDetails", { resourceType: target.resourceType, resource: target.resource, ...out });
      return { ok: true, result: outcome.output, prev: id };
    }
    const error = "error" in outcome ? outcome.error : STATES_ERRORS.TaskFailed;
    const cause = "error" in outcome ? outcome.cause : undefined;
    const timedOut = error === STATES_ERRORS.Timeout;
    const family = target.kind === "lambda" ? "LambdaFunction" : target.kind === "activity" ? "Activity" : "Task";
    const suffix = timedOut ? "TimedOut" : "Failed";
    const key = `${family === "LambdaFunction" ? "lambdaFunction" : family.toLowerCase()}${suffix}EventDetails`;
    const details = target.kind === "service" ? { resourceType: target.resourceType, resource: target.resource } : {};
    id = this.emit(`${family}${suffix}`, id, key, withCause(details, error === "" ? undefined : error, cause));
    const heartbeatTimeout = "error" in outcome && outcome.heartbeatTimeout === true;
    return { ok: false, failure: heartbeatTimeout ? { error, cause, prev: id, heartbeatTimeout } : { error, cause, prev: id } };
  }

  // ---- Parallel -----------------------------------------------------------------------------

  private async runParallelState(frame: Frame, name: string, state: ParallelState, input: Json, prev: number): Promise<Outcome> {
    const enteredTime = this.clock.now();
    const enteredId = this.entered("Parallel", name, input, prev);
    const counts = (state.Retry ?? []).map(() => 0);
    let last = enteredId;
    let retryCount = 0;
    for (;;) {
      let f: Failure;
      let stateFailed = false;
      try {
        const env = this.env(frame, name, state, enteredTime, retryCount);
        const branchInput = (await prepareInput(state, input, env)).effectiveInput;
        frame.cancel.throwIfCancelled();
        const startedId = this.emit("ParallelStateStarted", last);
        const run = await runChildren(frame, state.Branches.length, 0, () => startedId,
          (i, cancel) => this.runScope({ machine: state.Branches[i], variables: { ...frame.variables }, cancel }, branchInput, startedId), () => startedId,
          { openTaskAborted: (abortPrev) => void this.emit("TaskStateAborted", abortPrev) });
        if (run.t === "aborted") return this.aborted("Parallel", frame.cancel.reason as AbortReason);
        if (run.t === "ok") {
          try {
            const r = await processResult(state, input, run.outputs, env);
            return { t: "next", next: state.End ? null : (state.Next ?? null), output: r.output, prev: this.exited("Parallel", name, r.output, run.prev, frame, r.assigned) };
          } catch (err) {
            f = this.evaluationFailure(err, name, enteredId, run.prev);
          }
        } else {
          f = run.failure;
          stateFailed = true;
        }
      } catch (err) {
        if (err instanceof Aborted) return this.aborted("Parallel", err.reason);
        f = this.evaluationFailure(err, name, enteredId, last);
        stateFailed = f.error === STATES_ERRORS.QueryEvaluationError;
      }
      const end = await this.retryOrEnd(frame, name, state, "Parallel", input, enteredTime, enteredId, counts, f, stateFailed);
      if (end) return end;
      retryCount++;
      last = f.prev;
    }
  }

  // ---- Map ------------------------------------------------------------------------------------

  private get distributedMapHost(): DistributedMapHost {
    return {
      clock: this.clock,
      random: this.random,
      queryLanguage: this.def.QueryLanguage,
      itemSource: this.options.itemSource,
      resultSink: this.options.resultSink,
      emit: (type, prev, key, details) => this.emit(type, prev, key, details),
      mapStarted: (prev, startedId) => void this.mapProgress.set(prev, startedId),
      mapRunArn: (label, runId) => `arn:aws:states:${this.region}:${this.accountId}:mapRun:${this.stateMachineName}/${label}:${runId}`,
      addMapRun: (record) => void this.mapRuns.push(record),
      startChild: (definition, input, name, type, label, mapRunArn) => {
        const child = new Execution({
          ...this.options, definition, input, name, type, mapRunArn,
          stateMachineArn: `${this.stateMachineArn}/${label}`, stateMachineName: `${this.stateMachineName}/${label}`,
          onEvent: undefined, maxHistoryEvents: undefined,
        }, this.shared, this.clock);
        void child.start(); // never rejects: result() settles whatever happens
        return child;
      },
    };
  }

  private async runMapState(frame: Frame, name: string, state: MapState, input: Json, prev: number): Promise<Outcome> {
    const enteredTime = this.clock.now();
    const enteredId = this.entered("Map", name, input, prev);
    const counts = (state.Retry ?? []).map(() => 0);
    let last = enteredId;
    let retryCount = 0;
    const distributed = isDistributedMap(state);
    for (;;) {
      let f: Failure;
      let stateFailed = false;
      try {
        const env = this.env(frame, name, state, enteredTime, retryCount);
        const r = distributed
          ? await runDistributedMap(this.distributedMapHost, frame, name, state, input, env, last)
          : await this.inlineMap(frame, name, state, input, env, last);
        if (r.t === "aborted") return this.aborted("Map", frame.cancel.reason as AbortReason);
        if (r.t === "ok") {
          try {
            const p = await processResult(state, input, r.output, env);
            return { t: "next", next: state.End ? null : (state.Next ?? null), output: p.output, prev: this.exited("Map", name, p.output, r.prev, frame, p.assigned) };
          } catch (err) {
            f = this.evaluationFailure(err, name, enteredId, r.prev);
          }
        } else {
          f = r.failure;
          stateFailed = r.stateFailed;
        }
      } catch (err) {
        if (err instanceof Aborted) return this.aborted("Map", err.reason);
        f = this.evaluationFailure(err, name, enteredId, this.mapProgress.get(last) ?? last);
        stateFailed = f.error === STATES_ERRORS.QueryEvaluationError;
      }
      this.mapProgress.delete(last);
      const end = await this.retryOrEnd(frame, name, state, "Map", input, enteredTime, enteredId, counts, f, stateFailed);
      if (end) return end;
      retryCount++;
      last = f.prev;
    }
  }

  private async inlineMap(frame: Frame, name: string, state: MapState, input: Json, env: EvalEnv, prev: number): Promise<MapRun> {
    const { items } = await mapItems(state, input, env);
    const itemInputs = await mapItemInputs(state, input, items, env);
    const requested = state.MaxConcurrency !== undefined || state.MaxConcurrencyPath !== undefined ? await mapMaxConcurrency(state, input, env) : 0;
    // AWS runs at most 40 iterations of an inline Map at once, whatever MaxConcurrency says.
    const maxConcurrency = requested > 0 ? Math.min(requested, INLINE_MAP_MAX_CONCURRENCY) : INLINE_MAP_MAX_CONCURRENCY;
    frame.cancel.throwIfCancelled();
    const startedId = this.emit("MapStateStarted", prev, "mapStateStartedEventDetails", { length: items.length });
    const processor = itemProcessorOf(state);
    const run = await runChildren(
      frame, itemInputs.length, maxConcurrency,
      (index, startPrev) => this.emit("MapIterationStarted", startPrev, "mapIterationStartedEventDetails", { name, index }),
      (index, cancel, iterStarted) => this.runScope({ machine: processor, variables: { ...frame.variables }, cancel }, itemInputs[index], iterStarted),
      (freedBy) => freedBy ?? startedId,
      {
        succeeded: (index, o) => this.emit("MapIterationSucceeded", o.prev, "mapIterationSucceededEventDetails", { name, index }),
        failed: (index, f) => {
          this.emit("MapIterationFailed", f.prev, "mapIterationFailedEventDetails", { name, index });
        },
        aborted: (index, reason) => {
          if (!reason.silent) this.emit("MapIterationAborted", reason.prev, "mapIterationAbortedEventDetails", { name, index });
        },
        openTaskAborted: (abortPrev) => void this.emit("TaskStateAborted", abortPrev),
      },
    );
    if (run.t === "aborted") return run;
    if (run.t === "fail") return { t: "fail", failure: run.failure, stateFailed: true };
    this.emit("MapStateSucceeded", run.prev);
    return { t: "ok", output: run.outputs, prev: run.prev };
  }
}

/** Starts an execution and returns its handle (the execution runs on the event loop). */
export function startExecution(options: StartExecutionOptions): ExecutionHandle {
  const execution = new Execution(options);
  void execution.start();
  return execution;
}

/** Runs an execution to its end and returns the handle. */
export async function runExecution(options: StartExecutionOptions): Promise<ExecutionHandle> {
  const execution = new Execution(options);
  await execution.start();
  return execution;
}

