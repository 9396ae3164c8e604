import type { Command } from "commander";
import { generateDemo } from "@/lib/sources/demo/generate";
import { describeDatabase, ingestExecution, openStore } from "@/lib/store";

export function registerDemoData(program: Command): void {
  program
    .command("demo-data")
    .description("fill the database (DATABASE_URL) with a month of demo executions run by the local engine")
    .option("--days <n>", "days to simulate", "30")
    .option("--scale <x>", "multiply executions per day", "1")
    .option("--seed <n>", "random seed", "17")
    .action(async (options: { days: string; scale: string; seed: string }) => {
      const store = await openStore();
      const started = Date.now();
      try {
        const result = await generateDemo({
          days: Number(options.days),
          scale: Number(options.scale),
          seed: Number(options.seed),
          onRun: async ({ workflow, definitionText, handle }) => {
            const d = handle.describe();
            await ingestExecution(store.driver, {
              events: [...handle.events],
              execution: { executionArn: d.executionArn, stateMachineArn: d.stateMachineArn, name: d.name, status: d.status, startDate: d.startDate, stopDate: d.stopDate, input: d.input, output: d.output, error: d.error, cause: d.cause },
              definition: definitionText,
              source: "engine",
              stateMachine: { arn: d.stateMachineArn, name: workflow.name, type: workflow.type, region: "us-east-1" },
            });
          },
        });
        process.stdout.write(`${describeDatabase(store.config)}: ${result.executions} executions, ${result.events} events in ${((Date.now() - started) / 1000).toFixed(1)} s\n`);
      } finally {
        await store.close();
      }
    });
}
