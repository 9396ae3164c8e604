// `statelens db`: database administration. The implementation (bin/actions/db.ts) is loaded only
// when a subcommand runs.
import type { Command } from "commander";

export function registerDb(program: Command): void {
  const db = program.command("db").description("database administration (uses DATABASE_URL; SQLite data/statelens.db by default)");
  db.command("migrate")
    .description("apply pending schema migrations")
    .action(async () => (await import("../actions/db")).dbMigrateAction());
}
