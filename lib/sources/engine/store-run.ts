// Storing a run of the local engine: the execution, its Distributed Map children (recursively,
// each an execution of its own labelled child state machine) and their Map Runs, through the
// same ingestion as every other source. Children first, then the Map Runs, then the parent, so a
// stored parent has all its parts.
import { mapRunConfig, mapRunCounts, mapRunTimes, runParts } from "@/lib/engine/map-runs";
import type { ExecutionHandle } from "@/lib/engine/types";
import { ingestExecution, type IngestOutcome, type Store, upsertMapRun } from "@/lib/store";

export async function storeEngineRun(store: Store, handle: ExecutionHandle, definitionText: string): Promise<IngestOutcome[]> {
  const { executions, mapRuns } = runParts(handle, definitionText);
  const outcomes: IngestOutcome[] = [];
  for (const part of [...executions.slice(1).reverse(), executions[0]]) {
    const d = part.handle.describe();
    outcomes.push(await ingestExecution(store.driver, {
      events: [...part.handle.events],
      execution: {
        executionArn: d.executionArn, stateMachineArn: d.stateMachineArn, name: d.name, status: d.status, startDate: d.startDate, stopDate: d.stopDate,
        input: d.input, output: d.output, error: d.error, cause: d.cause,
        ...(part.parent ? { parentArn: part.parent.executionArn, mapRunArn: part.parent.mapRunArn } : {}),
      },
      definition: part.definition,
      source: "engine",
      stateMachine: { arn: d.stateMachineArn, type: part.handle.type },
    }));
  }
  for (const run of mapRuns) {
    const children = run.record.executions.map((c) => c.describe());
    const t = mapRunTimes(run.parent.events, run.record.mapRunArn, children.map((c) => c.startDate));
    const counts = mapRunCounts(run.record.itemCounts.total, children.map((c) => c.status));
    await upsertMapRun(store, {
      mapRunArn: run.record.mapRunArn, executionArn: run.parent.executionArn, stateMachineArn: run.record.executions[0]?.stateMachineArn ?? `${run.parent.stateMachineArn}/${run.record.stateName}`,
      status: run.record.status, startDate: new Date(t.start), stopDate: t.stop === undefined ? null : new Date(t.stop),
      ...mapRunConfig(run.parentDefinition, run.record.stateName), itemCounts: counts, executionCounts: counts, redriveCount: 0,
    });
  }
  return outcomes;
}
