// Writing executions: one transaction per execution (execution row, every event, the derived
// state visits), idempotent by execution ARN. Bulk rows go through the raw driver, which is
// tens of times faster than Prisma's createMany (see docs/prisma-offline.md).
import crypto from "node:crypto";
import type { ExecutionInfo } from "@/lib/history/parse";
import { summarizeHistory } from "@/lib/history/summary";
import { detailsOf, type HistoryEvent, type StateMachineType } from "@/lib/history/types";
import { extractStateVisits } from "@/lib/reconstruct/visits";
import type { SqlDriver, SqlTx, SqlValue } from "./driver";
import { maskIngestInput } from "./mask";

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
  const contentId = sha256(JSON.stringify(input.events.map((e) => [e.id, e.type, e.timestamp]))).slice(0, 20);
  const executionName = info.name ?? executionArn?.split(":").pop() ?? input.fallbackName ?? `imported-${contentId.slice(0, 12)}`;
  executionArn ??= `${stateMachineArn.replace(":stateMachine:", ":execution:")}:${executionName === input.fallbackName ? `${executionName}-${contentId.slice(0, 8)}` : executionName}`;
  return { executionArn, executionName, stateMachineArn, stateMachineName };
}

function timestampValue(driver: SqlDriver["kind"], ms: number | null | undefined): SqlValue {
  if (ms === null || ms === undefined) return null;
  return driver === "sqlite" ? ms : new Date(ms).toISOString();
}

async function upsertStateMachine(tx: SqlTx, kind: SqlDriver["kind"], arn: string, name: string, type: StateMachineType, source: SourceKind, region: string | null): Promise<number> {
  const found = await tx.all<{ id: number }>(`SELECT "id" FROM "StateMachine" WHERE "arn" = ?`, [arn]);
  if (found.length) return Number(found[0].id);
  const rows = await tx.all<{ id: number }>(
    `INSERT INTO "StateMachine" ("arn", "name", "type", "source", "region", "createdAt") VALUES (?, ?, ?, ?, ?, ?) RETURNING "id"`,
    [arn, name, type, source, region, timestampValue(kind, Date.now())],
  );
  return Number(rows[0].id);
}

async function upsertVersion(tx: SqlTx, kind: SqlDriver["kind"], stateMachineId: number, definition: string, firstSeen: number): Promise<number> {
  const hash = sha256(definition);
  const found = await tx.all<{ id: number }>(`SELECT "id" FROM "StateMachineVersion" WHERE "stateMachineId" = ? AND "hash" = ?`, [stateMachineId, hash]);
  if (found.length) {
    await tx.run(`UPDATE "StateMachineVersion" SET "firstSeen" = ? WHERE "id" = ? AND "firstSeen" > ?`, [timestampValue(kind, firstSeen), found[0].id, timestampValue(kind, firstSeen)]);
    return Number(found[0].id);
  }
  const rows = await tx.all<{ id: number }>(
    `INSERT INTO "StateMachineVersion" ("stateMachineId", "hash", "definition", "firstSeen") VALUES (?, ?, ?, ?) RETURNING "id"`,
    [stateMachineId, hash, definition, timestampValue(kind, firstSeen)],
  );
  return Number(rows[0].id);
}

const EVENT_COLUMNS = ["executionId", "eventId", "previousEventId", "timestamp", "type", "detailsKey", "details"];
const EVENT_PG_TYPES = ["int", "int", "int", "timestamp", "text", "text", "text"];
const VISIT_COLUMNS = ["executionId", "seq", "parentSeq", "path", "stateName", "stateType", "enteredEventId", "exitedEventId", "enteredAt", "exitedAt", "durationMs", "status", "attempts", "error", "cause"];
const VISIT_PG_TYPES = ["int", "int", "int", "text", "text", "text", "int", "int", "timestamp", "timestamp", "int", "text", "int", "text", "text"];

/** Stores one execution and its history. Safe to call again with the same or a longer history. */
export async function ingestExecution(driver: SqlDriver, input: IngestInput): Promise<IngestOutcome> {
  input = maskIngestInput(input); // STATELENS_MASK_PATHS: sensitive values are never stored
  if (!input.events.length) throw new Error("a history needs at least one event");
  const kind = driver.kind;
  const ids = identify(input);
  const summary = summarizeHistory(input.events);
  const info = input.execution ?? {};
  const status = info.status ?? summary.status;
  const startDate = info.startDate ?? summary.startDate;
  const stopDate = info.stopDate ?? summary.stopDate;
  const visits = extractStateVisits(input.events);

  return driver.transaction(async (tx) => {
    const existing = await tx.all<{ id: number; eventCount: number; status: string }>(`SELECT "id", "eventCount", "status" FROM "Execution" WHERE "arn" = ?`, [ids.executionArn]);
    if (existing.length) {
      const prev = existing[0];
      const grew = Number(prev.eventCount) < input.events.length || (prev.status !== status && prev.status === "RUNNING");
      if (!grew) return { executionArn: ids.executionArn, executionId: Number(prev.id), outcome: "unchanged" as const, eventCount: Number(prev.eventCount) };
      // A RUNNING execution seen again with more events: replace what we had.
      await tx.run(`DELETE FROM "Execution" WHERE "id" = ?`, [prev.id]);
    }
    const type = input.stateMachine?.type ?? info.stateMachineType ?? (ids.executionArn.includes(":express:") ? "EXPRESS" : "STANDARD");
    const stateMachineId = await upsertStateMachine(tx, kind, ids.stateMachineArn, ids.stateMachineName, type, input.source, input.stateMachine?.region ?? null);
    const versionId = input.definition ? await upsertVersion(tx, kind, stateMachineId, input.definition, startDate) : null;
    const rows = await tx.all<{ id: number }>(
      `INSERT INTO "Execution" ("arn", "name", "stateMachineId", "versionId", "status", "startDate", "stopDate", "durationMs", "input", "output", "error", "cause", "failedState", "parentArn", "mapRunArn", "redriveCount", "eventCount", "transitions", "retries", "source", "importedAt")
       VALUES (?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?) RETURNING "id"`,
      [
        ids.executionArn, ids.executionName, stateMachineId, versionId, status,
        timestampValue(kind, startDate), timestampValue(kind, stopDate), stopDate !== undefined ? stopDate - startDate : null,
        info.input ?? summary.input ?? null, info.output ?? summary.output ?? null,
        text(info.error ?? summary.error), text(info.cause ?? summary.cause), summary.failedState ?? null,
        info.parentArn ?? null, info.mapRunArn ?? null, info.redriveCount ?? summary.redriveCount,
        input.events.length, summary.transitions, summary.retries, input.source, timestampValue(kind, Date.now()),
      ],
    );
    const executionId = Number(rows[0].id);
    await tx.insertMany(
      "HistoryEvent",
      EVENT_COLUMNS,
      input.events.map((e) => {
        const details = detailsOf(e);
        return [executionId, e.id, e.previousEventId, timestampValue(kind, e.timestamp), e.type, details?.key ?? null, details ? JSON.stringify(details.value) : null];
      }),
      EVENT_PG_TYPES,
    );
    await tx.insertMany(
      "StateVisit",
      VISIT_COLUMNS,
      visits.map((v) => [
        executionId, v.seq, v.parentSeq, v.path, v.stateName, v.stateType, v.enteredEventId, v.exitedEventId,
        timestampValue(kind, v.enteredAt), timestampValue(kind, v.exitedAt), v.exitedAt !== null ? v.exitedAt - v.enteredAt : null,
        v.status, v.attempts, text(v.error), text(v.cause),
      ]),
      VISIT_PG_TYPES,
    );
    return { executionArn: ids.executionArn, executionId, outcome: existing.length ? ("updated" as const) : ("created" as const), eventCount: input.events.length };
  });
}
