// Run-to-run diff: two executions aligned state by state (and iteration by iteration, since the
// path carries the iteration index), the first point where they part, duration and retry deltas,
// and a structural JSON diff for a state's input or output.
import type { Json } from "@/lib/history";

export interface VisitForDiff {
  seq: number;
  stateName: string;
  stateType: string;
  path: string;
  status: string;
  attempts: number;
  durationMs: number | null;
  error: string | null;
}

export type AlignKind = "same" | "changed" | "only-a" | "only-b";
export interface AlignedRow<V extends VisitForDiff = VisitForDiff> {
  kind: AlignKind;
  key: string;
  a: V | null;
  b: V | null;
  durationDeltaMs: number | null;
  retryDelta: number;
}

export interface RunDiff<V extends VisitForDiff = VisitForDiff> {
  rows: AlignedRow<V>[];
  /** Index into rows of the first row that is not "same", or -1. */
  firstDivergence: number;
  /**
   * Where the difference starts: the first divergence, or, when that is a Map/Parallel whose
   * outcome only reflects a child's, the first differing row inside it.
   */
  rootDivergence: number;
  durationDeltaMs: number | null;
  retryDelta: number;
}

export const visitKey = (v: Pick<VisitForDiff, "path" | "stateName">) => (v.path ? `${v.path}/${v.stateName}` : v.stateName);

const LCS_LIMIT = 4_000_000;

/** Index pairs of a longest common subsequence of two key lists. */
function lcsPairs(a: readonly string[], b: readonly string[]): Array<[number, number]> {
  const n = a.length;
  const m = b.length;
  const table = new Uint32Array((n + 1) * (m + 1));
  for (let i = n - 1; i >= 0; i--) {
    for (let j = m - 1; j >= 0; j--) {
      table[i * (m + 1) + j] = a[i] === b[j] ? table[(i + 1) * (m + 1) + j + 1] + 1 : Math.max(table[(i + 1) * (m + 1) + j], table[i * (m + 1) + j + 1]);
    }
  }
  const pairs: Array<[number, number]> = [];
  let i = 0;
  let j = 0;
  while (i < n && j < m) {
    if (a[i] === b[j]) {
      pairs.push([i, j]);
      i++;
      j++;
    } else if (table[(i + 1) * (m + 1) + j] >= table[i * (m + 1) + j + 1]) i++;
    else j++;
  }
  return pairs;
}

/** For long runs: the k-th visit of a key in A pairs with the k-th in B, kept only while in order. */
function occurrencePairs(a: readonly string[], b: readonly string[]): Array<[number, number]> {
  const positions = new Map<string, number[]>();
  b.forEach((k, j) => {
    const list = positions.get(k);
    if (list) list.push(j);
    else positions.set(k, [j]);
  });
  const used = new Map<string, number>();
  const pairs: Array<[number, number]> = [];
  let lastJ = -1;
  a.forEach((k, i) => {
    const n = used.get(k) ?? 0;
    const j = positions.get(k)?.[n];
    if (j !== undefined && j > lastJ) {
      used.set(k, n + 1);
      pairs.push([i, j]);
      lastJ = j;
    }
  });
  return pairs;
}

export function diffRuns<V extends VisitForDiff>(a: readonly V[], b: readonly V[]): RunDiff<V> {
  const ka = a.map(visitKey);
  const kb = b.map(visitKey);
  const pairs = ka.length * kb.length <= LCS_LIMIT ? lcsPairs(ka, kb) : occurrencePairs(ka, kb);
  const rows: AlignedRow<V>[] = [];
  let i = 0;
  let j = 0;
  const push = (va: V | null, vb: V | null) => {
    const kind: AlignKind = !va ? "only-b" : !vb ? "only-a" : va.status !== vb.status || va.attempts !== vb.attempts || va.error !== vb.error ? "changed" : "same";
    rows.push({
      kind, key: visitKey((va ?? vb)!), a: va, b: vb,
      durationDeltaMs: va && vb && va.durationMs !== null && vb.durationMs !== null ? vb.durationMs - va.durationMs : null,
      retryDelta: (vb ? vb.attempts - 1 : 0) - (va ? va.attempts - 1 : 0),
    });
  };
  for (const [pi, pj] of [...pairs, [a.length, b.length] as [number, number]]) {
    while (i < pi) push(a[i++], null);
    while (j < pj) push(null, b[j++]);
    if (pi < a.length && pj < b.length) push(a[i++], b[j++]);
  }
  const total = (vs: readonly VisitForDiff[]) => vs.reduce((s, v) => s + Math.max(0, v.attempts - 1), 0);
  const firstDivergence = rows.findIndex((r) => r.kind !== "same");
  let rootDivergence = firstDivergence;
  for (let guard = 0; rootDivergence >= 0 && guard < 64; guard++) {
    const r = rows[rootDivergence];
    const v = (r.b ?? r.a)!;
    if (v.stateType !== "Map" && v.stateType !== "Parallel") break;
    const inside = rows.findIndex((x, i) => i > rootDivergence && x.kind !== "same" && x.key.startsWith(`${r.key}[`));
    if (inside < 0) break;
    rootDivergence = inside;
  }
  return { rows, firstDivergence, rootDivergence, durationDeltaMs: null, retryDelta: total(b) - total(a) };
}

export interface JsonChange {
  path: string;
  kind: "added" | "removed" | "changed";
  before?: Json;
  after?: Json;
}

const isObj = (v: Json | undefined): v is { [k: string]: Json } => typeof v === "object" && v !== null && !Array.isArray(v);
const pathKey = (base: string, key: string) => (/^[A-Za-z_$][\w$]*$/.test(key) ? `${base}.${key}` : `${base}[${JSON.stringify(key)}]`);

/** Structural differences between two JSON values, as JSONPath-like paths; at most `limit`. */
export function jsonDiff(before: Json | undefined, after: Json | undefined, limit = 200): JsonChange[] {
  const out: JsonChange[] = [];
  const walk = (x: Json | undefined, y: Json | undefined, path: string) => {
    if (out.length >= limit) return;
    if (x === undefined && y === undefined) return;
    if (x === undefined) return void out.push({ path, kind: "added", after: y });
    if (y === undefined) return void out.push({ path, kind: "removed", before: x });
    if (isObj(x) && isObj(y)) {
      for (const k of new Set([...Object.keys(x), ...Object.keys(y)])) walk(x[k], y[k], pathKey(path, k));
      return;
    }
    if (Array.isArray(x) && Array.isArray(y)) {
      for (let i = 0; i < Math.max(x.length, y.length); i++) walk(x[i], y[i], `${path}[${i}]`);
      return;
    }
    if (JSON.stringify(x) !== JSON.stringify(y)) out.push({ path, kind: "changed", before: x, after: y });
  };
  walk(before, after, "$");
  return out;
}

/** Parses payload text; text that is not JSON is compared as a string. */
export function parsePayload(text: string | null | undefined): Json | undefined {
  if (text === null || text === undefined) return undefined;
  try {
    return JSON.parse(text) as Json;
  } catch {
    return text;
  }
}

export interface ChangeSummary {
  /** "Reserve[1]/ChargeCard: SUCCEEDED → FAILED PaymentDeclined", or null when the paths agree. */
  divergence: string | null;
  /** Up to `limit` input differences, e.g. `$.amount 869 → 241`. */
  inputChanges: string[];
}

/** One line of "what changed since the last good run": where the runs part and how the inputs differ. */
export function changeSummary<V extends VisitForDiff>(good: readonly V[], bad: readonly V[], goodInput: string | null, badInput: string | null, limit = 4): ChangeSummary {
  const diff = diffRuns(good, bad);
  const first = diff.rows[diff.rootDivergence];
  const show = (v: Json | undefined) => JSON.stringify(v)?.slice(0, 40);
  return {
    divergence: first ? `${first.key}: ${first.a ? first.a.status : "not run"} → ${first.b ? `${first.b.status}${first.b.error ? ` ${first.b.error}` : ""}` : "not run"}` : null,
    inputChanges: jsonDiff(parsePayload(goodInput), parsePayload(badInput), limit).map((c) => `${c.path} ${c.kind === "added" ? "added" : c.kind === "removed" ? "removed" : `${show(c.before)} → ${show(c.after)}`}`),
  };
}
