// npm run bench:sync — executions and events per second for `statelens sync` against the local
// endpoint (the real SDK over HTTP on 127.0.0.1), into SQLite and into PostgreSQL, plus the time
// of a second, incremental sync that finds nothing new; then a check that every synced execution
// is stored exactly as the endpoint reports it (the issue's acceptance criterion).
//
// The workload: BENCH_EXECUTIONS (1,000) executions started on the endpoint, of mixed kinds —
// imported synthetic histories (the earlier bench's workload), Pass chains, Tasks answered by the
// endpoint's mock configuration and by a task resolver (retries, caught and uncaught failures),
// Choice/Wait/Parallel/inline Map, callbacks (.waitForTaskToken answered with SendTask*),
// parents starting a child with states:startExecution.sync:2, an Express machine logging to
// CloudWatch Logs, and ONE Distributed Map over BENCH_DMAP_ITEMS (10,000) items. Like AWS, the
// Distributed Map's parent counts as one of the started executions and each of its Map Run
// children is an execution of its own (with its own history); started children of .sync tasks
// are executions too. The output says how many of each there are.
import fs from "node:fs";
import os from "node:os";
import path from "node:path";
import pg from "pg";
import { FilterLogEventsCommand } from "@aws-sdk/client-cloudwatch-logs";
import { GetExecutionHistoryCommand, type HistoryEvent as SdkEvent, SendTaskFailureCommand, SendTaskSuccessCommand, type SFNClient, StartExecutionCommand } from "@aws-sdk/client-sfn";
import type { MockConfig, TaskOutcome, TaskResolver } from "@/lib/engine";
import { readEvents, toCliHistory } from "@/lib/history/parse";
import type { HistoryEvent, Json } from "@/lib/history/types";
import { createSfnClient } from "@/lib/sources/aws/client";
import { storeCursors } from "@/lib/sources/aws/cursor-store";
import { storeSink } from "@/lib/sources/aws/sink";
import { syncAws } from "@/lib/sources/aws/sync";
import { createLogsClient } from "@/lib/sources/cloudwatch-logs/client";
import { fromLogRecord, parseLogRecord } from "@/lib/sources/cloudwatch-logs/record";
import { syncExpressLogs } from "@/lib/sources/cloudwatch-logs/sync";
import { type AwsEndpoint, startAwsEndpoint } from "@/lib/server-aws/server";
import { describeEntry, eventsOf, type ExecutionEntry } from "@/lib/server-aws/registry";
import { loadHistory, openStore, type Store } from "@/lib/store";
import { mapOfTasksHistory } from "./synthetic";

const EXECUTIONS = Number(process.env.BENCH_EXECUTIONS ?? 1000);
const EVENTS = Number(process.env.BENCH_EVENTS ?? 100);
const DMAP_ITEMS = Number(process.env.BENCH_DMAP_ITEMS ?? 10_000);
const CONCURRENCY = Number(process.env.BENCH_CONCURRENCY ?? 8);
const PG_URL = process.env.STATELENS_TEST_PG_URL ?? "postgresql://postgres@127.0.0.1:5432/test";
const DEFINITION = JSON.stringify({ StartAt: "P", States: { P: { Type: "Pass", End: true } } });
const REGION = "us-east-1";
const ACCOUNT = "123456789012";
const ROLE_ARN = `arn:aws:iam::${ACCOUNT}:role/bench`;
const smArn = (name: string) => `arn:aws:states:${REGION}:${ACCOUNT}:stateMachine:${name}`;

process.env.AWS_ACCESS_KEY_ID ??= "bench";
process.env.AWS_SECRET_ACCESS_KEY ??= "bench";

const rate = (n: number, ms: number) => Math.round((n / ms) * 1000).toLocaleString("en-US");

// ---- the workload ----------------------------------------------------------------------------

const retry = (errors: string[], maxAttempts: number) => [{ ErrorEquals: errors, IntervalSeconds: 1, MaxAttempts: maxAttempts, BackoffRate: 1 }];

const MACHINES: Record<string, { definition: object; type?: "EXPRESS"; logging?: boolean }> = {
  "pass-chain": {
    definition: {
      StartAt: "S0",
      States: Object.fromEntries(Array.from({ length: 6 }, (_, i) => [`S${i}`, { Type: "Pass", Result: { step: i }, ResultPath: `$.s${i}`, ...(i === 5 ? { End: true } : { Next: `S${i + 1}` }) }])),
    },
  },
  // Tasks answered by the endpoint's mock configuration (test case chosen with `#<TestCase>`).
  "mock-orders": {
    definition: {
      StartAt: "Charge",
      States: {
        Charge: {
          Type: "Task", Resource: "arn:aws:states:::lambda:invoke", Parameters: { FunctionName: "charge", "Payload.$": "$" }, ResultPath: "$.charge",
          Retry: retry(["Lambda.ServiceException"], 3), Catch: [{ ErrorEquals: ["Payment.Declined"], ResultPath: "$.error", Next: "Declined" }], Next: "Ship",
        },
        Ship: { Type: "Pass", Result: "shipped", ResultPath: "$.shipping", End: true },
        Declined: { Type: "Fail", Error: "Order.Declined", Cause: "payment declined" },
      },
    },
  },
  // Tasks answered by the endpoint's task resolver (below): transient failures, fatal ones.
  "handler-tasks": {
    definition: {
      StartAt: "Flaky",
      States: {
        Flaky: { Type: "Task", Resource: `arn:aws:lambda:${REGION}:${ACCOUNT}:function:flaky`, Retry: retry(["Flaky.Transient"], 2), ResultPath: "$.flaky", Next: "Enrich" },
        Enrich: { Type: "Task", Resource: `arn:aws:lambda:${REGION}:${ACCOUNT}:function:enrich`, End: true },
      },
    },
  },
  flow: {
    definition: {
      StartAt: "Route",
      States: {
        Route: { Type: "Choice", Choices: [{ Variable: "$.wait", BooleanEquals: true, Next: "Pause" }], Default: "Fan" },
        Pause: { Type: "Wait", Seconds: 1, Next: "Fan" },
        Fan: {
          Type: "Parallel", ResultPath: "$.parallel", Next: "Each",
          Branches: [
            { StartAt: "A", States: { A: { Type: "Pass", Result: "a", End: true } } },
            { StartAt: "B", States: { B: { Type: "Pass", Result: "b", Next: "B2" }, B2: { Type: "Pass", End: true } } },
          ],
        },
        Each: { Type: "Map", ItemsPath: "$.items", ResultPath: "$.mapped", ItemProcessor: { ProcessorConfig: { Mode: "INLINE" }, StartAt: "Item", States: { Item: { Type: "Pass", End: true } } }, Next: "Verdict" },
        Verdict: { Type: "Choice", Choices: [{ Variable: "$.reject", BooleanEquals: true, Next: "Rejected" }], Default: "Accepted" },
        Rejected: { Type: "Fail", Error: "Flow.Rejected", Cause: "rejected" },
        Accepted: { Type: "Succeed" },
      },
    },
  },
  callback: {
    definition: {
      StartAt: "Ask",
      States: {
        Ask: {
          Type: "Task", Resource: "arn:aws:states:::sqs:sendMessage.waitForTaskToken", TimeoutSeconds: 600,
          Parameters: { QueueUrl: `https://sqs.${REGION}.amazonaws.com/${ACCOUNT}/approvals`, MessageBody: { "token.$": "$$.Task.Token", "i.$": "$.i" } }, Next: "Approved",
        },
        Approved: { Type: "Pass", End: true },
      },
    },
  },
  child: { definition: { StartAt: "C0", States: { C0: { Type: "Pass", Result: "child", ResultPath: "$.c", Next: "C1" }, C1: { Type: "Pass", End: true } } } },
  parent: {
    definition: {
      StartAt: "Run child",
      States: { "Run child": { Type: "Task", Resource: "arn:aws:states:::states:startExecution.sync:2", Parameters: { StateMachineArn: smArn("child"), "Input.$": "$" }, End: true } },
    },
  },
  "express-orders": {
    type: "EXPRESS", logging: true,
    definition: {
      StartAt: "Prepare",
      States: {
        Prepare: { Type: "Pass", Result: { ok: true }, ResultPath: "$.prepared", Next: "Check" },
        Check: { Type: "Choice", Choices: [{ Variable: "$.fail", BooleanEquals: true, Next: "Broken" }], Default: "Both" },
        Both: { Type: "Parallel", Branches: [{ StartAt: "X", States: { X: { Type: "Pass", End: true } } }, { StartAt: "Y", States: { Y: { Type: "Pass", End: true } } }], Next: "Done" },
        Done: { Type: "Succeed" },
        Broken: { Type: "Fail", Error: "Express.Broken", Cause: "asked to fail" },
      },
    },
  },
  "distributed-fan": {
    definition: {
      StartAt: "Fan out",
      States: {
        "Fan out": {
          Type: "Map", Label: "fan", ResultSelector: { "done.$": "States.ArrayLength($)" },
          ItemProcessor: { ProcessorConfig: { Mode: "DISTRIBUTED", ExecutionType: "STANDARD" }, StartAt: "Work", States: { Work: { Type: "Pass", Parameters: { "item.$": "$" }, End: true } } },
          End: true,
        },
      },
    },
  },
};

const MOCK_CONFIG: MockConfig = {
  StateMachines: { "mock-orders": { TestCases: { Happy: { Charge: "ChargeOk" }, RetryThenOk: { Charge: "ChargeFlaky" }, Declined: { Charge: "ChargeDeclined" }, Broken: { Charge: "ChargeBroken" } } } },
  MockedResponses: {
    ChargeOk: { "0": { Return: { StatusCode: 200, Payload: { charged: true } } } },
    ChargeFlaky: { "0-1": { Throw: { Error: "Lambda.ServiceException", Cause: "flaky" } }, "2": { Return: { StatusCode: 200, Payload: { charged: true, attempts: 3 } } } },
    ChargeDeclined: { "0": { Throw: { Error: "Payment.Declined", Cause: "card declined" } } },
    ChargeBroken: { "0-3": { Throw: { Error: "Lambda.ServiceException", Cause: "down" } } },
  },
};

/** Tasks no mock answers: two local "Lambda functions" and the callback's SQS message. */
const taskResolver: TaskResolver = (inv): TaskOutcome | undefined => {
  const i = Number((inv.input as { i?: number } | null)?.i ?? 0);
  if (inv.resource.endsWith(":function:flaky")) {
    if (i % 10 === 7) return { error: "Flaky.Fatal", cause: `item ${i} cannot be processed` };
    if (i % 3 === 0 && inv.retryCount === 0) return { error: "Flaky.Transient", cause: "try again" };
    return { output: { processed: i, attempt: inv.retryCount } };
  }
  if (inv.resource.endsWith(":function:enrich")) return { output: { ...(inv.input as Record<string, Json>), enriched: true } };
  if (inv.target.kind === "service" && inv.target.pattern === "waitForTaskToken") return { pending: true, submitted: { MessageId: `m-${i}` } };
  return undefined;
};

interface Workload {
  started: Record<string, number>;
  callbacks: string[];
}

/** How many of the started executions are of each kind (they add up to EXECUTIONS). */
function plan(total: number): Record<string, number> {
  const share = (f: number) => Math.max(1, Math.round(total * f));
  const kinds: Record<string, number> = {
    "distributed-fan": 1, imported: share(0.1), "mock-orders": share(0.15), "handler-tasks": share(0.1), flow: share(0.15),
    callback: share(0.05), parent: share(0.05), "express-orders": share(0.1),
  };
  kinds["pass-chain"] = total - Object.values(kinds).reduce((a, b) => a + b, 0);
  return kinds;
}

async function createWorkload(endpoint: AwsEndpoint, sfn: SFNClient): Promise<Workload> {
  for (const [name, m] of Object.entries(MACHINES)) {
    const logGroupArn = `arn:aws:logs:${REGION}:${ACCOUNT}:log-group:/aws/vendedlogs/states/${name}:*`;
    await endpoint.sfn.handle("CreateStateMachine", {
      name, definition: JSON.stringify(m.definition), roleArn: ROLE_ARN, ...(m.type ? { type: m.type } : {}),
      ...(m.logging ? { loggingConfiguration: { level: "ALL", includeExecutionData: true, destinations: [{ cloudWatchLogsLogGroup: { logGroupArn } }] } } : {}),
    });
  }
  await endpoint.sfn.handle("CreateStateMachine", { name: "bench", definition: DEFINITION, roleArn: ROLE_ARN });
  const counts = plan(EXECUTIONS);
  const callbacks: string[] = [];
  // The Distributed Map first, so it runs while the rest start.
  await sfn.send(new StartExecutionCommand({ stateMachineArn: smArn("distributed-fan"), name: "fan-0", input: JSON.stringify(Array.from({ length: DMAP_ITEMS }, (_, i) => i)) }));
  // Imported histories (the earlier bench's workload). Executions start after the state machine
  // was created, as they do on AWS.
  const start = Date.now() + 1000;
  for (let i = 0; i < counts.imported; i++) {
    const events = mapOfTasksHistory(EVENTS, start + i * 60_000);
    const executionArn = `arn:aws:states:${REGION}:${ACCOUNT}:execution:bench:run-${i}`;
    endpoint.sfn.importExecution({
      stateMachineArn: smArn("bench"), definition: DEFINITION, events,
      description: { executionArn, stateMachineArn: smArn("bench"), name: `run-${i}`, status: "SUCCEEDED", startDate: events[0].timestamp, stopDate: events[events.length - 1].timestamp, input: "{}", inputDetails: { included: true } },
    });
  }
  const testCases = ["Happy", "RetryThenOk", "Declined", "Broken"];
  const jobs: Array<() => Promise<unknown>> = [];
  for (const [kind, n] of Object.entries(counts)) {
    if (kind === "imported" || kind === "distributed-fan") continue;
    for (let i = 0; i < n; i++) {
      const input: Record<string, unknown> = { i };
      let arn = smArn(kind);
      if (kind === "mock-orders") arn += `#${testCases[i % testCases.length]}`;
      if (kind === "flow") Object.assign(input, { wait: i % 4 === 0, reject: i % 5 === 0, items: Array.from({ length: 1 + (i % 6) }, (_, k) => ({ k })) });
      if (kind === "express-orders") input.fail = i % 8 === 0;
      jobs.push(async () => {
        const out = await sfn.send(new StartExecutionCommand({ stateMachineArn: arn, name: `${kind}-${i}`, input: JSON.stringify(input) }));
        if (kind === "callback") callbacks.push(out.executionArn!);
      });
    }
  }
  await runAll(jobs, 8);
  return { started: counts, callbacks };
}

async function runAll(jobs: Array<() => Promise<unknown>>, parallel: number): Promise<void> {
  let next = 0;
  await Promise.all(Array.from({ length: parallel }, async () => {
    while (next < jobs.length) await jobs[next++]();
  }));
}

/** Answers the callbacks (SendTaskSuccess, every third SendTaskFailure), then waits for every execution to close. */
async function settle(endpoint: AwsEndpoint, sfn: SFNClient, workload: Workload): Promise<void> {
  const answered = new Set<string>();
  const deadline = Date.now() + 15 * 60_000;
  for (;;) {
    for (const [index, arn] of workload.callbacks.entries()) {
      if (answered.has(arn)) continue;
      const token = endpoint.sfn.registry.executions.get(arn)?.handle?.pendingTaskTokens()[0];
      if (!token) continue;
      answered.add(arn);
      if (index % 3 === 2) await sfn.send(new SendTaskFailureCommand({ taskToken: token, error: "Approval.Denied", cause: `request ${index} denied` }));
      else await sfn.send(new SendTaskSuccessCommand({ taskToken: token, output: JSON.stringify({ approved: true, by: `reviewer-${index % 7}` }) }));
    }
    let running = 0;
    for (const entry of endpoint.sfn.registry.allExecutions()) if (describeEntry(entry).status === "RUNNING") running++;
    if (running === 0 && answered.size === workload.callbacks.length) return;
    if (Date.now() > deadline) throw new Error(`the workload did not finish: ${running} executions still running`);
    await new Promise((r) => setTimeout(r, 250));
  }
}

// ---- what the endpoint says ------------------------------------------------------------------

interface Expected {
  /** toCliHistory of the endpoint's history, as JSON text */
  history: string;
  events: number;
  express: boolean;
}

/** Every execution of the endpoint with the history it reports: GetExecutionHistory (all pages), or for Express what the logs carry. */
async function endpointHistories(endpoint: AwsEndpoint): Promise<Map<string, Expected>> {
  const sfn = createSfnClient({ endpoint: endpoint.url, region: REGION });
  const logs = createLogsClient({ endpoint: endpoint.url, region: REGION });
  const out = new Map<string, Expected>();
  try {
    const entries: ExecutionEntry[] = [...endpoint.sfn.registry.allExecutions()];
    // Standard: GetExecutionHistory in pages of 100 (the sync reads pages of 1,000), timestamps included.
    await runAll(entries.filter((e) => e.type !== "EXPRESS").map((entry) => async () => {
      const raw: SdkEvent[] = [];
      let nextToken: string | undefined;
      do {
        const page = await sfn.send(new GetExecutionHistoryCommand({ executionArn: entry.executionArn, nextToken, maxResults: 100, includeExecutionData: true }));
        raw.push(...(page.events ?? []));
        nextToken = page.nextToken;
      } while (nextToken);
      const events = readEvents(raw as unknown[], entry.executionArn);
      const history = JSON.stringify(toCliHistory(events));
      // And the SDK's reading of it is the history the endpoint recorded (millisecond timestamps).
      if (history !== JSON.stringify(toCliHistory([...eventsOf(entry)]))) throw new Error(`${entry.executionArn}: GetExecutionHistory, read with the SDK, differs from the history the endpoint recorded`);
      out.set(entry.executionArn, { history, events: events.length, express: false });
    }), 8);
    // Express: the records of each logging machine's log group, read back with FilterLogEvents.
    const express = entries.filter((e) => e.type === "EXPRESS");
    const logged = new Map<string, HistoryEvent[]>();
    for (const name of new Set(express.map((e) => e.machine.name))) {
      let nextToken: string | undefined;
      do {
        const page = await logs.send(new FilterLogEventsCommand({ logGroupName: `/aws/vendedlogs/states/${name}`, logStreamNamePrefix: `states/${name}/`, nextToken }));
        for (const e of page.events ?? []) {
          const record = parseLogRecord(e.message ?? "");
          if (!record) continue;
          const list = logged.get(record.execution_arn) ?? [];
          list.push(fromLogRecord(record));
          logged.set(record.execution_arn, list);
        }
        nextToken = page.nextToken;
      } while (nextToken);
    }
    for (const entry of express) {
      const events = (logged.get(entry.executionArn) ?? []).sort((a, b) => a.id - b.id);
      const history = JSON.stringify(toCliHistory(events));
      // What the logs carried is what the engine recorded (level ALL, includeExecutionData).
      if (history !== JSON.stringify(toCliHistory([...eventsOf(entry)]))) throw new Error(`${entry.executionArn}: the logs do not carry the history the engine recorded`);
      out.set(entry.executionArn, { history, events: events.length, express: true });
    }
  } finally {
    sfn.destroy();
    logs.destroy();
  }
  return out;
}

// ---- sync and verify -------------------------------------------------------------------------

/** Stored executions compared with the endpoint's: missing, extra and different ones are reported. */
async function verify(label: string, store: Store, expected: Map<string, Expected>): Promise<boolean> {
  const rows = await store.prisma.execution.findMany({ select: { id: true, arn: true } });
  const problems: string[] = [];
  let exact = 0;
  let events = 0;
  const seen = new Set<string>();
  for (const row of rows) {
    if (seen.has(row.arn)) problems.push(`${row.arn}: stored twice`);
    seen.add(row.arn);
    const want = expected.get(row.arn);
    if (!want) {
      problems.push(`${row.arn}: stored but not on the endpoint`);
      continue;
    }
    const stored = await loadHistory(store.driver, row.id);
    const got = toCliHistory(stored);
    if (JSON.stringify(got) === want.history) {
      exact++;
      events += stored.length;
    } else {
      const wanted = (JSON.parse(want.history) as { events: unknown[] }).events;
      const at = got.events.findIndex((e, i) => JSON.stringify(e) !== JSON.stringify(wanted[i]));
      const first = at < 0 ? `the endpoint has ${wanted.length - got.events.length} more` : `first difference at event ${at + 1}: stored ${JSON.stringify(got.events[at]).slice(0, 200)}, endpoint ${JSON.stringify(wanted[at]).slice(0, 200)}`;
      problems.push(`${row.arn}: stored history (${stored.length} events) differs from the endpoint's (${want.events} events); ${first}`);
    }
  }
  for (const arn of expected.keys()) if (!seen.has(arn)) problems.push(`${arn}: on the endpoint but not stored`);
  const total = expected.size;
  const expectedEvents = [...expected.values()].reduce((a, e) => a + e.events, 0);
  process.stdout.write(`${label.padEnd(10)} exact: ${exact} of ${total} executions, ${events} events${events !== expectedEvents ? ` (the endpoint has ${expectedEvents})` : ""}\n`);
  for (const p of problems.slice(0, 10)) process.stdout.write(`  ${p}\n`);
  if (problems.length > 10) process.stdout.write(`  ... and ${problems.length - 10} more\n`);
  return problems.length === 0 && exact === total;
}

async function run(label: string, url: string, endpointUrl: string, expected: Map<string, Expected>): Promise<boolean> {
  const store = await openStore({ url });
  const client = createSfnClient({ endpoint: endpointUrl, region: REGION });
  const logsClient = createLogsClient({ endpoint: endpointUrl, region: REGION });
  const expectedStandard = [...expected.values()].filter((e) => !e.express).length;
  const expectedExpress = expected.size - expectedStandard;
  const sync = async () => {
    const cursors = storeCursors(store);
    const t0 = performance.now();
    const report = await syncAws({ client, sink: storeSink(store), cursors, endpointKey: endpointUrl, concurrency: CONCURRENCY });
    const awsMs = performance.now() - t0;
    const logs = await syncExpressLogs({ sfn: client, logs: logsClient, sink: storeSink(store), cursors, endpointKey: endpointUrl, stateMachines: report.expressStateMachines });
    return { report, logs, awsMs, ms: performance.now() - t0 };
  };
  try {
    const { report, logs, awsMs, ms } = await sync();
    if (report.failures.length || logs.failures.length || logs.incomplete.length) {
      throw new Error(`${label}: sync failures: ${JSON.stringify([...report.failures, ...logs.failures, ...logs.incomplete].slice(0, 5))}`);
    }
    if (report.created !== expectedStandard || logs.stored !== expectedExpress) {
      throw new Error(`${label}: expected ${expectedStandard} new executions from Step Functions and ${expectedExpress} from the logs, got ${report.created} and ${logs.stored}`);
    }
    const { report: again, logs: againLogs, ms: againMs } = await sync();
    if (again.fetched !== 0 || againLogs.stored !== 0) throw new Error(`${label}: the second sync fetched ${again.fetched} (and ${againLogs.stored} from the logs)`);
    const calls = Object.values(report.apiCalls).reduce((a, b) => a + b, 0);
    const created = report.created + logs.stored;
    const events = report.events + logs.events;
    process.stdout.write(
      `${label.padEnd(10)} ${rate(created, ms).padStart(8)} executions/s ${rate(events, ms).padStart(10)} events/s  ` +
        `(${created} executions, ${events} events in ${(ms / 1000).toFixed(2)} s, ${calls} API calls, ${report.definitionCalls} definition calls; incremental re-sync ${againMs.toFixed(0)} ms)\n`,
    );
    process.stdout.write(
      `${"".padEnd(10)} Step Functions: ${report.created} executions, ${report.events} events in ${(awsMs / 1000).toFixed(2)} s (${rate(report.created, awsMs)} executions/s, ${rate(report.events, awsMs)} events/s); ` +
        `CloudWatch Logs (Express): ${logs.stored} executions, ${logs.events} events in ${((ms - awsMs) / 1000).toFixed(2)} s\n`,
    );
    return await verify(label, store, expected);
  } finally {
    client.destroy();
    logsClient.destroy();
    await store.close();
  }
}

async function main(): Promise<boolean> {
  const endpoint = await startAwsEndpoint({ mockConfig: MOCK_CONFIG, taskResolver });
  const admin = createSfnClient({ endpoint: endpoint.url, region: REGION });
  let ok = true;
  try {
    const t0 = performance.now();
    const workload = await createWorkload(endpoint, admin);
    await settle(endpoint, admin, workload);
    const expected = await endpointHistories(endpoint);
    const all = [...endpoint.sfn.registry.allExecutions()];
    const mapRunChildren = all.filter((e) => e.machine.mapRunArn).length;
    const startedChildren = all.length - mapRunChildren - Object.values(workload.started).reduce((a, b) => a + b, 0);
    const statuses = new Map<string, number>();
    for (const e of all) statuses.set(describeEntry(e).status, (statuses.get(describeEntry(e).status) ?? 0) + 1);
    const expectedEvents = [...expected.values()].reduce((a, e) => a + e.events, 0);
    process.stdout.write(`sync from the local endpoint (${endpoint.url}), concurrency ${CONCURRENCY}, ${EXECUTIONS} executions started, of mixed types (workload ran in ${((performance.now() - t0) / 1000).toFixed(1)} s)\n`);
    process.stdout.write(`  started: ${Object.entries(workload.started).map(([k, n]) => `${n} ${k === "imported" ? `imported (~${EVENTS} events)` : k}`).join(", ")}\n`);
    process.stdout.write(
      `  counted as AWS does: the Distributed Map parent is 1 of the ${EXECUTIONS} started; each of its ${mapRunChildren} Map Run children (${DMAP_ITEMS} items) is an execution with its own history, ` +
        `and so is each of the ${startedChildren} children started by states:startExecution.sync:2 -> ${all.length} executions (${expected.size - [...expected.values()].filter((e) => e.express).length} Standard via GetExecutionHistory, ` +
        `${[...expected.values()].filter((e) => e.express).length} Express via CloudWatch Logs), ${expectedEvents} events; ${[...statuses].map(([s, n]) => `${n} ${s}`).join(", ")}\n`,
    );
    const dir = fs.mkdtempSync(path.join(os.tmpdir(), "statelens-bench-sync-"));
    try {
      ok = (await run("SQLite", `file:${path.join(dir, "bench.db")}`, endpoint.url, expected)) && ok;
    } finally {
      fs.rmSync(dir, { recursive: true, force: true });
    }
    const dbName = `statelens_bench_sync_${process.pid}`;
    const pgAdmin = new pg.Client({ connectionString: PG_URL, connectionTimeoutMillis: 3000 });
    try {
      await pgAdmin.connect();
    } catch (err) {
      process.stdout.write(`PostgreSQL skipped: no server at ${PG_URL} (${(err as Error).message})\n`);
      return ok;
    }
    try {
      await pgAdmin.query(`CREATE DATABASE "${dbName}"`);
      const u = new URL(PG_URL);
      u.pathname = `/${dbName}`;
      ok = (await run("PostgreSQL", u.toString(), endpoint.url, expected)) && ok;
    } finally {
      await pgAdmin.query(`DROP DATABASE IF EXISTS "${dbName}" WITH (FORCE)`);
      await pgAdmin.end();
    }
  } finally {
    admin.destroy();
    await endpoint.close();
  }
  return ok;
}

if (!(await main())) {
  process.stdout.write("some stored histories differ from the endpoint's\n");
  process.exitCode = 1;
}
