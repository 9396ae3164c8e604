// `statelens prune`: retention. The implementation (bin/actions/prune.ts) is loaded only when the
// command runs.
import type { Command } from "commander";
import type { PruneOptions } from "../actions/prune";

export function registerPrune(program: Command): void {
  program
    .command("prune")
    .description("retention: delete executions (with their events and state visits) that started before a cutoff")
    .requiredOption("--older-than <age>", "age of the executions to delete: 400d, 12w, 36h, 90m, 30s")
    .option("--dry-run", "count what would be deleted, delete nothing")
    .option("--batch-size <n>", "executions deleted per transaction", "500")
    .action(async (options: PruneOptions) => (await import("../actions/prune")).pruneAction(options));
}
