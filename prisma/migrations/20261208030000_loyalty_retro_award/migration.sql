-- CreateTable
CREATE TABLE "LoyaltyRetroAward" (
    "id" TEXT NOT NULL PRIMARY KEY,
    "shop" TEXT NOT NULL,
    "status" TEXT NOT NULL,
    "before" DATETIME NOT NULL,
    "previewOrders" INTEGER NOT NULL,
    "previewCustomers" INTEGER NOT NULL,
    "previewPoints" INTEGER NOT NULL,
    "ordersAwarded" INTEGER NOT NULL DEFAULT 0,
    "customersAwarded" INTEGER NOT NULL DEFAULT 0,
    "pointsAwarded" INTEGER NOT NULL DEFAULT 0,
    "ordersSkipped" INTEGER NOT NULL DEFAULT 0,
    "cursor" TEXT,
    "error" TEXT,
    "startedBy" TEXT,
    "finishedAt" DATETIME,
    "createdAt" DATETIME NOT NULL DEFAULT CURRENT_TIMESTAMP,
    "updatedAt" DATETIME NOT NULL
);

-- CreateIndex
CREATE INDEX "LoyaltyRetroAward_shop_createdAt_idx" ON "LoyaltyRetroAward"("shop", "createdAt");
