-- CreateTable
CREATE TABLE "StateDayRollup" (
    "stateMachineId" INTEGER NOT NULL,
    "startDay" DATETIME NOT NULL,
    "day" DATETIME NOT NULL,
    "stateName" TEXT NOT NULL,
    "stateType" TEXT NOT NULL,
    "visits" INTEGER NOT NULL DEFAULT 0,
    "failures" INTEGER NOT NULL DEFAULT 0,
    "retries" INTEGER NOT NULL DEFAULT 0,
    "timeouts" INTEGER NOT NULL DEFAULT 0,
    "durationSumMs" BIGINT NOT NULL DEFAULT 0,
    "durationCount" INTEGER NOT NULL DEFAULT 0,
    "failedExecutions" INTEGER NOT NULL DEFAULT 0,

    PRIMARY KEY ("stateMachineId", "startDay", "day", "stateName", "stateType"),
    CONSTRAINT "StateDayRollup_stateMachineId_fkey" FOREIGN KEY ("stateMachineId") REFERENCES "StateMachine" ("id") ON DELETE CASCADE ON UPDATE CASCADE
);

-- CreateIndex
CREATE INDEX "StateDayRollup_day_idx" ON "StateDayRollup"("day");

-- CreateIndex
CREATE INDEX "StateDayRollup_startDay_idx" ON "StateDayRollup"("startDay");

-- Backfill from the stored visits (lib/store/rollup.ts keeps the table in step from now on)
INSERT INTO "StateDayRollup" ("stateMachineId", "startDay", "day", "stateName", "stateType", "visits", "failures", "retries", "timeouts", "durationSumMs", "durationCount", "failedExecutions")
SELECT e."stateMachineId", (e."startDate" / 86400000) * 86400000, (v."enteredAt" / 86400000) * 86400000, v."stateName", v."stateType", COUNT(*),
    SUM(CASE WHEN v."status" IN ('FAILED', 'CAUGHT') AND v."error" IS NOT NULL AND v."stateType" NOT IN ('Map', 'Parallel') THEN 1 ELSE 0 END),
    SUM(v."attempts" - 1), SUM(CASE WHEN v."error" = 'States.Timeout' THEN 1 ELSE 0 END), COALESCE(SUM(v."durationMs"), 0), COUNT(v."durationMs"), COUNT(f."seq")
FROM "StateVisit" v
JOIN "Execution" e ON e."id" = v."executionId"
LEFT JOIN (
    SELECT "executionId", "stateName", MIN("seq") AS "seq" FROM "StateVisit"
    WHERE "status" IN ('FAILED', 'CAUGHT') AND "error" IS NOT NULL AND "stateType" NOT IN ('Map', 'Parallel', 'Fail')
    GROUP BY "executionId", "stateName"
) f ON f."executionId" = v."executionId" AND f."seq" = v."seq"
GROUP BY 1, 2, 3, 4, 5;
