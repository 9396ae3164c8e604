// `statelens demo-data`: fills the database with demo executions. The implementation
// (bin/actions/demo-data.ts) is loaded only when the command runs.
import type { Command } from "commander";
import type { DemoDataOptions } from "../actions/demo-data";

export function registerDemoData(program: Command): void {
  program
    .command("demo-data")
    .description("fill the database (DATABASE_URL) with a month of demo executions run by the local engine")
    .option("--days <n>", "days to simulate", "30")
    .option("--scale <x>", "multiply executions per day", "1")
    .option("--seed <n>", "random seed", "17")
    .action(async (options: DemoDataOptions) => (await import("../actions/demo-data")).demoDataAction(options));
}
