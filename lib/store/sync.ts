// What a sync from AWS or CloudWatch Logs reads and writes besides histories (those go through
// ingest.ts): which executions are stored and how, incomplete-history marks, Map Runs and cursors.
import type { Store } from "./index";

/** Rows per `IN (...)` list, well under SQLite's and PostgreSQL's bound-parameter limits. */
const ARNS_PER_QUERY = 500;

/** The stored status of each of these executions that is stored. */
export async function executionStatuses(store: Store, executionArns: string[]): Promise<Map<string, string>> {
  const out = new Map<string, string>();
  for (let i = 0; i < executionArns.length; i += ARNS_PER_QUERY) {
    const rows = await store.prisma.execution.findMany({ where: { arn: { in: executionArns.slice(i, i + ARNS_PER_QUERY) } }, select: { arn: true, status: true } });
    for (const r of rows) out.set(r.arn, r.status);
  }
  return out;
}

/** Stored executions still RUNNING, of these state machines, that a sync (AWS or logs) stored. */
export async function runningExecutionArns(store: Store, stateMachineArns: string[]): Promise<string[]> {
  if (!stateMachineArns.length) return [];
  const rows = await store.prisma.execution.findMany({
    where: { status: "RUNNING", source: { in: ["aws", "logs"] }, stateMachine: { arn: { in: stateMachineArns } } },
    select: { arn: true },
  });
  return rows.map((r) => r.arn);
}

/** Marks a stored execution's history as not the whole history, and says why. */
export async function markIncomplete(store: Store, executionId: number, reason: string): Promise<void> {
  await store.prisma.execution.update({ where: { id: executionId }, data: { historyComplete: false, incompleteReason: reason } });
}

/** A Distributed Map run as DescribeMapRun reports it. */
export interface DescribedMapRun {
  mapRunArn: string;
  /** the parent execution */
  executionArn: string;
  /** the labelled child state machine ARN */
  stateMachineArn: string;
  status: string;
  startDate: Date;
  stopDate: Date | null;
  maxConcurrency: number;
  toleratedFailurePercentage: number;
  toleratedFailureCount: number;
  /** stored as JSON; null when unknown */
  itemCounts: object | null;
  executionCounts: object | null;
  redriveCount: number;
}

/** Stores a Map Run, replacing what was stored for its ARN. */
export async function upsertMapRun(store: Store, run: DescribedMapRun): Promise<void> {
  const data = {
    executionArn: run.executionArn, stateMachineArn: run.stateMachineArn, status: run.status, startDate: run.startDate, stopDate: run.stopDate,
    maxConcurrency: run.maxConcurrency, toleratedFailurePercentage: run.toleratedFailurePercentage, toleratedFailureCount: run.toleratedFailureCount,
    itemCounts: run.itemCounts === null ? null : JSON.stringify(run.itemCounts), executionCounts: run.executionCounts === null ? null : JSON.stringify(run.executionCounts),
    redriveCount: run.redriveCount,
  };
  await store.prisma.mapRun.upsert({ where: { arn: run.mapRunArn }, create: { arn: run.mapRunArn, ...data }, update: data });
}

export interface SyncCursorKey {
  source: string;
  /** "" for AWS itself, else the custom endpoint URL */
  endpoint: string;
  /** state machine ARN or log group ARN */
  scope: string;
}

/** A sync's stored position (the JSON value it wrote), or undefined when none is stored or it is not JSON. */
export async function readSyncCursor(store: Store, key: SyncCursorKey): Promise<unknown> {
  const row = await store.prisma.syncCursor.findUnique({ where: { source_endpoint_scope: key } });
  if (!row) return undefined;
  try {
    return JSON.parse(row.position) as unknown;
  } catch {
    return undefined;
  }
}

/** Stores a sync's position as JSON, replacing the one stored for its key. */
export async function writeSyncCursor(store: Store, key: SyncCursorKey, position: unknown): Promise<void> {
  const text = JSON.stringify(position);
  const updatedAt = new Date();
  await store.prisma.syncCursor.upsert({ where: { source_endpoint_scope: key }, create: { ...key, position: text, updatedAt }, update: { position: text, updatedAt } });
}
