-- DropIndex
DROP INDEX "HistoryEvent_executionId_type_idx";

-- PostgreSQL only (hand-written): history events keep no foreign key to their execution. Its
-- per-row check was a quarter of the database's work per event at ingest; the rows are written
-- and deleted only with their execution, in the same transaction (lib/store/ingest.ts, prune.ts),
-- and tests check that no event outlives its execution.
ALTER TABLE "HistoryEvent" DROP CONSTRAINT IF EXISTS "HistoryEvent_executionId_fkey";
