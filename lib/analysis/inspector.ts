// What the state inspector shows for one visit, from the history (and the definition when known):
// the data-flow steps as recorded, each try with the wait before it, the Retry/Catch story, and for
// a Choice which rule sent the run where. When lib/reconstruct's run model is available the page
// can show its computed steps instead; these recorded ones stay the ground truth.
import { detailsOf, type HistoryEvent } from "@/lib/history";
import type { DataPoint, Divergence, VisitNode } from "@/lib/reconstruct/model";
import { resolveSimplePath } from "./json-path";
import { ATTEMPT_FAILURE_EVENTS, ATTEMPT_START_EVENTS, ATTEMPT_SUCCESS_EVENTS, failureOf, type HistoryTrace } from "@/lib/reconstruct/visits";

export interface RetrierLike {
  ErrorEquals: readonly string[];
  IntervalSeconds?: number;
  MaxAttempts?: number;
  BackoffRate?: number;
  MaxDelaySeconds?: number;
}
export interface CatcherLike {
  ErrorEquals: readonly string[];
  Next: string;
  ResultPath?: string | null;
}
export interface ChoiceRuleLike {
  Next?: string;
  Variable?: string;
  [operator: string]: unknown;
}
export interface StateDefinitionLike {
  Type: string;
  Retry?: readonly RetrierLike[];
  Catch?: readonly CatcherLike[];
  Choices?: readonly ChoiceRuleLike[];
  Default?: string;
  InputPath?: string | null;
  Parameters?: unknown;
  ResultSelector?: unknown;
  ResultPath?: string | null;
  OutputPath?: string | null;
}

export interface DataStep {
  label: string;
  eventId: number;
  eventType: string;
  field: string;
  text: string | null;
}
export interface TryRecord {
  n: number;
  start: number;
  end: number | null;
  outcome: "SUCCEEDED" | "FAILED" | "RUNNING";
  error: string | null;
  cause: string | null;
  /** Time between the end of the previous try and this one (the retrier's backoff). */
  waitBeforeMs: number | null;
}
export interface ChoiceRuleStory {
  index: number | "Default";
  text: string;
  next: string | null;
  taken: boolean;
  /** The value the rule's Variable read from the state input, when it could be read. */
  read?: string;
  /** Why it matched or not (from the run model). */
  reason?: string;
}
export interface InspectorData {
  seq: number;
  stateName: string;
  stateType: string;
  path: string;
  status: string;
  error: string | null;
  cause: string | null;
  enteredAt: number;
  exitedAt: number | null;
  steps: DataStep[];
  tries: TryRecord[];
  retryStory: string[];
  catchStory: string | null;
  choice: ChoiceRuleStory[] | null;
  nextState: string | null;
  /** Event ids of this visit, entered first. */
  eventIds: number[];
  /** The first 200 of those events, for the inspector's own list. */
  events: Array<{ id: number; type: string; timestamp: number; error: string | null }>;
  /** The fields of the definition that shape the data flow, as written. */
  dataFlowFields: Array<{ field: string; value: string }>;
}

/** AWS matching: a name, States.ALL, or States.TaskFailed (everything but States.Timeout). */
export function errorMatches(errorEquals: readonly string[], error: string): boolean {
  return errorEquals.some((e) => e === error || e === "States.ALL" || (e === "States.TaskFailed" && error !== "States.Timeout" && error !== "States.Runtime" && error !== "States.DataLimitExceeded"));
}

const payloadLabel: Record<string, string> = { input: "Input", output: "Output", parameters: "Parameters sent" };

function ruleText(rule: ChoiceRuleLike): string {
  const ops = Object.entries(rule).filter(([k]) => k !== "Next" && k !== "Variable" && k !== "Comment" && k !== "Assign" && k !== "Output");
  return ops.map(([k, v]) => `${rule.Variable ?? ""} ${k} ${JSON.stringify(v)}`.trim()).join(" and ") || JSON.stringify(rule);
}

export function inspectVisit(trace: HistoryTrace, events: readonly HistoryEvent[], seq: number, definition?: StateDefinitionLike | null): InspectorData | null {
  const v = trace.visits[seq];
  if (!v) return null;
  const entered = events[v.enteredEventId - 1];
  const own = (trace.eventsOf[seq] ?? []).map((i) => events[i]);
  const all = entered ? [entered, ...own] : own;
  const steps: DataStep[] = [];
  // Each retry re-sends the same parameters: show a payload once, counting its repeats.
  const repeats = new Map<string, { step: DataStep; n: number }>();
  const addStep = (step: DataStep) => {
    const key = `${step.eventType}\u0000${step.field}\u0000${step.text}`;
    const seen = repeats.get(key);
    if (seen) {
      seen.n++;
      seen.step.label = seen.step.label.replace(/( · same in \d+ tries)?$/, ` · same in ${seen.n} tries`);
      return;
    }
    repeats.set(key, { step, n: 1 });
    steps.push(step);
  };
  const tries: TryRecord[] = [];
  let lastEnd: number | null = null;
  for (const e of all) {
    const d = detailsOf(e);
    if (d) {
      for (const field of ["input", "parameters", "output"]) {
        const text = d.value[field];
        if (typeof text === "string") addStep({ label: `${payloadLabel[field]} (${e.type})`, eventId: e.id, eventType: e.type, field, text });
      }
      const cause = d.value.cause;
      if (typeof cause === "string" && ATTEMPT_FAILURE_EVENTS.has(e.type)) addStep({ label: `Cause (${e.type})`, eventId: e.id, eventType: e.type, field: "cause", text: cause });
    }
    if (ATTEMPT_START_EVENTS.has(e.type)) {
      tries.push({ n: tries.length + 1, start: e.timestamp, end: null, outcome: "RUNNING", error: null, cause: null, waitBeforeMs: lastEnd === null ? null : e.timestamp - lastEnd });
    } else if (tries.length && tries[tries.length - 1].end === null && (ATTEMPT_SUCCESS_EVENTS.has(e.type) || ATTEMPT_FAILURE_EVENTS.has(e.type))) {
      const t = tries[tries.length - 1];
      t.end = e.timestamp;
      lastEnd = e.timestamp;
      if (ATTEMPT_FAILURE_EVENTS.has(e.type)) {
        const f = failureOf(e);
        t.outcome = "FAILED";
        t.error = f?.error ?? null;
        t.cause = f?.cause ?? null;
      } else t.outcome = "SUCCEEDED";
    }
  }
  // Where the run went next: the next visit in the same scope.
  const scope = trace.scopes[trace.visitScope[seq]];
  const pos = scope ? scope.visits.indexOf(seq) : -1;
  const nextSeq = pos >= 0 ? scope.visits[pos + 1] : undefined;
  const nextState = nextSeq !== undefined ? trace.visits[nextSeq].stateName : null;

  const retryStory: string[] = [];
  const retriers = definition?.Retry ?? [];
  const used = new Map<number, number>();
  tries.forEach((t, i) => {
    if (t.outcome !== "FAILED" || !t.error) return;
    const r = retriers.findIndex((x) => errorMatches(x.ErrorEquals, t.error!));
    const next = tries[i + 1];
    if (r < 0) {
      retryStory.push(`Try ${t.n} failed with ${t.error}: no retrier matches${retriers.length ? ` (${retriers.map((x) => `[${x.ErrorEquals.join(", ")}]`).join(", ")})` : " (the state has no Retry)"}.`);
      return;
    }
    const retrier = retriers[r];
    const k = used.get(r) ?? 0;
    const max = retrier.MaxAttempts ?? 3;
    const planned = Math.min((retrier.IntervalSeconds ?? 1) * (retrier.BackoffRate ?? 2) ** k, retrier.MaxDelaySeconds ?? Infinity);
    if (next) {
      used.set(r, k + 1);
      retryStory.push(`Try ${t.n} failed with ${t.error} → retrier #${r} [${retrier.ErrorEquals.join(", ")}] retry ${k + 1} of ${max}: planned wait ${planned.toFixed(1)} s, observed ${((next.waitBeforeMs ?? 0) / 1000).toFixed(1)} s.`);
    } else {
      retryStory.push(`Try ${t.n} failed with ${t.error}: retrier #${r} [${retrier.ErrorEquals.join(", ")}] had used ${k} of ${max} retries${k >= max ? " — exhausted" : ""}.`);
    }
  });
  if (!retriers.length && tries.length > 1) retryStory.push(`${tries.length} tries recorded.`);

  let catchStory: string | null = null;
  if (v.error && (v.status === "CAUGHT" || v.status === "FAILED")) {
    const catchers = definition?.Catch ?? [];
    const c = catchers.findIndex((x) => errorMatches(x.ErrorEquals, v.error!));
    if (c >= 0) catchStory = `${v.error} matched catcher #${c} [${catchers[c].ErrorEquals.join(", ")}] → ${catchers[c].Next}${catchers[c].ResultPath !== undefined ? `, error placed at ResultPath ${catchers[c].ResultPath ?? "null (discarded)"}` : " (error output replaces the input)"}.`;
    else if (v.status === "FAILED") {
      const parent = v.parentSeq === null ? null : trace.visits[v.parentSeq];
      const where = !parent ? "the execution, which failed" : parent.status === "CAUGHT" ? `the enclosing ${parent.stateName}, whose Catch handled it` : `the enclosing ${parent.stateName}`;
      catchStory = `${v.error} was not caught here${catchers.length ? ` (catchers: ${catchers.map((x) => `[${x.ErrorEquals.join(", ")}]`).join(", ")})` : " (the state has no Catch)"}: it went up to ${where}.`;
    }
  }

  let choice: ChoiceRuleStory[] | null = null;
  if (v.stateType === "Choice" && definition?.Choices) {
    let input: unknown;
    try {
      input = JSON.parse(entered?.stateEnteredEventDetails?.input ?? "null");
    } catch {
      input = undefined;
    }
    let takenSet = false;
    choice = definition.Choices.map((rule, index) => {
      const taken = !takenSet && rule.Next === nextState;
      if (taken) takenSet = true;
      const read = rule.Variable ? resolveSimplePath(input, rule.Variable) : undefined;
      return { index, text: ruleText(rule), next: rule.Next ?? null, taken, ...(rule.Variable ? { read: read === undefined ? "(missing)" : JSON.stringify(read) } : {}) };
    });
    if (definition.Default !== undefined) choice.push({ index: "Default", text: "no rule matched", next: definition.Default, taken: !takenSet && definition.Default === nextState });
  }

  const dataFlowFields: Array<{ field: string; value: string }> = [];
  if (definition) {
    for (const f of ["InputPath", "Parameters", "ResultSelector", "ResultPath", "OutputPath"] as const) {
      if (definition[f] !== undefined) dataFlowFields.push({ field: f, value: JSON.stringify(definition[f]) });
    }
  }
  return {
    seq, stateName: v.stateName, stateType: v.stateType, path: v.path, status: v.status, error: v.error, cause: v.cause,
    enteredAt: v.enteredAt, exitedAt: v.exitedAt, steps, tries, retryStory, catchStory, choice, nextState, eventIds: all.map((e) => e.id), dataFlowFields,
    events: all.slice(0, 200).map((e) => ({ id: e.id, type: e.type, timestamp: e.timestamp, error: failureOf(e)?.error ?? null })),
  };
}

// ---- with lib/reconstruct's run model: computed steps, and its own retry/catch/choice reasons ----

export interface FlowStep {
  step: string;
  provenance: DataPoint["provenance"];
  /** JSON text of the value (absent when unknown). */
  text?: string;
  note?: string;
}

const FLOW_STEPS: Array<[keyof VisitNode["dataFlow"], string]> = [
  ["rawInput", "Input"],
  ["afterInputPath", "After InputPath"],
  ["effectiveInput", "After Parameters (the request)"],
  ["result", "Result"],
  ["afterResultSelector", "After ResultSelector"],
  ["afterResultPath", "After ResultPath"],
  ["output", "Output"],
];

const pointText = (p: DataPoint): string | undefined => (p.provenance === "unknown" || p.value === undefined ? undefined : JSON.stringify(p.value));

/** Adds what the run model knows to the recorded inspector data. */
export function withRunModel(data: InspectorData, node: VisitNode, divergences: readonly Divergence[]): InspectorData & { flow: FlowStep[]; divergences: string[] } {
  const flow: FlowStep[] = [];
  for (const [key, label] of FLOW_STEPS) {
    const p = node.dataFlow[key] as DataPoint;
    // Steps that only repeat the previous value add nothing to read.
    const text = pointText(p);
    const prev = flow[flow.length - 1];
    if (prev && text !== undefined && prev.text === text && p.provenance !== "recorded") continue;
    flow.push({ step: label, provenance: p.provenance, ...(text !== undefined ? { text } : {}), ...(p.note ? { note: p.note } : {}) });
  }
  for (const [name, p] of Object.entries(node.dataFlow.assignedVariables)) flow.push({ step: `Variable $${name}`, provenance: p.provenance, ...(pointText(p) !== undefined ? { text: pointText(p) } : {}), ...(p.note ? { note: p.note } : {}) });
  const retryStory = node.attemptList
    .filter((a) => a.retry)
    .map((a) => `Try ${a.number}${a.error ? ` failed with ${a.error}` : ""}: ${a.retry!.reason}${a.retry!.recordedBackoffMs !== null ? ` (waited ${(a.retry!.recordedBackoffMs / 1000).toFixed(1)} s${a.retry!.expectedBackoffMs !== null ? `, the retrier allows up to ${(a.retry!.expectedBackoffMs / 1000).toFixed(1)} s` : ""})` : ""}.`);
  // When this state did not catch the error, the recorded story says where it went instead.
  const catchStory = node.catch && node.catch.catcherIndex !== null ? `${node.catch.error}: ${node.catch.reason}${node.catch.next ? ` → ${node.catch.next}` : ""}.` : (data.catchStory ?? (node.catch ? `${node.catch.error}: ${node.catch.reason}.` : null));
  const choice: ChoiceRuleStory[] | null = node.choice
    ? [
        ...node.choice.rules.map((r) => ({ index: r.index, text: r.summary, next: null, taken: node.choice!.matched === r.index, reason: r.evaluated ? r.reason : "not evaluated: an earlier rule matched" })),
        ...(node.choice.matched === "Default" || node.choice.next !== null ? [{ index: "Default" as const, text: "no rule matched", next: null, taken: node.choice.matched === "Default" }] : []),
      ].map((r) => ({ ...r, next: r.taken ? node.choice!.next : r.next }))
    : data.choice;
  const mine = divergences.filter((d) => d.state === node.stateName && (d.path ?? "") === node.path).map((d) => `event ${d.eventId}: ${d.message}`);
  return { ...data, flow, retryStory: retryStory.length ? retryStory : data.retryStory, catchStory, choice, divergences: mine };
}
