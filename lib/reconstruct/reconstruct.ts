// definition + history -> run model. Walks each scope of the definition (the execution, every Map
// iteration, every Parallel branch) along the visits the history recorded in that scope, and at
// each visit asks lib/asl what the definition says should have happened: the input after
// InputPath/Parameters, the output after ResultSelector/ResultPath/OutputPath, the Choice taken,
// the retrier and catcher that apply, the next state. What the history recorded wins; what it
// did not record is computed where possible and unknown otherwise; every disagreement is a
// Divergence. ASL semantics live in lib/asl only: this file never interprets a field itself.
import {
  childScopes, effectiveQueryLanguage, errorOutput, evaluateChoice, failErrorCause, findCatcher, findRetrier,
  isDistributedMap, isStatesError, mapItemInputs, mapItems, batchItems, nextStateName, parseDefinition, prepareInput,
  processCatch, processPassThrough, processResult, rootScope, runPass, stateAt, STATES_ERRORS,
  type Catcher, type ChoiceExplanation, type EvalEnv, type MapState, type ParallelState, type Retrier,
  type Scope as AslScope, type State, type StateMachineDefinition, type TaskState, pointerToken, noChoiceMatchedError, StatesError, planRetry,
} from "@/lib/asl";
import type { HistoryEvent, Json } from "@/lib/history";
import { containsUnknown, displayUnknowns, fillUnknowns, firstDifference, jsonEquals, scanUnknowns, unknownMarker, unknownsIn } from "./compare";
import { contextObject, type ContextBase, type ExecutionFacts } from "./context";
import type {
  Attempt, ChildRun, DataFlow, DataPoint, Divergence, DivergenceKind, RunModel, VisitNode,
} from "./model";
import { billingFacts } from "./billing";
import {
  ATTEMPT_FAILURE_EVENTS, ATTEMPT_START_EVENTS, ATTEMPT_SUCCESS_EVENTS, failureOf, traceHistory,
  type HistoryTrace, type TraceScope,
} from "./visits";

export interface ReconstructOptions {
  /** What is known about the execution beyond its history (fills the context object, billing type). */
  execution?: ExecutionFacts;
  /** The definition's text, for the Express memory estimate (its size); default its JSON. */
  definitionText?: string;
}

const UNKNOWN: DataPoint = { provenance: "unknown" };
const recorded = (value: Json): DataPoint => ({ provenance: "recorded", value });
const computedPoint = (value: Json): DataPoint => {
  const unknowns = scanUnknowns(value);
  if (unknowns === "broken") return { provenance: "unknown", note: "computed from values the history does not hold" };
  if (unknowns === "none") return { provenance: "computed", value };
  return { provenance: "computed", value, note: `depends on what the history does not hold: ${[...unknownsIn(value)].join(", ")}` };
};
const known = (p: DataPoint): p is DataPoint & { value: Json } => p.provenance !== "unknown" && p.value !== undefined;
/** The recorded value where there is one, else the computed one. */
const best = (rec: DataPoint, comp: DataPoint): DataPoint => (known(rec) ? rec : comp);

/** What a partial record (not starting at event 1) can still be judged on: each state by itself. */
const SELF_CONTAINED_KINDS: ReadonlySet<DivergenceKind> = new Set(["output", "parameters", "variables", "unknown-state", "state-type", "resource", "definition-drift"]);

/** Kinds that show the history follows another definition rather than a damaged record. */
const DRIFT_KINDS: ReadonlySet<DivergenceKind> = new Set(["unknown-state", "state-type", "resource", "transition"]);
const STRUCTURE_EVENTS = /^(Execution|Map|Parallel|Task|Lambda|Activity|Choice|Pass|Wait|Succeed|Fail|Evaluation)/;

/** A payload field of an event: recorded, or unknown (not included, truncated, or not JSON). */
export function payloadOf(text: string | undefined, details?: { truncated?: boolean }): DataPoint {
  if (text === undefined || text === null) return { provenance: "unknown", note: "not recorded (execution data not included)" };
  if (details?.truncated) return { provenance: "unknown", note: "truncated in the record" };
  try {
    return recorded(JSON.parse(text) as Json);
  } catch {
    return { provenance: "unknown", note: "the record holds text that is not JSON" };
  }
}

/** `heartbeatTimeout`: a Task's States.Timeout from a missed heartbeat (its retriers and catchers may name States.HeartbeatTimeout). */
type Failure = { error: string | null; cause: string | null; heartbeatTimeout?: boolean };

interface ScopeOutcome {
  /** "succeeded": the scope reached its end; "failed": a state failed uncaught; "open": neither. */
  ended: "succeeded" | "failed" | "open";
  output: DataPoint;
  failure: Failure | null;
}

interface Expectation {
  /** The state the definition says comes next; "" = the scope ends; null = unknown. */
  next: string | null;
  /** Every state the definition allows next (any of them when null). */
  allowed: ReadonlySet<string> | null;
  from: VisitNode | null;
  why: string;
}

type AslResult<T> = { ok: true; value: T } | { ok: false; error: StatesError | null; message: string };

async function tryAsl<T>(f: () => Promise<T> | T): Promise<AslResult<T>> {
  try {
    return { ok: true, value: await f() };
  } catch (err) {
    if (isStatesError(err)) return { ok: false, error: err, message: err.message };
    return { ok: false, error: null, message: err instanceof Error ? err.message : String(err) };
  }
}

type Computed = { output?: Json; assigned?: Record<string, Json> };
interface Outcome {
  computed: Computed | null;
  failure: Failure | null;
  catcherNext: string | null;
}
const NO_OUTCOME: Outcome = { computed: null, failure: null, catcherNext: null };
/** Randomness is never replayed: values that depend on it are not compared (see usesNondeterminism). */
const HALF = () => 0.5;
const NOTHING: ReadonlySet<string> = new Set();
const allowedCache = new WeakMap<object, ReadonlySet<string>>();
function startOf(machine: { StartAt: string }): ReadonlySet<string> {
  let set = allowedCache.get(machine);
  if (!set) allowedCache.set(machine, (set = new Set([machine.StartAt])));
  return set;
}

/** The states the definition allows after `state` by `kind` (its catchers' or its Choice's targets, or Next). */
function allowedAfter(state: State, kind: "catch" | "choice" | "next"): ReadonlySet<string> {
  const key = kind === "catch" ? ("Catch" in state ? (state.Catch ?? state) : state) : kind === "choice" && state.Type === "Choice" ? state.Choices : state;
  let set = allowedCache.get(key);
  if (!set) {
    if (kind === "catch") set = new Set(("Catch" in state ? (state.Catch ?? []) : []).map((c: Catcher) => c.Next));
    else if (kind === "choice" && state.Type === "Choice") set = new Set([...state.Choices.map((c) => c.Next), ...(state.Default ? [state.Default] : [])]);
    else {
      const next = nextStateName(state);
      set = next === null ? NOTHING : new Set([next]);
    }
    allowedCache.set(key, set);
  }
  return set;
}

/** Reconstructs a run from a definition (parsed, JSON text or object) and its recorded history. */
export async function reconstructRun(
  definition: StateMachineDefinition | string | Json,
  events: readonly HistoryEvent[],
  options: ReconstructOptions = {},
): Promise<RunModel> {
  const def = parseDefinition(definition);
  const r = new Reconstruction(def, events, options);
  return r.run();
}

class Reconstruction {
  private readonly trace: HistoryTrace;
  private readonly nodes: VisitNode[];
  private readonly divergences: Divergence[] = [];
  private readonly eventIndex = new Map<number, number>();
  private readonly base: ContextBase;
  private readonly retryCountSensitive = new WeakMap<object, boolean>();
  /** The record does not start at event 1 (one page, or a filtered log): only self-contained checks apply. */
  private readonly partial: boolean;
  /** Ids of ExecutionRedriven events. */
  private readonly redrives: number[];

  constructor(
    private readonly def: StateMachineDefinition,
    private readonly events: readonly HistoryEvent[],
    private readonly options: ReconstructOptions,
  ) {
    events.forEach((e, i) => this.eventIndex.set(e.id, i));
    this.partial = events.length > 0 && events[0].id !== 1;
    this.redrives = events.filter((e) => e.type === "ExecutionRedriven").map((e) => e.id);
    this.trace = traceHistory(events);
    const started = events.find((e) => e.type === "ExecutionStarted");
    const input = payloadOf(started?.executionStartedEventDetails?.input, started?.executionStartedEventDetails?.inputDetails);
    this.base = {
      executionInput: known(input) ? input.value : undefined,
      startedAt: started?.timestamp ?? null,
      roleArn: started?.executionStartedEventDetails?.roleArn,
      facts: options.execution ?? {},
    };
    this.nodes = this.trace.visits.map((v, seq) => ({
      seq: v.seq, parentSeq: v.parentSeq, path: v.path, stateName: v.stateName, stateType: v.stateType,
      enteredEventId: v.enteredEventId, exitedEventId: v.exitedEventId, enteredAt: v.enteredAt, exitedAt: v.exitedAt,
      status: v.status, attempts: v.attempts, error: v.error, cause: v.cause,
      definitionPointer: null,
      attemptList: this.attemptsOf(seq),
      catch: null,
      choice: null,
      dataFlow: emptyDataFlow(),
      expectedNext: null,
      recordedNext: null,
      children: [],
    }));
  }

  private event(id: number | null): HistoryEvent | undefined {
    if (id === null) return undefined;
    const i = this.eventIndex.get(id);
    return i === undefined ? undefined : this.events[i];
  }

  private diverge(kind: DivergenceKind, eventId: number, message: string, node?: VisitNode | null, values?: { recorded?: Json; computed?: Json }): void {
    if (this.partial && !SELF_CONTAINED_KINDS.has(kind)) return;
    const d: Divergence = { eventId, kind, message };
    if (values && "recorded" in values) d.recorded = displayUnknowns(values.recorded) ?? null;
    if (values && "computed" in values) d.computed = displayUnknowns(values.recorded !== undefined ? fillUnknowns(values.computed ?? null, values.recorded) : values.computed) ?? null;
    if (node) {
      d.state = node.stateName;
      d.path = node.path;
    }
    this.divergences.push(d);
  }

  /** Reports a divergence when a recorded and a computed value both exist and differ. */
  private compare(kind: DivergenceKind, eventId: number, node: VisitNode | null, what: string, rec: DataPoint, comp: DataPoint): boolean {
    if (!known(rec) || !known(comp) || comp.provenance !== "computed") return true;
    if (jsonEquals(rec.value, comp.value)) {
      rec.verified = true;
      return true;
    }
    rec.verified = false;
    const where = firstDifference(rec.value, comp.value) ?? "";
    this.diverge(kind, eventId, `${what}: the record differs from what the definition computes (${where})`, node, { recorded: rec.value, computed: comp.value });
    return false;
  }

  // ------------------------------------------------------------------ attempts (from events)

  private attemptsOf(seq: number): Attempt[] {
    const v = this.trace.visits[seq];
    const list: Attempt[] = [];
    let current: Attempt | null = null;
    const open = (e: HistoryEvent | null): Attempt => {
      const a: Attempt = {
        number: list.length + 1, scheduledEventId: e?.id ?? null, scheduledAt: e?.timestamp ?? null, startedAt: null,
        endedEventId: null, endedAt: null, outcome: "RUNNING", parameters: null, result: null, error: null, cause: null, retry: null,
      };
      list.push(a);
      return a;
    };
    for (const i of this.trace.eventsOf[seq]) {
      const e = this.events[i];
      if (v.stateType === "Task") {
        if (ATTEMPT_START_EVENTS.has(e.type)) {
          current = open(e);
          const d = e.taskScheduledEventDetails;
          current.parameters = d
            ? payloadOf(d.parameters)
            : e.lambdaFunctionScheduledEventDetails
              ? payloadOf(e.lambdaFunctionScheduledEventDetails.input, e.lambdaFunctionScheduledEventDetails.inputDetails)
              : payloadOf(e.activityScheduledEventDetails?.input, e.activityScheduledEventDetails?.inputDetails);
        } else if (e.type === "TaskStarted" || e.type === "LambdaFunctionStarted" || e.type === "ActivityStarted") {
          if (current) current.startedAt = e.timestamp;
        } else if (ATTEMPT_SUCCESS_EVENTS.has(e.type)) {
          const a: Attempt = current && current.outcome === "RUNNING" ? current : open(null);
          a.outcome = "SUCCEEDED";
          a.endedEventId = e.id;
          a.endedAt = e.timestamp;
          const d = e.taskSucceededEventDetails ?? e.lambdaFunctionSucceededEventDetails ?? e.activitySucceededEventDetails;
          a.result = payloadOf(d?.output, d?.outputDetails);
          current = null;
        } else if (ATTEMPT_FAILURE_EVENTS.has(e.type)) {
          const a: Attempt = current && current.outcome === "RUNNING" ? current : open(null);
          const f = failureOf(e);
          a.outcome = e.type.endsWith("TimedOut") ? "TIMED_OUT" : "FAILED";
          a.endedEventId = e.id;
          a.endedAt = e.timestamp;
          a.error = f?.error ?? null;
          a.cause = f?.cause ?? null;
          current = null;
        } else if (e.type === "TaskStateAborted" && current && current.outcome === "RUNNING") {
          current.outcome = "ABORTED";
          current.endedEventId = e.id;
          current.endedAt = e.timestamp;
        }
      } else if (v.stateType === "Map" || v.stateType === "Parallel") {
        if (e.type === "MapStateStarted" || e.type === "ParallelStateStarted") {
          // A retry starts the state again without a *StateFailed for the run before.
          if (current && current.outcome === "RUNNING") {
            current.outcome = "FAILED";
            current.endedEventId = e.previousEventId;
            current.endedAt = this.event(e.previousEventId)?.timestamp ?? e.timestamp;
          }
          current = open(e);
        }
        else if ((e.type === "MapStateSucceeded" || e.type === "ParallelStateSucceeded") && current) {
          current.outcome = "SUCCEEDED";
          current.endedEventId = e.id;
          current.endedAt = e.timestamp;
        } else if ((e.type === "MapStateFailed" || e.type === "ParallelStateFailed") && current) {
          current.outcome = "FAILED";
          current.endedEventId = e.id;
          current.endedAt = e.timestamp;
        } else if ((e.type === "MapStateAborted" || e.type === "ParallelStateAborted") && current && current.outcome === "RUNNING") {
          current.outcome = "ABORTED";
          current.endedEventId = e.id;
          current.endedAt = e.timestamp;
        } else if (e.type === "MapRunFailed" && current) {
          const f = failureOf(e);
          current.error = f?.error ?? null;
          current.cause = f?.cause ?? null;
        }
      }
    }
    return list;
  }

  // ------------------------------------------------------------------ the walk

  async run(): Promise<RunModel> {
    const started = this.events.find((e) => e.type === "ExecutionStarted");
    if (!started && this.events.length) this.diverge("missing-event", this.events[0].id, "the history has no ExecutionStarted event");
    // AWS numbers events 1, 2, 3, ...: a gap is an event that is missing.
    for (let i = 0; i < this.events.length; i++) {
      if (this.events[i].id !== i + 1) {
        this.diverge("missing-event", this.events[i].id, `event ${i + 1} is missing: the history jumps from event ${i} to event ${this.events[i].id}`);
        break;
      }
    }
    const input = payloadOf(started?.executionStartedEventDetails?.input, started?.executionStartedEventDetails?.inputDetails);
    const root = this.trace.scopes[0];
    const outcome = await this.walkScope(rootScope(this.def), root, input, {});
    const execution = this.checkExecutionEnd(outcome, input);
    this.checkStrayEvents();
    this.attachChildren();
    const drift = this.detectDrift();
    this.divergences.sort((a, b) => a.eventId - b.eventId);
    const top = root.visits.map((s) => this.nodes[s]);
    return {
      execution,
      partial: this.partial,
      visits: top,
      allVisits: this.nodes,
      divergences: this.divergences,
      drift,
      billing: billingFacts({
        nodes: this.nodes, events: this.events, execution, facts: this.options.execution ?? {}, redrives: this.redrives.length,
        definitionText: this.options.definitionText ?? JSON.stringify(this.def),
      }),
    };
  }

  private async walkScope(asl: AslScope, scope: TraceScope, input: DataPoint, inherited: Record<string, Json>): Promise<ScopeOutcome> {
    const vars: Record<string, Json> = { ...inherited };
    let expectation: Expectation = {
      next: asl.machine.StartAt, allowed: startOf(asl.machine), from: null,
      why: `${scope.kind === "execution" ? "the state machine" : scope.kind === "branch" ? "the branch" : "the item processor"} starts at '${asl.machine.StartAt}'`,
    };
    let carried: DataPoint = input;
    let last: VisitNode | null = null;
    let lastFailure: Failure | null = null;
    let lastEndsScope = false;
    for (const seq of scope.visits) {
      const node = this.nodes[seq];
      if (last) {
        last.recordedNext = node.stateName;
        if (last.exitedEventId === null || !this.isExited(last)) {
          if (last.stateType !== "Fail" && last.status !== "FAILED") {
            this.diverge("missing-event", node.enteredEventId, `'${last.stateName}' has no ${last.stateType}StateExited event, yet '${node.stateName}' was entered after it`, last);
          }
        }
      }
      const before = last;
      if (before && expectation.next === "" && this.redrives.some((id) => id > before.enteredEventId && id < node.enteredEventId)) {
        // A redrive runs the failed state again, with the input it had.
        expectation = { next: null, allowed: null, from: before, why: "the execution was redriven" };
        carried = before.dataFlow.rawInput;
      }
      this.checkTransition(expectation, node);
      const state = asl.machine.States[node.stateName] as State | undefined;
      const entered = this.event(node.enteredEventId);
      const recordedInput = payloadOf(entered?.stateEnteredEventDetails?.input, entered?.stateEnteredEventDetails?.inputDetails);
      if (!state || state.Type !== node.stateType) {
        this.unexplainedVisit(node, state, asl, recordedInput);
        carried = node.dataFlow.output;
        this.mergeRecordedVariables(node, vars);
        expectation = { next: null, allowed: null, from: node, why: "" };
        last = node;
        lastFailure = node.status === "FAILED" ? { error: node.error, cause: node.cause } : null;
        lastEndsScope = node.status !== "FAILED";
        continue;
      }
      node.definitionPointer = `${asl.pointer}/States/${pointerToken(node.stateName)}`;
      // The input the definition implies: the previous output (recorded or computed), or the scope's input.
      this.compare("input", node.enteredEventId, node, `input of '${node.stateName}'`, recordedInput, known(carried) ? { ...carried, provenance: "computed" } : carried);
      node.dataFlow.rawInput = best(recordedInput, carried.provenance === "unknown" ? carried : { ...carried, provenance: "computed" });
      const result = await this.visit(node, state, asl, vars);
      Object.assign(vars, result.assigned);
      carried = node.dataFlow.output;
      expectation = result.expectation;
      node.expectedNext = expectation.next;
      last = node;
      lastFailure = result.failure;
      lastEndsScope = expectation.next === "" && result.failure === null;
    }
    if (last && expectation.next !== null && expectation.next !== "" && this.scopeShouldContinue(scope, last)) {
      const exitId = last.exitedEventId ?? last.enteredEventId;
      this.diverge("missing-event", exitId, `the definition continues from '${last.stateName}' to '${expectation.next}' (${expectation.why}), but the history has no '${expectation.next}' entered`, last);
    }
    if (last && !this.isExited(last) && last.stateType !== "Fail" && last.status !== "FAILED" && this.scopeSucceeded(scope)) {
      this.diverge("missing-event", last.enteredEventId, `'${last.stateName}' has no ${last.stateType}StateExited event, yet its ${scope.kind === "execution" ? "execution" : scope.kind} succeeded`, last);
    }
    if (!last) return { ended: "open", output: UNKNOWN, failure: null };
    if (lastFailure) return { ended: "failed", output: UNKNOWN, failure: lastFailure };
    if (lastEndsScope && this.isExited(last)) return { ended: "succeeded", output: carried, failure: null };
    return { ended: "open", output: carried, failure: null };
  }

  private isExited(node: VisitNode): boolean {
    const e = this.event(node.exitedEventId);
    return !!e && e.type.endsWith("StateExited");
  }

  /** Whether the record should show the next state: the scope was not cut short by a failure elsewhere, a stop, or the end of the record. */
  private scopeShouldContinue(scope: TraceScope, last: VisitNode): boolean {
    const exec = this.trace.execution.status;
    if (exec === "RUNNING" || exec === "ABORTED" || exec === "TIMED_OUT") return false;
    if (!this.isExited(last)) return false;
    if (scope.endedType === "MapIterationAborted") return false;
    if (scope.parentSeq !== null) {
      const parent = this.nodes[scope.parentSeq];
      if (parent.status === "ABORTED") return false;
      // A sibling branch or iteration failed: this one was cut short.
      if (parent.status === "FAILED" || parent.status === "CAUGHT") return false;
    }
    return true;
  }

  /** Whether the record says the scope ended well (so its last state must have exited). */
  private scopeSucceeded(scope: TraceScope): boolean {
    if (scope.kind === "execution") return this.trace.execution.status === "SUCCEEDED";
    if (scope.kind === "iteration") return scope.endedType === "MapIterationSucceeded";
    const parent = scope.parentSeq === null ? null : this.nodes[scope.parentSeq];
    return !!parent && parent.attemptList[scope.run - 1]?.outcome === "SUCCEEDED";
  }

  private checkTransition(exp: Expectation, node: VisitNode): void {
    const name = node.stateName;
    if (exp.next === name) return;
    if (exp.next === null && (exp.allowed === null || exp.allowed.has(name))) return;
    const from = exp.from;
    if (!from) {
      this.diverge("transition", node.enteredEventId, `${exp.why}, but the history enters '${name}' first`, node, { recorded: name, computed: exp.next ?? null });
      return;
    }
    if (exp.next === "") {
      this.diverge("transition", node.enteredEventId, `'${from.stateName}' ends its scope (${exp.why}), but the history enters '${name}' after it`, node, { recorded: name, computed: null });
      return;
    }
    if (from.stateType === "Choice" && from.status !== "CAUGHT" && exp.allowed?.has(name)) {
      this.diverge("choice", node.enteredEventId, `Choice '${from.stateName}' selects '${exp.next}' (${exp.why}), but the history went to '${name}'`, from, { recorded: name, computed: exp.next });
      return;
    }
    if (from.status === "CAUGHT" && exp.allowed?.has(name)) {
      this.diverge("catch", node.enteredEventId, `'${from.stateName}' was caught by a catcher leading to '${exp.next}' (${exp.why}), but the history went to '${name}'`, from, { recorded: name, computed: exp.next });
      return;
    }
    const target = exp.next === null ? `one of ${[...(exp.allowed ?? [])].map((n) => `'${n}'`).join(", ")}` : `'${exp.next}' (${exp.why})`;
    this.diverge("transition", node.enteredEventId, `the definition does not allow '${name}' after '${from.stateName}': it leads to ${target}`, node, { recorded: name, computed: exp.next });
  }

  /** A visit the definition cannot explain (no such state here, or another type): record only. */
  private unexplainedVisit(node: VisitNode, state: State | undefined, asl: AslScope, recordedInput: DataPoint): void {
    if (!state) {
      const elsewhere = stateAt(this.def, node.stateName);
      this.diverge(
        "unknown-state", node.enteredEventId,
        elsewhere
          ? `'${node.stateName}' is a state of another scope of the definition (${elsewhere.pointer}), not of ${asl.pointer || "the top level"}`
          : `the definition has no state named '${node.stateName}'`,
        node,
      );
    } else {
      node.definitionPointer = `${asl.pointer}/States/${pointerToken(node.stateName)}`;
      this.diverge("state-type", node.enteredEventId, `'${node.stateName}' is a ${state.Type} state in the definition but a ${node.stateType} state in the history`, node, { recorded: node.stateType, computed: state.Type });
    }
    node.dataFlow.rawInput = recordedInput;
    node.dataFlow.output = this.recordedOutput(node);
    this.attachStructure(node);
  }

  /** Children of a visit the definition cannot explain: the tree as recorded, nothing checked. */
  private attachStructure(node: VisitNode): void {
    for (const s of this.trace.scopes) {
      if (s.parentSeq !== node.seq) continue;
      const visits = s.visits.map((v) => this.nodes[v]);
      for (const v of visits) {
        v.dataFlow.rawInput = payloadOf(this.event(v.enteredEventId)?.stateEnteredEventDetails?.input);
        v.dataFlow.output = this.recordedOutput(v);
        this.attachStructure(v);
      }
      node.children.push({
        kind: s.kind === "iteration" ? "iteration" : "branch", index: s.index, run: s.run, path: s.path,
        startedEventId: s.startedEventId, endedEventId: s.endedEventId,
        status: this.childStatus(s, { ended: "open", output: UNKNOWN, failure: null }),
        input: visits.length ? visits[0].dataFlow.rawInput : UNKNOWN, output: UNKNOWN, visits,
      });
    }
  }

  private recordedOutput(node: VisitNode): DataPoint {
    const e = this.event(node.exitedEventId);
    const d = e?.stateExitedEventDetails;
    if (!d) return { provenance: "unknown", note: "the state did not exit" };
    return payloadOf(d.output, d.outputDetails);
  }

  private recordedVariables(node: VisitNode): Record<string, DataPoint> | null {
    const d = this.event(node.exitedEventId)?.stateExitedEventDetails;
    if (!d?.assignedVariables) return null;
    const out: Record<string, DataPoint> = {};
    for (const [name, text] of Object.entries(d.assignedVariables)) out[name] = payloadOf(text, d.assignedVariablesDetails);
    return out;
  }

  private mergeRecordedVariables(node: VisitNode, vars: Record<string, Json>): void {
    const rec = this.recordedVariables(node);
    if (!rec) return;
    for (const [k, p] of Object.entries(rec)) vars[k] = known(p) ? p.value : unknownMarker(`$${k}`);
    node.dataFlow.assignedVariables = rec;
  }

  private readonly contexts = new WeakMap<object, Json[]>();

  /** The context object depends on the state and the try only (times are unknown): built once per pair. */
  private env(node: VisitNode, state: State, vars: Record<string, Json>, retryCount = 0): EvalEnv {
    let perTry = this.contexts.get(state);
    if (!perTry) this.contexts.set(state, (perTry = []));
    let context = perTry[retryCount];
    if (context === undefined) {
      context = contextObject(this.base, { name: node.stateName, type: state.Type, retryCount, resource: state.Type === "Task" ? state.Resource : undefined });
      perTry[retryCount] = context;
    }
    return { context, variables: vars, queryLanguage: effectiveQueryLanguage(state, this.def), random: HALF };
  }

  // ------------------------------------------------------------------ one visit

  private async visit(node: VisitNode, state: State, asl: AslScope, vars: Record<string, Json>): Promise<{ assigned: Record<string, Json>; expectation: Expectation; failure: Failure | null }> {
    const raw = node.dataFlow.rawInput;
    const env = this.env(node, state, vars);
    const nondeterministic = usesNondeterminism(state);
    let choice: ChoiceExplanation | null = null;
    let outcome: Outcome = NO_OUTCOME;
    const failed = async (r: { error: StatesError | null; message: string }): Promise<Outcome> => {
      if (r.error && known(raw)) return this.failHere(node, state, r.error, raw.value, env);
      node.dataFlow.output = { provenance: "unknown", note: `could not be computed: ${r.message}` };
      return NO_OUTCOME;
    };

    switch (state.Type) {
      case "Pass": {
        if (!known(raw)) break;
        const r = await tryAsl(() => runPass(state, raw.value, env));
        if (r.ok) {
          const df = node.dataFlow;
          df.afterInputPath = computedPoint(r.value.afterInputPath);
          df.effectiveInput = computedPoint(r.value.afterParameters ?? r.value.afterInputPath);
          df.result = computedPoint(r.value.result);
          df.afterResultSelector = computedPoint(r.value.afterResultSelector);
          df.afterResultPath = computedPoint(r.value.afterResultPath);
          outcome = { computed: { output: r.value.output, assigned: r.value.assigned }, failure: null, catcherNext: null };
        } else outcome = await failed(r);
        break;
      }
      case "Wait":
      case "Succeed": {
        if (!known(raw)) break;
        const r = await tryAsl(() => processPassThrough(state, raw.value, env));
        if (r.ok) {
          node.dataFlow.afterInputPath = computedPoint(r.value.afterInputPath);
          outcome = { computed: { output: r.value.output, assigned: r.value.assigned }, failure: null, catcherNext: null };
        } else outcome = await failed(r);
        break;
      }
      case "Choice": {
        if (!known(raw)) break;
        const r = await tryAsl(() => evaluateChoice(state, raw.value, env));
        if (r.ok) {
          choice = r.value;
          node.choice = r.value;
          node.dataFlow.afterInputPath = computedPoint(r.value.afterInputPath);
          if (r.value.next === null) {
            const err = await tryAsl(() => noChoiceMatchedError());
            const e = err.ok ? err.value : err.error;
            outcome = e ? await this.failHere(node, state, e, raw.value, env) : NO_OUTCOME;
          } else outcome = { computed: { output: r.value.output, assigned: r.value.assigned }, failure: null, catcherNext: null };
        } else outcome = await failed(r);
        break;
      }
      case "Fail": {
        let fc: Failure = { error: node.error, cause: node.cause };
        if (known(raw)) {
          const r = await tryAsl(() => failErrorCause(state, raw.value, env));
          if (r.ok) fc = { error: r.value.error ?? null, cause: r.value.cause ?? null };
          else if (r.error) fc = { error: r.error.error, cause: r.error.fullCause(node.stateName, node.enteredEventId) };
        } else if (state.Error !== undefined || state.Cause !== undefined) {
          fc = { error: state.Error ?? null, cause: state.Cause ?? null };
        }
        node.error = fc.error;
        node.cause = fc.cause;
        outcome = { computed: null, failure: fc, catcherNext: null };
        break;
      }
      case "Task":
        outcome = await this.task(node, state, raw, env, vars);
        break;
      case "Map":
      case "Parallel":
        outcome = await this.container(node, state, asl, raw, env, vars);
        break;
    }
    const computed = outcome.computed;
    const failure = outcome.failure;
    const catcherNext = outcome.catcherNext;

    // Outputs and variables: the record wins, the computed value is checked against it.
    const recOut = this.recordedOutput(node);
    const exitId = node.exitedEventId ?? node.enteredEventId;
    const compOut: DataPoint = computed?.output !== undefined && !nondeterministic ? computedPoint(computed.output) : UNKNOWN;
    if (this.isExited(node)) this.compare("output", exitId, node, `output of '${node.stateName}'`, recOut, compOut);
    node.dataFlow.output = this.isExited(node) ? best(recOut, compOut) : compOut.provenance === "unknown" ? recOut : compOut;
    if (node.dataFlow.afterResultPath.provenance === "unknown" && state.Type !== "Task" && state.Type !== "Map" && state.Type !== "Parallel") {
      node.dataFlow.afterResultPath = node.dataFlow.output;
    }

    const assigned: Record<string, Json> = {};
    const recVars = this.recordedVariables(node);
    const compVars = computed?.assigned && !nondeterministic ? computed.assigned : undefined;
    if (recVars && compVars && this.isExited(node)) {
      for (const k of new Set([...Object.keys(recVars), ...Object.keys(compVars)])) {
        const rec = recVars[k];
        if (!rec) {
          this.diverge("variables", exitId, `'${node.stateName}' assigns $${k} by the definition, but the record does not show it`, node, { computed: compVars[k] });
        } else if (!(k in compVars)) {
          if (known(rec)) this.diverge("variables", exitId, `'${node.stateName}' assigned $${k} in the record, but the definition does not assign it`, node, { recorded: rec.value });
        } else this.compare("variables", exitId, node, `$${k} assigned by '${node.stateName}'`, rec, computedPoint(compVars[k]));
      }
    }
    const names = new Set([...Object.keys(recVars ?? {}), ...Object.keys(compVars ?? {})]);
    for (const k of names) {
      const p = best(recVars?.[k] ?? UNKNOWN, compVars && k in compVars ? computedPoint(compVars[k]) : UNKNOWN);
      node.dataFlow.assignedVariables[k] = p;
      assigned[k] = known(p) ? p.value : unknownMarker(`$${k}`);
    }
    if (!compVars && !recVars && computed === null && !known(raw) && "Assign" in state && state.Assign) {
      for (const k of Object.keys(state.Assign)) {
        node.dataFlow.assignedVariables[k] = UNKNOWN;
        assigned[k] = unknownMarker(`$${k}`);
      }
    }

    return { assigned, expectation: this.expectationAfter(node, state, choice, catcherNext, failure), failure };
  }

  private expectationAfter(node: VisitNode, state: State, choice: ChoiceExplanation | null, catcherNext: string | null, failure: Failure | null): Expectation {
    if (node.status === "CAUGHT") {
      return { next: catcherNext, allowed: allowedAfter(state, "catch"), from: node, why: catcherNext ? `its catcher leads to '${catcherNext}'` : "a catcher's Next" };
    }
    if (failure || node.status === "FAILED" || node.status === "ABORTED") return { next: "", allowed: NOTHING, from: node, why: "it failed" };
    if (state.Type === "Choice") {
      const allowed = allowedAfter(state, "choice");
      if (!choice) return { next: null, allowed, from: node, why: "" };
      const why = choice.matched === "Default" ? "no rule matched: Default" : `rule #${String(choice.matched)} matched`;
      return { next: choice.next ?? "", allowed, from: node, why };
    }
    const next = nextStateName(state);
    if (next === null) return { next: "", allowed: NOTHING, from: node, why: state.Type === "Succeed" ? "Succeed" : state.Type === "Fail" ? "Fail" : "End" };
    return { next, allowed: allowedAfter(state, "next"), from: node, why: "Next" };
  }

  /**
   * The definition says this state fails here with `err` (a runtime failure while processing
   * data). Checks the record agrees: the state did not exit, or a catcher explains its exit.
   */
  private async failHere(node: VisitNode, state: State, err: StatesError, raw: Json, env: EvalEnv): Promise<Outcome> {
    const cause = err.fullCause(node.stateName, node.enteredEventId);
    const exitId = node.exitedEventId ?? node.enteredEventId;
    if (!this.isExited(node)) {
      if (node.status === "RUNNING") return NO_OUTCOME;
      if (node.error !== null && node.error !== err.error && node.status === "FAILED") {
        this.diverge("error", exitId, `'${node.stateName}' fails with ${err.error} by the definition, the record says ${node.error}`, node, { recorded: node.error, computed: err.error });
      }
      if (node.error === null) {
        node.error = err.error;
        node.cause = cause;
      }
      const catchers = "Catch" in state ? state.Catch : undefined;
      node.catch = { error: err.error, catcherIndex: null, next: null, reason: catchers?.length ? `no catcher matches ${err.error}` : "the state has no Catch" };
      return { computed: null, failure: { error: err.error, cause }, catcherNext: null };
    }
    const catchers = "Catch" in state ? state.Catch : undefined;
    const idx = findCatcher(catchers, err.error);
    if (idx < 0 || !catchers) {
      const rec = this.recordedOutput(node);
      if (dependsOnUnknowns(state, env)) {
        // The failure may come from a value the history does not hold (a context field, an unknown variable).
        node.dataFlow.output = { ...rec, note: `the definition's evaluation failed on values the history does not hold (${err.error})` };
        return NO_OUTCOME;
      }
      this.diverge("output", exitId, `the definition fails '${node.stateName}' with ${err.error} (${truncateText(err.cause)}), but the history shows it exited normally`, node, { recorded: known(rec) ? rec.value : null, computed: { Error: err.error, Cause: cause } });
      return NO_OUTCOME;
    }
    node.status = "CAUGHT";
    node.error = err.error;
    node.cause = cause;
    const c = catchers[idx];
    node.catch = { error: err.error, catcherIndex: idx, next: c.Next, reason: `Catch[${idx}] matches ${err.error}` };
    const computed = await this.catchOutput(node, state, c, raw, env, { error: err.error, cause });
    return { computed, failure: null, catcherNext: c.Next };
  }

  // ------------------------------------------------------------------ Task

  private async task(node: VisitNode, state: TaskState, raw: DataPoint, env: EvalEnv, vars: Record<string, Json>): Promise<Outcome> {
    const df = node.dataFlow;
    this.checkResource(node, state);
    let prepared: Json | undefined;
    if (known(raw)) {
      const r = await tryAsl(() => prepareInput(state, raw.value, env));
      if (r.ok) {
        df.afterInputPath = computedPoint(r.value.afterInputPath);
        df.effectiveInput = computedPoint(r.value.effectiveInput);
        prepared = r.value.effectiveInput;
      } else if (r.error) {
        if (node.attemptList.length) {
          this.diverge("parameters", node.attemptList[0].scheduledEventId ?? node.enteredEventId, `the definition fails '${node.stateName}' with ${r.error.error} before calling its resource (${r.error.cause}), but the history shows the call`, node);
        } else {
          return this.failHere(node, state, r.error, raw.value, env);
        }
      }
    }
    // Each try's request against the computed one.
    const sensitive = this.mentionsRetryCount(state);
    for (const a of node.attemptList) {
      if (!a.parameters || prepared === undefined || !known(raw)) continue;
      let comp = prepared;
      if (sensitive && a.number > 1) {
        const r = await tryAsl(() => prepareInput(state, raw.value, this.env(node, state, vars, a.number - 1)));
        if (!r.ok) continue;
        comp = r.value.effectiveInput;
      }
      if (usesNondeterminism(state)) continue;
      this.compare("parameters", a.scheduledEventId ?? node.enteredEventId, node, `request of '${node.stateName}' (try ${a.number})`, a.parameters, computedPoint(comp));
      if (!a.scheduledEventId) continue;
    }
    this.checkAttemptEvents(node);
    for (const a of node.attemptList) if (this.heartbeatExpired(a, state)) a.heartbeatTimeout = true;
    const final = this.analyzeRetries(node, state.Retry, node.attemptList.map((a) => (
      a.outcome === "FAILED" || a.outcome === "TIMED_OUT" ? { error: a.error, cause: a.cause, timedOut: a.outcome === "TIMED_OUT", heartbeatTimeout: a.heartbeatTimeout === true } : null)));
    const lastTry = node.attemptList[node.attemptList.length - 1];
    if (lastTry?.outcome === "SUCCEEDED") {
      df.result = lastTry.result ?? UNKNOWN;
      if (known(raw) && lastTry.result && known(lastTry.result)) {
        const result = lastTry.result.value;
        // The successful try's context: $$.State.RetryCount is the number of retries before it.
        const tryEnv = lastTry.number > 1 ? this.env(node, state, vars, lastTry.number - 1) : env;
        const r = await tryAsl(() => processResult(state, raw.value, result, tryEnv));
        if (r.ok) {
          df.afterResultSelector = computedPoint(r.value.afterResultSelector);
          df.afterResultPath = computedPoint(r.value.afterResultPath);
          return { computed: { output: r.value.output, assigned: r.value.assigned }, failure: null, catcherNext: null };
        }
        if (r.error) return this.failHere(node, state, r.error, raw.value, env);
      }
      return { computed: null, failure: null, catcherNext: null };
    }
    if (final) return this.afterFailure(node, state, raw, env, final);
    if (node.status === "CAUGHT" || node.status === "FAILED") {
      // Failed without a failed try: a runtime error, from EvaluationFailed or the execution's failure.
      return this.afterFailure(node, state, raw, env, { error: node.error, cause: node.cause });
    }
    return { computed: null, failure: null, catcherNext: null };
  }

  /**
   * Whether a timed-out try missed its heartbeat rather than reaching TimeoutSeconds: AWS records
   * both as States.Timeout, so the time the try ran tells (from *Scheduled: at least
   * HeartbeatSeconds, less than TimeoutSeconds; the values recorded in *Scheduled, else the
   * definition's numbers).
   */
  private heartbeatExpired(a: Attempt, state: TaskState): boolean {
    if (a.outcome !== "TIMED_OUT" || (a.error !== null && a.error !== STATES_ERRORS.Timeout)) return false;
    const start = a.scheduledAt ?? a.startedAt;
    if (start === null || a.endedAt === null) return false;
    const elapsed = a.endedAt - start;
    if (!Number.isFinite(elapsed)) return false;
    const e = this.event(a.scheduledEventId);
    const d = e?.taskScheduledEventDetails ?? e?.activityScheduledEventDetails;
    const heartbeat = secondsOf(d?.heartbeatInSeconds) ?? secondsOf(state.HeartbeatSeconds);
    if (heartbeat === null || elapsed < heartbeat * 1000) return false;
    const timeout = secondsOf(d?.timeoutInSeconds ?? e?.lambdaFunctionScheduledEventDetails?.timeoutInSeconds) ?? secondsOf(state.TimeoutSeconds);
    return timeout === null || elapsed < timeout * 1000;
  }

  private mentionsRetryCount(state: State): boolean {
    let v = this.retryCountSensitive.get(state);
    if (v === undefined) {
      v = JSON.stringify(state).includes("RetryCount");
      this.retryCountSensitive.set(state, v);
    }
    return v;
  }

  private checkResource(node: VisitNode, state: TaskState): void {
    const first = node.attemptList.find((a) => a.scheduledEventId !== null);
    const e = first ? this.event(first.scheduledEventId) : undefined;
    if (!e) return;
    const res = state.Resource;
    let rec: string | null = null;
    let comp: string | null = null;
    if (e.taskScheduledEventDetails) {
      const m = /^arn:[^:]+:states:::(.+)$/.exec(res);
      const d = e.taskScheduledEventDetails;
      rec = `${d.resourceType}:${d.resource}`;
      comp = m ? m[1] : res;
      const type = d.resourceType ?? "";
      if (m && comp.startsWith(`${type}:`) && comp.slice(type.length + 1) === d.resource) return;
    } else if (e.lambdaFunctionScheduledEventDetails) {
      rec = e.lambdaFunctionScheduledEventDetails.resource ?? null;
      comp = res;
    } else if (e.activityScheduledEventDetails) {
      rec = e.activityScheduledEventDetails.resource ?? null;
      comp = res;
    }
    if (rec === null || comp === null || rec === comp) return;
    if (res.includes("{%") || /<[^<>]+>/.test(res) || /<[^<>]+>/.test(rec)) return; // a JSONata or normalised resource
    this.diverge("resource", e.id, `'${node.stateName}' calls ${rec} in the history, ${comp} in the definition`, node, { recorded: rec, computed: comp });
  }

  /** Each try's events in order: *Scheduled, *Started, then an outcome. */
  private checkAttemptEvents(node: VisitNode): void {
    if (this.isExited(node) && node.status === "SUCCEEDED" && node.attemptList.length === 0) {
      this.diverge("missing-event", node.exitedEventId ?? node.enteredEventId, `Task '${node.stateName}' exited without calling its resource (no *Scheduled event)`, node);
    }
    for (const a of node.attemptList) {
      if (a.scheduledEventId === null && a.outcome === "SUCCEEDED") {
        this.diverge("missing-event", a.endedEventId ?? node.enteredEventId, `try ${a.number} of '${node.stateName}' succeeded without a *Scheduled event`, node);
      } else if (a.scheduledEventId === null && a.endedEventId !== null && !/ScheduleFailed$/.test(this.event(a.endedEventId)?.type ?? "")) {
        this.diverge("missing-event", a.endedEventId, `try ${a.number} of '${node.stateName}' ended without a *Scheduled event`, node);
      } else if (a.outcome === "SUCCEEDED" && a.startedAt === null) {
        this.diverge("missing-event", a.endedEventId ?? node.enteredEventId, `try ${a.number} of '${node.stateName}' succeeded without a *Started event`, node);
      }
    }
  }

  /**
   * Retry decisions for each failed try (Task) or run (Map/Parallel). Returns the failure of the
   * last try when it failed, else null.
   */
  private analyzeRetries(node: VisitNode, retry: Retrier[] | undefined, failures: Array<{ error: string | null; cause: string | null; timedOut?: boolean; heartbeatTimeout?: boolean } | null>): Failure | null {
    const retriesSoFar: number[] = [];
    let final: Failure | null = null;
    const cutShort = node.status === "ABORTED" || this.trace.execution.status === "ABORTED" || this.trace.execution.status === "TIMED_OUT";
    // The record of a running execution may end between a failure and its retry or catch.
    const mayContinue = this.trace.execution.status === "RUNNING" && !this.isExited(node);
    failures.forEach((f, i) => {
      const a = node.attemptList[i];
      if (!f || !a) return;
      const error = f.error ?? (f.timedOut ? STATES_ERRORS.Timeout : STATES_ERRORS.TaskFailed);
      // A missed heartbeat is States.Timeout, matched by States.HeartbeatTimeout too.
      const heartbeat = f.heartbeatTimeout === true && error === STATES_ERRORS.Timeout;
      const match = { heartbeatTimeout: heartbeat };
      const shown = heartbeat ? `${error} (a missed heartbeat)` : error;
      const retried = i < node.attemptList.length - 1;
      const next = node.attemptList[i + 1];
      const nextId = next?.scheduledEventId ?? a.endedEventId ?? node.enteredEventId;
      const recordedBackoffMs = retried && next && next.scheduledAt !== null && a.endedAt !== null ? next.scheduledAt - a.endedAt : null;
      // The upper bound of the wait (FULL jitter draws below it).
      const plan = planRetry(retry, error, retriesSoFar, () => 1, match);
      const idx = plan?.retrierIndex ?? findRetrier(retry, error, match);
      const retryNumber = plan?.retryNumber ?? (idx >= 0 ? (retriesSoFar[idx] ?? 0) + 1 : 0);
      const max = idx >= 0 && retry ? (retry[idx].MaxAttempts ?? 3) : null;
      if (idx >= 0) retriesSoFar[idx] = retryNumber;
      let reason: string;
      if (plan) {
        reason = `Retry[${idx}] matches ${shown}: retry ${retryNumber} of ${max}`;
        if (!retried && node.status === "ABORTED") {
          reason += " (aborted before the retry)";
        } else if (!retried && mayContinue) {
          reason += " (pending: the execution is still running)";
          node.status = "RUNNING";
        } else if (!retried && !cutShort && node.status !== "RUNNING" && a.outcome !== "ABORTED") {
          this.diverge("retry", a.endedEventId ?? node.enteredEventId, `Retry[${idx}] allows a retry ${retryNumber} of '${node.stateName}' after ${shown}, but the history shows none`, node, { recorded: retryNumber - 1, computed: retryNumber });
        }
      } else if (idx >= 0) {
        reason = `Retry[${idx}] matches ${shown} but its ${max} retries are used up`;
        if (retried) this.diverge("retry", nextId, `'${node.stateName}' was retried a ${ordinal(retryNumber)} time by Retry[${idx}], beyond its MaxAttempts ${max}`, node, { recorded: retryNumber, computed: max });
      } else {
        reason = `no retrier matches ${shown}`;
        if (retried) this.diverge("retry", nextId, `'${node.stateName}' was retried after ${shown}, but no retrier matches it`, node, { recorded: i + 2, computed: i + 1 });
      }
      a.retry = {
        retrierIndex: idx >= 0 ? idx : null, retryNumber: idx >= 0 ? retryNumber : 0, maxAttempts: max, retried, recordedBackoffMs,
        expectedBackoffMs: plan ? Math.round(plan.delaySeconds * 1000) : null, reason,
      };
      if (!retried) final = heartbeat ? { error: f.error ?? STATES_ERRORS.Timeout, cause: f.cause, heartbeatTimeout: true } : { error: f.error ?? (f.timedOut ? STATES_ERRORS.Timeout : null), cause: f.cause };
    });
    return final;
  }

  /** After the final failure: a catcher (CAUGHT), or the failure propagates (FAILED). */
  private async afterFailure(node: VisitNode, state: State, raw: DataPoint, env: EvalEnv, f: Failure): Promise<Outcome> {
    const error = f.error ?? STATES_ERRORS.TaskFailed;
    const catchers = "Catch" in state ? state.Catch : undefined;
    const idx = findCatcher(catchers, error, { heartbeatTimeout: f.heartbeatTimeout === true });
    const exitId = node.exitedEventId ?? node.enteredEventId;
    if (node.status === "CAUGHT" || this.isExited(node)) {
      node.status = "CAUGHT";
      if (idx < 0 || !catchers) {
        node.catch = { error, catcherIndex: null, next: null, reason: `no catcher matches ${error}` };
        this.diverge("catch", exitId, `'${node.stateName}' was caught after ${error}, but no catcher matches it`, node, { recorded: error });
        return { computed: null, failure: null, catcherNext: null };
      }
      const c = catchers[idx];
      node.catch = { error, catcherIndex: idx, next: c.Next, reason: `Catch[${idx}] matches ${error}` };
      if (!known(raw)) return { computed: null, failure: null, catcherNext: c.Next };
      const out = await this.catchOutput(node, state, c, raw.value, env, f);
      return { computed: out, failure: null, catcherNext: c.Next };
    }
    if (idx >= 0 && catchers && node.status === "FAILED" && !this.cutShort(node)) {
      node.catch = { error, catcherIndex: idx, next: catchers[idx].Next, reason: `Catch[${idx}] matches ${error}` };
      this.diverge("catch", exitId, `Catch[${idx}] of '${node.stateName}' matches ${error} (leading to '${catchers[idx].Next}'), but the history shows the failure uncaught`, node, { recorded: null, computed: catchers[idx].Next });
    } else if (node.status === "FAILED") {
      node.catch = { error, catcherIndex: null, next: null, reason: catchers?.length ? `no catcher matches ${error}` : "the state has no Catch" };
    }
    // Aborted (waiting to retry when a sibling failed): the failure is not this scope's. The
    // heartbeat flag stays with the Task: its container fails with plain States.Timeout.
    return { computed: null, failure: node.status === "RUNNING" || node.status === "ABORTED" ? null : { error: f.error, cause: f.cause }, catcherNext: null };
  }

  private cutShort(node: VisitNode): boolean {
    if (this.trace.execution.status === "RUNNING") return true; // the record may end before the catch
    const e = this.event(node.exitedEventId);
    if (e && e.type.endsWith("Aborted") && node.attemptList.every((a) => a.outcome !== "FAILED" && a.outcome !== "TIMED_OUT")) return true;
    return this.trace.execution.status === "ABORTED" || this.trace.execution.status === "TIMED_OUT";
  }

  private async catchOutput(node: VisitNode, state: State, c: Catcher, raw: Json, env: EvalEnv, f: Failure): Promise<Computed | null> {
    const out = catchErrorOutput(f);
    const r = await tryAsl(() => processCatch(state, c, raw, out, env));
    if (!r.ok) return null;
    node.dataFlow.afterResultPath = computedPoint(r.value.afterResultPath);
    return { output: r.value.output, assigned: r.value.assigned };
  }

  // ------------------------------------------------------------------ Map and Parallel

  private async container(node: VisitNode, state: MapState | ParallelState, asl: AslScope, raw: DataPoint, env: EvalEnv, vars: Record<string, Json>): Promise<Outcome> {
    const df = node.dataFlow;
    const [childAsl] = state.Type === "Map" ? childScopes(node.stateName, state, asl) : [undefined];
    const branchScopes = state.Type === "Parallel" ? childScopes(node.stateName, state, asl) : [];
    // Inputs of the children.
    let childInputs: Json[] | null = null;
    let inputsUnknownWhy = "the state input is unknown";
    if (known(raw)) {
      if (state.Type === "Parallel") {
        const r = await tryAsl(() => prepareInput(state, raw.value, env));
        if (r.ok) {
          df.afterInputPath = computedPoint(r.value.afterInputPath);
          df.effectiveInput = computedPoint(r.value.effectiveInput);
          childInputs = state.Branches.map(() => r.value.effectiveInput);
        } else if (r.error) {
          return this.failHere(node, state, r.error, raw.value, env);
        } else inputsUnknownWhy = r.message;
      } else if (state.ItemReader) {
        inputsUnknownWhy = "the items come from an ItemReader, which the history does not hold";
      } else {
        const r = await tryAsl(async () => {
          const items = await mapItems(state, raw.value, env);
          let inputs = await mapItemInputs(state, raw.value, items.items, env);
          if (state.ItemBatcher) inputs = await batchItems(state, raw.value, inputs, env);
          return { items, inputs };
        });
        if (r.ok) {
          df.afterInputPath = computedPoint(r.value.items.afterInputPath);
          df.effectiveInput = computedPoint(r.value.inputs);
          childInputs = r.value.inputs;
        } else if (r.error) {
          if (!node.attemptList.length) {
            return this.failHere(node, state, r.error, raw.value, env);
          }
          this.diverge("items", node.attemptList[0].scheduledEventId ?? node.enteredEventId, `the definition fails '${node.stateName}' with ${r.error.error} before iterating (${r.error.cause}), but the history shows it iterating`, node);
        } else inputsUnknownWhy = r.message;
      }
    }
    if (this.isExited(node) && node.attemptList.length === 0 && node.status === "SUCCEEDED") {
      this.diverge("missing-event", node.exitedEventId ?? node.enteredEventId, `${state.Type} '${node.stateName}' exited without a ${state.Type}StateStarted event`, node);
    }

    // Children, run by run.
    const scopesByRun = new Map<number, TraceScope[]>();
    for (const s of this.trace.scopes) {
      if (s.parentSeq !== node.seq) continue;
      const list = scopesByRun.get(s.run) ?? [];
      list.push(s);
      scopesByRun.set(s.run, list);
    }
    const runFailures: Array<Failure | null> = [];
    let lastRunResult: Json[] | null = null;
    // The history tells too: a distributed Map records map runs, not iterations.
    const distributed = state.Type === "Map" && (isDistributedMap(state) || this.trace.eventsOf[node.seq].some((i) => this.events[i].type === "MapRunStarted"));
    for (const a of node.attemptList) {
      const scopes = scopesByRun.get(a.number) ?? [];
      const started = this.event(a.scheduledEventId);
      const recLength = started?.mapStateStartedEventDetails?.length;
      if (state.Type === "Map" && childInputs && recLength !== undefined && recLength !== childInputs.length && !state.ItemReader) {
        this.diverge("items", a.scheduledEventId ?? node.enteredEventId, `'${node.stateName}' iterates over ${recLength} items in the history, ${childInputs.length} by the definition`, node, { recorded: recLength, computed: childInputs.length });
      }
      const outputs: Array<DataPoint | undefined> = [];
      let runFailure: Failure | null = null;
      let firstFailureAt = Infinity;
      const ordered = [...scopes].sort((x, y) => x.index - y.index);
      // Parallel branches are numbered by their StartAt (the tracer numbers them in order of start).
      const indexOf = new Map<TraceScope, number>();
      for (const s of ordered) {
        let childScope: AslScope | undefined = childAsl;
        let index = s.index;
        if (state.Type === "Parallel") {
          const first = s.visits.length ? this.nodes[s.visits[0]].stateName : null;
          const bi = state.Branches.findIndex((b) => b.StartAt === first);
          if (bi >= 0) index = bi;
          childScope = branchScopes[index];
        }
        indexOf.set(s, index);
        const input: DataPoint = childInputs && index < childInputs.length ? computedPoint(childInputs[index]) : { provenance: "unknown", note: inputsUnknownWhy };
        if (state.Type === "Map" && childInputs && index >= childInputs.length) {
          this.diverge("items", s.startedEventId ?? node.enteredEventId, `'${node.stateName}' has an iteration ${index} in the history, but the definition gives ${childInputs.length} items`, node, { recorded: index + 1, computed: childInputs.length });
        }
        const child: ChildRun = {
          kind: state.Type === "Map" ? "iteration" : "branch", index, run: a.number,
          path: index === s.index ? s.path : `${node.path ? `${node.path}/` : ""}${node.stateName}[${index}]`,
          startedEventId: s.startedEventId, endedEventId: s.endedEventId, status: "RUNNING", input, output: UNKNOWN,
          visits: s.visits.map((v) => this.nodes[v]),
        };
        let outcome: ScopeOutcome;
        if (childScope) {
          outcome = await this.walkScope(childScope, s, input, vars);
        } else {
          outcome = { ended: "open", output: UNKNOWN, failure: null };
        }
        child.output = outcome.ended === "succeeded" ? outcome.output : UNKNOWN;
        child.status = this.childStatus(s, outcome);
                node.children.push(child);
        outputs[index] = outcome.ended === "succeeded" ? outcome.output : undefined;
        if (outcome.failure) {
          const at = s.endedEventId ?? Infinity;
          if (at < firstFailureAt || runFailure === null) {
            firstFailureAt = at;
            runFailure = outcome.failure;
          }
        }
      }
      if (state.Type === "Parallel") this.renumberBranchPaths(node, ordered, indexOf);
      if (distributed) {
        const runEvents = this.trace.eventsOf[node.seq].map((i) => this.events[i]).filter((e) => e.type === "MapRunStarted");
        for (const e of runEvents) {
          node.children.push({
            kind: "mapRun", index: node.children.filter((c) => c.kind === "mapRun").length, run: a.number, path: node.path,
            startedEventId: e.id, endedEventId: null, status: a.outcome === "SUCCEEDED" ? "SUCCEEDED" : a.outcome === "RUNNING" ? "RUNNING" : a.outcome === "ABORTED" ? "ABORTED" : "FAILED",
            input: childInputs ? computedPoint(childInputs) : UNKNOWN, output: UNKNOWN, mapRunArn: e.mapRunStartedEventDetails?.mapRunArn, visits: [],
          });
        }
        if (a.error) runFailure = { error: a.error, cause: a.cause };
      }
      // Missing children in a run that succeeded.
      if (a.outcome === "SUCCEEDED" && !distributed) {
        const expected = state.Type === "Parallel" ? state.Branches.length : (recLength ?? childInputs?.length ?? ordered.length);
        const have = new Set(ordered.map((s) => indexOf.get(s) ?? s.index));
        for (let i = 0; i < expected; i++) {
          if (!have.has(i)) {
            this.diverge("missing-event", a.endedEventId ?? node.enteredEventId, `${state.Type === "Map" ? `iteration ${i}` : `branch ${i}`} of '${node.stateName}' is missing from the history, yet the state succeeded`, node);
            break;
          }
        }
        if (ordered.length === expected && have.size === expected && [...have].every((i) => i < expected) && outputs.every((o) => o !== undefined && known(o))) {
          lastRunResult = outputs.map((o) => (o && known(o) ? o.value : null));
        } else lastRunResult = null;
      }
      if (a.outcome === "FAILED" && !runFailure) {
        runFailure = { error: node.error, cause: node.cause };
      }
      a.error ??= runFailure?.error ?? null;
      a.cause ??= runFailure?.cause ?? null;
      runFailures.push(a.outcome === "FAILED" ? runFailure : null);
    }
    // A Map/Parallel failure carries its child's error.
    const final = this.analyzeRetries(node, state.Retry, runFailures.map((f) => (f ? { error: f.error, cause: f.cause } : null)));
    const lastRun = node.attemptList[node.attemptList.length - 1];
    if (lastRun?.outcome === "SUCCEEDED") {
      if (distributed || lastRunResult === null || !known(raw)) {
        df.result = { provenance: "unknown", note: distributed ? "the results are in the map run's child executions" : "not every child's output is known" };
        return { computed: null, failure: null, catcherNext: null };
      }
      const result: Json = lastRunResult;
      df.result = computedPoint(result);
      const runEnv = lastRun.number > 1 ? this.env(node, state, vars, lastRun.number - 1) : env;
      const r = await tryAsl(() => processResult(state, raw.value, result, runEnv));
      if (r.ok) {
        df.afterResultSelector = computedPoint(r.value.afterResultSelector);
        df.afterResultPath = computedPoint(r.value.afterResultPath);
        return { computed: { output: r.value.output, assigned: r.value.assigned }, failure: null, catcherNext: null };
      }
      if (r.error) {
        return this.failHere(node, state, r.error, raw.value, env);
      }
      return { computed: null, failure: null, catcherNext: null };
    }
    if (final) {
      if (node.error === null || node.status === "CAUGHT") {
        node.error = final.error;
        node.cause = final.cause;
      }
      return this.afterFailure(node, state, raw, env, final);
    }
    return { computed: null, failure: null, catcherNext: null };
  }

  /** Visits inside a branch the tracer numbered by order of start get the definition's branch number in their path. */
  private renumberBranchPaths(node: VisitNode, scopes: TraceScope[], indexOf: Map<TraceScope, number>): void {
    const renames: Array<[string, string]> = [];
    for (const s of scopes) {
      const index = indexOf.get(s);
      if (index !== undefined && index !== s.index) renames.push([s.path, `${node.path ? `${node.path}/` : ""}${node.stateName}[${index}]`]);
    }
    if (!renames.length) return;
    const updates: Array<[VisitNode, string]> = [];
    for (const n of this.nodes) {
      if (n.seq <= node.seq) continue;
      for (const [from, to] of renames) {
        if (n.path === from || n.path.startsWith(`${from}/`)) {
          updates.push([n, to + n.path.slice(from.length)]);
          break;
        }
      }
    }
    for (const [n, path] of updates) n.path = path;
  }

  private childStatus(s: TraceScope, outcome: ScopeOutcome): ChildRun["status"] {
    if (s.endedType === "MapIterationAborted") return "ABORTED";
    if (s.endedType === "MapIterationFailed" || outcome.ended === "failed") return "FAILED";
    if (s.endedType === "MapIterationSucceeded" || outcome.ended === "succeeded") return "SUCCEEDED";
    const visits = s.visits.map((v) => this.nodes[v]);
    if (visits.some((v) => v.status === "ABORTED")) return "ABORTED";
    return "RUNNING";
  }

  // ------------------------------------------------------------------ the execution

  private checkExecutionEnd(outcome: ScopeOutcome, input: DataPoint): RunModel["execution"] {
    const ex = this.trace.execution;
    const end = this.event(ex.eventId || null);
    let output: DataPoint = UNKNOWN;
    if (end?.type === "ExecutionSucceeded") {
      const rec = payloadOf(end.executionSucceededEventDetails?.output, end.executionSucceededEventDetails?.outputDetails);
      if (outcome.ended === "failed") {
        this.diverge("transition", end.id, `the execution succeeded, but by the definition it fails with ${outcome.failure?.error ?? "an error"}`, null, { recorded: "SUCCEEDED", computed: "FAILED" });
      }
      this.compare("output", end.id, null, "execution output", rec, outcome.output.provenance === "unknown" ? UNKNOWN : { ...outcome.output, provenance: "computed" });
      output = best(rec, outcome.output);
    } else if (end?.type === "ExecutionFailed") {
      const f = outcome.failure;
      if (outcome.ended === "succeeded") {
        // Failures after the last state exited (States.Runtime on the output) are AWS's, not ours to judge.
      } else if (f && f.error !== null && ex.error !== null && f.error !== ex.error) {
        this.diverge("error", end.id, `the execution failed with ${ex.error}, but by the definition with ${f.error}`, null, { recorded: ex.error, computed: f.error });
      } else if (f && f.error !== null && ex.error !== null && f.cause !== null && ex.cause !== null && f.cause !== ex.cause && !ex.cause.includes(f.cause)) {
        this.diverge("error", end.id, `the execution failed with cause '${truncateText(ex.cause)}', but by the definition with '${truncateText(f.cause)}'`, null, { recorded: ex.cause, computed: f.cause });
      }
    }
    return {
      status: ex.status,
      startedAt: this.base.startedAt,
      stoppedAt: end?.timestamp ?? null,
      input,
      output,
      error: ex.error,
      cause: ex.cause,
      eventCount: this.events.length,
    };
  }

  /** Events that belong to no state, and events after the execution ended. */
  private checkStrayEvents(): void {
    const endId = this.trace.execution.eventId;
    let starts = 0;
    for (const i of this.trace.executionEvents) {
      const e = this.events[i];
      if (e.type === "ExecutionStarted") {
        if (++starts > 1) this.diverge("extra-event", e.id, "a second ExecutionStarted event");
        continue;
      }
      if (e.type.startsWith("Execution")) continue;
      if (!STRUCTURE_EVENTS.test(e.type)) continue; // an event type we do not know: not ours to judge
      this.diverge("extra-event", e.id, `${e.type} (event ${e.id}) belongs to no state the history entered`);
    }
    if (endId) {
      for (const e of this.events) {
        if (e.id > endId && e.type !== "ExecutionRedriven" && !this.trace.executionEvents.includes(this.eventIndex.get(e.id) ?? -1)) {
          this.diverge("extra-event", e.id, `${e.type} (event ${e.id}) comes after the execution ended (event ${endId})`);
          break;
        }
      }
    }
  }

  private attachChildren(): void {
    for (const n of this.nodes) {
      if (n.children.length > 1) n.children.sort((a, b) => a.run - b.run || (a.kind === b.kind ? a.index - b.index : a.kind.localeCompare(b.kind)));
    }
  }

  private detectDrift(): RunModel["drift"] {
    const structural = this.divergences.filter((d) => DRIFT_KINDS.has(d.kind)).sort((a, b) => a.eventId - b.eventId);
    if (!structural.length) return null;
    const first = structural[0];
    const drift = {
      eventId: first.eventId,
      state: first.state ?? null,
      message: `the history was recorded against another version of the definition: it first shows at ${first.state ? `'${first.state}'${first.path ? ` (${first.path})` : ""}` : "the execution"}, event ${first.eventId}: ${first.message}`,
    };
    this.divergences.push({ eventId: first.eventId, kind: "definition-drift", message: drift.message, ...(first.state ? { state: first.state } : {}), ...(first.path !== undefined ? { path: first.path } : {}) });
    return drift;
  }
}

function emptyDataFlow(): DataFlow {
  return {
    rawInput: UNKNOWN, afterInputPath: UNKNOWN, effectiveInput: UNKNOWN, result: UNKNOWN, afterResultSelector: UNKNOWN,
    afterResultPath: UNKNOWN, output: UNKNOWN, assignedVariables: {},
  };
}

/** The error output a catcher receives for a recorded failure: `{Error, Cause}`. */
function catchErrorOutput(f: Failure): Json {
  if (f.error === null) return { Error: null, Cause: f.cause };
  return errorOutput(f.error, f.cause ?? undefined);
}

const NONDETERMINISTIC = /States\.UUID|States\.MathRandom|\$uuid\(|\$random\(|\$now\(|\$millis\(/;
const nondeterministicCache = new WeakMap<object, boolean>();
/** A state whose fields call functions with a different value on every run: its values cannot be recomputed. */
function usesNondeterminism(state: State): boolean {
  let v = nondeterministicCache.get(state);
  if (v === undefined) {
    const own = { ...state } as Record<string, unknown>;
    delete own.Branches;
    delete own.ItemProcessor;
    delete own.Iterator;
    v = NONDETERMINISTIC.test(JSON.stringify(own));
    nondeterministicCache.set(state, v);
  }
  return v;
}

const CONTEXT_REFERENCE = /\$\$|\$states\.context/;
const contextCache = new WeakMap<object, boolean>();
/** Whether a state's evaluation may have read a value the history does not hold. */
function dependsOnUnknowns(state: State, env: EvalEnv): boolean {
  let refs = contextCache.get(state);
  if (refs === undefined) {
    refs = CONTEXT_REFERENCE.test(JSON.stringify(state));
    contextCache.set(state, refs);
  }
  return refs || Object.values(env.variables).some((v) => containsUnknown(v));
}

/** A number of seconds given as a number (a path or JSONata expression is not one). */
function secondsOf(v: unknown): number | null {
  return typeof v === "number" && Number.isFinite(v) ? v : null;
}

function ordinal(n: number): string {
  return n === 1 ? "1st" : n === 2 ? "2nd" : n === 3 ? "3rd" : `${n}th`;
}

function truncateText(s: string, n = 120): string {
  return s.length > n ? `${s.slice(0, n - 1)}…` : s;
}
