import type { Command } from "commander";
import { describeDatabase, openStore } from "@/lib/store";
import { parseRetention, pruneExecutions } from "@/lib/store/prune";
import { CliError } from "./util";

interface PruneOptions {
  olderThan: string;
  dryRun?: boolean;
  batchSize: string;
}

export function registerPrune(program: Command): void {
  program
    .command("prune")
    .description("retention: delete executions (with their events and state visits) that started before a cutoff")
    .requiredOption("--older-than <age>", "age of the executions to delete: 400d, 12w, 36h, 90m, 30s")
    .option("--dry-run", "count what would be deleted, delete nothing")
    .option("--batch-size <n>", "executions deleted per transaction", "500")
    .action(async (options: PruneOptions) => {
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
    });
}
