// What the reliability tests and bench/load.ts sync: state machines of several shapes started on a
// local endpoint (lib/server-aws), and how to look at the database a `statelens sync` wrote:
// per-execution completeness (no partial execution) and a full snapshot to compare two databases.
import { CreateStateMachineCommand, type SFNClient, StartExecutionCommand } from "@aws-sdk/client-sfn";
import { toCliHistory } from "@/lib/history/parse";
import { loadHistory, openStore, type Store } from "@/lib/store";
import { passDefinition, ROLE_ARN, waitUntilClosed } from "../aws/helpers";

/** Choice, Parallel, an inline Map over `items`, and a Fail when `reject` is set. */
export const FLOW_DEFINITION = JSON.stringify({
  StartAt: "Route",
  States: {
    Route: { Type: "Choice", Choices: [{ Variable: "$.reject", BooleanEquals: true, Next: "Fan" }], Default: "Fan" },
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
});

/** A Distributed Map: each item is a child execution of its own (with its own history). */
export const DMAP_DEFINITION = JSON.stringify({
  StartAt: "Fan out",
  States: { "Fan out": { Type: "Map", Label: "fan", ItemProcessor: { ProcessorConfig: { Mode: "DISTRIBUTED", ExecutionType: "STANDARD" }, StartAt: "Work", States: { Work: { Type: "Pass", End: true } } }, End: true } },
});

export interface WorkloadSpec {
  /** executions of a 5-state Pass chain (~12 events each) */
  short: number;
  /** executions of a 40-state Pass chain (~80 events each) */
  long: number;
  /** executions of FLOW_DEFINITION (Parallel + inline Map of 1-8 items; every 5th fails) */
  flow: number;
  /** Distributed Map executions, each over `fanItems` items */
  fans: number;
  fanItems: number;
}

/**
 * Creates the state machines, starts the executions and waits until all are closed. Returns how
 * many executions a sync stores (Distributed Map children included).
 */
export async function startWorkload(admin: SFNClient, spec: WorkloadSpec): Promise<{ executions: number; machines: string[] }> {
  const plan: Array<[string, string, number, (i: number) => unknown]> = [
    ["short-chain", passDefinition(5), spec.short, (i) => ({ i })],
    ["long-chain", passDefinition(40), spec.long, (i) => ({ i })],
    ["flow", FLOW_DEFINITION, spec.flow, (i) => ({ i, reject: i % 5 === 0, items: Array.from({ length: 1 + (i % 8) }, (_, k) => ({ k })) })],
    ["fan", DMAP_DEFINITION, spec.fans, () => Array.from({ length: spec.fanItems }, (_, k) => k)],
  ];
  const jobs: Array<() => Promise<string>> = [];
  const machines: string[] = [];
  for (const [name, definition, count, input] of plan) {
    if (!count) continue;
    const arn = (await admin.send(new CreateStateMachineCommand({ name, definition, roleArn: ROLE_ARN }))).stateMachineArn!;
    machines.push(arn);
    for (let i = 0; i < count; i++) jobs.push(async () => (await admin.send(new StartExecutionCommand({ stateMachineArn: arn, name: `${name}-${i}`, input: JSON.stringify(input(i)) }))).executionArn!);
  }
  const started: string[] = [];
  let next = 0;
  await Promise.all(Array.from({ length: 8 }, async () => {
    while (next < jobs.length) started.push(await jobs[next++]());
  }));
  await waitUntilClosed(admin, started);
  return { executions: spec.short + spec.long + spec.flow + spec.fans * (1 + spec.fanItems), machines };
}

export interface StoredExecution {
  eventCount: number;
  /** HistoryEvent rows */
  events: number;
  /** HistoryEvent rows of a state being entered */
  entered: number;
  /** StateVisit rows */
  visits: number;
}

/**
 * Every stored execution by ARN with its row counts, read through the store's own driver without
 * migrating (a database whose first migration was interrupted has no tables: empty). For SQLite,
 * also `PRAGMA integrity_check` ("ok" when sound; null for PostgreSQL).
 */
export async function storedExecutions(url: string): Promise<{ integrity: string | null; executions: Map<string, StoredExecution> }> {
  const store = await openStore({ url, migrate: false });
  try {
    const { driver } = store;
    const integrity = driver.kind === "sqlite" ? (await driver.all<{ integrity_check: string }>("PRAGMA integrity_check")).map((r) => r.integrity_check).join("; ") : null;
    const exists = driver.kind === "sqlite"
      ? (await driver.all(`SELECT 1 FROM sqlite_master WHERE type = 'table' AND name = 'Execution'`)).length > 0
      : (await driver.all<{ t: string | null }>(`SELECT to_regclass('"Execution"')::text AS t`))[0].t !== null;
    const executions = new Map<string, StoredExecution>();
    if (!exists) return { integrity, executions };
    const rows = await driver.all<{ arn: string; eventCount: unknown; events: unknown; entered: unknown; visits: unknown }>(`SELECT e."arn" AS arn, e."eventCount" AS "eventCount",
        (SELECT COUNT(*) FROM "HistoryEvent" h WHERE h."executionId" = e."id") AS events,
        (SELECT COUNT(*) FROM "HistoryEvent" h WHERE h."executionId" = e."id" AND h."type" LIKE '%StateEntered') AS entered,
        (SELECT COUNT(*) FROM "StateVisit" v WHERE v."executionId" = e."id") AS visits
      FROM "Execution" e`);
    for (const r of rows) executions.set(r.arn, { eventCount: Number(r.eventCount), events: Number(r.events), entered: Number(r.entered), visits: Number(r.visits) });
    return { integrity, executions };
  } finally {
    await store.close();
  }
}

/** Executions stored only in part: fewer (or more) events than eventCount, or state events without state visits. */
export function partialExecutions(executions: Map<string, StoredExecution>): string[] {
  const out: string[] = [];
  for (const [arn, e] of executions) {
    if (e.events !== e.eventCount) out.push(`${arn}: ${e.events} events stored, eventCount ${e.eventCount}`);
    else if (e.entered > 0 && e.visits === 0) out.push(`${arn}: ${e.entered} states entered but no state visits`);
  }
  return out;
}

/** Everything a sync decides, per execution: identity, status, links, definition and the history itself. */
export async function syncSnapshot(url: string) {
  const store = await openStore({ url, migrate: false });
  try {
    const rows = await store.prisma.execution.findMany({ include: { version: true, stateMachine: true }, orderBy: { arn: "asc" } });
    const executions = [];
    for (const r of rows) {
      executions.push({
        arn: r.arn, status: r.status, stateMachine: r.stateMachine.arn, parentArn: r.parentArn, mapRunArn: r.mapRunArn, eventCount: r.eventCount,
        definition: r.version?.definition ?? null, history: toCliHistory(await loadHistory(store.driver, r.id)),
      });
    }
    const mapRuns = (await store.prisma.mapRun.findMany({ orderBy: { arn: "asc" } })).map(({ id: _id, ...run }) => run);
    return { executions, events: await store.prisma.historyEvent.count(), visits: await store.prisma.stateVisit.count(), mapRuns, rollup: await rollup(store) };
  } finally {
    await store.close();
  }
}

/**
 * The per-state daily rollup (StateDayRollup), keyed by state machine ARN rather than id (ids
 * depend on the order a sync stored things in); null where the table does not exist.
 */
const TEXT_COLUMNS = new Set(["machine", "stateName", "stateType"]);

async function rollup(store: Store): Promise<unknown[] | null> {
  const { driver } = store;
  const exists = driver.kind === "sqlite"
    ? (await driver.all(`SELECT 1 FROM sqlite_master WHERE type = 'table' AND name = 'StateDayRollup'`)).length > 0
    : (await driver.all<{ t: string | null }>(`SELECT to_regclass('"StateDayRollup"')::text AS t`))[0].t !== null;
  if (!exists) return null;
  const rows = await driver.all<Record<string, unknown>>(`SELECT m."arn" AS machine, r.* FROM "StateDayRollup" r JOIN "StateMachine" m ON m."id" = r."stateMachineId"`);
  return rows
    // Numbers and timestamps as numbers whatever the driver returns (bigint, numeric text, Date).
    .map(({ stateMachineId: _id, ...r }) => Object.fromEntries(Object.entries(r).map(([k, v]) => [k, TEXT_COLUMNS.has(k) || v === null ? v : v instanceof Date ? v.getTime() : Number(v)])))
    .map((r) => JSON.stringify(r))
    .sort();
}
