-- CreateTable
CREATE TABLE "SyncCursor" (
    "id" INTEGER NOT NULL PRIMARY KEY AUTOINCREMENT,
    "source" TEXT NOT NULL,
    "endpoint" TEXT NOT NULL DEFAULT '',
    "scope" TEXT NOT NULL,
    "position" TEXT NOT NULL,
    "updatedAt" DATETIME NOT NULL
);

-- CreateTable
CREATE TABLE "MapRun" (
    "id" INTEGER NOT NULL PRIMARY KEY AUTOINCREMENT,
    "arn" TEXT NOT NULL,
    "executionArn" TEXT NOT NULL,
    "stateMachineArn" TEXT NOT NULL,
    "status" TEXT NOT NULL,
    "startDate" DATETIME NOT NULL,
    "stopDate" DATETIME,
    "maxConcurrency" INTEGER NOT NULL DEFAULT 0,
    "toleratedFailurePercentage" REAL NOT NULL DEFAULT 0,
    "toleratedFailureCount" INTEGER NOT NULL DEFAULT 0,
    "itemCounts" TEXT,
    "executionCounts" TEXT,
    "redriveCount" INTEGER NOT NULL DEFAULT 0
);

-- CreateTable
CREATE TABLE "EndpointStateMachine" (
    "arn" TEXT NOT NULL PRIMARY KEY,
    "name" TEXT NOT NULL,
    "type" TEXT NOT NULL,
    "definition" TEXT NOT NULL,
    "roleArn" TEXT NOT NULL,
    "loggingConfiguration" TEXT,
    "tracingConfiguration" TEXT,
    "description" TEXT,
    "revisionId" TEXT,
    "versionNumber" INTEGER NOT NULL DEFAULT 0,
    "status" TEXT NOT NULL DEFAULT 'ACTIVE',
    "creationDate" DATETIME NOT NULL,
    "updateDate" DATETIME
);

-- AlterTable (edited from Prisma's table redefinition: SQLite adds these columns in place,
-- which keeps existing rows and the history events that reference them)
ALTER TABLE "Execution" ADD COLUMN "historyComplete" BOOLEAN NOT NULL DEFAULT true;
ALTER TABLE "Execution" ADD COLUMN "incompleteReason" TEXT;

-- CreateIndex
CREATE UNIQUE INDEX "SyncCursor_source_endpoint_scope_key" ON "SyncCursor"("source", "endpoint", "scope");

-- CreateIndex
CREATE UNIQUE INDEX "MapRun_arn_key" ON "MapRun"("arn");

-- CreateIndex
CREATE INDEX "MapRun_executionArn_idx" ON "MapRun"("executionArn");

-- CreateIndex
CREATE UNIQUE INDEX "EndpointStateMachine_name_key" ON "EndpointStateMachine"("name");
