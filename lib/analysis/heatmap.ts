// Heatmaps: states x time buckets (failures, retries, timeouts) and executions x states (the
// status of each state in each execution, Airflow-grid style).
export type HeatMetric = "failures" | "retries" | "timeouts";
export const HEAT_METRICS: readonly HeatMetric[] = ["failures", "retries", "timeouts"];

export interface StateBucketCount {
  stateName: string;
  /** Bucket start, epoch ms. */
  bucket: number;
  failures: number;
  retries: number;
  timeouts: number;
}

export interface HeatMatrix {
  states: string[];
  buckets: number[];
  /** values[state][bucket] */
  values: number[][];
  max: number;
}

/** A dense matrix from sparse counts: states ordered by total (busiest first), buckets as given. */
export function stateTimeMatrix(counts: readonly StateBucketCount[], buckets: readonly number[], metric: HeatMetric): HeatMatrix {
  const index = new Map(buckets.map((b, i) => [b, i]));
  const rows = new Map<string, number[]>();
  for (const c of counts) {
    const i = index.get(c.bucket);
    if (i === undefined) continue;
    let row = rows.get(c.stateName);
    if (!row) rows.set(c.stateName, (row = new Array<number>(buckets.length).fill(0)));
    row[i] += c[metric];
  }
  const states = [...rows.entries()].filter(([, r]) => r.some((v) => v > 0)).sort((a, b) => b[1].reduce((s, v) => s + v, 0) - a[1].reduce((s, v) => s + v, 0) || a[0].localeCompare(b[0])).map(([s]) => s);
  const values = states.map((s) => rows.get(s)!);
  return { states, buckets: [...buckets], values, max: values.reduce((m, r) => Math.max(m, ...r), 0) };
}

/** Which bucket an instant falls in. */
export function bucketOf(t: number, size: number): number {
  return Math.floor(t / size) * size;
}

export type CellStatus = "SUCCEEDED" | "RETRIED" | "CAUGHT" | "FAILED" | "ABORTED" | "RUNNING";
const SEVERITY: Record<CellStatus, number> = { SUCCEEDED: 0, RUNNING: 1, RETRIED: 2, ABORTED: 3, CAUGHT: 4, FAILED: 5 };

/** The status a grid cell shows for all visits of one state in one execution: the worst one. */
export function cellStatus(visits: ReadonlyArray<{ status: string; attempts: number }>): CellStatus | null {
  let worst: CellStatus | null = null;
  for (const v of visits) {
    const s: CellStatus = v.status === "SUCCEEDED" && v.attempts > 1 ? "RETRIED" : (v.status as CellStatus) in SEVERITY ? (v.status as CellStatus) : "SUCCEEDED";
    if (worst === null || SEVERITY[s] > SEVERITY[worst]) worst = s;
  }
  return worst;
}

export interface GridVisit {
  executionId: number;
  stateName: string;
  status: string;
  attempts: number;
}

/** Executions x states: cells[state][execution] from visit rows. State order: first appearance. */
export function statusGrid(executionIds: readonly number[], visits: readonly GridVisit[]): { states: string[]; cells: Array<Array<CellStatus | null>> } {
  const col = new Map(executionIds.map((id, i) => [id, i]));
  const groups = new Map<string, Array<Array<{ status: string; attempts: number }>>>();
  for (const v of visits) {
    const c = col.get(v.executionId);
    if (c === undefined) continue;
    let row = groups.get(v.stateName);
    if (!row) groups.set(v.stateName, (row = executionIds.map(() => [])));
    row[c].push(v);
  }
  const states = [...groups.keys()];
  return { states, cells: states.map((s) => groups.get(s)!.map(cellStatus)) };
}
