// Sync Express executions from CloudWatch Logs: read each Express state machine's logging
// configuration, FilterLogEvents over its log group in a time window, turn records into
// history events, group them by execution and store each one. The cursor (start of the next
// window) never moves past the first event of an execution still open, so its whole history is
// read again next time and stored complete.
import { type CloudWatchLogsClient, type FilteredLogEvent, FilterLogEventsCommand } from "@aws-sdk/client-cloudwatch-logs";
import { DescribeStateMachineCommand, type SFNClient } from "@aws-sdk/client-sfn";
import { type BackoffOptions, MAX_TOKEN_RESTARTS, withBackoff } from "../aws/backoff";
import { type CursorKey, readLogsCursor, type SyncCursorStore } from "../aws/cursor-store";
import { type HeldLease, holdLease, leaseLostError, type SyncLeases } from "../aws/leases";
import type { ExecutionSink } from "../aws/sink";
import { ExecutionGrouper, type LoggedExecution, stateMachineArnOfExecution } from "./group";
import { LogRecordError, type LogLevel, parseLogRecord } from "./record";

/** Express executions last at most 5 minutes; later than that an open one will never close in the logs. */
const EXPRESS_MAX_MS = 5 * 60 * 1000;

export interface LogsSyncOptions {
  sfn: SFNClient;
  logs: CloudWatchLogsClient;
  sink: ExecutionSink;
  cursors: SyncCursorStore;
  /** Leases shared with other sync workers (../aws/leases.ts): a state machine another worker holds is skipped. */
  leases?: SyncLeases;
  endpointKey?: string;
  stateMachines: Array<{ arn: string; name: string }>;
  since?: number;
  /** delivery delay allowed for log events to arrive: the next read starts this long before now (default 10 s) */
  ingestionLagMs?: number;
  now?: () => number;
  /** FilterLogEvents `limit` per page (default AWS's 10,000) */
  pageSize?: number;
  backoff?: BackoffOptions;
  onProgress?: (p: { stateMachine: string; records: number; executions: number }) => void;
  signal?: AbortSignal;
}

export interface LogsSyncReport {
  stateMachines: Array<{ arn: string; name: string; logGroup?: string; level: LogLevel; records: number; executions: number; stored: number; skippedReason?: string }>;
  stored: number;
  events: number;
  incomplete: Array<{ executionArn: string; reason: string }>;
  badRecords: number;
  failures: Array<{ executionArn: string; error: string }>;
  /** Express state machines skipped because another worker holds their lease (and syncs them) */
  heldByOtherWorker: number;
}

const logGroupNameOf = (arn: string) => /:log-group:(.+?)(?::\*)?$/.exec(arn)?.[1] ?? arn;

export async function syncExpressLogs(options: LogsSyncOptions): Promise<LogsSyncReport> {
  const report: LogsSyncReport = { stateMachines: [], stored: 0, events: 0, incomplete: [], badRecords: 0, failures: [], heldByOtherWorker: 0 };
  const now = options.now ?? Date.now;
  const lag = options.ingestionLagMs ?? 10_000;
  const call = <T>(fn: () => Promise<T>) => withBackoff(fn, options.backoff);

  for (const sm of options.stateMachines) {
    let lease: HeldLease | null | undefined;
    try {
      // Leased per state machine (source "logs"), before any call, like the Standard sync.
      lease = options.leases ? await holdLease(options.leases, { source: "logs", endpoint: options.endpointKey ?? "", scope: sm.arn }) : undefined;
      if (lease === null) {
        report.heldByOtherWorker++;
        continue;
      }
      await syncStateMachine(sm, lease);
    } catch (err) {
      // One unreadable state machine or log group does not stop the others.
      if (options.signal?.aborted) throw err;
      report.failures.push({ executionArn: sm.arn, error: err instanceof Error ? `${err.name}: ${err.message}` : String(err) });
    } finally {
      await lease?.release();
    }
  }
  return report;

  async function syncStateMachine(sm: { arn: string; name: string }, lease: HeldLease | undefined): Promise<void> {
    const described = await call(() => options.sfn.send(new DescribeStateMachineCommand({ stateMachineArn: sm.arn }), { abortSignal: options.signal }));
    const cfg = described.loggingConfiguration;
    // Express has no DescribeStateMachineForExecution: the current definition is the one every
    // execution ran only while the machine was never updated (no revisionId yet).
    const definition = described.revisionId ? undefined : described.definition;
    const level = (cfg?.level ?? "OFF") as LogLevel;
    const groupArn = cfg?.destinations?.[0]?.cloudWatchLogsLogGroup?.logGroupArn;
    const row: LogsSyncReport["stateMachines"][number] = { arn: sm.arn, name: sm.name, level, records: 0, executions: 0, stored: 0 };
    report.stateMachines.push(row);
    if (level === "OFF" || !groupArn) {
      row.skippedReason = "logging is OFF: Express executions leave no history";
      return;
    }
    const logGroupName = logGroupNameOf(groupArn);
    row.logGroup = logGroupName;
    const key: CursorKey = { source: "logs", endpoint: options.endpointKey ?? "", scope: `${groupArn}#${sm.arn}` };
    const cursor = await readLogsCursor(options.cursors, key);
    const startTime = cursor?.startTime ?? options.since ?? 0;
    // Read up to now, but let the next read start `lag` earlier: events delivered late (with
    // earlier timestamps) are read then; what is read twice is stored once.
    const endTime = now();
    if (endTime < startTime) return;
    const grouper = new ExecutionGrouper();
    const logging = { level, includeExecutionData: cfg?.includeExecutionData === true };
    let nextStart = Math.max(startTime, endTime - lag);
    const settle = async (executions: LoggedExecution[]) => {
      row.executions += executions.length;
      for (const execution of executions) {
        const lastSeen = execution.events[execution.events.length - 1]?.timestamp ?? 0;
        const abandoned = !execution.closed && endTime - lastSeen > EXPRESS_MAX_MS;
        // The next read starts no later than the first event of an execution still open.
        if (!execution.closed && !abandoned) nextStart = Math.min(nextStart, execution.events[0]?.timestamp ?? nextStart);
        const reason = execution.incomplete ?? (abandoned ? "the execution's last events are not in the logs" : null);
        if (reason && (execution.closed || abandoned)) report.incomplete.push({ executionArn: execution.executionArn, reason });
        try {
          if (await storeExecution(options.sink, execution, sm.arn, reason, definition)) {
            row.stored++;
            report.stored++;
            report.events += execution.events.length;
          }
        } catch (err) {
          report.failures.push({ executionArn: execution.executionArn, error: err instanceof Error ? err.message : String(err) });
          nextStart = Math.min(nextStart, execution.events[0]?.timestamp ?? nextStart);
        }
      }
    };
    // Streams are named states/<machine>/...; the prefix keeps other machines sharing the group out.
    const prefix = `states/${sm.name}/`;
    let nextToken: string | undefined;
    let restarts = 0;
    for (;;) {
      // Lease lost (stalled past its TTL, another worker took over): stop; the cursor stays.
      if (lease?.lost) throw leaseLostError(sm.arn);
      let page;
      try {
        page = await call(() => options.logs.send(new FilterLogEventsCommand({ logGroupName, logStreamNamePrefix: prefix, startTime, endTime, nextToken, limit: options.pageSize }), { abortSignal: options.signal }));
      } catch (err) {
        // An expired token: read the window again; records are deduplicated by execution and id.
        if ((err as { name?: string }).name === "InvalidToken" && restarts++ < MAX_TOKEN_RESTARTS) {
          nextToken = undefined;
          continue;
        }
        throw err;
      }
      const events = page.events ?? [];
      for (const e of events) addRecord(grouper, e, sm.arn, report);
      row.records += events.length;
      if (events.length) await settle(grouper.takeClosedBefore(events[events.length - 1].timestamp ?? 0, logging));
      options.onProgress?.({ stateMachine: sm.name, records: row.records, executions: row.executions + grouper.size });
      nextToken = page.nextToken;
      if (!nextToken) break;
    }
    await settle(grouper.takeAll(logging));
    await options.cursors.put(key, { startTime: Math.max(0, nextStart) });
  }
}

function addRecord(grouper: ExecutionGrouper, event: FilteredLogEvent, stateMachineArn: string, report: LogsSyncReport): void {
  try {
    const record = parseLogRecord(event.message ?? "");
    // Another machine's records in a shared log group are not this machine's executions.
    if (record && stateMachineArnOfExecution(record.execution_arn) === stateMachineArn) grouper.add(record);
  } catch (err) {
    if (err instanceof LogRecordError) report.badRecords++;
    else throw err;
  }
}

async function storeExecution(sink: ExecutionSink, execution: LoggedExecution, stateMachineArn: string, incomplete: string | null, definition: string | undefined): Promise<boolean> {
  if (!execution.events.length) return false;
  const parts = execution.executionArn.split(":");
  const result = await sink.ingest({
    events: execution.events,
    execution: { executionArn: execution.executionArn, stateMachineArn, name: parts[7] ?? parts[parts.length - 1] },
    ...(definition ? { definition } : {}),
    source: "logs",
    stateMachine: { arn: stateMachineArn, name: stateMachineArn.split(":").pop(), type: "EXPRESS", region: parts[3] },
  }, incomplete);
  return result.outcome !== "unchanged";
}
