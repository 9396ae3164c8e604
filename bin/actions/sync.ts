// The implementation of `statelens sync` (options and help: bin/commands/sync.ts, which loads this
// module only when the command runs): pull executions from Step Functions (Standard: the API;
// Express: CloudWatch Logs) into the store, once or every --watch interval. Credentials and region
// come from the AWS SDK's default chain; --endpoint-url (or AWS_ENDPOINT_URL_SFN / AWS_ENDPOINT_URL)
// points it at another endpoint such as `statelens serve-aws`.
import { createSfnClient, resolveEndpoint } from "@/lib/sources/aws/client";
import { storeCursors } from "@/lib/sources/aws/cursor-store";
import { storeLeases } from "@/lib/sources/aws/leases";
import { storeSink } from "@/lib/sources/aws/sink";
import { type SyncProgress, type SyncReport, syncAws } from "@/lib/sources/aws/sync";
import { createLogsClient } from "@/lib/sources/cloudwatch-logs/client";
import { type LogsSyncReport, syncExpressLogs } from "@/lib/sources/cloudwatch-logs/sync";
import { describeDatabase, openStore } from "@/lib/store";
import { CliError } from "../commands/util";

export interface SyncOptions {
  region?: string;
  endpointUrl?: string;
  stateMachine?: string[];
  since?: string;
  watch?: string | boolean;
  concurrency: string;
  logs: boolean;
  quiet?: boolean;
}

const UNITS: Record<string, number> = { ms: 1, s: 1000, m: 60_000, h: 3_600_000, d: 86_400_000, w: 604_800_000 };

/** "7d", "12h", "90s", "500ms" -> milliseconds. */
export function parseDuration(text: string, option: string): number {
  const m = /^(\d+(?:\.\d+)?)(ms|s|m|h|d|w)$/.exec(text.trim());
  if (!m) throw new CliError(`${option}: expected a duration like 30s, 15m, 12h or 7d, got ${JSON.stringify(text)}`, 2);
  return Math.round(Number(m[1]) * UNITS[m[2]]);
}

function progressLine(p: SyncProgress): string {
  return `${p.stateMachine ?? "discovering"}: listed ${p.listed}, fetched ${p.fetched} (${p.events} events), already stored ${p.skipped}${p.failed ? `, failed ${p.failed}` : ""}`;
}

function summary(report: SyncReport, logs: LogsSyncReport | null, ms: number): string {
  const lines: string[] = [];
  for (const sm of report.stateMachines.filter((s) => !s.express)) {
    lines.push(`  ${sm.name}: ${sm.fetched} fetched, ${sm.skipped} already stored${sm.failed ? `, ${sm.failed} failed` : ""}`);
  }
  for (const sm of logs?.stateMachines ?? []) {
    lines.push(`  ${sm.name} (Express): ${sm.skippedReason ?? `${sm.stored} stored from ${sm.records} log records in ${sm.logGroup}`}`);
  }
  const express = logs ? logs.stored : 0;
  const failures = report.failures.length + (logs?.failures.length ?? 0);
  const held = report.heldByOtherWorker + (logs?.heldByOtherWorker ?? 0);
  lines.push(
    `synced ${report.stateMachines.length} state machines in ${(ms / 1000).toFixed(1)}s: ${report.created} new, ${report.updated} updated, ${report.skipped} already stored, ${report.events + (logs?.events ?? 0)} events` +
      (express ? `, ${express} Express executions from logs` : "") +
      (logs?.incomplete.length ? `, ${logs.incomplete.length} with incomplete logs` : "") +
      (held ? `, ${held} state machines left to another worker` : "") +
      (report.expressMapRunChildren ? `, ${report.expressMapRunChildren} Express Map Run children not stored (no history in the API)` : "") +
      (failures ? `, ${failures} failed` : ""),
  );
  for (const f of [...report.failures, ...(logs?.failures ?? [])].slice(0, 10)) lines.push(`  failed: ${f.executionArn}: ${f.error}`);
  return lines.join("\n") + "\n";
}

/** The action of `statelens sync`. */
export async function syncAction(options: SyncOptions): Promise<void> {
  const concurrency = Number(options.concurrency);
  if (!Number.isInteger(concurrency) || concurrency < 1 || concurrency > 64) throw new CliError("--concurrency: expected an integer from 1 to 64", 2);
  const sinceMs = options.since ? parseDuration(options.since, "--since") : undefined;
  const watchMs = options.watch === undefined || options.watch === false ? undefined : options.watch === true ? 60_000 : parseDuration(options.watch, "--watch");
  const endpoint = resolveEndpoint(options.endpointUrl, "SFN");
  const connection = { region: options.region, endpoint };
  const sfn = createSfnClient(connection);
  const logsClient = createLogsClient({ region: options.region, endpoint: resolveEndpoint(options.endpointUrl, "CLOUDWATCH_LOGS") });
  const store = await openStore();
  const cursors = storeCursors(store);
  // Several `statelens sync` processes on one database split the work: each state machine is
  // synced by whichever worker holds its lease (owner hostname:pid:random).
  const leases = storeLeases(store);
  const controller = new AbortController();
  const stop = () => controller.abort(new CliError("interrupted", 130));
  process.once("SIGINT", stop);
  process.once("SIGTERM", stop);
  const tty = process.stderr.isTTY && !options.quiet;
  let lastPrinted = Date.now();
  const show = (line: string) => {
    if (options.quiet) return;
    const now = Date.now();
    if (tty) process.stderr.write(`\r\u001b[2K${line}`);
    else if (now - lastPrinted > 5000) {
      lastPrinted = now;
      process.stderr.write(`${line}\n`);
    }
  };
  const onProgress = (p: SyncProgress) => show(progressLine(p));
  if (!options.quiet) {
    process.stderr.write(`syncing from ${endpoint ?? "AWS"}${options.region ? ` (${options.region})` : ""} into ${describeDatabase(store.config)}\n`);
  }
  let failedRuns = 0;
  try {
    for (;;) {
      const started = Date.now();
      try {
        const report = await syncAws({
          client: sfn, sink: storeSink(store), cursors, leases, endpointKey: endpoint ?? "", stateMachines: options.stateMachine,
          since: sinceMs === undefined ? undefined : Date.now() - sinceMs, concurrency, onProgress, signal: controller.signal,
        });
        let logs: LogsSyncReport | null = null;
        if (options.logs && report.expressStateMachines.length) {
          logs = await syncExpressLogs({
            sfn, logs: logsClient, sink: storeSink(store), cursors, leases, endpointKey: endpoint ?? "", stateMachines: report.expressStateMachines,
            since: sinceMs === undefined ? undefined : Date.now() - sinceMs, signal: controller.signal,
            onProgress: (p) => show(`${p.stateMachine} (Express, CloudWatch Logs): ${p.records} log records, ${p.executions} executions`),
          });
        }
        if (tty) process.stderr.write("\r\u001b[2K");
        process.stdout.write(summary(report, logs, Date.now() - started));
        failedRuns = report.failures.length + (logs?.failures.length ?? 0) ? 1 : 0;
      } catch (err) {
        if (controller.signal.aborted) throw controller.signal.reason;
        if (watchMs === undefined) throw new CliError(`sync failed: ${(err as Error).message}`);
        // In watch mode a failed pass (e.g. expired credentials) is reported and retried next interval.
        process.stderr.write(`statelens: sync failed: ${(err as Error).message}\n`);
        failedRuns = 1;
      }
      if (watchMs === undefined) break;
      await new Promise<void>((resolve) => {
        const timer = setTimeout(resolve, watchMs);
        controller.signal.addEventListener("abort", () => {
          clearTimeout(timer);
          resolve();
        }, { once: true });
      });
      if (controller.signal.aborted) break;
    }
  } finally {
    process.off("SIGINT", stop);
    process.off("SIGTERM", stop);
    sfn.destroy();
    logsClient.destroy();
    await store.close();
  }
  if (failedRuns) process.exitCode = 1;
}
