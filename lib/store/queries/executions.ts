// The executions list: every filter of the list page, server-side sort and pagination, and the
// same query for CSV/JSON export.
import { parseExecutionSearch } from "@/lib/analysis/search";
import type { Store } from "../index";
import { type Kind, like, msOrNull, num, ts, Where } from "./sql";

export const EXECUTION_SORTS = ["startDate", "durationMs", "eventCount", "transitions", "retries", "name", "status"] as const;
export type ExecutionSort = (typeof EXECUTION_SORTS)[number];

export interface ExecutionListFilter {
  status?: string[];
  stateMachine?: string;
  versionId?: number;
  from?: number;
  to?: number;
  error?: string;
  cause?: string;
  failedState?: string;
  /** `$.path = value` or free text over input/output/error/cause. */
  q?: string;
  /** Executions where this state had a visit matching `visitIs`. */
  visitState?: string;
  visitIs?: "failed" | "retried" | "timeout" | "any";
  parentArn?: string;
  sort?: ExecutionSort;
  dir?: "asc" | "desc";
  page?: number;
  pageSize?: number;
}

export interface ExecutionListRow {
  id: number;
  arn: string;
  name: string;
  stateMachine: string;
  stateMachineType: string;
  versionId: number | null;
  status: string;
  startDate: number;
  stopDate: number | null;
  durationMs: number | null;
  error: string | null;
  cause: string | null;
  failedState: string | null;
  /** Where the failure started (the SQL form of lib/analysis rootFailure), when it differs from failedState. */
  rootState: string | null;
  eventCount: number;
  transitions: number;
  retries: number;
}

function whereFor(kind: Kind, f: ExecutionListFilter): Where {
  const w = new Where();
  if (f.status?.length) w.add(`e."status" IN (${f.status.map(() => "?").join(", ")})`, ...f.status);
  if (f.stateMachine) w.add(`m."name" = ?`, f.stateMachine);
  if (f.versionId !== undefined) w.add(`e."versionId" = ?`, f.versionId);
  if (f.from !== undefined) w.add(`e."startDate" >= ?`, ts(kind, f.from));
  if (f.to !== undefined) w.add(`e."startDate" < ?`, ts(kind, f.to));
  if (f.error) w.add(`e."error" = ?`, f.error);
  if (f.cause) w.add(`e."cause" LIKE ? ESCAPE '\\'`, like(f.cause));
  // An uncorrelated IN: one index range scan of StateVisit (stateName, status), hashed once. (As a
  // correlated EXISTS inside the OR, PostgreSQL costed the per-row alternative so high that JIT
  // compilation alone took ~250 ms; see docs/query-plans.md.)
  if (f.failedState) w.add(`(e."failedState" = ? OR e."id" IN (SELECT fv."executionId" FROM "StateVisit" fv WHERE fv."stateName" = ? AND fv."status" IN ('FAILED', 'CAUGHT')))`, f.failedState, f.failedState);
  if (f.parentArn) w.add(`e."parentArn" = ?`, f.parentArn);
  if (f.visitState) {
    const cond = f.visitIs === "failed" ? `AND v."status" IN ('FAILED', 'CAUGHT') AND v."error" IS NOT NULL` : f.visitIs === "retried" ? `AND v."attempts" > 1` : f.visitIs === "timeout" ? `AND v."error" = 'States.Timeout'` : "";
    w.add(`EXISTS (SELECT 1 FROM "StateVisit" v WHERE v."executionId" = e."id" AND v."stateName" = ? ${cond})`, f.visitState);
  }
  const search = parseExecutionSearch(f.q);
  if (search?.kind === "text") {
    w.add(`(e."input" LIKE ? ESCAPE '\\' OR e."output" LIKE ? ESCAPE '\\' OR e."error" LIKE ? ESCAPE '\\' OR e."cause" LIKE ? ESCAPE '\\' OR e."name" LIKE ? ESCAPE '\\')`, ...Array(5).fill(like(search.text)));
  } else if (search?.kind === "jsonpath") {
    const value = search.value;
    if (kind === "sqlite") {
      const extract = (col: string) => `(CASE WHEN json_valid(e."${col}") THEN json_extract(e."${col}", ?) END)`;
      const cmp = value === null ? (search.op === "=" ? "IS NULL" : "IS NOT NULL") : `${search.op === "=" ? "=" : "<>"} ?`;
      const vparam = typeof value === "boolean" ? (value ? 1 : 0) : value;
      const vs = value === null ? [] : [vparam];
      w.add(`(${extract("input")} ${cmp} OR ${extract("output")} ${cmp})`, search.path, ...vs, search.path, ...vs);
    } else {
      // PostgreSQL: compare as text through jsonb (payloads that are not JSON never match).
      const keys = search.path.slice(1).match(/\.[^.[]+|\[\d+\]/g)?.map((p) => (p.startsWith("[") ? p.slice(1, -1) : p.slice(1).replace(/^"|"$/g, ""))) ?? [];
      const op = search.op === "=" ? "=" : "<>";
      const text = value === null ? null : String(value);
      w.add(`(CASE WHEN e."input" ~ '^\\s*[{\\[]' THEN (e."input"::jsonb #>> ?::text[]) END ${op} ?)`, `{${keys.join(",")}}`, text);
      // The same test through the GIN index on the parsed input (migration execution_search_indexes):
      // containment of every JSON value whose text could equal the one searched for, a superset
      // of the matches that the exact test above then narrows.
      const probes = search.op === "=" && text !== null ? containmentProbes(search.path, keys, text) : null;
      if (probes) w.add(`(${probes.map(() => `"statelens_json_or_null"(e."input") @> ?::jsonb`).join(" OR ")})`, ...probes);
    }
  }
  return w;
}

const JSON_NUMBER = /^-?(?:0|[1-9]\d*)(?:\.\d+)?(?:[eE][+-]?\d+)?$/;

/**
 * JSON documents `d` such that every input whose value at `keys` has the text `text` (what
 * `#>>` returns) contains one of them (`@>`): the value as a JSON string, and also as a number or
 * boolean when the text reads as one. Null when containment cannot express the test: a path
 * through array indexes (containment ignores positions), or a text that could be an object's or
 * array's JSON.
 */
export function containmentProbes(path: string, keys: string[], text: string): string[] | null {
  if (!keys.length || /\[\d+\]/.test(path) || /^\s*[{[]/.test(text)) return null;
  const scalars = [JSON.stringify(text)];
  if (JSON_NUMBER.test(text)) scalars.push(text); // the digits as written: no float rounding
  if (text === "true" || text === "false") scalars.push(text);
  return scalars.map((scalar) => keys.reduceRight((inner, key) => `{${JSON.stringify(key)}:${inner}}`, scalar));
}

const SELECT = `SELECT e."id", e."arn", e."name", m."name" AS "stateMachine", m."type" AS "stateMachineType", e."versionId", e."status", e."startDate", e."stopDate", e."durationMs",
  e."error", e."cause", e."failedState", e."eventCount", e."transitions", e."retries",
  CASE WHEN e."status" IN ('FAILED', 'TIMED_OUT', 'ABORTED') THEN (SELECT v."stateName" FROM "StateVisit" v WHERE v."executionId" = e."id" AND v."status" IN ('FAILED', 'CAUGHT')
    AND v."error" IS NOT NULL AND v."stateType" NOT IN ('Map', 'Parallel', 'Fail') ORDER BY v."seq" LIMIT 1) END AS "rootState"
  FROM "Execution" e JOIN "StateMachine" m ON m."id" = e."stateMachineId"`;

function toRow(r: Record<string, unknown>): ExecutionListRow {
  return {
    id: num(r.id), arn: String(r.arn), name: String(r.name), stateMachine: String(r.stateMachine), stateMachineType: String(r.stateMachineType),
    versionId: r.versionId === null ? null : num(r.versionId), status: String(r.status), startDate: msOrNull(r.startDate) ?? 0, stopDate: msOrNull(r.stopDate),
    durationMs: r.durationMs === null ? null : num(r.durationMs), error: (r.error as string | null) ?? null, cause: (r.cause as string | null) ?? null,
    failedState: (r.failedState as string | null) ?? null, rootState: (r.rootState as string | null) ?? null, eventCount: num(r.eventCount), transitions: num(r.transitions), retries: num(r.retries),
  };
}

export async function searchExecutions(store: Store, f: ExecutionListFilter): Promise<{ rows: ExecutionListRow[]; total: number; page: number; pageSize: number }> {
  const kind = store.driver.kind;
  const w = whereFor(kind, f);
  const pageSize = Math.min(Math.max(f.pageSize ?? 50, 1), 10_000);
  const page = Math.max(f.page ?? 1, 1);
  const sort = EXECUTION_SORTS.includes(f.sort as ExecutionSort) ? f.sort! : "startDate";
  const dir = f.dir === "asc" ? "ASC" : "DESC";
  // PostgreSQL sorts NULL last ascending, SQLite first: say it, but only for the one nullable sort
  // column, since a NULLS clause that differs from the index's order (DESC NULLS LAST on an ASC
  // index) stops PostgreSQL from reading the page off the startDate index (a full scan and sort instead).
  const nulls = kind === "postgres" && sort === "durationMs" ? (dir === "ASC" ? " NULLS FIRST" : " NULLS LAST") : "";
  const [rows, count] = await Promise.all([
    store.driver.all<Record<string, unknown>>(`${SELECT} ${w} ORDER BY e."${sort}" ${dir}${nulls}, e."id" ${dir} LIMIT ${pageSize} OFFSET ${(page - 1) * pageSize}`, w.params),
    store.driver.all<{ n: unknown }>(`SELECT COUNT(*) AS "n" FROM "Execution" e JOIN "StateMachine" m ON m."id" = e."stateMachineId" ${w}`, w.params),
  ]);
  return { rows: rows.map(toRow), total: num(count[0]?.n), page, pageSize };
}

/** Distinct values for the filter dropdowns. */
export async function executionFacets(store: Store): Promise<{ stateMachines: string[]; errors: string[]; failedStates: string[]; versions: Array<{ id: number; stateMachine: string; label: string }> }> {
  const [machines, errors, states, versions] = await Promise.all([
    store.driver.all<{ name: string }>(`SELECT "name" FROM "StateMachine" ORDER BY "name"`),
    store.driver.all<{ error: string }>(`SELECT DISTINCT "error" FROM "Execution" WHERE "error" IS NOT NULL ORDER BY "error" LIMIT 200`),
    store.driver.all<{ s: string }>(`SELECT DISTINCT "failedState" AS "s" FROM "Execution" WHERE "failedState" IS NOT NULL UNION SELECT DISTINCT "stateName" AS "s" FROM "StateVisit" WHERE "status" IN ('FAILED', 'CAUGHT') AND "error" IS NOT NULL ORDER BY 1 LIMIT 200`),
    store.driver.all<{ id: unknown; name: string; hash: string; label: string | null; firstSeen: unknown }>(`SELECT v."id", m."name", v."hash", v."label", v."firstSeen" FROM "StateMachineVersion" v JOIN "StateMachine" m ON m."id" = v."stateMachineId" ORDER BY m."name", v."firstSeen"`),
  ]);
  const seen = new Map<string, number>();
  return {
    stateMachines: machines.map((m) => m.name),
    errors: errors.map((e) => e.error),
    failedStates: states.map((s) => s.s),
    versions: versions.map((v) => {
      const n = (seen.get(v.name) ?? 0) + 1;
      seen.set(v.name, n);
      return { id: num(v.id), stateMachine: v.name, label: v.label ?? `${v.name} v${n} (${v.hash.slice(0, 7)})` };
    }),
  };
}
