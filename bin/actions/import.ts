// The implementation of `statelens import` (options and help: bin/commands/import.ts, which loads
// this module only when the command runs).
import fs from "node:fs";
import path from "node:path";
import { HistoryParseError, parseHistoryDocument } from "@/lib/history/parse";
import { ingestExecution, openStore } from "@/lib/store";
import { CliError } from "../commands/util";

export interface ImportOptions {
  definition?: string;
  stateMachine?: string;
  express?: boolean;
  quiet?: boolean;
}

/** The action of `statelens import`. */
export async function importAction(files: string[], options: ImportOptions): Promise<void> {
  let definition: string | undefined;
  if (options.definition) {
    try {
      definition = fs.readFileSync(options.definition, "utf8");
      JSON.parse(definition);
    } catch (err) {
      throw new CliError(`${options.definition}: cannot read the definition (${(err as Error).message})`, 2);
    }
  }
  const store = await openStore();
  let failed = 0;
  const counts = { created: 0, updated: 0, unchanged: 0 };
  try {
    for (const file of files) {
      try {
        const parsed = parseHistoryDocument(fs.readFileSync(file, "utf8"), file);
        const result = await ingestExecution(store.driver, {
          events: parsed.events,
          execution: parsed.execution,
          definition: parsed.definition ?? definition,
          source: "file",
          stateMachine: { name: options.stateMachine, type: options.express ? "EXPRESS" : undefined },
          fallbackName: path.basename(file).replace(/\.json$/i, ""),
        });
        counts[result.outcome]++;
        if (!options.quiet) process.stdout.write(`${file}: ${result.outcome} ${result.executionArn} (${result.eventCount} events)\n`);
      } catch (err) {
        failed++;
        const message = err instanceof HistoryParseError ? err.message : `${file}: ${(err as Error).message}`;
        process.stderr.write(`statelens: ${message}\n`);
      }
    }
  } finally {
    await store.close();
  }
  process.stdout.write(`imported ${files.length - failed} of ${files.length} files: ${counts.created} new, ${counts.updated} updated, ${counts.unchanged} unchanged${failed ? `, ${failed} rejected` : ""}\n`);
  if (failed) process.exitCode = 1;
}
