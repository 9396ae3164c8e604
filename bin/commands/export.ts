import type { Command } from "commander";
import { toCliHistory } from "@/lib/history/parse";
import { findExecution, loadHistory, openStore } from "@/lib/store";
import { CliError } from "./util";

export function registerExport(program: Command): void {
  program
    .command("export")
    .description("print a stored history exactly as `aws stepfunctions get-execution-history` prints it")
    .argument("<execution>", "execution ARN, id or name")
    .action(async (ref: string) => {
      const store = await openStore();
      try {
        const found = await findExecution(store.driver, ref);
        if (!found) throw new CliError(`no stored execution matches ${JSON.stringify(ref)}`, 1);
        const events = await loadHistory(store.driver, found.id);
        process.stdout.write(JSON.stringify(toCliHistory(events), null, 4) + "\n");
      } finally {
        await store.close();
      }
    });
}
