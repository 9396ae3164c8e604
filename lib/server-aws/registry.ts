// What the local endpoint knows: state machines created through it and the executions it ran
// (with the engine) or was given (imported histories). Map Run children are reached through
// their parent. In memory; finished executions can be persisted to the store by the server.
import type { ExecutionDescription, ExecutionHandle, MapRunRecord } from "@/lib/engine";
import { childDefinitionOf } from "@/lib/engine/map-runs";
import type { HistoryEvent, StateMachineType } from "@/lib/history/types";
import type { LogLevel } from "@/lib/sources/cloudwatch-logs/record";

export interface LoggingConfiguration {
  level: LogLevel;
  includeExecutionData: boolean;
  destinations?: Array<{ cloudWatchLogsLogGroup?: { logGroupArn?: string } }>;
}

export interface StateMachineEntry {
  arn: string;
  name: string;
  type: StateMachineType;
  definition: string;
  roleArn: string;
  loggingConfiguration: LoggingConfiguration;
  tracingConfiguration: { enabled: boolean };
  description?: string;
  creationDate: number;
  updateDate?: number;
  /** null until the first update, as AWS reports it */
  revisionId: string | null;
}

/** The state machine as an execution saw it when it started (later updates do not change it). */
export interface StateMachineSnapshot {
  stateMachineArn: string;
  name: string;
  definition: string;
  roleArn: string;
  loggingConfiguration: LoggingConfiguration;
  tracingConfiguration: { enabled: boolean };
  updateDate: number;
  revisionId: string | null;
  mapRunArn?: string;
  label?: string;
}

/** An execution the endpoint can describe: run by the engine, or imported with its history. */
export interface ExecutionEntry {
  executionArn: string;
  type: StateMachineType;
  machine: StateMachineSnapshot;
  /** what StartExecution was given, for the idempotency check */
  inputText: string;
  handle?: ExecutionHandle;
  imported?: { events: HistoryEvent[]; description: ExecutionDescription; mapRuns?: ImportedMapRun[] };
}

export interface ImportedMapRun {
  record: MapRunRecord;
  children: ExecutionEntry[];
}

export function eventsOf(entry: ExecutionEntry): readonly HistoryEvent[] {
  return entry.handle ? entry.handle.events : (entry.imported?.events ?? []);
}

export function describeEntry(entry: ExecutionEntry): ExecutionDescription {
  if (entry.handle) return entry.handle.describe();
  if (entry.imported) return entry.imported.description;
  throw new Error(`execution ${entry.executionArn} has neither a run nor a history`);
}

/** Newest first as ListExecutions sorts: running by start date, closed by stop date. */
export function listingTime(d: ExecutionDescription): number {
  return d.stopDate ?? d.startDate;
}

export interface MapRunView {
  record: MapRunRecord;
  parent: ExecutionEntry;
  children: ExecutionEntry[];
}

export class Registry {
  readonly stateMachines = new Map<string, StateMachineEntry>();
  readonly executions = new Map<string, ExecutionEntry>();
  /** Map Run children by ARN, registered as their parents report them. */
  private childCache = new Map<string, ExecutionEntry>();

  stateMachineByName(name: string): StateMachineEntry | undefined {
    for (const sm of this.stateMachines.values()) if (sm.name === name) return sm;
    return undefined;
  }

  /** Every Map Run of a parent execution, with its children as entries. */
  mapRunsOf(parent: ExecutionEntry): MapRunView[] {
    if (parent.imported?.mapRuns) return parent.imported.mapRuns.map((m) => ({ record: m.record, parent, children: m.children }));
    const runs = parent.handle?.mapRuns ?? [];
    return runs.map((record) => ({
      record,
      parent,
      children: record.executions.map((child) => {
        let entry = this.childCache.get(child.executionArn);
        if (!entry) {
          const label = child.stateMachineArn.split("/").pop() ?? "";
          entry = {
            executionArn: child.executionArn,
            type: child.type,
            handle: child,
            inputText: "",
            machine: { ...parent.machine, stateMachineArn: child.stateMachineArn, name: child.stateMachineArn.split(":").pop() ?? "", definition: childDefinitionOf(parent.machine.definition, record.stateName), mapRunArn: record.mapRunArn, label },
          };
          this.childCache.set(child.executionArn, entry);
        }
        return entry;
      }),
    }));
  }

  /** Top-level executions and, recursively, Map Run children. */
  *allExecutions(): Generator<ExecutionEntry> {
    const stack = [...this.executions.values()];
    while (stack.length) {
      const entry = stack.pop()!;
      yield entry;
      for (const run of this.mapRunsOf(entry)) stack.push(...run.children);
    }
  }

  findExecution(arn: string): ExecutionEntry | undefined {
    const top = this.executions.get(arn);
    if (top) return top;
    for (const entry of this.allExecutions()) if (entry.executionArn === arn) return entry;
    return undefined;
  }

  findMapRun(mapRunArn: string): MapRunView | undefined {
    for (const entry of this.allExecutions()) for (const run of this.mapRunsOf(entry)) if (run.record.mapRunArn === mapRunArn) return run;
    return undefined;
  }
}

