// The store: one handle per process holding the raw driver (bulk writes, migrations) and the
// Prisma client (everything else). lib/store is the only place that talks to the database.
import { type DatabaseConfig, resolveDatabase } from "./config";
import { openDriver, type SqlDriver } from "./driver";
import { migrate } from "./migrate";
import { createPrisma, type Prisma } from "./prisma";

export interface Store {
  config: DatabaseConfig;
  driver: SqlDriver;
  prisma: Prisma;
  close(): Promise<void>;
}

export async function openStore(options: { url?: string; migrate?: boolean } = {}): Promise<Store> {
  const config = resolveDatabase(options.url ?? process.env.DATABASE_URL);
  const driver = openDriver(config);
  try {
    if (options.migrate !== false) await migrate(driver);
  } catch (err) {
    await driver.close();
    throw err;
  }
  const { prisma, close } = createPrisma(config);
  return {
    config,
    driver,
    prisma,
    async close() {
      await close();
      await driver.close();
    },
  };
}

export { resolveDatabase, describeDatabase } from "./config";
export { migrate } from "./migrate";
export {
  ingestExecution, ingestExecutions, ingestExecutionsSettled, IngestBatchError, type IngestFailure, type IngestInput, type IngestOutcome, type IngestSettled,
} from "./ingest";
export { findExecution, loadHistory } from "./history";
export {
  executionStatuses, runningExecutionArns, markIncomplete, upsertMapRun, type DescribedMapRun, readSyncCursor, writeSyncCursor, type SyncCursorKey,
  tryAcquireLease, renewLease, releaseLease, readLease, takeOverLease, type SyncLeaseKey,
} from "./sync";
export {
  saveEndpointStateMachine, deleteEndpointStateMachine, activeEndpointStateMachines, type EndpointStateMachineRecord,
  endpointExecutions, mapRunExecutions, type EndpointExecutionRecord, mapRunsOfExecution, type StoredMapRun,
} from "./endpoint";
