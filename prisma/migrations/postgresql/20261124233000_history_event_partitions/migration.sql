-- Hand-written (PostgreSQL only; see lib/store/README.md): "HistoryEvent" becomes a table
-- partitioned by RANGE on "timestamp", one partition per month ("HistoryEvent_pYYYY_MM") and a
-- DEFAULT partition ("HistoryEvent_default") for rows of a month that has none. The primary key
-- holds the partition column, as PostgreSQL requires: ("executionId", "eventId", "timestamp").
-- The Prisma datamodel keeps @@id([executionId, eventId]). lib/store/partitions.ts creates the
-- partitions of new months at ingest; `statelens prune` drops whole old ones.

-- No writes while the rows are copied (reads go on).
LOCK TABLE "HistoryEvent" IN SHARE MODE;

CREATE TABLE "HistoryEvent_partitioned" (
    "executionId" INTEGER NOT NULL,
    "eventId" INTEGER NOT NULL,
    "previousEventId" INTEGER NOT NULL,
    "timestamp" TIMESTAMP(3) NOT NULL,
    "type" TEXT NOT NULL,
    "detailsKey" TEXT,
    "details" TEXT
) PARTITION BY RANGE ("timestamp");

CREATE TABLE "HistoryEvent_default" PARTITION OF "HistoryEvent_partitioned" DEFAULT;

-- A partition for each month that holds rows (months from 2000 to a year ahead, as at ingest).
DO $$
DECLARE
    m TIMESTAMP(3);
BEGIN
    FOR m IN
        SELECT DISTINCT date_trunc('month', "timestamp") FROM "HistoryEvent"
        WHERE "timestamp" >= TIMESTAMP '2000-01-01'
          AND "timestamp" < date_trunc('month', (now() AT TIME ZONE 'UTC') + INTERVAL '366 days') + INTERVAL '1 month'
    LOOP
        EXECUTE format('CREATE TABLE %I PARTITION OF "HistoryEvent_partitioned" FOR VALUES FROM (%L) TO (%L)',
            'HistoryEvent_p' || to_char(m, 'YYYY_MM'), m, m + INTERVAL '1 month');
    END LOOP;
END
$$;

INSERT INTO "HistoryEvent_partitioned" ("executionId", "eventId", "previousEventId", "timestamp", "type", "detailsKey", "details")
SELECT "executionId", "eventId", "previousEventId", "timestamp", "type", "detailsKey", "details" FROM "HistoryEvent";

DROP TABLE "HistoryEvent";

ALTER TABLE "HistoryEvent_partitioned" RENAME TO "HistoryEvent";

-- Keys and indexes after the copy (faster than maintaining them row by row); each partition gets its own.
ALTER TABLE "HistoryEvent" ADD CONSTRAINT "HistoryEvent_pkey" PRIMARY KEY ("executionId", "eventId", "timestamp");

CREATE INDEX "HistoryEvent_executionId_type_idx" ON "HistoryEvent"("executionId", "type");

ALTER TABLE "HistoryEvent" ADD CONSTRAINT "HistoryEvent_executionId_fkey" FOREIGN KEY ("executionId") REFERENCES "Execution"("id") ON DELETE CASCADE ON UPDATE CASCADE;

ANALYZE "HistoryEvent";
