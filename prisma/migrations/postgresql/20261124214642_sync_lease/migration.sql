-- CreateTable
CREATE TABLE "SyncLease" (
    "id" SERIAL NOT NULL,
    "source" TEXT NOT NULL,
    "endpoint" TEXT NOT NULL DEFAULT '',
    "scope" TEXT NOT NULL,
    "owner" TEXT NOT NULL,
    "expiresAt" TIMESTAMP(3) NOT NULL,

    CONSTRAINT "SyncLease_pkey" PRIMARY KEY ("id")
);

-- CreateIndex
CREATE UNIQUE INDEX "SyncLease_source_endpoint_scope_key" ON "SyncLease"("source", "endpoint", "scope");
