// Keeps the endpoint's state in the statelens store, so a restarted `serve-aws` still knows its
// state machines (EndpointStateMachine) and serves the executions it ran (Execution rows with
// source "engine", histories included). Writes are serialised and never block an API answer.
import {
  activeEndpointStateMachines, deleteEndpointStateMachine, type EndpointExecutionRecord, endpointExecutions, ingestExecution, loadHistory, mapRunExecutions,
  mapRunsOfExecution, saveEndpointStateMachine, type Store, upsertMapRun,
} from "@/lib/store";
import type { ExecutionDescription, MapRunRecord } from "@/lib/engine";
import type { ExecutionStatus, HistoryEvent } from "@/lib/history/types";
import { describeEntry, eventsOf, type ExecutionEntry, type ImportedMapRun, type LoggingConfiguration, type StateMachineEntry } from "./registry";

import type { MapRunDescription, StepFunctionsService } from "./sfn-api";

export interface SavedMapRun {
  description: MapRunDescription;
  /** the labelled child state machine ARN */
  stateMachineArn: string;
  children: ExecutionEntry[];
}

export interface EndpointPersistence {
  saveStateMachine(sm: StateMachineEntry): void;
  deleteStateMachine(arn: string): void;
  saveExecution(entry: ExecutionEntry, mapRuns: SavedMapRun[]): void;
  /** Resolves when every write asked for so far is done. */
  flush(): Promise<void>;
}

export function storePersistence(store: Store, onError: (err: unknown) => void = () => undefined): EndpointPersistence {
  let chain: Promise<unknown> = Promise.resolve();
  const enqueue = (write: () => Promise<unknown>) => {
    chain = chain.then(write).catch(onError);
  };
  return {
    saveStateMachine(sm) {
      const record = {
        arn: sm.arn, name: sm.name, type: sm.type, definition: sm.definition, roleArn: sm.roleArn, loggingConfiguration: sm.loggingConfiguration,
        tracingConfiguration: sm.tracingConfiguration, description: sm.description ?? null, revisionId: sm.revisionId,
        creationDate: new Date(sm.creationDate), updateDate: sm.updateDate === undefined ? null : new Date(sm.updateDate),
      };
      enqueue(() => saveEndpointStateMachine(store, record));
    },
    deleteStateMachine(arn) {
      enqueue(() => deleteEndpointStateMachine(store, arn));
    },
    saveExecution(entry, mapRuns) {
      enqueue(async () => {
        // Children first, then their Map Runs, then the parent: a stored parent has all its parts.
        for (const e of [...mapRuns.flatMap((r) => r.children), entry]) {
          const events = [...eventsOf(e)];
          if (!events.length) continue;
          const d = describeEntry(e);
          await ingestExecution(store.driver, {
            events,
            execution: {
              executionArn: d.executionArn, stateMachineArn: d.stateMachineArn, name: d.name, status: d.status, startDate: d.startDate, stopDate: d.stopDate,
              input: d.input, output: d.output, error: d.error, cause: d.cause, ...(d.mapRunArn ? { mapRunArn: d.mapRunArn, parentArn: entry.executionArn } : {}),
            },
            definition: e.machine.definition,
            source: "engine",
            stateMachine: { arn: e.machine.stateMachineArn, name: e.machine.name, type: e.type, region: d.executionArn.split(":")[3] },
          });
        }
        for (const run of mapRuns) {
          const d = run.description;
          await upsertMapRun(store, {
            mapRunArn: d.mapRunArn, executionArn: d.executionArn, stateMachineArn: run.stateMachineArn, status: d.status, startDate: new Date(d.startDate),
            stopDate: d.stopDate === undefined ? null : new Date(d.stopDate), maxConcurrency: d.maxConcurrency, toleratedFailurePercentage: d.toleratedFailurePercentage,
            toleratedFailureCount: d.toleratedFailureCount, itemCounts: d.itemCounts, executionCounts: d.executionCounts, redriveCount: d.redriveCount,
          });
        }
      });
    },
    flush: () => chain.then(() => undefined),
  };
}

/** Loads the state machines and finished top-level executions a previous run persisted. */
export async function restoreEndpoint(store: Store, sfn: StepFunctionsService): Promise<{ stateMachines: number; executions: number }> {
  const machines = await activeEndpointStateMachines(store);
  for (const m of machines) {
    sfn.registry.stateMachines.set(m.arn, {
      arn: m.arn, name: m.name, type: m.type === "EXPRESS" ? "EXPRESS" : "STANDARD", definition: m.definition, roleArn: m.roleArn,
      loggingConfiguration: (m.loggingConfiguration as LoggingConfiguration | null) ?? { level: "OFF", includeExecutionData: false },
      tracingConfiguration: (m.tracingConfiguration as { enabled: boolean } | null) ?? { enabled: false },
      ...(m.description ? { description: m.description } : {}),
      creationDate: m.creationDate.getTime(), ...(m.updateDate ? { updateDate: m.updateDate.getTime() } : {}), revisionId: m.revisionId,
    });
  }
  const rows = await endpointExecutions(store, machines.map((m) => m.arn));
  for (const r of rows) {
    const description = descriptionOf(r);
    const events = await loadHistory(store.driver, r.id);
    const entry = sfn.importExecution({ stateMachineArn: r.stateMachine.arn, definition: r.definition ?? "{}", events, description });
    entry.imported!.mapRuns = await restoreMapRuns(store, entry, events);
  }
  return { stateMachines: machines.length, executions: rows.length };
}

function descriptionOf(r: EndpointExecutionRecord): ExecutionDescription {
  return {
    executionArn: r.arn, stateMachineArn: r.stateMachine.arn, name: r.name, status: r.status as ExecutionStatus, startDate: r.startDate.getTime(),
    input: r.input ?? "{}", inputDetails: { included: true },
    ...(r.stopDate ? { stopDate: r.stopDate.getTime() } : {}), ...(r.output !== null ? { output: r.output, outputDetails: { included: true } } : {}),
    ...(r.error !== null ? { error: r.error } : {}), ...(r.cause !== null ? { cause: r.cause } : {}), ...(r.mapRunArn ? { mapRunArn: r.mapRunArn } : {}),
  };
}

/** The Map state that started a Map Run: up the history's causal chain from its MapRunStarted event. */
export function mapStateNameOf(events: readonly HistoryEvent[], mapRunArn: string): string | undefined {
  const byId = new Map(events.map((e) => [e.id, e]));
  let e = events.find((x) => x.type === "MapRunStarted" && x.mapRunStartedEventDetails?.mapRunArn === mapRunArn);
  while (e && e.type !== "MapStateEntered") e = byId.get(e.previousEventId);
  return e?.stateEnteredEventDetails?.name;
}

async function restoreMapRuns(store: Store, parent: ExecutionEntry, parentEvents: HistoryEvent[]): Promise<ImportedMapRun[]> {
  const runs = await mapRunsOfExecution(store, parent.executionArn);
  const out: ImportedMapRun[] = [];
  for (const run of runs) {
    const rows = await mapRunExecutions(store, run.mapRunArn);
    const children: ExecutionEntry[] = [];
    for (const r of rows) {
      children.push({
        executionArn: r.arn, type: r.stateMachine.type === "EXPRESS" ? "EXPRESS" : "STANDARD", inputText: r.input ?? "{}",
        machine: { ...parent.machine, stateMachineArn: r.stateMachine.arn, name: r.stateMachine.name, definition: r.definition ?? "{}", mapRunArn: run.mapRunArn, label: r.stateMachine.arn.split("/").pop() ?? "" },
        imported: { events: await loadHistory(store.driver, r.id), description: descriptionOf(r) },
      });
    }
    const counts = (run.itemCounts as { total?: number; succeeded?: number; failed?: number; aborted?: number } | null) ?? {};
    out.push({
      record: {
        mapRunArn: run.mapRunArn, stateName: mapStateNameOf(parentEvents, run.mapRunArn) ?? "", status: run.status as MapRunRecord["status"], executions: [],
        itemCounts: { total: counts.total ?? children.length, succeeded: counts.succeeded ?? 0, failed: counts.failed ?? 0, aborted: counts.aborted ?? 0 },
      },
      children,
    });
  }
  return out;
}
