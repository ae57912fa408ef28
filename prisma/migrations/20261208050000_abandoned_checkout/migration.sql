-- CreateTable
CREATE TABLE "AbandonedCheckout" (
    "id" TEXT NOT NULL PRIMARY KEY,
    "shop" TEXT NOT NULL,
    "token" TEXT NOT NULL,
    "checkoutId" TEXT,
    "customerGid" TEXT,
    "email" TEXT,
    "recoveryUrl" TEXT,
    "totalMinor" INTEGER NOT NULL DEFAULT 0,
    "currency" TEXT NOT NULL DEFAULT 'USD',
    "lineCount" INTEGER NOT NULL DEFAULT 0,
    "shopifyUpdatedAt" DATETIME NOT NULL,
    "status" TEXT NOT NULL DEFAULT 'open',
    "remindedAt" DATETIME,
    "completedAt" DATETIME,
    "orderGid" TEXT,
    "createdAt" DATETIME NOT NULL DEFAULT CURRENT_TIMESTAMP,
    "updatedAt" DATETIME NOT NULL
);

-- CreateIndex
CREATE INDEX "AbandonedCheckout_shop_status_idx" ON "AbandonedCheckout"("shop", "status");

-- CreateIndex
CREATE UNIQUE INDEX "AbandonedCheckout_shop_token_key" ON "AbandonedCheckout"("shop", "token");
