// The implementation of `statelens db` (options and help: bin/commands/db.ts, which loads this
// module only when the command runs).
import { describeDatabase, migrate, resolveDatabase } from "@/lib/store";
import { openDriver } from "@/lib/store/driver";

/** The action of `statelens db migrate`. */
export async function dbMigrateAction(): Promise<void> {
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
}
