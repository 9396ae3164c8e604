import type { Command } from "commander";
import { describeDatabase, migrate, resolveDatabase } from "@/lib/store";
import { openDriver } from "@/lib/store/driver";

export function registerDb(program: Command): void {
  const db = program.command("db").description("database administration (uses DATABASE_URL; SQLite data/statelens.db by default)");
  db.command("migrate")
    .description("apply pending schema migrations")
    .action(async () => {
      const config = resolveDatabase();
      const driver = openDriver(config);
      try {
        const result = await migrate(driver);
        process.stdout.write(
          result.applied.length
            ? `${describeDatabase(config)}: applied ${result.applied.join(", ")}\n`
            : `${describeDatabase(config)}: up to date (${result.alreadyApplied} migrations applied earlier)\n`,
        );
      } finally {
        await driver.close();
      }
    });
}
