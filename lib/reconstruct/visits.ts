// State visits from a history alone (no definition): one record per state entered, with its
// enclosing Map/Parallel visit, its iteration/branch path, its times, status and attempts.
//
// A history is a causal tree (previousEventId points at the cause, not at id - 1), so every event
// is attributed to the visit of the event that caused it, then adjusted by type: lifecycle events
// of a Map or Parallel (which may point at the last inner event) climb to the nearest container
// still running; *StateAborted events (which point at the failure that caused them, often in
// another iteration or branch) abort the earliest open visit of their type under that container
// other than the one that failed (a Task waiting to retry, or still running); the failing visit
// itself only when no other is open (AWS aborts the failing Task of a Parallel branch too).
// One pass over the events, O(events x nesting depth).
import type { HistoryEvent } from "@/lib/history";

export type StateType = "Task" | "Pass" | "Choice" | "Wait" | "Succeed" | "Fail" | "Parallel" | "Map";
export type VisitStatus = "SUCCEEDED" | "FAILED" | "CAUGHT" | "ABORTED" | "RUNNING";

export interface StateVisitRecord {
  /** 0-based order in which states were entered. */
  seq: number;
  /** The enclosing Map or Parallel visit, null at the top level. */
  parentSeq: number | null;
  /** Iteration/branch path, e.g. "Process items[3]" or "Resize[1]/Inner[0]"; "" at the top level. */
  path: string;
  stateName: string;
  stateType: StateType;
  enteredEventId: number;
  /** The event that ended the visit: *StateExited, *StateAborted, or the failure that ended it. */
  exitedEventId: number | null;
  enteredAt: number;
  exitedAt: number | null;
  status: VisitStatus;
  /** Tries of a Task (each *Scheduled), runs of a Map/Parallel (each *StateStarted); 1 otherwise. */
  attempts: number;
  error: string | null;
  cause: string | null;
}

const STATE_TYPES: readonly StateType[] = ["Task", "Pass", "Choice", "Wait", "Succeed", "Fail", "Parallel", "Map"];
const ENTERED_TYPE = new Map<string, StateType>(STATE_TYPES.map((t) => [`${t}StateEntered`, t]));
const EXITED_TYPE = new Map<string, StateType>(STATE_TYPES.map((t) => [`${t}StateExited`, t]));
const ABORTED_TYPE = new Map<string, StateType>([
  ["TaskStateAborted", "Task"], ["WaitStateAborted", "Wait"], ["MapStateAborted", "Map"], ["ParallelStateAborted", "Parallel"],
]);

/** Events that begin one try of a Task. */
export const ATTEMPT_START_EVENTS: ReadonlySet<string> = new Set(["TaskScheduled", "LambdaFunctionScheduled", "ActivityScheduled"]);
/** Events that end one try of a Task with a result. */
export const ATTEMPT_SUCCESS_EVENTS: ReadonlySet<string> = new Set(["TaskSucceeded", "LambdaFunctionSucceeded", "ActivitySucceeded"]);
/** Events that end one try of a Task with an error, and the details member holding it. */
export const ATTEMPT_FAILURE_EVENTS: ReadonlyMap<string, string> = new Map([
  ["TaskFailed", "taskFailedEventDetails"],
  ["TaskTimedOut", "taskTimedOutEventDetails"],
  ["TaskStartFailed", "taskStartFailedEventDetails"],
  ["TaskSubmitFailed", "taskSubmitFailedEventDetails"],
  ["LambdaFunctionFailed", "lambdaFunctionFailedEventDetails"],
  ["LambdaFunctionTimedOut", "lambdaFunctionTimedOutEventDetails"],
  ["LambdaFunctionStartFailed", "lambdaFunctionStartFailedEventDetails"],
  ["LambdaFunctionScheduleFailed", "lambdaFunctionScheduleFailedEventDetails"],
  ["ActivityFailed", "activityFailedEventDetails"],
  ["ActivityTimedOut", "activityTimedOutEventDetails"],
  ["ActivityScheduleFailed", "activityScheduleFailedEventDetails"],
]);
const TASK_PROGRESS_EVENTS: ReadonlySet<string> = new Set(["TaskStarted", "TaskSubmitted", "LambdaFunctionStarted", "ActivityStarted"]);

/** The error a failure event carries; a timeout without one is States.Timeout. */
export function failureOf(event: HistoryEvent): { error: string | null; cause: string | null } | null {
  const member = ATTEMPT_FAILURE_EVENTS.get(event.type) ?? (event.type === "EvaluationFailed" ? "evaluationFailedEventDetails" : event.type === "MapRunFailed" ? "mapRunFailedEventDetails" : null);
  if (!member) return null;
  const details = (event as Record<string, unknown>)[member] as { error?: unknown; cause?: unknown } | undefined;
  const error = textOf(details?.error) ?? (event.type.endsWith("TimedOut") ? "States.Timeout" : null);
  return { error, cause: textOf(details?.cause) };
}

/** An error or cause as text (AWS records text; some tools hand over the parsed JSON). */
export function textOf(value: unknown): string | null {
  if (value === undefined || value === null) return null;
  return typeof value === "string" ? value : JSON.stringify(value);
}

/** Where visits live: the execution, one Map iteration, or one Parallel branch. */
export interface TraceScope {
  id: number;
  kind: "execution" | "iteration" | "branch";
  /** The Map or Parallel visit (null for the execution). */
  parentSeq: number | null;
  /** Iteration index (MapIterationStarted.index) or branch number in order of start. */
  index: number;
  /** Which run of the container (a retried Map/Parallel runs again): 1, 2, ... */
  run: number;
  path: string;
  /** MapIterationStarted, or the ParallelStateStarted the branch began from. */
  startedEventId: number | null;
  /** MapIterationSucceeded/Failed/Aborted (iterations only). */
  endedEventId: number | null;
  endedType: string | null;
  /** Visits in entry order. */
  visits: number[];
}

export interface ExecutionOutcome {
  status: "RUNNING" | "SUCCEEDED" | "FAILED" | "ABORTED" | "TIMED_OUT";
  error: string | null;
  cause: string | null;
  /** The event that ended the execution (0 while running). */
  eventId: number;
  at: number;
}

/** The history attributed: visits, the scopes they live in, and each event's owner. */
export interface HistoryTrace {
  visits: StateVisitRecord[];
  scopes: TraceScope[];
  /** The scope each visit lives in. */
  visitScope: number[];
  /** Per visit, the indexes (into `events`) of its events after *StateEntered, in order. */
  eventsOf: number[][];
  /** Indexes of events attributed to no visit (execution events, and any event that fits nowhere). */
  executionEvents: number[];
  execution: ExecutionOutcome;
}

interface Working extends StateVisitRecord {
  /** Still able to emit lifecycle events (not exited, aborted, or ended by an uncaught failure). */
  live: boolean;
  /** Exited or aborted. */
  closed: boolean;
  /** The last try (or run) ended in an error. */
  lastFailed: boolean;
  attemptOpen: boolean;
  aborted: boolean;
  /**
   * Aborted while waiting to retry: its last try failed before the failure elsewhere that caused
   * the abort (had that try's failure been final, it would have been the cause).
   */
  abortedWaitingToRetry: boolean;
  /** A Task whose last try succeeded and which has not exited yet. */
  resultIn: boolean;
  scope: number;
  branchesStarted: number;
  runsStarted: number;
}

/** Ids are 1..n in every real history; a sparse numbering falls back to a Map. */
function makeIdTable(events: readonly HistoryEvent[]): { get(id: number): number; set(id: number, v: number): void } {
  const maxId = events.length ? events[events.length - 1].id : 0;
  if (maxId <= events.length * 4 + 1024) {
    const arr = new Int32Array(maxId + 2).fill(-1);
    return { get: (id) => (id >= 0 && id < arr.length ? arr[id] : -1), set: (id, v) => { if (id >= 0 && id < arr.length) arr[id] = v; } };
  }
  const map = new Map<number, number>();
  return { get: (id) => map.get(id) ?? -1, set: (id, v) => void map.set(id, v) };
}

/** Extracts one record per state entered. `events` must be sorted by id (parseHistoryDocument does so). */
export function extractStateVisits(events: readonly HistoryEvent[]): StateVisitRecord[] {
  return traceHistory(events).visits;
}

/** Attributes every event to a visit and every visit to a scope. `events` sorted by id. */
export function traceHistory(events: readonly HistoryEvent[]): HistoryTrace {
  const visits: Working[] = [];
  const scopes: TraceScope[] = [{ id: 0, kind: "execution", parentSeq: null, index: 0, run: 1, path: "", startedEventId: null, endedEventId: null, endedType: null, visits: [] }];
  const eventsOf: number[][] = [];
  const executionEvents: number[] = [];
  const iterationScope = new Map<number, Map<number, number>>(); // map seq -> index -> latest scope
  const visitOf = makeIdTable(events); // event id -> visit seq (-1: execution level)
  const scopeOf = makeIdTable(events); // event id -> scope a *StateEntered caused by it lives in
  const indexOf = makeIdTable(events); // event id -> index in events
  const unclosed = new Set<number>(); // insertion order = entry order
  let execution: ExecutionOutcome = { status: "RUNNING", error: null, cause: null, eventId: 0, at: 0 };

  const up = (start: number, accept: (v: Working) => boolean): number => {
    for (let v = start; v >= 0; v = visits[v].parentSeq ?? -1) if (accept(visits[v])) return v;
    return -1;
  };
  const isDescendant = (v: number, ancestor: number): boolean => {
    for (let p = visits[v].parentSeq; p !== null; p = visits[p].parentSeq) if (p === ancestor) return true;
    return false;
  };
  const close = (v: Working, event: HistoryEvent) => {
    v.live = false;
    v.closed = true;
    v.exitedEventId = event.id;
    v.exitedAt = event.timestamp;
    unclosed.delete(v.seq);
  };
  const endWithFailure = (v: Working, event: HistoryEvent, error: string | null, cause: string | null) => {
    v.lastFailed = true;
    v.live = false;
    v.attemptOpen = false;
    v.error = error;
    v.cause = cause;
    v.exitedEventId = event.id;
    v.exitedAt = event.timestamp;
    // A container's failure has no error of its own in the history: it carries its child's.
    const parent = v.parentSeq === null ? null : visits[v.parentSeq];
    if (parent && parent.live && error !== null) {
      parent.error = error;
      parent.cause = cause;
    }
  };

  for (let ei = 0; ei < events.length; ei++) {
    const e = events[ei];
    indexOf.set(e.id, ei);
    const pv = e.previousEventId === 0 ? -1 : visitOf.get(e.previousEventId);
    const pScope = e.previousEventId === 0 ? 0 : Math.max(0, scopeOf.get(e.previousEventId));
    let owner = pv;
    let scope = pv >= 0 ? visits[pv].scope : pScope;

    const enteredType = ENTERED_TYPE.get(e.type);
    if (enteredType !== undefined) {
      const causeIndex = e.previousEventId === 0 ? -1 : indexOf.get(e.previousEventId);
      const causeType = causeIndex >= 0 ? events[causeIndex].type : undefined;
      const cause = pv >= 0 ? visits[pv] : null;
      if (causeType === "ParallelStateStarted" && cause) {
        const index = cause.branchesStarted++;
        scope = scopes.length;
        scopes.push({
          id: scope, kind: "branch", parentSeq: cause.seq, index, run: cause.attempts, path: joinPath(cause.path, `${cause.stateName}[${index}]`),
          startedEventId: e.previousEventId, endedEventId: null, endedType: null, visits: [],
        });
      } else if (causeType === "MapIterationStarted") {
        scope = pScope;
      }
      const seq = visits.length;
      const details = e.stateEnteredEventDetails;
      visits.push({
        seq, parentSeq: scopes[scope].parentSeq, path: scopes[scope].path, stateName: details?.name ?? "", stateType: enteredType,
        enteredEventId: e.id, exitedEventId: null, enteredAt: e.timestamp, exitedAt: null, status: "RUNNING",
        attempts: 1, error: null, cause: null, live: true, closed: false, lastFailed: false, attemptOpen: false, aborted: false, abortedWaitingToRetry: false, resultIn: false, scope, branchesStarted: 0, runsStarted: 0,
      });
      unclosed.add(seq);
      eventsOf.push([]);
      scopes[scope].visits.push(seq);
      if (enteredType === "Fail") {
        const v = visits[seq];
        v.exitedEventId = e.id;
        v.exitedAt = e.timestamp;
        v.lastFailed = true;
        v.live = false;
      }
      visitOf.set(e.id, seq);
      scopeOf.set(e.id, scope);
      continue;
    }

    const exitedType = EXITED_TYPE.get(e.type);
    const abortedType = ABORTED_TYPE.get(e.type);
    if (exitedType !== undefined) {
      const name = e.stateExitedEventDetails?.name;
      owner = up(pv, (v) => v.stateType === exitedType && !v.closed && (name === undefined || v.stateName === name));
      if (owner < 0) owner = latestUnclosed(visits, unclosed, (v) => v.stateType === exitedType && (name === undefined || v.stateName === name));
      if (owner >= 0) close(visits[owner], e);
    } else if (abortedType !== undefined) {
      // The visit whose failure this abort points at is the cause: abort another open visit
      // (a Task waiting to retry or still running, in a sibling branch or iteration) first.
      const endedBy = (v: Working) => v.lastFailed && !v.live && v.exitedEventId === e.previousEventId;
      const direct = up(pv, (v) => v.stateType === abortedType && !v.closed);
      owner = direct >= 0 && !endedBy(visits[direct]) ? direct : -1;
      const container = owner < 0 ? up(pv, (v) => v.live && (v.stateType === "Map" || v.stateType === "Parallel")) : -1;
      if (owner < 0 && (direct < 0 || container >= 0)) {
        let done = -1; // a Task whose result is in is about to exit rather than be aborted
        for (const s of unclosed) {
          const v = visits[s];
          if (s === direct || v.stateType !== abortedType || (container >= 0 && !isDescendant(s, container))) continue;
          if (v.resultIn) {
            if (done < 0) done = s;
            continue;
          }
          owner = s;
          break;
        }
        if (owner < 0) owner = done;
      }
      if (owner < 0) owner = direct;
      if (owner >= 0) {
        const v = visits[owner];
        v.aborted = true;
        v.abortedWaitingToRetry = v.lastFailed && !v.live && v.exitedEventId !== null && v.exitedEventId < e.previousEventId;
        close(v, e);
      }
    } else if (ATTEMPT_START_EVENTS.has(e.type)) {
      owner = up(pv, (v) => v.stateType === "Task" && !v.closed);
      if (owner >= 0) {
        const v = visits[owner];
        if (v.attemptOpen || v.lastFailed) v.attempts++;
        v.attemptOpen = true;
        v.resultIn = false;
        v.lastFailed = false;
        v.live = true;
        v.error = v.cause = null;
      }
    } else if (ATTEMPT_FAILURE_EVENTS.has(e.type)) {
      owner = up(pv, (v) => v.stateType === "Task" && !v.closed);
      if (owner >= 0) {
        const v = visits[owner];
        if (!v.attemptOpen && v.lastFailed) v.attempts++; // a try that failed before any *Scheduled
        const f = failureOf(e);
        endWithFailure(v, e, f?.error ?? null, f?.cause ?? null);
      }
    } else if (ATTEMPT_SUCCESS_EVENTS.has(e.type) || TASK_PROGRESS_EVENTS.has(e.type)) {
      owner = up(pv, (v) => v.stateType === "Task" && !v.closed);
      if (owner >= 0 && ATTEMPT_SUCCESS_EVENTS.has(e.type)) {
        visits[owner].attemptOpen = false;
        visits[owner].resultIn = true;
      }
    } else if (e.type === "EvaluationFailed") {
      const name = e.evaluationFailedEventDetails?.state;
      owner = up(pv, (v) => !v.closed && (name === undefined || v.stateName === name));
      // AWS records EvaluationFailed with previousEventId 0: find the state by name.
      if (owner < 0 && name !== undefined) owner = latestUnclosed(visits, unclosed, (v) => v.stateName === name);
      if (owner >= 0) {
        const f = failureOf(e);
        endWithFailure(visits[owner], e, f?.error ?? null, f?.cause ?? null);
      }
    } else if (e.type === "MapStateStarted" || e.type === "ParallelStateStarted") {
      const type: StateType = e.type === "MapStateStarted" ? "Map" : "Parallel";
      owner = up(pv, (v) => v.stateType === type && !v.closed);
      if (owner >= 0) {
        const v = visits[owner];
        // A retry re-emits *StateStarted without re-entering (and without *StateFailed before it).
        if (v.runsStarted++ > 0) v.attempts++;
        v.lastFailed = false;
        v.live = true;
        v.error = v.cause = null;
        v.branchesStarted = 0;
      }
    } else if (e.type.startsWith("MapIteration")) {
      const name = e.mapIterationStartedEventDetails?.name ?? e.mapIterationSucceededEventDetails?.name ?? e.mapIterationFailedEventDetails?.name ?? e.mapIterationAbortedEventDetails?.name;
      owner = up(pv, (v) => v.stateType === "Map" && v.live && (name === undefined || v.stateName === name));
      if (owner >= 0 && e.type === "MapIterationStarted") {
        const v = visits[owner];
        const index = e.mapIterationStartedEventDetails?.index ?? 0;
        const id = scopes.length;
        scopes.push({
          id, kind: "iteration", parentSeq: owner, index, run: v.attempts, path: joinPath(v.path, `${v.stateName}[${index}]`),
          startedEventId: e.id, endedEventId: null, endedType: null, visits: [],
        });
        let byIndex = iterationScope.get(owner);
        if (!byIndex) iterationScope.set(owner, (byIndex = new Map()));
        byIndex.set(index, id);
        eventsOf[owner].push(ei);
        visitOf.set(e.id, owner);
        scopeOf.set(e.id, id);
        continue;
      }
      if (owner >= 0) {
        const index = (e.mapIterationSucceededEventDetails ?? e.mapIterationFailedEventDetails ?? e.mapIterationAbortedEventDetails)?.index;
        const id = iterationScope.get(owner)?.get(index ?? -1);
        if (id !== undefined && scopes[id].endedEventId === null) {
          scopes[id].endedEventId = e.id;
          scopes[id].endedType = e.type;
        }
      }
    } else if (e.type.startsWith("MapState") || e.type.startsWith("MapRun")) {
      owner = up(pv, (v) => v.stateType === "Map" && v.live);
      // A Map that failed evaluating its own fields (EvaluationFailed) is no longer live.
      if (owner < 0 && e.type === "MapStateFailed") owner = up(pv, (v) => v.stateType === "Map" && !v.closed);
      if (owner >= 0 && (e.type === "MapStateFailed" || e.type === "MapRunFailed")) {
        const v = visits[owner];
        const f = failureOf(e);
        endWithFailure(v, e, f?.error ?? v.error, f?.cause ?? v.cause);
        if (e.type === "MapRunFailed") v.live = true; // MapStateFailed follows
      }
    } else if (e.type.startsWith("ParallelState")) {
      owner = up(pv, (v) => v.stateType === "Parallel" && v.live);
      if (owner < 0 && e.type === "ParallelStateFailed") owner = up(pv, (v) => v.stateType === "Parallel" && !v.closed);
      if (owner >= 0 && e.type === "ParallelStateFailed") {
        const v = visits[owner];
        endWithFailure(v, e, v.error, v.cause);
      }
    } else if (e.type === "ExecutionSucceeded") {
      execution = { status: "SUCCEEDED", error: null, cause: null, eventId: e.id, at: e.timestamp };
    } else if (e.type === "ExecutionFailed") {
      execution = { status: "FAILED", error: textOf(e.executionFailedEventDetails?.error), cause: textOf(e.executionFailedEventDetails?.cause), eventId: e.id, at: e.timestamp };
    } else if (e.type === "ExecutionTimedOut") {
      execution = { status: "TIMED_OUT", error: textOf(e.executionTimedOutEventDetails?.error) ?? "States.Timeout", cause: textOf(e.executionTimedOutEventDetails?.cause), eventId: e.id, at: e.timestamp };
    } else if (e.type === "ExecutionAborted") {
      execution = { status: "ABORTED", error: textOf(e.executionAbortedEventDetails?.error), cause: textOf(e.executionAbortedEventDetails?.cause), eventId: e.id, at: e.timestamp };
    } else if (e.type === "ExecutionRedriven") {
      execution = { status: "RUNNING", error: null, cause: null, eventId: 0, at: 0 };
    }
    if (owner >= 0) {
      scope = visits[owner].scope;
      eventsOf[owner].push(ei);
    } else executionEvents.push(ei);
    visitOf.set(e.id, owner);
    scopeOf.set(e.id, scope);
  }

  return {
    visits: visits.map((v) => finish(v, execution, mayStillRun(v, visits, scopes, execution))),
    scopes,
    visitScope: visits.map((v) => v.scope),
    eventsOf,
    executionEvents,
    execution,
  };
}

function latestUnclosed(visits: Working[], unclosed: Set<number>, accept: (v: Working) => boolean): number {
  let found = -1;
  for (const s of unclosed) if (accept(visits[s])) found = s;
  return found;
}

function joinPath(parent: string, segment: string): string {
  return parent === "" ? segment : `${parent}/${segment}`;
}

/**
 * A Task whose try failed in a running execution may still be retried or caught: the record ends
 * before AWS decided. Not so when its iteration already failed or its container finished.
 */
function mayStillRun(v: Working, visits: Working[], scopes: TraceScope[], execution: ExecutionOutcome): boolean {
  if (execution.status !== "RUNNING" || v.closed || v.stateType === "Fail" || !v.lastFailed) return false;
  if (scopes[v.scope].endedEventId !== null) return false;
  for (let p = v.parentSeq; p !== null; p = visits[p].parentSeq) if (!visits[p].live) return false;
  return true;
}

function finish(v: Working, execution: ExecutionOutcome, mayRun: boolean): StateVisitRecord {
  let status: VisitStatus;
  let { error, cause, exitedEventId, exitedAt } = v;
  if (v.closed) {
    // Aborted after its own failure (a failing Task in a Parallel branch, or one that failed after
    // the failure elsewhere that aborts it): it failed. Aborted while waiting to retry after a try
    // that failed before that failure: it was aborted, the retry never came.
    status = v.lastFailed ? (v.aborted ? (v.abortedWaitingToRetry ? "ABORTED" : "FAILED") : "CAUGHT") : v.aborted ? "ABORTED" : "SUCCEEDED";
    if (status === "ABORTED") error = cause = null;
  } else if (mayRun) {
    status = "RUNNING";
  } else if (v.stateType === "Fail" || v.lastFailed) {
    status = "FAILED";
    if (error === null && execution.status === "FAILED" && v.stateType !== "Fail") ({ error, cause } = execution);
  } else if (execution.status === "RUNNING") {
    status = "RUNNING";
  } else if (execution.status === "SUCCEEDED") {
    // Only a damaged record loses a state's *StateExited in an execution that succeeded.
    status = "SUCCEEDED";
  } else {
    status = execution.status === "FAILED" ? "FAILED" : "ABORTED";
    ({ error, cause } = execution);
    exitedEventId = execution.eventId;
    exitedAt = execution.at;
  }
  if (status === "SUCCEEDED") {
    error = null;
    cause = null;
  }
  return {
    seq: v.seq, parentSeq: v.parentSeq, path: v.path, stateName: v.stateName, stateType: v.stateType,
    enteredEventId: v.enteredEventId, exitedEventId, enteredAt: v.enteredAt, exitedAt, status,
    attempts: v.attempts, error, cause,
  };
}
