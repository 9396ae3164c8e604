// The local AWS-compatible endpoint's state (statelens serve-aws): its state machines
// (EndpointStateMachine) and the executions and Map Runs it ran (Execution rows with source
// "engine", MapRun rows written with sync.ts's upsertMapRun), read back when it restarts.
import type { Store } from "./index";

/** A state machine created through the endpoint. JSON-valued fields are stored as JSON. */
export interface EndpointStateMachineRecord {
  arn: string;
  name: string;
  type: string;
  definition: string;
  roleArn: string;
  loggingConfiguration: unknown;
  tracingConfiguration: unknown;
  description: string | null;
  revisionId: string | null;
  creationDate: Date;
  updateDate: Date | null;
}

/** Stores an endpoint state machine as ACTIVE, replacing what was stored for its ARN. */
export async function saveEndpointStateMachine(store: Store, sm: EndpointStateMachineRecord): Promise<void> {
  const data = {
    name: sm.name, type: sm.type, definition: sm.definition, roleArn: sm.roleArn, loggingConfiguration: JSON.stringify(sm.loggingConfiguration),
    tracingConfiguration: JSON.stringify(sm.tracingConfiguration), description: sm.description, revisionId: sm.revisionId,
    status: "ACTIVE", creationDate: sm.creationDate, updateDate: sm.updateDate,
  };
  await store.prisma.endpointStateMachine.upsert({ where: { arn: sm.arn }, create: { arn: sm.arn, ...data }, update: data });
}

export async function deleteEndpointStateMachine(store: Store, arn: string): Promise<void> {
  await store.prisma.endpointStateMachine.deleteMany({ where: { arn } });
}

/** The endpoint's ACTIVE state machines; a JSON-valued field is null when none is stored. */
export async function activeEndpointStateMachines(store: Store): Promise<EndpointStateMachineRecord[]> {
  const rows = await store.prisma.endpointStateMachine.findMany({ where: { status: "ACTIVE" } });
  return rows.map((m) => ({
    arn: m.arn, name: m.name, type: m.type, definition: m.definition, roleArn: m.roleArn,
    loggingConfiguration: m.loggingConfiguration ? (JSON.parse(m.loggingConfiguration) as unknown) : null,
    tracingConfiguration: m.tracingConfiguration ? (JSON.parse(m.tracingConfiguration) as unknown) : null,
    description: m.description, revisionId: m.revisionId, creationDate: m.creationDate, updateDate: m.updateDate,
  }));
}

/** A stored execution the endpoint ran, with its state machine and the definition it ran. */
export interface EndpointExecutionRecord {
  /** the store's id (for loadHistory) */
  id: number;
  arn: string;
  name: string;
  status: string;
  startDate: Date;
  stopDate: Date | null;
  input: string | null;
  output: string | null;
  error: string | null;
  cause: string | null;
  mapRunArn: string | null;
  stateMachine: { arn: string; name: string; type: string };
  /** null when the execution's definition is not stored */
  definition: string | null;
}

const executionInclude = { stateMachine: true, version: true } as const;

function executionRecord(r: {
  id: number; arn: string; name: string; status: string; startDate: Date; stopDate: Date | null; input: string | null; output: string | null;
  error: string | null; cause: string | null; mapRunArn: string | null; stateMachine: { arn: string; name: string; type: string }; version: { definition: string } | null;
}): EndpointExecutionRecord {
  return {
    id: r.id, arn: r.arn, name: r.name, status: r.status, startDate: r.startDate, stopDate: r.stopDate, input: r.input, output: r.output,
    error: r.error, cause: r.cause, mapRunArn: r.mapRunArn, stateMachine: { arn: r.stateMachine.arn, name: r.stateMachine.name, type: r.stateMachine.type },
    definition: r.version?.definition ?? null,
  };
}

/** Top-level (not Map Run children) executions the endpoint ran, of these state machines. */
export async function endpointExecutions(store: Store, stateMachineArns: string[]): Promise<EndpointExecutionRecord[]> {
  const rows = await store.prisma.execution.findMany({
    where: { source: "engine", mapRunArn: null, stateMachine: { arn: { in: stateMachineArns } } },
    include: executionInclude,
  });
  return rows.map(executionRecord);
}

/** A stored Map Run, as read back for its parent execution. */
export interface StoredMapRun {
  mapRunArn: string;
  status: string;
  /** the stored JSON item counts, null when none is stored */
  itemCounts: unknown;
}

/** The Map Runs of a parent execution, oldest first. */
export async function mapRunsOfExecution(store: Store, executionArn: string): Promise<StoredMapRun[]> {
  const runs = await store.prisma.mapRun.findMany({ where: { executionArn }, orderBy: { startDate: "asc" } });
  return runs.map((run) => ({ mapRunArn: run.arn, status: run.status, itemCounts: run.itemCounts ? (JSON.parse(run.itemCounts) as unknown) : null }));
}

/** The child executions of a Map Run, by name. */
export async function mapRunExecutions(store: Store, mapRunArn: string): Promise<EndpointExecutionRecord[]> {
  const rows = await store.prisma.execution.findMany({ where: { mapRunArn }, include: executionInclude, orderBy: { name: "asc" } });
  return rows.map(executionRecord);
}
