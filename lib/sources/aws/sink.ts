// Where fetched executions go. The sync asks the sink which executions are already stored (and
// closed) before fetching anything, and hands each complete execution over in one call.
import type { DescribeMapRunCommandOutput } from "@aws-sdk/client-sfn";
import { ingestExecution, type IngestInput, type IngestOutcome, type Store } from "@/lib/store";
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
    async storedStatus(arns) {
      const out = new Map<string, string>();
      for (let i = 0; i < arns.length; i += 500) {
        const rows = await store.prisma.execution.findMany({ where: { arn: { in: arns.slice(i, i + 500) } }, select: { arn: true, status: true } });
        for (const r of rows) out.set(r.arn, r.status);
      }
      return out;
    },
    async runningExecutions(stateMachineArns) {
      if (!stateMachineArns.length) return [];
      const rows = await store.prisma.execution.findMany({
        where: { status: "RUNNING", source: { in: ["aws", "logs"] }, stateMachine: { arn: { in: stateMachineArns } } },
        select: { arn: true },
      });
      return rows.map((r) => r.arn);
    },
    ingest: (input, incomplete) =>
      writes.run(async () => {
        const result = await ingestOnce(input);
        if (result.outcome !== "unchanged" && incomplete) {
          await store.prisma.execution.update({ where: { id: result.executionId }, data: { historyComplete: false, incompleteReason: incomplete } });
        }
        return result;
      }),
    async mapRun(run, stateMachineArn) {
      const data = {
        executionArn: run.executionArn ?? "", stateMachineArn, status: run.status ?? "RUNNING",
        startDate: run.startDate ?? new Date(0), stopDate: run.stopDate ?? null,
        maxConcurrency: run.maxConcurrency ?? 0, toleratedFailurePercentage: run.toleratedFailurePercentage ?? 0, toleratedFailureCount: Number(run.toleratedFailureCount ?? 0),
        itemCounts: run.itemCounts ? JSON.stringify(run.itemCounts) : null, executionCounts: run.executionCounts ? JSON.stringify(run.executionCounts) : null,
        redriveCount: run.redriveCount ?? 0,
      };
      await writes.run(() => store.prisma.mapRun.upsert({ where: { arn: run.mapRunArn! }, create: { arn: run.mapRunArn!, ...data }, update: data }));
    },
  };
}
