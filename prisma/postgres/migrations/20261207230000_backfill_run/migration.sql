-- CreateTable
CREATE TABLE "BackfillRun" (
    "id" TEXT NOT NULL,
    "shop" TEXT NOT NULL,
    "status" TEXT NOT NULL,
    "bulkOperationId" TEXT,
    "since" TIMESTAMP(3),
    "ordersCount" INTEGER,
    "objectsImported" INTEGER NOT NULL DEFAULT 0,
    "ordersImported" INTEGER NOT NULL DEFAULT 0,
    "error" TEXT,
    "startedBy" TEXT NOT NULL DEFAULT 'install',
    "heartbeatAt" TIMESTAMP(3),
    "finishedAt" TIMESTAMP(3),
    "createdAt" TIMESTAMP(3) NOT NULL DEFAULT CURRENT_TIMESTAMP,
    "updatedAt" TIMESTAMP(3) NOT NULL,

    CONSTRAINT "BackfillRun_pkey" PRIMARY KEY ("id")
);

-- CreateIndex
CREATE INDEX "BackfillRun_shop_createdAt_idx" ON "BackfillRun"("shop", "createdAt");

-- CreateIndex
CREATE INDEX "BackfillRun_bulkOperationId_idx" ON "BackfillRun"("bulkOperationId");
