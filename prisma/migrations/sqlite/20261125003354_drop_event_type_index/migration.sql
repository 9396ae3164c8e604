-- DropIndex
DROP INDEX "HistoryEvent_executionId_type_idx";
