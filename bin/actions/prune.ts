// The implementation of `statelens prune` (options and help: bin/commands/prune.ts, which loads
// this module only when the command runs).
import { describeDatabase, openStore } from "@/lib/store";
import { parseRetention, pruneExecutions } from "@/lib/store/prune";
import { CliError } from "../commands/util";

export interface PruneOptions {
  olderThan: string;
  dryRun?: boolean;
  batchSize: string;
}

/** The action of `statelens prune`. */
export async function pruneAction(options: PruneOptions): Promise<void> {
  const age = parseRetention(options.olderThan);
  if (age === null) throw new CliError(`--older-than: expected a number and a unit (s, m, h, d, w), like 400d; got ${JSON.stringify(options.olderThan)}`, 2);
  const batchSize = Number(options.batchSize);
  if (!Number.isInteger(batchSize) || batchSize < 1 || batchSize > 5000) throw new CliError("--batch-size: expected an integer from 1 to 5000", 2);
  const before = Date.now() - age;
  const store = await openStore();
  try {
    const verb = options.dryRun ? "would delete" : "deleted";
    process.stdout.write(`${describeDatabase(store.config)}: executions started before ${new Date(before).toISOString()}\n`);
    const totals = await pruneExecutions(store.driver, {
      before,
      dryRun: options.dryRun,
      batchSize,
      onBatch: (t) => process.stderr.write(`  ${verb} ${t.executions} executions so far\n`),
    });
    process.stdout.write(`${verb} ${totals.executions} executions, ${totals.events} events, ${totals.stateVisits} state visits${options.dryRun ? " (dry run)" : ""}\n`);
  } finally {
    await store.close();
  }
}
