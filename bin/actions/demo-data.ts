// The implementation of `statelens demo-data` (options and help: bin/commands/demo-data.ts, which
// loads this module only when the command runs).
import { demoIngestInput, generateDemo } from "@/lib/sources/demo/generate";
import { describeDatabase, type IngestInput, ingestExecutions, openStore } from "@/lib/store";

export interface DemoDataOptions {
  days: string;
  scale: string;
  seed: string;
}

/** Executions written per transaction. */
const BATCH = 200;

/** The action of `statelens demo-data`. */
export async function demoDataAction(options: DemoDataOptions): Promise<void> {
  const store = await openStore();
  const started = Date.now();
  let batch: IngestInput[] = [];
  const flush = async () => {
    const inputs = batch;
    batch = [];
    if (inputs.length) await ingestExecutions(store.driver, inputs);
  };
  try {
    const result = await generateDemo({
      days: Number(options.days),
      scale: Number(options.scale),
      seed: Number(options.seed),
      onRun: async (run) => {
        batch.push(demoIngestInput(run));
        if (batch.length >= BATCH) await flush();
      },
    });
    await flush();
    process.stdout.write(`${describeDatabase(store.config)}: ${result.executions} executions, ${result.events} events in ${((Date.now() - started) / 1000).toFixed(1)} s\n`);
  } finally {
    await store.close();
  }
}
