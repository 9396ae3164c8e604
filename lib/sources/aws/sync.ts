// Sync from Step Functions (Standard workflows) into a sink: discover state machines, list each
// one's executions newest first, fetch what is not stored yet (history, definition, Map Runs
// and their children, child executions started with states:startExecution), re-fetch stored
// RUNNING executions until they close. One failing execution is reported, never fatal, and keeps
// the cursor from moving past it. See README.md for the cursor rules.
import {
  DescribeExecutionCommand, DescribeMapRunCommand, DescribeStateMachineForExecutionCommand, type ExecutionListItem,
  GetExecutionHistoryCommand, type HistoryEvent as SdkHistoryEvent, ListExecutionsCommand, ListMapRunsCommand, ListStateMachinesCommand,
  type SFNClient, type StateMachineListItem,
} from "@aws-sdk/client-sfn";
import { readEvents } from "@/lib/history/parse";
import type { HistoryEvent, StateMachineType } from "@/lib/history/types";
import { MAX_TOKEN_RESTARTS, withBackoff, type BackoffOptions } from "./backoff";
import { type CursorKey, readAwsCursor, type SyncCursorStore } from "./cursor-store";
import { type DefinitionAnswer, DefinitionResolver } from "./definitions";
import { childExecutionArns, mapRunChildType } from "./children";
import { type HeldLease, holdLease, leaseLostError, type SyncLeases } from "./leases";
import { Limiter } from "./limiter";
import type { ExecutionSink } from "./sink";

export interface AwsSyncOptions {
  client: SFNClient;
  sink: ExecutionSink;
  cursors: SyncCursorStore;
  /**
   * Leases shared with other sync workers on the same database (leases.ts): a state machine whose
   * lease another worker holds is skipped (`heldByOtherWorker`). Default: none, sync everything.
   */
  leases?: SyncLeases;
  /** "" for AWS, else the endpoint URL: keeps cursors of different endpoints apart */
  endpointKey?: string;
  /** state machine ARNs or names; default all */
  stateMachines?: string[];
  /** only executions started at or after this (epoch ms) */
  since?: number;
  /** AWS requests in flight at once; default 4 */
  concurrency?: number;
  /** how much earlier than the cursor listing continues, for ListExecutions' eventual consistency; default 5 min */
  consistencyMarginMs?: number;
  backoff?: BackoffOptions;
  onProgress?: (progress: SyncProgress) => void;
  signal?: AbortSignal;
}

export interface SyncProgress {
  stateMachine?: string;
  listed: number;
  skipped: number;
  fetched: number;
  failed: number;
  events: number;
  message?: string;
}

export interface SyncFailure {
  executionArn: string;
  error: string;
}

export interface SyncReport {
  stateMachines: Array<{ arn: string; name: string; type: StateMachineType; listed: number; fetched: number; skipped: number; failed: number; express: boolean }>;
  /** executions written (new or updated), Map Run children and child executions included */
  fetched: number;
  created: number;
  updated: number;
  /** listed and already stored, closed */
  skipped: number;
  events: number;
  failures: SyncFailure[];
  /** Express state machines: their history is in CloudWatch Logs, not here */
  expressStateMachines: Array<{ arn: string; name: string }>;
  /** Express children of Distributed Map runs, listed but not stored (the API keeps no history of them) */
  expressMapRunChildren: number;
  /** Standard state machines skipped because another worker holds their lease (and syncs them) */
  heldByOtherWorker: number;
  apiCalls: Record<string, number>;
  definitionCalls: number;
  durationMs: number;
}

const CLOSED: ReadonlySet<string> = new Set(["SUCCEEDED", "FAILED", "TIMED_OUT", "ABORTED"]);
const ms = (d: Date | undefined) => (d ? d.getTime() : undefined);
const message = (err: unknown) => (err instanceof Error ? `${err.name}: ${err.message}` : String(err));

interface ExecutionTask {
  executionArn: string;
  stateMachineArn: string;
  name?: string;
  startDate?: number;
  stateMachineVersionArn?: string;
  mapRunArn?: string;
  parentArn?: string;
  type: StateMachineType;
}

/** Whether a state machine is one the filter (ARNs or names) asks for; no filter = all. */
function matchesFilter(sm: StateMachineListItem, filters: string[] | undefined): boolean {
  if (!filters?.length) return true;
  return filters.some((f) => f === sm.stateMachineArn || f === sm.name);
}

export async function syncAws(options: AwsSyncOptions): Promise<SyncReport> {
  const started = Date.now();
  const { client, sink, cursors } = options;
  const requests = new Limiter(options.concurrency ?? 4);
  const executionsInFlight = new Limiter(Math.max(1, options.concurrency ?? 4));
  const margin = options.consistencyMarginMs ?? 5 * 60 * 1000;
  const apiCalls: Record<string, number> = {};
  const report: SyncReport = {
    stateMachines: [], fetched: 0, created: 0, updated: 0, skipped: 0, events: 0, failures: [], expressStateMachines: [], expressMapRunChildren: 0, heldByOtherWorker: 0, apiCalls, definitionCalls: 0, durationMs: 0,
  };
  const progress: SyncProgress = { listed: 0, skipped: 0, fetched: 0, failed: 0, events: 0 };
  const tell = (extra: Partial<SyncProgress> = {}) => options.onProgress?.({ ...progress, ...extra });
  const checkAbort = () => {
    if (options.signal?.aborted) throw Object.assign(new Error("sync aborted"), { name: "AbortError" });
  };

  /** One AWS request: limited, counted, retried by the SDK (adaptive) and then by withBackoff. */
  async function call<T>(operation: string, send: () => Promise<T>): Promise<T> {
    return withBackoff(() => requests.run(() => {
      checkAbort();
      apiCalls[operation] = (apiCalls[operation] ?? 0) + 1;
      return send();
    }), options.backoff);
  }

  const definitions = new DefinitionResolver(async (executionArn): Promise<DefinitionAnswer> => {
    const out = await call("DescribeStateMachineForExecution", () => client.send(new DescribeStateMachineForExecutionCommand({ executionArn }), { abortSignal: options.signal }));
    return { definition: out.definition ?? "{}", stateMachineArn: out.stateMachineArn, updateDate: ms(out.updateDate), revisionId: out.revisionId ?? undefined };
  });

  /** The whole history, in pages of 1,000; an expired token starts it over. */
  async function fetchHistory(executionArn: string): Promise<HistoryEvent[]> {
    for (let restart = 0; ; restart++) {
      const raw: SdkHistoryEvent[] = [];
      let nextToken: string | undefined;
      try {
        do {
          const page = await call("GetExecutionHistory", () => client.send(new GetExecutionHistoryCommand({ executionArn, maxResults: 1000, includeExecutionData: true, nextToken }), { abortSignal: options.signal }));
          raw.push(...(page.events ?? []));
          nextToken = page.nextToken;
        } while (nextToken);
      } catch (err) {
        if ((err as { name?: string }).name === "InvalidToken" && restart < MAX_TOKEN_RESTARTS) continue;
        throw err;
      }
      return readEvents(raw as unknown[], executionArn);
    }
  }

  async function listAll<T>(operation: string, page: (nextToken: string | undefined) => Promise<{ items: T[]; nextToken?: string }>): Promise<T[]> {
    for (let restart = 0; ; restart++) {
      const items: T[] = [];
      let nextToken: string | undefined;
      try {
        do {
          const out = await call(operation, () => page(nextToken));
          items.push(...out.items);
          nextToken = out.nextToken;
        } while (nextToken);
        return items;
      } catch (err) {
        if ((err as { name?: string }).name === "InvalidToken" && restart < MAX_TOKEN_RESTARTS) continue;
        throw err;
      }
    }
  }

  /**
   * Fetches and stores one execution and everything it started. Children are stored before their
   * parent, so a parent in the store means its children are too.
   */
  async function fetchExecution(task: ExecutionTask, seen: Set<string>, tally: { fetched: number }): Promise<void> {
    if (seen.has(task.executionArn)) return;
    seen.add(task.executionArn);
    const events = await fetchHistory(task.executionArn);
    const definition = await definitions.forExecution({
      executionArn: task.executionArn, stateMachineArn: task.stateMachineArn, startDate: task.startDate ?? events[0]?.timestamp ?? 0,
      stateMachineVersionArn: task.stateMachineVersionArn, mapRunArn: task.mapRunArn,
    });
    // Distributed Map: the parent history names each Map Run; its children are executions.
    if (events.some((e) => e.type === "MapRunStarted")) {
      const runs = await listAll("ListMapRuns", async (nextToken) => {
        const out = await client.send(new ListMapRunsCommand({ executionArn: task.executionArn, maxResults: 1000, nextToken }), { abortSignal: options.signal });
        return { items: out.mapRuns ?? [], nextToken: out.nextToken };
      });
      for (const run of runs) {
        const mapRunArn = run.mapRunArn!;
        const described = await call("DescribeMapRun", () => client.send(new DescribeMapRunCommand({ mapRunArn }), { abortSignal: options.signal }));
        const children = await listAll("ListExecutions", async (nextToken) => {
          const out = await client.send(new ListExecutionsCommand({ mapRunArn, maxResults: 1000, nextToken }), { abortSignal: options.signal });
          return { items: out.executions ?? [], nextToken: out.nextToken };
        });
        const stored = await sink.storedStatus(children.map((c) => c.executionArn!));
        const childType = mapRunChildType(definition.definition, run.stateMachineArn);
        await Promise.all(children.map(async (child) => {
          if (CLOSED.has(stored.get(child.executionArn!) ?? "") && stored.get(child.executionArn!) === child.status) return;
          if (childType === "EXPRESS") {
            // Express children have no GetExecutionHistory: counted, not stored.
            report.expressMapRunChildren++;
            return;
          }
          await fetchExecution({
            executionArn: child.executionArn!, stateMachineArn: child.stateMachineArn ?? run.stateMachineArn ?? task.stateMachineArn, name: child.name,
            startDate: ms(child.startDate), mapRunArn, parentArn: task.executionArn, type: "STANDARD",
          }, seen, tally);
        }));
        await sink.mapRun(described, run.stateMachineArn ?? "");
      }
    }
    // Child executions started with states:startExecution(.sync).
    const childArns = childExecutionArns(events).filter((arn) => !seen.has(arn));
    if (childArns.length) {
      const stored = await sink.storedStatus(childArns);
      for (const childArn of childArns) {
        if (CLOSED.has(stored.get(childArn) ?? "")) continue;
        const d = await call("DescribeExecution", () => client.send(new DescribeExecutionCommand({ executionArn: childArn }), { abortSignal: options.signal }));
        await fetchExecution({
          executionArn: childArn, stateMachineArn: d.stateMachineArn!, name: d.name, startDate: ms(d.startDate),
          stateMachineVersionArn: d.stateMachineVersionArn, parentArn: task.executionArn, type: "STANDARD",
        }, seen, tally);
      }
    }
    // A Map Run child belongs to the labelled child state machine DescribeStateMachineForExecution
    // names; any other execution to the (unqualified) state machine it was listed under.
    const owner = task.mapRunArn ? (definition.stateMachineArn ?? task.stateMachineArn) : task.stateMachineArn;
    const result = await sink.ingest({
      events,
      execution: {
        executionArn: task.executionArn, stateMachineArn: owner, name: task.name ?? task.executionArn.split(":").pop(),
        ...(task.mapRunArn ? { mapRunArn: task.mapRunArn } : {}), ...(task.parentArn ? { parentArn: task.parentArn } : {}),
      },
      definition: definition.definition,
      source: "aws",
      stateMachine: { arn: owner, type: task.type, region: regionOf(task.executionArn) },
    });
    if (result.outcome !== "unchanged") {
      tally.fetched++;
      report.fetched++;
      progress.fetched++;
      report.events += events.length;
      progress.events += events.length;
      if (result.outcome === "created") report.created++;
      else report.updated++;
    }
    tell();
  }

  async function guarded(task: ExecutionTask, tally: { failed: number; fetched: number }, failedStops: number[], stopDate?: number): Promise<void> {
    await executionsInFlight.run(async () => {
      try {
        await fetchExecution(task, new Set(), tally);
      } catch (err) {
        if (options.signal?.aborted) throw err;
        tally.failed++;
        progress.failed++;
        report.failures.push({ executionArn: task.executionArn, error: message(err) });
        failedStops.push(stopDate ?? task.startDate ?? 0);
        tell({ message: `${task.executionArn}: ${message(err)}` });
      }
    });
  }

  // ---- discover ------------------------------------------------------------------------------
  const machines = (await listAll("ListStateMachines", async (nextToken) => {
    const out = await client.send(new ListStateMachinesCommand({ maxResults: 1000, nextToken }), { abortSignal: options.signal });
    return { items: out.stateMachines ?? [], nextToken: out.nextToken };
  })).filter((sm) => matchesFilter(sm, options.stateMachines));
  for (const f of options.stateMachines ?? []) {
    if (!machines.some((sm) => sm.stateMachineArn === f || sm.name === f)) report.failures.push({ executionArn: f, error: "no state machine with this ARN or name" });
  }

  for (const sm of machines) {
    const arn = sm.stateMachineArn!;
    const name = sm.name ?? arn;
    const type = (sm.type ?? "STANDARD") as StateMachineType;
    if (type === "EXPRESS") {
      report.expressStateMachines.push({ arn, name });
      report.stateMachines.push({ arn, name, type, listed: 0, fetched: 0, skipped: 0, failed: 0, express: true });
      continue;
    }
    progress.stateMachine = name;
    tell();
    let lease: HeldLease | null | undefined;
    try {
      lease = options.leases ? await holdLease(options.leases, { source: "aws", endpoint: options.endpointKey ?? "", scope: arn }) : undefined;
      if (lease === null) {
        // Another worker is syncing this state machine right now.
        report.heldByOtherWorker++;
        tell({ message: `${name}: being synced by another worker` });
        continue;
      }
      await syncStateMachine(arn, name, type, lease);
    } catch (err) {
      // One state machine that cannot be read (e.g. access denied) does not stop the others.
      if (options.signal?.aborted) throw err;
      report.failures.push({ executionArn: arn, error: message(err) });
      report.stateMachines.push({ arn, name, type, express: false, listed: 0, fetched: 0, skipped: 0, failed: 1 });
    } finally {
      await lease?.release();
    }
  }
  report.definitionCalls = definitions.calls;
  report.durationMs = Date.now() - started;
  return report;

  async function syncStateMachine(arn: string, name: string, type: StateMachineType, lease: HeldLease | undefined): Promise<void> {
    const key: CursorKey = { source: "aws", endpoint: options.endpointKey ?? "", scope: arn };
    const cursor = await readAwsCursor(cursors, key);
    const stopBefore = cursor ? cursor.closedBefore - margin : -Infinity;
    const tally = { listed: 0, fetched: 0, skipped: 0, failed: 0 };
    const failedStops: number[] = [];
    const pending: Array<Promise<void>> = [];
    const seenInListing = new Set<string>();
    let newest: number | undefined;
    let nextToken: string | undefined;
    let listingRestarts = 0;
    try {
      await listAndFetch();
    } finally {
      // Fetches already started finish (or fail) before this state machine is done.
      await Promise.allSettled(pending);
    }
    // Move the cursor only over executions that are all stored: not past a failure.
    if (newest !== undefined) {
      const closedBefore = Math.min(newest, ...failedStops.map((s) => s - 1));
      if (!cursor || closedBefore > cursor.closedBefore) await cursors.put(key, { closedBefore: Math.max(0, closedBefore) });
    }
    report.stateMachines.push({ arn, name, type, express: false, ...tally });

    async function listAndFetch(): Promise<void> {
      listing: for (;;) {
        // Lease lost (this worker stalled past its TTL and another took over): stop listing; the
        // cursor stays where it was.
        if (lease?.lost) throw leaseLostError(arn);
        let page;
        try {
          page = await call("ListExecutions", () => client.send(new ListExecutionsCommand({ stateMachineArn: arn, maxResults: 1000, nextToken }), { abortSignal: options.signal }));
        } catch (err) {
          // An expired token: list again from the top; what was seen is skipped by ARN.
          if ((err as { name?: string }).name === "InvalidToken" && listingRestarts++ < MAX_TOKEN_RESTARTS) {
            nextToken = undefined;
            continue;
          }
          throw err;
        }
        const items: ExecutionListItem[] = (page.executions ?? []).filter((e) => !seenInListing.has(e.executionArn!));
        const stored = await sink.storedStatus(items.map((e) => e.executionArn!));
        for (const e of items) {
          seenInListing.add(e.executionArn!);
          const stop = ms(e.stopDate);
          const startDate = ms(e.startDate) ?? 0;
          const listingTime = stop ?? startDate;
          newest = Math.max(newest ?? listingTime, listingTime);
          if (options.since !== undefined && listingTime < options.since) break listing;
          // The cursor's execution itself and any that closed in the same millisecond were stored
          // in the pass that set it (listing is newest first), so equality ends the listing too.
          if (stop !== undefined && stop <= stopBefore) break listing;
          tally.listed++;
          progress.listed++;
          if (options.since !== undefined && startDate < options.since) continue;
          const storedStatus = stored.get(e.executionArn!);
          if (storedStatus !== undefined && CLOSED.has(storedStatus) && storedStatus === e.status) {
            tally.skipped++;
            progress.skipped++;
            report.skipped++;
            continue;
          }
          pending.push(guarded({
            executionArn: e.executionArn!, stateMachineArn: arn, name: e.name, startDate, stateMachineVersionArn: e.stateMachineVersionArn, type,
          }, tally, failedStops, stop));
        }
        tell();
        // Listing stays at most a few pages ahead of fetching.
        if (pending.length > 4000) await Promise.all(pending.slice(0, pending.length - 1000));
        nextToken = page.nextToken;
        if (!nextToken) break;
      }
      // Stored executions that were RUNNING and did not come up in this listing.
      const running = (await sink.runningExecutions([arn])).filter((r) => !seenInListing.has(r));
      for (const executionArn of running) {
        pending.push(guarded({ executionArn, stateMachineArn: arn, type }, tally, failedStops));
      }
      await Promise.all(pending);
    }
  }
}

function regionOf(arn: string): string | undefined {
  return arn.split(":")[3] || undefined;
}
