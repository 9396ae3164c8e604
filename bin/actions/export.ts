// The implementation of `statelens export` (options and help: bin/commands/export.ts, which loads
// this module only when the command runs).
import { toCliHistory } from "@/lib/history/parse";
import { findExecution, loadHistory, openStore } from "@/lib/store";
import { CliError } from "../commands/util";

/** The action of `statelens export`. */
export async function exportAction(ref: string): Promise<void> {
  const store = await openStore();
  try {
    const found = await findExecution(store.driver, ref);
    if (!found) throw new CliError(`no stored execution matches ${JSON.stringify(ref)}`, 1);
    const events = await loadHistory(store.driver, found.id);
    process.stdout.write(JSON.stringify(toCliHistory(events), null, 4) + "\n");
  } finally {
    await store.close();
  }
}
