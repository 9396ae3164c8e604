// What a sync from AWS or CloudWatch Logs reads and writes besides histories (those go through
// ingest.ts): which executions are stored and how, incomplete-history marks, Map Runs, cursors
// and the leases that let several sync workers share one database.
import type { SqlValue } from "./driver";
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

/**
 * Sync leases (the SyncLease table): which worker is syncing a scope, so that several sync
 * processes on one database split the work instead of each doing all of it. Atomic on both
 * databases without locks held across statements: insert-if-absent (ON CONFLICT DO NOTHING), and
 * if the row exists, ONE conditional UPDATE that takes it only when it expired or is already ours;
 * the affected row count says who won. PostgreSQL re-checks an UPDATE's WHERE on the row version
 * it waited for (READ COMMITTED), SQLite runs one writer at a time, so two workers never both win.
 * Expiry uses the database's clock on PostgreSQL (workers on several hosts need not agree on the
 * time) and the process clock on SQLite (one file, one host).
 */
export type SyncLeaseKey = SyncCursorKey;

const LEASE_KEY = `"source" = ? AND "endpoint" = ? AND "scope" = ?`;
const leaseKeyParams = (key: SyncLeaseKey): SqlValue[] => [key.source, key.endpoint, key.scope];

/** SQL for "now" and "now + ttl", with their parameters, on the store's clock (see above). */
function leaseClock(store: Store, ttlMs: number): { now: [string, SqlValue[]]; expires: [string, SqlValue[]] } {
  if (store.driver.kind === "postgres") {
    const now = `(now() AT TIME ZONE 'UTC')`;
    return { now: [now, []], expires: [`${now} + (?::double precision * interval '1 millisecond')`, [ttlMs]] };
  }
  const now = Date.now();
  return { now: ["?", [now]], expires: ["?", [now + ttlMs]] };
}

/** Takes the lease on a scope for `ttlMs` when it is free, expired or already `owner`'s; true when `owner` now holds it. */
export async function tryAcquireLease(store: Store, key: SyncLeaseKey, owner: string, ttlMs: number): Promise<boolean> {
  const { now, expires } = leaseClock(store, ttlMs);
  const inserted = await store.driver.run(
    `INSERT INTO "SyncLease" ("source", "endpoint", "scope", "owner", "expiresAt") VALUES (?, ?, ?, ?, ${expires[0]}) ON CONFLICT ("source", "endpoint", "scope") DO NOTHING`,
    [...leaseKeyParams(key), owner, ...expires[1]],
  );
  if (inserted === 1) return true;
  const taken = await store.driver.run(
    `UPDATE "SyncLease" SET "owner" = ?, "expiresAt" = ${expires[0]} WHERE ${LEASE_KEY} AND ("expiresAt" < ${now[0]} OR "owner" = ?)`,
    [owner, ...expires[1], ...leaseKeyParams(key), ...now[1], owner],
  );
  return taken === 1;
}

/** Extends `owner`'s lease to `ttlMs` from now; false when it is no longer `owner`'s (another worker took it after it expired). */
export async function renewLease(store: Store, key: SyncLeaseKey, owner: string, ttlMs: number): Promise<boolean> {
  const { expires } = leaseClock(store, ttlMs);
  const renewed = await store.driver.run(`UPDATE "SyncLease" SET "expiresAt" = ${expires[0]} WHERE ${LEASE_KEY} AND "owner" = ?`, [...expires[1], ...leaseKeyParams(key), owner]);
  return renewed === 1;
}

/** Gives the lease up, if `owner` still holds it. */
export async function releaseLease(store: Store, key: SyncLeaseKey, owner: string): Promise<void> {
  await store.driver.run(`DELETE FROM "SyncLease" WHERE ${LEASE_KEY} AND "owner" = ?`, [...leaseKeyParams(key), owner]);
}

/** Who holds the lease on a scope and until when (expired or not), or null when nobody does. */
export async function readLease(store: Store, key: SyncLeaseKey): Promise<{ owner: string; expiresAt: Date } | null> {
  const row = await store.prisma.syncLease.findUnique({ where: { source_endpoint_scope: key }, select: { owner: true, expiresAt: true } });
  return row ?? null;
}

/**
 * Takes the lease from `from` whatever its expiry (the caller knows `from` is dead), in one
 * conditional UPDATE: false when `from` no longer holds it (released, or another worker was faster).
 */
export async function takeOverLease(store: Store, key: SyncLeaseKey, from: string, owner: string, ttlMs: number): Promise<boolean> {
  const { expires } = leaseClock(store, ttlMs);
  const taken = await store.driver.run(`UPDATE "SyncLease" SET "owner" = ?, "expiresAt" = ${expires[0]} WHERE ${LEASE_KEY} AND "owner" = ?`, [owner, ...expires[1], ...leaseKeyParams(key), from]);
  return taken === 1;
}
