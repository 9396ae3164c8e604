// Where fetched executions go. The sync asks the sink which executions are already stored (and
// closed) before fetching anything, and hands each complete execution over in one call.
import type { DescribeMapRunCommandOutput } from "@aws-sdk/client-sfn";
import {
  type DescribedMapRun, executionStatuses, ingestExecution, type IngestInput, type IngestOutcome, markIncomplete, runningExecutionArns, type Store, upsertMapRun,
} from "@/lib/store";
import { Limiter } from "./limiter";

export interface ExecutionSink {
  /** The stored status of each of these executions that is stored. */
  storedStatus(executionArns: string[]): Promise<Map<string, string>>;
  /** Stored executions still RUNNING, of these state machines (to re-fetch until they close). */
  runningExecutions(stateMachineArns: string[]): Promise<string[]>;
  /** Stores one execution; `incomplete` says why its history is not the whole history. */
  ingest(input: IngestInput, incomplete?: string | null): Promise<IngestOutcome>;
  /** Stores what DescribeMapRun says of a Map Run. */
  mapRun(run: DescribeMapRunCommandOutput, stateMachineArn: string): Promise<void>;
}

/** The statelens store as a sink. */
export function storeSink(store: Store): ExecutionSink {
  // SQLite: one write transaction at a time (one connection). PostgreSQL: a few in parallel; two
  // executions of a state machine not stored yet can race to insert it, and the loser (a unique
  // violation, 23505) simply runs again and finds it.
  const writes = new Limiter(store.driver.kind === "postgres" ? 4 : 1);
  const ingestOnce = async (input: IngestInput) => {
    try {
      return await ingestExecution(store.driver, input);
    } catch (err) {
      if ((err as { code?: string }).code !== "23505") throw err;
      return ingestExecution(store.driver, input);
    }
  };
  return {
    storedStatus: (arns) => executionStatuses(store, arns),
    runningExecutions: (stateMachineArns) => runningExecutionArns(store, stateMachineArns),
    ingest: (input, incomplete) =>
      writes.run(async () => {
        const result = await ingestOnce(input);
        if (result.outcome !== "unchanged" && incomplete) await markIncomplete(store, result.executionId, incomplete);
        return result;
      }),
    async mapRun(run, stateMachineArn) {
      const record = describedMapRun(run, stateMachineArn);
      await writes.run(() => upsertMapRun(store, record));
    },
  };
}

/** DescribeMapRun's answer as the store keeps it (absent fields as AWS defaults them). */
function describedMapRun(run: DescribeMapRunCommandOutput, stateMachineArn: string): DescribedMapRun {
  return {
    mapRunArn: run.mapRunArn!, executionArn: run.executionArn ?? "", stateMachineArn, status: run.status ?? "RUNNING",
    startDate: run.startDate ?? new Date(0), stopDate: run.stopDate ?? null,
    maxConcurrency: run.maxConcurrency ?? 0, toleratedFailurePercentage: run.toleratedFailurePercentage ?? 0, toleratedFailureCount: Number(run.toleratedFailureCount ?? 0),
    itemCounts: run.itemCounts ?? null, executionCounts: run.executionCounts ?? null,
    redriveCount: run.redriveCount ?? 0,
  };
}
