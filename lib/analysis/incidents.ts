// Incidents: failures grouped by (state, error, cause fingerprint), with first/last seen and count.
// The fingerprint strips what varies between occurrences of one problem (ids, numbers, quoted
// values) so "card ending 4242 declined" and "card ending 1881 declined" group together.

/** The cause with its varying parts masked; JSON causes use their errorMessage. */
export function causeFingerprint(cause: string | null | undefined): string {
  if (!cause) return "";
  let text = cause;
  try {
    const parsed = JSON.parse(cause) as unknown;
    if (parsed && typeof parsed === "object" && "errorMessage" in parsed && typeof (parsed as { errorMessage: unknown }).errorMessage === "string") text = (parsed as { errorMessage: string }).errorMessage;
  } catch {
    // not JSON: use the text as is
  }
  return text
    .replace(/[0-9a-f]{8}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{12}/gi, "<uuid>")
    .replace(/arn:aws[\w-]*:[^\s"',)]+/g, "<arn>")
    .replace(/\b[0-9a-f]{12,}\b/gi, "<hex>")
    .replace(/"[^"]{0,200}"|'[^']{0,200}'/g, "<str>")
    .replace(/\d+(\.\d+)?/g, "#")
    .replace(/\s+/g, " ")
    .trim()
    .slice(0, 200);
}

export interface FailureOccurrence {
  executionId: number;
  executionName: string;
  stateMachine: string;
  stateName: string;
  error: string | null;
  cause: string | null;
  at: number;
}

export interface Incident {
  key: string;
  stateMachine: string;
  stateName: string;
  error: string;
  fingerprint: string;
  count: number;
  firstSeen: number;
  lastSeen: number;
  exampleCause: string | null;
  /** The most recent executions, newest first (at most 10). */
  recent: Array<{ id: number; name: string; at: number }>;
}

export function groupIncidents(failures: readonly FailureOccurrence[]): Incident[] {
  const groups = new Map<string, Incident>();
  for (const f of failures) {
    const fingerprint = causeFingerprint(f.cause);
    const error = f.error ?? "(no error name)";
    const key = JSON.stringify([f.stateMachine, f.stateName, error, fingerprint]);
    let g = groups.get(key);
    if (!g) groups.set(key, (g = { key, stateMachine: f.stateMachine, stateName: f.stateName, error, fingerprint, count: 0, firstSeen: f.at, lastSeen: f.at, exampleCause: f.cause, recent: [] }));
    g.count++;
    g.firstSeen = Math.min(g.firstSeen, f.at);
    if (f.at >= g.lastSeen) {
      g.lastSeen = f.at;
      g.exampleCause = f.cause;
    }
    g.recent.push({ id: f.executionId, name: f.executionName, at: f.at });
  }
  const out = [...groups.values()];
  for (const g of out) g.recent = g.recent.sort((a, b) => b.at - a.at).slice(0, 10);
  return out.sort((a, b) => b.count - a.count || b.lastSeen - a.lastSeen);
}

export interface VisitForRoot {
  stateName: string;
  stateType: string;
  status: string;
  error: string | null;
  cause: string | null;
}

/**
 * The visit where a failure started: the first failed visit that carries an error and is not a
 * container (a Map/Parallel only passes its child's error on) or a Fail state.
 */
export function rootFailure<V extends VisitForRoot>(visits: readonly V[]): V | null {
  return (
    visits.find((v) => (v.status === "FAILED" || v.status === "CAUGHT") && v.error && v.stateType !== "Map" && v.stateType !== "Parallel" && v.stateType !== "Fail") ??
    visits.find((v) => v.status === "FAILED" && v.stateType !== "Map" && v.stateType !== "Parallel") ??
    null
  );
}
