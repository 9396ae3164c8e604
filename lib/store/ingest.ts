// Writing executions, idempotent by execution ARN. `ingestExecutions` writes a batch of executions
// in one transaction with a few statements whatever its size: one SELECT of the batch's ARNs, the
// state machine and version ids (cached per process once committed), one INSERT of every
// execution row, one of all their history events, one of all their state visits, and the daily
// rollup. If that transaction fails, each execution is written again in a transaction of its own,
// so one bad execution costs no other. `ingestExecution` is the batch of one. Bulk rows go through
// the raw driver, which is tens of times faster than Prisma's createMany (see docs/prisma-offline.md).
import crypto from "node:crypto";
import type { ExecutionInfo } from "@/lib/history/parse";
import { summarizeHistory } from "@/lib/history/summary";
import { detailsOf, type HistoryEvent, type StateMachineType } from "@/lib/history/types";
import { extractStateVisits, type StateVisitRecord } from "@/lib/reconstruct/visits";
import type { InsertSet, SqlDriver, SqlTx, SqlValue } from "./driver";
import { maskIngestInput } from "./mask";
import { ensureEventPartitions, monthsOf } from "./partitions";
import { applyStateDayRollup, rollupVisits, storedRollupExecutions, type RollupExecution } from "./rollup";

export type SourceKind = "file" | "aws" | "logs" | "engine";

export interface IngestInput {
  events: HistoryEvent[];
  execution?: ExecutionInfo;
  /** Definition text that ran, when known. */
  definition?: string;
  source: SourceKind;
  stateMachine?: { arn?: string; name?: string; type?: StateMachineType; region?: string };
  /** A name for the execution when the document carries none (e.g. the file name). */
  fallbackName?: string;
}

export interface IngestOutcome {
  executionArn: string;
  executionId: number;
  outcome: "created" | "updated" | "unchanged";
  eventCount: number;
}

/** An execution of a batch that could not be stored (the others were). */
export interface IngestFailure {
  /** Its position in the batch. */
  index: number;
  /** Its ARN when it could be derived. */
  executionArn: string | null;
  error: Error;
}

export type IngestSettled = ({ ok: true } & IngestOutcome) | ({ ok: false } & IngestFailure);

/** Thrown by `ingestExecutions` after it stored every execution of the batch it could. */
export class IngestBatchError extends Error {
  readonly failures: IngestFailure[];
  constructor(readonly results: IngestSettled[]) {
    const failures = results.filter((r): r is { ok: false } & IngestFailure => !r.ok);
    const listed = failures.slice(0, 3).map((f) => `${f.executionArn ?? `#${f.index}`}: ${f.error.message}`);
    super(`${failures.length} of ${results.length} executions not stored: ${listed.join("; ")}${failures.length > 3 ? "; ..." : ""}`);
    this.name = "IngestBatchError";
    this.failures = failures;
  }
}

/** Error and cause are text in AWS's API; some exports hold a cause already parsed into JSON. */
function text(value: unknown): string | null {
  if (value === null || value === undefined) return null;
  return typeof value === "string" ? value : JSON.stringify(value);
}

const LOCAL_ACCOUNT = "arn:aws:states:local:000000000000";

export function sha256(text: string): string {
  return crypto.createHash("sha256").update(text).digest("hex");
}

/** Derives the identities an execution is stored under, synthesising stable ones when absent. */
export function identify(input: IngestInput): { executionArn: string; executionName: string; stateMachineArn: string; stateMachineName: string } {
  const info = input.execution ?? {};
  let executionArn = info.executionArn;
  let stateMachineArn = info.stateMachineArn ?? input.stateMachine?.arn;
  if (!stateMachineArn && executionArn) {
    const m = /^(arn:[^:]+:states:[^:]*:[^:]*):(?:express|execution):([^:]+):/.exec(executionArn);
    if (m) stateMachineArn = `${m[1]}:stateMachine:${m[2]}`;
  }
  const stateMachineName = input.stateMachine?.name ?? info.stateMachineName ?? stateMachineArn?.split(":").pop() ?? "imported";
  stateMachineArn ??= `${LOCAL_ACCOUNT}:stateMachine:${stateMachineName}`;
  // The same history always gets the same ARN, so importing it twice is a no-op.
  const contentId = () => sha256(JSON.stringify(input.events.map((e) => [e.id, e.type, e.timestamp]))).slice(0, 20);
  const executionName = info.name ?? executionArn?.split(":").pop() ?? input.fallbackName ?? `imported-${contentId().slice(0, 12)}`;
  executionArn ??= `${stateMachineArn.replace(":stateMachine:", ":execution:")}:${executionName === input.fallbackName ? `${executionName}-${contentId().slice(0, 8)}` : executionName}`;
  return { executionArn, executionName, stateMachineArn, stateMachineName };
}

function timestampValue(driver: SqlDriver["kind"], ms: number | null | undefined): SqlValue {
  if (ms === null || ms === undefined) return null;
  return driver === "sqlite" ? ms : isoTimestamp(ms);
}

const DAY_MS = 86_400_000;
const PAD = Array.from({ length: 100 }, (_, i) => String(i).padStart(2, "0"));
let isoDay = NaN;
let isoDayPrefix = "";

/** `new Date(ms).toISOString()`, a few times faster for the many timestamps of one day. */
export function isoTimestamp(ms: number): string {
  if (!Number.isSafeInteger(ms) || ms < 0 || ms >= 253_402_300_800_000) return new Date(ms).toISOString(); // not 1970..9999
  const day = Math.floor(ms / DAY_MS);
  if (day !== isoDay) {
    isoDay = day;
    isoDayPrefix = new Date(day * DAY_MS).toISOString().slice(0, 11); // "2026-06-01T"
  }
  let t = ms - day * DAY_MS;
  const h = Math.floor(t / 3_600_000);
  t -= h * 3_600_000;
  const m = Math.floor(t / 60_000);
  t -= m * 60_000;
  const s = Math.floor(t / 1000);
  const f = t - s * 1000;
  return `${isoDayPrefix}${PAD[h]}:${PAD[m]}:${PAD[s]}.${f < 10 ? "00" : f < 100 ? "0" : ""}${f}Z`;
}

const toMillis = (v: unknown): number => (v instanceof Date ? v.getTime() : typeof v === "number" ? v : Date.parse(String(v)));

const EXECUTION_COLUMNS = [
  "arn", "name", "stateMachineId", "versionId", "status", "startDate", "stopDate", "durationMs", "input", "output", "error", "cause", "failedState",
  "parentArn", "mapRunArn", "redriveCount", "eventCount", "transitions", "retries", "source", "importedAt",
];
const EXECUTION_PG_TYPES = [
  "text", "text", "int", "int", "text", "timestamp", "timestamp", "int", "text", "text", "text", "text", "text",
  "text", "text", "int", "int", "int", "int", "text", "timestamp",
];
const EVENT_COLUMNS = ["executionId", "eventId", "previousEventId", "timestamp", "type", "detailsKey", "details"];
const EVENT_PG_TYPES = ["int", "int", "int", "timestamp", "text", "text", "text"];
const VISIT_COLUMNS = ["executionId", "seq", "parentSeq", "path", "stateName", "stateType", "enteredEventId", "exitedEventId", "enteredAt", "exitedAt", "durationMs", "status", "attempts", "error", "cause"];
const VISIT_PG_TYPES = ["int", "int", "int", "text", "text", "text", "int", "int", "timestamp", "timestamp", "int", "text", "int", "text", "text"];

/** Rows per `IN (...)` list, well under SQLite's and PostgreSQL's bound-parameter limits. */
const KEYS_PER_QUERY = 500;

/** An execution ready to write: everything derived from its history, before any SQL. */
interface Prepared {
  index: number;
  ids: ReturnType<typeof identify>;
  source: SourceKind;
  region: string | null;
  type: StateMachineType;
  status: string;
  startDate: number;
  definition: string | undefined;
  definitionHash: string | null;
  eventCount: number;
  /** The Execution row without stateMachineId, versionId, importedAt (filled in at write time). */
  row: SqlValue[];
  /** HistoryEvent rows; column 0 (executionId) is filled in at write time. */
  events: SqlValue[][];
  visits: StateVisitRecord[];
  /** StateVisit rows; column 0 (executionId) is filled in at write time. */
  visitRows: SqlValue[][];
}

function prepare(kind: SqlDriver["kind"], raw: IngestInput, index: number): Prepared {
  const input = maskIngestInput(raw); // STATELENS_MASK_PATHS: sensitive values are never stored
  if (!input.events.length) throw new Error("a history needs at least one event");
  const ids = identify(input);
  const summary = summarizeHistory(input.events);
  const info = input.execution ?? {};
  const status = info.status ?? summary.status;
  const startDate = info.startDate ?? summary.startDate;
  const stopDate = info.stopDate ?? summary.stopDate;
  const seen = new Set<number>();
  const events = input.events.map((e): SqlValue[] => {
    // Event ids are unique in a history. The database checks (executionId, eventId) on SQLite
    // only: PostgreSQL's key also holds the partition column "timestamp" (lib/store/README.md).
    if (seen.has(e.id)) throw new Error(`event id ${e.id} appears twice in the history`);
    seen.add(e.id);
    const details = detailsOf(e);
    return [0, e.id, e.previousEventId, timestampValue(kind, e.timestamp), e.type, details?.key ?? null, details ? JSON.stringify(details.value) : null];
  });
  const visits = extractStateVisits(input.events);
  return {
    index,
    ids,
    source: input.source,
    region: input.stateMachine?.region ?? null,
    type: input.stateMachine?.type ?? info.stateMachineType ?? (ids.executionArn.includes(":express:") ? "EXPRESS" : "STANDARD"),
    status,
    startDate,
    definition: input.definition,
    definitionHash: input.definition ? sha256(input.definition) : null,
    eventCount: input.events.length,
    row: [
      ids.executionArn, ids.executionName, status,
      timestampValue(kind, startDate), timestampValue(kind, stopDate), stopDate !== undefined ? stopDate - startDate : null,
      info.input ?? summary.input ?? null, info.output ?? summary.output ?? null,
      text(info.error ?? summary.error), text(info.cause ?? summary.cause), summary.failedState ?? null,
      info.parentArn ?? null, info.mapRunArn ?? null, info.redriveCount ?? summary.redriveCount,
      input.events.length, summary.transitions, summary.retries, input.source,
    ],
    events,
    visits,
    visitRows: visits.map((v) => [
      0, v.seq, v.parentSeq, v.path, v.stateName, v.stateType, v.enteredEventId, v.exitedEventId,
      timestampValue(kind, v.enteredAt), timestampValue(kind, v.exitedAt), v.exitedAt !== null ? v.exitedAt - v.enteredAt : null,
      v.status, v.attempts, text(v.error), text(v.cause),
    ]),
  };
}

// ---------- ids of state machines and versions, cached per driver once committed ----------

interface IdCache {
  machines: Map<string, number>;
  /** `${stateMachineId} ${hash}` -> id and the earliest firstSeen this process knows stored */
  versions: Map<string, { id: number; firstSeen: number }>;
}

const caches = new WeakMap<SqlDriver, IdCache>();

function cacheOf(driver: SqlDriver): IdCache {
  let cache = caches.get(driver);
  if (!cache) {
    cache = { machines: new Map(), versions: new Map() };
    caches.set(driver, cache);
  }
  return cache;
}

/** What a transaction learnt: it joins the cache only if the transaction commits. */
class StagedIds {
  readonly machines = new Map<string, number>();
  readonly versions = new Map<string, { id: number; firstSeen: number }>();
  constructor(readonly cache: IdCache) {}
  machine(arn: string): number | undefined {
    return this.machines.get(arn) ?? this.cache.machines.get(arn);
  }
  version(key: string): { id: number; firstSeen: number } | undefined {
    return this.versions.get(key) ?? this.cache.versions.get(key);
  }
  commit(): void {
    for (const [k, v] of this.machines) this.cache.machines.set(k, v);
    for (const [k, v] of this.versions) this.cache.versions.set(k, v);
  }
}

function placeholders(n: number): string {
  return Array.from({ length: n }, () => "?").join(", ");
}

async function stateMachineIds(tx: SqlTx, kind: SqlDriver["kind"], list: Prepared[], staged: StagedIds): Promise<void> {
  const wanted = new Map<string, Prepared>();
  for (const p of list) if (staged.machine(p.ids.stateMachineArn) === undefined && !wanted.has(p.ids.stateMachineArn)) wanted.set(p.ids.stateMachineArn, p);
  if (!wanted.size) return;
  const arns = [...wanted.keys()];
  for (let i = 0; i < arns.length; i += KEYS_PER_QUERY) {
    const chunk = arns.slice(i, i + KEYS_PER_QUERY);
    const rows = await tx.all<{ id: number; arn: string }>(`SELECT "id", "arn" FROM "StateMachine" WHERE "arn" IN (${placeholders(chunk.length)})`, chunk);
    for (const r of rows) staged.machines.set(r.arn, Number(r.id));
  }
  for (const [arn, p] of wanted) {
    if (staged.machine(arn) !== undefined) continue;
    // ON CONFLICT: another writer may insert it at the same time; the first one's row stays.
    const inserted = await tx.all<{ id: number }>(
      `INSERT INTO "StateMachine" ("arn", "name", "type", "source", "region", "createdAt") VALUES (?, ?, ?, ?, ?, ?) ON CONFLICT ("arn") DO NOTHING RETURNING "id"`,
      [arn, p.ids.stateMachineName, p.type, p.source, p.region, timestampValue(kind, Date.now())],
    );
    const id = inserted.length ? inserted[0].id : (await tx.all<{ id: number }>(`SELECT "id" FROM "StateMachine" WHERE "arn" = ?`, [arn]))[0].id;
    staged.machines.set(arn, Number(id));
  }
}

/** Version id per prepared execution with a definition; firstSeen is the earliest start seen. */
async function versionIds(tx: SqlTx, kind: SqlDriver["kind"], list: Prepared[], staged: StagedIds): Promise<Map<string, number>> {
  const earliest = new Map<string, { stateMachineId: number; hash: string; definition: string; firstSeen: number }>();
  for (const p of list) {
    if (!p.definitionHash || p.definition === undefined) continue;
    const stateMachineId = staged.machine(p.ids.stateMachineArn)!;
    const key = `${stateMachineId} ${p.definitionHash}`;
    const e = earliest.get(key);
    if (!e) earliest.set(key, { stateMachineId, hash: p.definitionHash, definition: p.definition, firstSeen: p.startDate });
    else if (p.startDate < e.firstSeen) e.firstSeen = p.startDate;
  }
  const ids = new Map<string, number>();
  for (const [key, want] of earliest) {
    const known = staged.version(key);
    if (known && known.firstSeen <= want.firstSeen) {
      ids.set(key, known.id);
      continue;
    }
    const found = await tx.all<{ id: number; firstSeen: unknown }>(`SELECT "id", "firstSeen" FROM "StateMachineVersion" WHERE "stateMachineId" = ? AND "hash" = ?`, [want.stateMachineId, want.hash]);
    let id: number;
    let firstSeen = want.firstSeen;
    if (found.length) {
      id = Number(found[0].id);
      const stored = toMillis(found[0].firstSeen);
      if (stored > want.firstSeen) await tx.run(`UPDATE "StateMachineVersion" SET "firstSeen" = ? WHERE "id" = ? AND "firstSeen" > ?`, [timestampValue(kind, want.firstSeen), id, timestampValue(kind, want.firstSeen)]);
      else firstSeen = stored;
    } else {
      const rows = await tx.all<{ id: number }>(
        `INSERT INTO "StateMachineVersion" ("stateMachineId", "hash", "definition", "firstSeen") VALUES (?, ?, ?, ?) RETURNING "id"`,
        [want.stateMachineId, want.hash, want.definition, timestampValue(kind, want.firstSeen)],
      );
      id = Number(rows[0].id);
    }
    staged.versions.set(key, { id, firstSeen });
    ids.set(key, id);
  }
  return ids;
}

// ---------- the batch transaction ----------

/**
 * Writes executions whose ARNs are all different. Results go to `outcomes` by batch index. An
 * execution already stored is left alone unless it was RUNNING and this history is longer (or
 * closed): then it is replaced.
 */
async function writeRound(
  tx: SqlTx, kind: SqlDriver["kind"], round: Prepared[], staged: StagedIds, outcomes: Map<number, IngestOutcome>, whileWaiting?: () => void,
): Promise<void> {
  const existing = new Map<string, { id: number; eventCount: number; status: string }>();
  const arns = round.map((p) => p.ids.executionArn);
  for (let i = 0; i < arns.length; i += KEYS_PER_QUERY) {
    const chunk = arns.slice(i, i + KEYS_PER_QUERY);
    const rows = await tx.all<{ id: number; arn: string; eventCount: number; status: string }>(`SELECT "id", "arn", "eventCount", "status" FROM "Execution" WHERE "arn" IN (${placeholders(chunk.length)})`, chunk);
    for (const r of rows) existing.set(r.arn, { id: Number(r.id), eventCount: Number(r.eventCount), status: r.status });
  }
  const write: Prepared[] = [];
  const replacedIds: number[] = [];
  for (const p of round) {
    const prev = existing.get(p.ids.executionArn);
    if (prev) {
      const grew = prev.eventCount < p.eventCount || (prev.status !== p.status && prev.status === "RUNNING");
      if (!grew) {
        outcomes.set(p.index, { executionArn: p.ids.executionArn, executionId: prev.id, outcome: "unchanged", eventCount: prev.eventCount });
        continue;
      }
      // A RUNNING execution seen again with more events: replace what we had.
      replacedIds.push(prev.id);
    }
    write.push(p);
  }
  if (!write.length) return;
  // Replaced executions' visits leave the rollup before their rows go.
  const replaced: RollupExecution[] = replacedIds.length ? await storedRollupExecutions(tx, replacedIds) : [];
  for (let i = 0; i < replacedIds.length; i += KEYS_PER_QUERY) {
    const chunk = replacedIds.slice(i, i + KEYS_PER_QUERY);
    // Events have no foreign key on PostgreSQL (see the drop_event_type_index migration): they go explicitly.
    await tx.run(`DELETE FROM "HistoryEvent" WHERE "executionId" IN (${placeholders(chunk.length)})`, chunk);
    await tx.run(`DELETE FROM "Execution" WHERE "id" IN (${placeholders(chunk.length)})`, chunk);
  }

  await stateMachineIds(tx, kind, write, staged);
  const versions = await versionIds(tx, kind, write, staged);
  const importedAt = timestampValue(kind, Date.now());
  const executionRow = (p: Prepared): SqlValue[] => {
    const stateMachineId = staged.machine(p.ids.stateMachineArn)!;
    const versionId = p.definitionHash ? versions.get(`${stateMachineId} ${p.definitionHash}`)! : null;
    const [arn, name, ...rest] = p.row;
    return [arn, name, stateMachineId, versionId, ...rest, importedAt];
  };

  let executionIds: number[];
  const sets: InsertSet[] = [];
  if (kind === "postgres") {
    // Ids from the sequence first, so the execution rows go in the same statement as their
    // events and visits, and need not come back.
    executionIds = (await tx.all<{ id: number }>(`SELECT nextval(pg_get_serial_sequence('"Execution"', 'id'))::int AS "id" FROM generate_series(1, ?)`, [write.length])).map((r) => Number(r.id));
    sets.push({ table: "Execution", columns: ["id", ...EXECUTION_COLUMNS], rows: write.map((p, i) => [executionIds[i], ...executionRow(p)]), pgTypes: ["int", ...EXECUTION_PG_TYPES] });
  } else {
    const inserted = await tx.insertReturning<{ id: number; arn: string }>("Execution", EXECUTION_COLUMNS, write.map(executionRow), ["id", "arn"]);
    const idByArn = new Map(inserted.map((r) => [r.arn, Number(r.id)]));
    executionIds = write.map((p) => idByArn.get(p.ids.executionArn)!);
  }
  const events: SqlValue[][] = [];
  const visitRows: SqlValue[][] = [];
  write.forEach((p, i) => {
    const executionId = executionIds[i];
    for (const row of p.events) {
      row[0] = executionId;
      events.push(row);
    }
    for (const row of p.visitRows) {
      row[0] = executionId;
      visitRows.push(row);
    }
    outcomes.set(p.index, { executionArn: p.ids.executionArn, executionId, outcome: existing.has(p.ids.executionArn) ? "updated" : "created", eventCount: p.eventCount });
  });
  sets.push({ table: "HistoryEvent", columns: EVENT_COLUMNS, rows: events, pgTypes: EVENT_PG_TYPES });
  sets.push({ table: "StateVisit", columns: VISIT_COLUMNS, rows: visitRows, pgTypes: VISIT_PG_TYPES });
  // On PostgreSQL one statement, sent before the JS work that follows: the database writes the
  // rows (most of its work) while the next executions are prepared.
  const written = tx.insertAll(sets);
  let failure: { error: unknown } | null = null;
  const rollup: RollupExecution[] = [...replaced];
  try {
    whileWaiting?.();
    for (const p of write) rollup.push({ stateMachineId: staged.machine(p.ids.stateMachineArn)!, startDate: p.startDate, sign: 1, visits: rollupVisits(p.visits) });
  } catch (error) {
    failure = { error };
  }
  await written;
  if (failure) throw failure.error;
  await applyStateDayRollup(tx, kind, rollup);
}

/** Executions prepared group by group, on demand. */
interface Groups {
  readonly count: number;
  group(g: number): Prepared[];
}

/**
 * Prepares inputs in groups when first asked; an input that cannot be prepared goes to `results`.
 * The first group is small (its preparation overlaps nothing), the others `GROUP_SIZE`.
 */
class Preparation implements Groups {
  private readonly groups: Prepared[][] = [];
  readonly count: number;
  constructor(
    private readonly kind: SqlDriver["kind"],
    private readonly inputs: IngestInput[],
    private readonly results: IngestSettled[],
  ) {
    this.count = inputs.length <= FIRST_GROUP_SIZE ? 1 : 1 + Math.ceil((inputs.length - FIRST_GROUP_SIZE) / GROUP_SIZE);
  }
  private start(g: number): number {
    return Math.min(this.inputs.length, g === 0 ? 0 : FIRST_GROUP_SIZE + (g - 1) * GROUP_SIZE);
  }
  group(g: number): Prepared[] {
    if (g >= this.count) return [];
    let list = this.groups[g];
    if (!list) {
      list = [];
      for (let index = this.start(g); index < this.start(g + 1); index++) {
        try {
          list.push(prepare(this.kind, this.inputs[index], index));
        } catch (err) {
          this.results[index] = { ok: false, index, executionArn: arnOf(this.inputs[index]), error: asError(err) };
        }
      }
      this.groups[g] = list;
    }
    return list;
  }
  all(): Prepared[] {
    return Array.from({ length: this.count }, (_, g) => this.group(g)).flat();
  }
}

/** The ARN to report for an input that could not be prepared, when there is one. */
function arnOf(input: IngestInput): string | null {
  try {
    return input.events?.length ? identify(input).executionArn : (input.execution?.executionArn ?? null);
  } catch {
    return null;
  }
}

/**
 * One transaction for the executions of all groups; ids learnt join the cache when it commits.
 * While a group's events are being written, the next group is prepared.
 */
async function writeBatch(driver: SqlDriver, groups: Groups): Promise<Map<number, IngestOutcome>> {
  const staged = new StagedIds(cacheOf(driver));
  const outcomes = await driver.transaction(async (tx) => {
    const out = new Map<number, IngestOutcome>();
    for (let g = 0; g < groups.count; g++) {
      // An ARN given twice: its second history is written after the first, as if ingested in
      // turn (a later group sees what an earlier one wrote: same transaction).
      const rounds: Prepared[][] = [];
      const times = new Map<string, number>();
      for (const p of groups.group(g)) {
        const n = times.get(p.ids.executionArn) ?? 0;
        times.set(p.ids.executionArn, n + 1);
        (rounds[n] ??= []).push(p);
      }
      for (let r = 0; r < rounds.length; r++) {
        await writeRound(tx, driver.kind, rounds[r], staged, out, r === rounds.length - 1 ? () => void groups.group(g + 1) : undefined);
      }
    }
    return out;
  });
  staged.commit();
  return outcomes;
}

const isForeignKeyViolation = (err: unknown) => {
  const code = (err as { code?: string }).code;
  return code === "23503" || code === "SQLITE_CONSTRAINT_FOREIGNKEY";
};

async function writeOne(driver: SqlDriver, p: Prepared): Promise<IngestOutcome> {
  const one: Groups = { count: 1, group: () => [p] };
  try {
    return (await writeBatch(driver, one)).get(p.index)!;
  } catch (err) {
    // A cached id whose row is gone (a state machine deleted since): forget the cache, once.
    if (!isForeignKeyViolation(err)) throw err;
    caches.delete(driver);
    return (await writeBatch(driver, one)).get(p.index)!;
  }
}

const asError = (err: unknown): Error => (err instanceof Error ? err : new Error(String(err)));

/**
 * Stores several executions and their histories, in one transaction when all goes well, and
 * says for each what happened (or why it could not be stored). Never throws for one execution.
 */
export async function ingestExecutionsSettled(driver: SqlDriver, inputs: IngestInput[]): Promise<IngestSettled[]> {
  const results: IngestSettled[] = new Array(inputs.length);
  if (!inputs.length) return results;
  // PostgreSQL: the monthly partitions these events go to, in a short transaction of their own.
  await ensureEventPartitions(driver, monthsOf(inputs.map(eventSpan)));
  const preparation = new Preparation(driver.kind, inputs, results);
  const settle = (p: Prepared, outcome: IngestOutcome) => (results[p.index] = { ok: true, ...outcome });
  const fail = (p: Prepared, err: unknown) => (results[p.index] = { ok: false, index: p.index, executionArn: p.ids.executionArn, error: asError(err) });
  if (inputs.length === 1) {
    const [p] = preparation.group(0);
    if (!p) return results;
    try {
      settle(p, await writeOne(driver, p));
    } catch (err) {
      fail(p, err);
    }
    return results;
  }
  try {
    const outcomes = await writeBatch(driver, preparation);
    for (const p of preparation.all()) settle(p, outcomes.get(p.index)!);
  } catch {
    // One execution (or a race with another writer) spoilt the batch: one transaction each.
    caches.delete(driver);
    for (const p of preparation.all()) {
      try {
        settle(p, await writeOne(driver, p));
      } catch (err) {
        fail(p, err);
      }
    }
  }
  return results;
}

/** Executions prepared at a time inside a batch (the next group is prepared while one is written). */
const FIRST_GROUP_SIZE = 25;
const GROUP_SIZE = 100;

/** Earliest and latest event time of an input (before it is checked: anything goes). */
function eventSpan(input: IngestInput): { min: number; max: number } {
  let min = Infinity;
  let max = -Infinity;
  if (Array.isArray(input.events)) {
    for (const e of input.events) {
      const t = e?.timestamp;
      if (typeof t !== "number") continue;
      if (t < min) min = t;
      if (t > max) max = t;
    }
  }
  return { min, max };
}

/**
 * Stores several executions and their histories (see `ingestExecution`), in one transaction when
 * all goes well. When some cannot be stored, the others still are, and it throws an
 * `IngestBatchError` naming each that failed.
 */
export async function ingestExecutions(driver: SqlDriver, inputs: IngestInput[]): Promise<IngestOutcome[]> {
  const results = await ingestExecutionsSettled(driver, inputs);
  if (results.some((r) => !r.ok)) throw new IngestBatchError(results);
  return results.map((r) => outcomeOf(r as { ok: true } & IngestOutcome));
}

const outcomeOf = (r: IngestOutcome): IngestOutcome => ({ executionArn: r.executionArn, executionId: r.executionId, outcome: r.outcome, eventCount: r.eventCount });

/** Stores one execution and its history. Safe to call again with the same or a longer history. */
export async function ingestExecution(driver: SqlDriver, input: IngestInput): Promise<IngestOutcome> {
  const [result] = await ingestExecutionsSettled(driver, [input]);
  if (!result.ok) throw result.error;
  return outcomeOf(result);
}
