// The StateDayRollup table: per state machine, execution start day, visit day and state, the
// counts the dashboard aggregates (visits, failures, retries, timeouts, durations, executions
// that failed in the state). It is kept in step with StateVisit by every writer, in the same
// transaction: ingest adds an execution's visits (+1), replacing or deleting an execution
// subtracts its old visits (-1); rows that reach zero visits are deleted.
//
// Two day columns, both the start of a UTC day (epoch ms on SQLite, TIMESTAMP(3) on PostgreSQL):
// - "day": when the visit was entered (the heatmap buckets by visit time);
// - "startDay": when its execution started (the cost page and the overview select executions by
//   start date).
// Nearly every visit falls on its execution's start day, so the second column adds few rows.
//
// The definitions below are the ones the StateVisit-based queries use; keep them identical:
// - failures: status FAILED or CAUGHT, with an error, state type not Map/Parallel (heatmap);
// - failedExecutions: 1 per (execution, state name) when the execution has a visit of that state
//   with status FAILED or CAUGHT, an error, and a type other than Map/Parallel/Fail (overview's
//   top failing states, a COUNT(DISTINCT execution)); counted on the row of its first such visit;
// - retries: attempts - 1; timeouts: error = 'States.Timeout'.
import type { StateVisitRecord } from "@/lib/reconstruct/visits";
import type { SqlDriver, SqlTx, SqlValue } from "./driver";

export const DAY_MS = 86_400_000;

/** The columns of one StateVisit row that the rollup needs. */
export interface RollupVisit {
  seq: number;
  stateName: string;
  stateType: string;
  status: string;
  error: string | null;
  attempts: number;
  durationMs: number | null;
  /** epoch ms */
  enteredAt: number;
}

export interface RollupExecution {
  stateMachineId: number;
  /** The execution's start date, epoch ms. */
  startDate: number;
  /** +1 when the execution's visits are inserted, -1 when they are deleted. */
  sign: 1 | -1;
  visits: RollupVisit[];
}

// As ingest stores an error (text; JSON when a source gave it parsed).
const errorText = (value: unknown): string | null => (value === null || value === undefined ? null : typeof value === "string" ? value : JSON.stringify(value));

/** The rollup columns of freshly extracted visits (as ingest stores them). */
export function rollupVisits(visits: StateVisitRecord[]): RollupVisit[] {
  return visits.map((v) => ({
    seq: v.seq, stateName: v.stateName, stateType: v.stateType, status: v.status, error: errorText(v.error),
    attempts: v.attempts, durationMs: v.exitedAt !== null ? v.exitedAt - v.enteredAt : null, enteredAt: v.enteredAt,
  }));
}

export const dayStart = (ms: number): number => Math.floor(ms / DAY_MS) * DAY_MS;

export const isFailure = (v: Pick<RollupVisit, "status" | "error" | "stateType">): boolean =>
  (v.status === "FAILED" || v.status === "CAUGHT") && v.error !== null && v.stateType !== "Map" && v.stateType !== "Parallel";

const isTopFailure = (v: Pick<RollupVisit, "status" | "error" | "stateType">): boolean => isFailure(v) && v.stateType !== "Fail";

interface Delta {
  stateMachineId: number;
  startDay: number;
  day: number;
  stateName: string;
  stateType: string;
  visits: number;
  failures: number;
  retries: number;
  timeouts: number;
  durationSumMs: number;
  durationCount: number;
  failedExecutions: number;
}

const KEY_COLUMNS = ["stateMachineId", "startDay", "day", "stateName", "stateType"] as const;
const VALUE_COLUMNS = ["visits", "failures", "retries", "timeouts", "durationSumMs", "durationCount", "failedExecutions"] as const;

function compareDeltas(a: Delta, b: Delta): number {
  return a.stateMachineId - b.stateMachineId || a.startDay - b.startDay || a.day - b.day || (a.stateName < b.stateName ? -1 : a.stateName > b.stateName ? 1 : 0) || (a.stateType < b.stateType ? -1 : a.stateType > b.stateType ? 1 : 0);
}

/** Sums the executions' visits (with their signs) per rollup key; keys in a fixed order. */
export function rollupDeltas(executions: RollupExecution[]): Delta[] {
  const byKey = new Map<string, Delta>();
  for (const ex of executions) {
    const startDay = dayStart(ex.startDate);
    const s = ex.sign;
    const firstFailure = new Map<string, number>(); // stateName -> seq of its first top failure
    for (const v of ex.visits) {
      if (!isTopFailure(v)) continue;
      const seen = firstFailure.get(v.stateName);
      if (seen === undefined || v.seq < seen) firstFailure.set(v.stateName, v.seq);
    }
    for (const v of ex.visits) {
      const day = dayStart(v.enteredAt);
      const key = JSON.stringify([ex.stateMachineId, startDay, day, v.stateName, v.stateType]);
      let d = byKey.get(key);
      if (!d) {
        d = { stateMachineId: ex.stateMachineId, startDay, day, stateName: v.stateName, stateType: v.stateType, visits: 0, failures: 0, retries: 0, timeouts: 0, durationSumMs: 0, durationCount: 0, failedExecutions: 0 };
        byKey.set(key, d);
      }
      d.visits += s;
      if (isFailure(v)) d.failures += s;
      d.retries += s * (v.attempts - 1);
      if (v.error === "States.Timeout") d.timeouts += s;
      if (v.durationMs !== null) {
        d.durationSumMs += s * v.durationMs;
        d.durationCount += s;
      }
      if (firstFailure.get(v.stateName) === v.seq && isTopFailure(v)) d.failedExecutions += s;
    }
  }
  const deltas = [...byKey.values()].filter((d) => VALUE_COLUMNS.some((c) => d[c] !== 0));
  return deltas.sort(compareDeltas);
}

const ROWS_PER_STATEMENT = 500; // 12 parameters a row: far below both databases' limits

/**
 * Applies the executions' visits to StateDayRollup inside the caller's transaction. Call it with
 * every execution whose StateVisit rows the transaction inserts (sign +1) or deletes (sign -1):
 * deltas are summed in JS first and upserted in key order, so concurrent writers take row locks
 * in the same order (no deadlocks on PostgreSQL).
 */
export async function applyStateDayRollup(tx: SqlTx, kind: SqlDriver["kind"], executions: RollupExecution[]): Promise<void> {
  const deltas = rollupDeltas(executions);
  if (!deltas.length) return;
  const t = (ms: number): SqlValue => (kind === "sqlite" ? ms : new Date(ms).toISOString());
  const cols = [...KEY_COLUMNS, ...VALUE_COLUMNS];
  const tuple = kind === "sqlite" ? `(${cols.map(() => "?").join(", ")})` : `(?, ?::timestamp, ?::timestamp, ?, ?, ?, ?, ?, ?, ?, ?, ?)`;
  const update = VALUE_COLUMNS.map((c) => `"${c}" = "StateDayRollup"."${c}" + excluded."${c}"`).join(", ");
  for (let i = 0; i < deltas.length; i += ROWS_PER_STATEMENT) {
    const chunk = deltas.slice(i, i + ROWS_PER_STATEMENT);
    const params: SqlValue[] = [];
    for (const d of chunk) params.push(d.stateMachineId, t(d.startDay), t(d.day), d.stateName, d.stateType, ...VALUE_COLUMNS.map((c) => d[c]));
    await tx.run(
      `INSERT INTO "StateDayRollup" (${cols.map((c) => `"${c}"`).join(", ")}) VALUES ${chunk.map(() => tuple).join(", ")}
       ON CONFLICT (${KEY_COLUMNS.map((c) => `"${c}"`).join(", ")}) DO UPDATE SET ${update}`,
      params,
    );
  }
  // Rows whose executions are all gone (only a subtraction can empty a row).
  const emptied = deltas.filter((d) => d.visits < 0);
  for (let i = 0; i < emptied.length; i += ROWS_PER_STATEMENT) {
    const chunk = emptied.slice(i, i + ROWS_PER_STATEMENT);
    const params: SqlValue[] = [];
    for (const d of chunk) params.push(d.stateMachineId, t(d.startDay), t(d.day), d.stateName, d.stateType);
    const key = kind === "sqlite" ? `(?, ?, ?, ?, ?)` : `(?, ?::timestamp, ?::timestamp, ?, ?)`;
    await tx.run(`DELETE FROM "StateDayRollup" WHERE "visits" <= 0 AND (${KEY_COLUMNS.map((c) => `"${c}"`).join(", ")}) IN (${chunk.map(() => key).join(", ")})`, params);
  }
}

/** The rollup columns of the stored visits of some executions, for subtracting them before a delete. */
export async function storedRollupExecutions(tx: SqlTx, executionIds: number[], sign: 1 | -1 = -1): Promise<RollupExecution[]> {
  const out: RollupExecution[] = [];
  const ms = (v: unknown): number => (v instanceof Date ? v.getTime() : Number(v));
  for (let i = 0; i < executionIds.length; i += 1000) {
    const ids = executionIds.slice(i, i + 1000);
    const marks = ids.map(() => "?").join(",");
    const executions = await tx.all<{ id: unknown; stateMachineId: unknown; startDate: unknown }>(`SELECT "id", "stateMachineId", "startDate" FROM "Execution" WHERE "id" IN (${marks})`, ids);
    const byId = new Map<number, RollupExecution>();
    for (const e of executions) {
      const ex: RollupExecution = { stateMachineId: Number(e.stateMachineId), startDate: ms(e.startDate), sign, visits: [] };
      byId.set(Number(e.id), ex);
      out.push(ex);
    }
    const visits = await tx.all<Record<string, unknown>>(
      `SELECT "executionId", "seq", "stateName", "stateType", "status", "error", "attempts", "durationMs", "enteredAt" FROM "StateVisit" WHERE "executionId" IN (${marks})`,
      ids,
    );
    for (const v of visits) {
      byId.get(Number(v.executionId))?.visits.push({
        seq: Number(v.seq), stateName: String(v.stateName), stateType: String(v.stateType), status: String(v.status), error: (v.error as string | null) ?? null,
        attempts: Number(v.attempts), durationMs: v.durationMs === null ? null : Number(v.durationMs), enteredAt: ms(v.enteredAt),
      });
    }
  }
  return out;
}
