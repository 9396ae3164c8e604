-- CreateTable
CREATE TABLE "SyncLease" (
    "id" INTEGER NOT NULL PRIMARY KEY AUTOINCREMENT,
    "source" TEXT NOT NULL,
    "endpoint" TEXT NOT NULL DEFAULT '',
    "scope" TEXT NOT NULL,
    "owner" TEXT NOT NULL,
    "expiresAt" DATETIME NOT NULL
);

-- CreateIndex
CREATE UNIQUE INDEX "SyncLease_source_endpoint_scope_key" ON "SyncLease"("source", "endpoint", "scope");
