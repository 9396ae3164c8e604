// Gantt layout of one execution: one row per state visit (attempts as segments with the backoff
// gaps between them), Parallel branches as lanes under their Parallel, a Map's iterations folded
// into one row with a density strip (expanded on request into one row per iteration). Times are
// milliseconds from the execution start. Pure: the page renders the rows, virtualized.
import type { HistoryEvent } from "@/lib/history";
import { resolveSimplePath } from "./json-path";
import { ATTEMPT_FAILURE_EVENTS, ATTEMPT_START_EVENTS, ATTEMPT_SUCCESS_EVENTS, failureOf, type HistoryTrace } from "@/lib/reconstruct/visits";

export type SegmentKind = "attempt" | "backoff" | "state";
export interface TimelineSegment {
  start: number;
  end: number;
  kind: SegmentKind;
  /** SUCCEEDED | FAILED | CAUGHT | ABORTED | RUNNING */
  outcome: string;
  /** 1-based try number for attempts. */
  attempt?: number;
  error?: string | null;
}

export interface TimelineRow {
  key: string;
  kind: "visit" | "map-iterations" | "iteration";
  depth: number;
  label: string;
  /** Branch lane or iteration path, e.g. "Reserve[1]". */
  lane: string;
  stateType: string;
  status: string;
  start: number;
  end: number;
  /** The visit (null for folded/iteration rows). */
  seq: number | null;
  /** Empty for a visit drawn as one bar from start to end in its status (see barsOf). */
  segments: TimelineSegment[];
  /** map-iterations rows: active iterations per bucket and failed iterations per bucket. */
  density?: { active: number[]; failed: number[] };
  iterations?: number;
  /** map-iterations rows: how many iterations failed. */
  failedIterations?: number;
  /** The Map visit an iteration row belongs to. */
  mapSeq?: number;
  error?: string | null;
}

export interface TimelineLayout {
  start: number;
  end: number;
  rows: TimelineRow[];
}

export const DENSITY_BUCKETS = 120;

/** Segments of one visit: each try, and the backoff wait between a failed try and the next. */
export function visitSegments(trace: HistoryTrace, events: readonly HistoryEvent[], seq: number, t0: number, now: number): TimelineSegment[] {
  const v = trace.visits[seq];
  const end = v.exitedAt ?? now;
  if (v.stateType !== "Task") return [{ start: v.enteredAt - t0, end: end - t0, kind: "state", outcome: v.status, error: v.error }];
  const segs: TimelineSegment[] = [];
  let open: { start: number; attempt: number } | null = null;
  let lastEnd: number | null = null;
  let n = 0;
  for (const i of trace.eventsOf[seq] ?? []) {
    const e = events[i];
    if (ATTEMPT_START_EVENTS.has(e.type)) {
      n++;
      if (lastEnd !== null && e.timestamp > lastEnd) segs.push({ start: lastEnd - t0, end: e.timestamp - t0, kind: "backoff", outcome: "WAIT" });
      open = { start: e.timestamp, attempt: n };
    } else if (open && (ATTEMPT_SUCCESS_EVENTS.has(e.type) || ATTEMPT_FAILURE_EVENTS.has(e.type))) {
      const failed = ATTEMPT_FAILURE_EVENTS.has(e.type);
      segs.push({ start: open.start - t0, end: e.timestamp - t0, kind: "attempt", outcome: failed ? "FAILED" : "SUCCEEDED", attempt: open.attempt, error: failed ? failureOf(e)?.error ?? null : null });
      lastEnd = e.timestamp;
      open = null;
    }
  }
  if (open) segs.push({ start: open.start - t0, end: end - t0, kind: "attempt", outcome: v.status === "RUNNING" ? "RUNNING" : v.status, attempt: open.attempt });
  if (!segs.length) segs.push({ start: v.enteredAt - t0, end: end - t0, kind: "state", outcome: v.status, error: v.error });
  return segs;
}

function densityOf(spans: Array<{ start: number; end: number; failed: boolean }>, from: number, to: number): { active: number[]; failed: number[] } {
  const active = new Array<number>(DENSITY_BUCKETS).fill(0);
  const failed = new Array<number>(DENSITY_BUCKETS).fill(0);
  const width = Math.max(1, to - from) / DENSITY_BUCKETS;
  for (const s of spans) {
    const a = Math.min(DENSITY_BUCKETS - 1, Math.max(0, Math.floor((s.start - from) / width)));
    const b = Math.min(DENSITY_BUCKETS - 1, Math.max(a, Math.floor((s.end - from) / width)));
    for (let k = a; k <= b; k++) active[k]++;
    if (s.failed) failed[b]++;
  }
  return { active, failed };
}

export interface TimelineOptions {
  /** Map visits (seq) whose iterations are shown one row each. */
  expandedMaps?: ReadonlySet<number>;
  /** Expanded Maps show only their failed iterations. */
  failedIterationsOnly?: boolean;
  /** A JSONPath into each iteration's input ($.sku) whose value labels the iteration row. */
  itemKey?: string;
  /** For running executions. */
  now?: number;
}

/** Lays out the rows of an execution's Gantt chart. */
export function layoutTimeline(trace: HistoryTrace, events: readonly HistoryEvent[], options: TimelineOptions = {}): TimelineLayout {
  const t0 = events[0]?.timestamp ?? 0;
  const lastTs = events[events.length - 1]?.timestamp ?? t0;
  const now = options.now ?? lastTs;
  const rows: TimelineRow[] = [];
  const scopesByParent = new Map<number, number[]>();
  trace.scopes.forEach((s, i) => {
    if (s.parentSeq === null) return;
    const list = scopesByParent.get(s.parentSeq);
    if (list) list.push(i);
    else scopesByParent.set(s.parentSeq, [i]);
  });
  const visitRow = (seq: number, depth: number, lane: string): TimelineRow => {
    const v = trace.visits[seq];
    const segments = visitSegments(trace, events, seq, t0, now);
    // A visit that is one plain bar needs no segment list (25,000-event runs have thousands).
    const plain = segments.length === 1 && segments[0].kind === "state";
    return {
      key: `v${seq}`, kind: "visit", depth, label: v.stateName, lane, stateType: v.stateType, status: v.status,
      start: v.enteredAt - t0, end: (v.exitedAt ?? now) - t0, seq, segments: plain ? [] : segments, ...(v.error ? { error: v.error } : {}),
    };
  };
  const emitScope = (scopeIndex: number, depth: number): void => {
    for (const seq of trace.scopes[scopeIndex].visits) emitVisit(seq, depth, trace.scopes[scopeIndex].path);
  };
  const emitVisit = (seq: number, depth: number, lane: string): void => {
    const v = trace.visits[seq];
    rows.push(visitRow(seq, depth, lane));
    const children = scopesByParent.get(seq) ?? [];
    if (v.stateType === "Parallel") {
      for (const s of children) emitScope(s, depth + 1);
    } else if (v.stateType === "Map" && children.length) {
      const spans = children.map((s) => {
        const scope = trace.scopes[s];
        const first = scope.visits.length ? trace.visits[scope.visits[0]] : null;
        const start = scope.startedEventId !== null ? events[scope.startedEventId - 1]?.timestamp ?? first?.enteredAt ?? v.enteredAt : first?.enteredAt ?? v.enteredAt;
        const last = scope.visits.length ? trace.visits[scope.visits[scope.visits.length - 1]] : null;
        const end = scope.endedEventId !== null ? events[scope.endedEventId - 1]?.timestamp ?? last?.exitedAt ?? now : last?.exitedAt ?? now;
        const failed = scope.endedType === "MapIterationFailed" || scope.visits.some((x) => trace.visits[x].status === "FAILED");
        return { scope: s, start, end, failed };
      });
      const from = v.enteredAt;
      const to = v.exitedAt ?? now;
      const failedCount = spans.filter((s) => s.failed).length;
      rows.push({
        key: `m${seq}`, kind: "map-iterations", depth: depth + 1, label: `${children.length.toLocaleString("en-US")} iterations${failedCount ? ` · ${failedCount} failed` : ""}`,
        lane: v.stateName, stateType: "Map", status: failedCount ? "FAILED" : v.status, start: from - t0, end: to - t0, seq: null, segments: [],
        density: densityOf(spans, from, to), iterations: children.length, failedIterations: failedCount, mapSeq: seq,
      });
      if (options.expandedMaps?.has(seq)) {
        for (const s of spans) {
          if (options.failedIterationsOnly && !s.failed) continue;
          const scope = trace.scopes[s.scope];
          const segments: TimelineSegment[] = scope.visits.flatMap((x) => visitSegments(trace, events, x, t0, now));
          const failedVisit = scope.visits.map((x) => trace.visits[x]).find((x) => x.status === "FAILED");
          let item = "";
          if (options.itemKey && scope.visits.length) {
            const first = events[trace.visits[scope.visits[0]].enteredEventId - 1];
            try {
              const value = resolveSimplePath(JSON.parse(first?.stateEnteredEventDetails?.input ?? "null"), options.itemKey);
              if (value !== undefined) item = ` ${typeof value === "string" ? value : JSON.stringify(value)}`.slice(0, 60);
            } catch {
              // an input that is not JSON has no key to show
            }
          }
          rows.push({
            key: `i${s.scope}`, kind: "iteration", depth: depth + 2, lane: scope.path,
            label: `#${scope.index}${item}${scope.run > 1 ? ` (run ${scope.run})` : ""}${failedVisit ? ` · ${failedVisit.stateName}` : ""}`,
            stateType: "Iteration", status: s.failed ? "FAILED" : scope.endedType ? "SUCCEEDED" : "RUNNING", start: s.start - t0, end: s.end - t0,
            seq: failedVisit?.seq ?? scope.visits[0] ?? null, segments, mapSeq: seq, error: failedVisit?.error ?? null,
          });
        }
      }
    }
  };
  const root = trace.scopes.findIndex((s) => s.kind === "execution");
  if (root >= 0) emitScope(root, 0);
  return { start: 0, end: Math.max(1, now - t0), rows };
}

/** The bars to draw for a row. */
export function barsOf(row: TimelineRow): TimelineSegment[] {
  if (row.segments.length || row.kind !== "visit") return row.segments;
  return [{ start: row.start, end: row.end, kind: "state", outcome: row.status, error: row.error ?? null }];
}

/** The first row whose visit failed (or, failing that, was caught): where "jump to failure" goes. */
export function failureRowIndex(rows: readonly TimelineRow[]): number {
  const failed = rows.findIndex((r) => r.kind === "visit" && r.status === "FAILED" && r.stateType !== "Fail" && r.stateType !== "Parallel" && r.stateType !== "Map");
  if (failed >= 0) return failed;
  return rows.findIndex((r) => r.kind === "visit" && (r.status === "FAILED" || r.status === "CAUGHT"));
}

/** The Map visits enclosing a visit, innermost first (to expand them when jumping to it). */
export function enclosingMaps(trace: HistoryTrace, seq: number): number[] {
  const out: number[] = [];
  for (let p = trace.visits[seq]?.parentSeq ?? null; p !== null; p = trace.visits[p].parentSeq) if (trace.visits[p].stateType === "Map") out.push(p);
  return out;
}
