-- CreateTable
CREATE TABLE "AbandonedCheckout" (
    "id" TEXT NOT NULL,
    "shop" TEXT NOT NULL,
    "token" TEXT NOT NULL,
    "checkoutId" TEXT,
    "customerGid" TEXT,
    "email" TEXT,
    "recoveryUrl" TEXT,
    "totalMinor" INTEGER NOT NULL DEFAULT 0,
    "currency" TEXT NOT NULL DEFAULT 'USD',
    "lineCount" INTEGER NOT NULL DEFAULT 0,
    "shopifyUpdatedAt" TIMESTAMP(3) NOT NULL,
    "status" TEXT NOT NULL DEFAULT 'open',
    "remindedAt" TIMESTAMP(3),
    "completedAt" TIMESTAMP(3),
    "orderGid" TEXT,
    "createdAt" TIMESTAMP(3) NOT NULL DEFAULT CURRENT_TIMESTAMP,
    "updatedAt" TIMESTAMP(3) NOT NULL,

    CONSTRAINT "AbandonedCheckout_pkey" PRIMARY KEY ("id")
);

-- CreateIndex
CREATE INDEX "AbandonedCheckout_shop_status_idx" ON "AbandonedCheckout"("shop", "status");

-- CreateIndex
CREATE UNIQUE INDEX "AbandonedCheckout_shop_token_key" ON "AbandonedCheckout"("shop", "token");
