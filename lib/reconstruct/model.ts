// The run model: what a definition plus a recorded history say happened, state by state.
// Every value is marked with where it comes from (recorded in the history, computed from the
// definition with lib/asl, or unknown), and every disagreement between the two is a Divergence.
import type { ChoiceExplanation } from "@/lib/asl";
import type { Json } from "@/lib/history";
import type { StateVisitRecord, VisitStatus } from "./visits";

/** Where a value comes from. A recorded value wins over a computed one wherever both exist. */
export type Provenance = "recorded" | "computed" | "unknown";

export interface DataPoint {
  provenance: Provenance;
  /** Absent when unknown. */
  value?: Json;
  /** Why the value is unknown, or what a computed value could not know (e.g. "$$.Execution.Id"). */
  note?: string;
  /** On a recorded value: the definition computes the same (false: it computes another; absent: not checked). */
  verified?: boolean;
}

/** One visit's data flow, step by step (aws-facts §7.1; dataflow.ts in lib/asl). */
export interface DataFlow {
  /** As in *StateEntered. */
  rawInput: DataPoint;
  /** JSONPath: after InputPath. JSONata: the raw input. */
  afterInputPath: DataPoint;
  /** After Parameters/Arguments: a Task's request, each branch's input, a Map's input to its items. */
  effectiveInput: DataPoint;
  /** The Task result, the array of branch/iteration outputs, a Pass state's result. */
  result: DataPoint;
  afterResultSelector: DataPoint;
  afterResultPath: DataPoint;
  /** As in *StateExited. */
  output: DataPoint;
  /** Variables the state (or its catcher, or its Choice rule) assigned. */
  assignedVariables: Record<string, DataPoint>;
}

export type AttemptOutcome = "SUCCEEDED" | "FAILED" | "TIMED_OUT" | "ABORTED" | "RUNNING";

/** One try of a Task, or one run of a Map/Parallel. */
export interface Attempt {
  /** 1 for the first try. */
  number: number;
  /** *Scheduled (Task) or *StateStarted (Map/Parallel). */
  scheduledEventId: number | null;
  scheduledAt: number | null;
  /** *Started (Task only). */
  startedAt: number | null;
  endedEventId: number | null;
  endedAt: number | null;
  outcome: AttemptOutcome;
  /** The request as recorded in *Scheduled (Task only). */
  parameters: DataPoint | null;
  /** The result of a successful try. */
  result: DataPoint | null;
  error: string | null;
  cause: string | null;
  /** A TIMED_OUT try whose heartbeat expired (recorded as States.Timeout; States.HeartbeatTimeout matches it). */
  heartbeatTimeout?: boolean;
  /** The retrier that fired after this try, and the wait before the next one. */
  retry: RetryDecision | null;
}

export interface RetryDecision {
  /** Index in the state's Retry, null when no retrier matches the error. */
  retrierIndex: number | null;
  /** 1 = the first retry by this retrier. */
  retryNumber: number;
  maxAttempts: number | null;
  /** Whether the history shows another try after this one. */
  retried: boolean;
  /** Recorded wait between this try's end and the next try (ms), null when there is none. */
  recordedBackoffMs: number | null;
  /** IntervalSeconds × BackoffRate^(n-1), capped, in ms (the upper bound with FULL jitter). */
  expectedBackoffMs: number | null;
  reason: string;
}

export interface CatchDecision {
  error: string;
  /** Index in the state's Catch, null when no catcher matches. */
  catcherIndex: number | null;
  /** The catcher's Next. */
  next: string | null;
  reason: string;
}

/** A Map iteration, a Parallel branch, or a Distributed Map's map run. */
export interface ChildRun {
  kind: "iteration" | "branch" | "mapRun";
  index: number;
  /** Which run of the Map/Parallel (a retried one runs again). */
  run: number;
  path: string;
  startedEventId: number | null;
  endedEventId: number | null;
  status: VisitStatus;
  input: DataPoint;
  output: DataPoint;
  /** The map run's ARN (kind mapRun). */
  mapRunArn?: string;
  visits: VisitNode[];
}

export interface VisitNode extends StateVisitRecord {
  /** JSON Pointer of the state in the definition; null when the definition has no such state. */
  definitionPointer: string | null;
  attemptList: Attempt[];
  catch: CatchDecision | null;
  choice: ChoiceExplanation | null;
  dataFlow: DataFlow;
  /** The state the definition says comes next ("" when the state ends its scope, null when unknown). */
  expectedNext: string | null;
  /** The state the history shows next in the same scope, null when none. */
  recordedNext: string | null;
  children: ChildRun[];
}

export type DivergenceKind =
  /** A state entered that the definition does not allow after the previous one. */
  | "transition"
  /** A Choice went to another rule's target than its rules select. */
  | "choice"
  /** Caught by no matching catcher, a wrong catcher's Next, or an uncaught error a catcher matches. */
  | "catch"
  /** A retry with no matching retrier, beyond MaxAttempts, or a matching retrier not used. */
  | "retry"
  /** A state input that is not the previous output (or the iteration/branch input). */
  | "input"
  /** A Task request that is not the input after InputPath and Parameters/Arguments. */
  | "parameters"
  /** A state or execution output that is not what the definition computes. */
  | "output"
  | "variables"
  /** A failure's error or cause that is not what the definition computes. */
  | "error"
  /** A Map's item count, or the number of branches, that is not what the definition computes. */
  | "items"
  | "missing-event"
  | "extra-event"
  /** A state the definition does not have (anywhere, or in this scope). */
  | "unknown-state"
  /** A state of another type in the history than in the definition. */
  | "state-type"
  /** A Task calling another resource than the definition's. */
  | "resource"
  /** The history was recorded against another version of the definition. */
  | "definition-drift";

export interface Divergence {
  /** The event where the record disagrees (0 when the disagreement is an absence at the start). */
  eventId: number;
  kind: DivergenceKind;
  message: string;
  recorded?: Json;
  computed?: Json;
  /** The state (and iteration/branch path) concerned. */
  state?: string;
  path?: string;
}

export interface ExpressBilling {
  durationMs: number;
  /** Rounded up to the next 100 ms. */
  billedDurationMs: number;
  /** 50 MB + definition size + execution data size × Map/Parallel steps, in MB (estimate). */
  memoryEstimateMb: number;
  /** Rounded up to 64 MB chunks. */
  billedMemoryMb: number;
}

/** What AWS bills for this execution (aws-facts §1): counts, never prices. */
export interface BillingFacts {
  type: "STANDARD" | "EXPRESS" | "UNKNOWN";
  /** Each state entered + each retry + each redrive (+ each Distributed Map child started). Standard only. */
  stateTransitions: number;
  statesEntered: number;
  retries: number;
  /** Children started by Distributed Maps (each one transition in the parent). */
  mapRunChildren: number;
  /** Redrives of the execution (each one transition; the states they re-run count as entered). */
  redrives: number;
  express: ExpressBilling | null;
}

export interface ExecutionNode {
  status: "RUNNING" | "SUCCEEDED" | "FAILED" | "ABORTED" | "TIMED_OUT";
  startedAt: number | null;
  stoppedAt: number | null;
  input: DataPoint;
  output: DataPoint;
  error: string | null;
  cause: string | null;
  eventCount: number;
}

export interface RunModel {
  execution: ExecutionNode;
  /**
   * The record does not start at event 1 (one page of a longer history, or a log filtered by
   * level): only what each state shows by itself is checked (outputs, requests, variables, the
   * states and resources named), not transitions, inputs, retries or missing events.
   */
  partial: boolean;
  /** The top-level visits in entry order; Map/Parallel visits hold their children. */
  visits: VisitNode[];
  /** Every visit, indexed by seq (the same objects as in the tree). */
  allVisits: VisitNode[];
  divergences: Divergence[];
  /** Set when the history was recorded against another version of the definition. */
  drift: { eventId: number; state: string | null; message: string } | null;
  billing: BillingFacts;
}
