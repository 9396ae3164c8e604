-- CreateTable
CREATE TABLE "StateMachine" (
    "id" INTEGER NOT NULL PRIMARY KEY AUTOINCREMENT,
    "arn" TEXT NOT NULL,
    "name" TEXT NOT NULL,
    "type" TEXT NOT NULL DEFAULT 'STANDARD',
    "source" TEXT NOT NULL DEFAULT 'file',
    "region" TEXT,
    "createdAt" DATETIME NOT NULL DEFAULT CURRENT_TIMESTAMP
);

-- CreateTable
CREATE TABLE "StateMachineVersion" (
    "id" INTEGER NOT NULL PRIMARY KEY AUTOINCREMENT,
    "stateMachineId" INTEGER NOT NULL,
    "hash" TEXT NOT NULL,
    "definition" TEXT NOT NULL,
    "label" TEXT,
    "firstSeen" DATETIME NOT NULL DEFAULT CURRENT_TIMESTAMP,
    CONSTRAINT "StateMachineVersion_stateMachineId_fkey" FOREIGN KEY ("stateMachineId") REFERENCES "StateMachine" ("id") ON DELETE CASCADE ON UPDATE CASCADE
);

-- CreateTable
CREATE TABLE "Execution" (
    "id" INTEGER NOT NULL PRIMARY KEY AUTOINCREMENT,
    "arn" TEXT NOT NULL,
    "name" TEXT NOT NULL,
    "stateMachineId" INTEGER NOT NULL,
    "versionId" INTEGER,
    "status" TEXT NOT NULL,
    "startDate" DATETIME NOT NULL,
    "stopDate" DATETIME,
    "durationMs" INTEGER,
    "input" TEXT,
    "output" TEXT,
    "error" TEXT,
    "cause" TEXT,
    "failedState" TEXT,
    "parentArn" TEXT,
    "mapRunArn" TEXT,
    "redriveCount" INTEGER NOT NULL DEFAULT 0,
    "eventCount" INTEGER NOT NULL,
    "transitions" INTEGER NOT NULL DEFAULT 0,
    "retries" INTEGER NOT NULL DEFAULT 0,
    "source" TEXT NOT NULL DEFAULT 'file',
    "importedAt" DATETIME NOT NULL DEFAULT CURRENT_TIMESTAMP,
    CONSTRAINT "Execution_stateMachineId_fkey" FOREIGN KEY ("stateMachineId") REFERENCES "StateMachine" ("id") ON DELETE CASCADE ON UPDATE CASCADE,
    CONSTRAINT "Execution_versionId_fkey" FOREIGN KEY ("versionId") REFERENCES "StateMachineVersion" ("id") ON DELETE SET NULL ON UPDATE CASCADE
);

-- CreateTable
CREATE TABLE "HistoryEvent" (
    "executionId" INTEGER NOT NULL,
    "eventId" INTEGER NOT NULL,
    "previousEventId" INTEGER NOT NULL,
    "timestamp" DATETIME NOT NULL,
    "type" TEXT NOT NULL,
    "detailsKey" TEXT,
    "details" TEXT,

    PRIMARY KEY ("executionId", "eventId"),
    CONSTRAINT "HistoryEvent_executionId_fkey" FOREIGN KEY ("executionId") REFERENCES "Execution" ("id") ON DELETE CASCADE ON UPDATE CASCADE
);

-- CreateTable
CREATE TABLE "StateVisit" (
    "id" INTEGER NOT NULL PRIMARY KEY AUTOINCREMENT,
    "executionId" INTEGER NOT NULL,
    "seq" INTEGER NOT NULL,
    "parentSeq" INTEGER,
    "path" TEXT NOT NULL DEFAULT '',
    "stateName" TEXT NOT NULL,
    "stateType" TEXT NOT NULL,
    "enteredEventId" INTEGER NOT NULL,
    "exitedEventId" INTEGER,
    "enteredAt" DATETIME NOT NULL,
    "exitedAt" DATETIME,
    "durationMs" INTEGER,
    "status" TEXT NOT NULL,
    "attempts" INTEGER NOT NULL DEFAULT 1,
    "error" TEXT,
    "cause" TEXT,
    CONSTRAINT "StateVisit_executionId_fkey" FOREIGN KEY ("executionId") REFERENCES "Execution" ("id") ON DELETE CASCADE ON UPDATE CASCADE
);

-- CreateIndex
CREATE UNIQUE INDEX "StateMachine_arn_key" ON "StateMachine"("arn");

-- CreateIndex
CREATE INDEX "StateMachine_name_idx" ON "StateMachine"("name");

-- CreateIndex
CREATE UNIQUE INDEX "StateMachineVersion_stateMachineId_hash_key" ON "StateMachineVersion"("stateMachineId", "hash");

-- CreateIndex
CREATE UNIQUE INDEX "Execution_arn_key" ON "Execution"("arn");

-- CreateIndex
CREATE INDEX "Execution_stateMachineId_startDate_idx" ON "Execution"("stateMachineId", "startDate");

-- CreateIndex
CREATE INDEX "Execution_startDate_idx" ON "Execution"("startDate");

-- CreateIndex
CREATE INDEX "Execution_status_startDate_idx" ON "Execution"("status", "startDate");

-- CreateIndex
CREATE INDEX "Execution_error_idx" ON "Execution"("error");

-- CreateIndex
CREATE INDEX "Execution_parentArn_idx" ON "Execution"("parentArn");

-- CreateIndex
CREATE INDEX "HistoryEvent_executionId_type_idx" ON "HistoryEvent"("executionId", "type");

-- CreateIndex
CREATE INDEX "StateVisit_stateName_status_idx" ON "StateVisit"("stateName", "status");

-- CreateIndex
CREATE INDEX "StateVisit_error_idx" ON "StateVisit"("error");

-- CreateIndex
CREATE UNIQUE INDEX "StateVisit_executionId_seq_key" ON "StateVisit"("executionId", "seq");
