-- CreateIndex
CREATE INDEX "StateVisit_enteredAt_idx" ON "StateVisit"("enteredAt");

-- CreateIndex
CREATE INDEX "StateVisit_executionId_status_idx" ON "StateVisit"("executionId", "status");
