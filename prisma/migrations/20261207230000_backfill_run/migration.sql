-- CreateTable
CREATE TABLE "BackfillRun" (
    "id" TEXT NOT NULL PRIMARY KEY,
    "shop" TEXT NOT NULL,
    "status" TEXT NOT NULL,
    "bulkOperationId" TEXT,
    "since" DATETIME,
    "ordersCount" INTEGER,
    "objectsImported" INTEGER NOT NULL DEFAULT 0,
    "ordersImported" INTEGER NOT NULL DEFAULT 0,
    "error" TEXT,
    "startedBy" TEXT NOT NULL DEFAULT 'install',
    "heartbeatAt" DATETIME,
    "finishedAt" DATETIME,
    "createdAt" DATETIME NOT NULL DEFAULT CURRENT_TIMESTAMP,
    "updatedAt" DATETIME NOT NULL
);

-- CreateIndex
CREATE INDEX "BackfillRun_shop_createdAt_idx" ON "BackfillRun"("shop", "createdAt");

-- CreateIndex
CREATE INDEX "BackfillRun_bulkOperationId_idx" ON "BackfillRun"("bulkOperationId");
