-- AlterTable
ALTER TABLE "Execution" ADD COLUMN     "historyComplete" BOOLEAN NOT NULL DEFAULT true,
ADD COLUMN     "incompleteReason" TEXT;

-- CreateTable
CREATE TABLE "SyncCursor" (
    "id" SERIAL NOT NULL,
    "source" TEXT NOT NULL,
    "endpoint" TEXT NOT NULL DEFAULT '',
    "scope" TEXT NOT NULL,
    "position" TEXT NOT NULL,
    "updatedAt" TIMESTAMP(3) NOT NULL,

    CONSTRAINT "SyncCursor_pkey" PRIMARY KEY ("id")
);

-- CreateTable
CREATE TABLE "MapRun" (
    "id" SERIAL NOT NULL,
    "arn" TEXT NOT NULL,
    "executionArn" TEXT NOT NULL,
    "stateMachineArn" TEXT NOT NULL,
    "status" TEXT NOT NULL,
    "startDate" TIMESTAMP(3) NOT NULL,
    "stopDate" TIMESTAMP(3),
    "maxConcurrency" INTEGER NOT NULL DEFAULT 0,
    "toleratedFailurePercentage" DOUBLE PRECISION NOT NULL DEFAULT 0,
    "toleratedFailureCount" INTEGER NOT NULL DEFAULT 0,
    "itemCounts" TEXT,
    "executionCounts" TEXT,
    "redriveCount" INTEGER NOT NULL DEFAULT 0,

    CONSTRAINT "MapRun_pkey" PRIMARY KEY ("id")
);

-- CreateTable
CREATE TABLE "EndpointStateMachine" (
    "arn" TEXT NOT NULL,
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
    "creationDate" TIMESTAMP(3) NOT NULL,
    "updateDate" TIMESTAMP(3),

    CONSTRAINT "EndpointStateMachine_pkey" PRIMARY KEY ("arn")
);

-- CreateIndex
CREATE UNIQUE INDEX "SyncCursor_source_endpoint_scope_key" ON "SyncCursor"("source", "endpoint", "scope");

-- CreateIndex
CREATE UNIQUE INDEX "MapRun_arn_key" ON "MapRun"("arn");

-- CreateIndex
CREATE INDEX "MapRun_executionArn_idx" ON "MapRun"("executionArn");

-- CreateIndex
CREATE UNIQUE INDEX "EndpointStateMachine_name_key" ON "EndpointStateMachine"("name");
