-- AlterTable
ALTER TABLE "LoyaltyAccount" ADD COLUMN "lastActivityAt" DATETIME;
ALTER TABLE "LoyaltyAccount" ADD COLUMN "tierSince" DATETIME;

-- AlterTable
ALTER TABLE "LoyaltyEntry" ADD COLUMN "sourceKey" TEXT;

-- CreateTable
CREATE TABLE "LoyaltyProgram" (
    "id" TEXT NOT NULL PRIMARY KEY,
    "shop" TEXT NOT NULL,
    "enabled" BOOLEAN NOT NULL DEFAULT false,
    "pointsPerUnit" TEXT NOT NULL DEFAULT '1',
    "earnBase" TEXT NOT NULL DEFAULT 'subtotal',
    "includeShipping" BOOLEAN NOT NULL DEFAULT false,
    "includeTax" BOOLEAN NOT NULL DEFAULT false,
    "includeGiftCards" BOOLEAN NOT NULL DEFAULT false,
    "rounding" TEXT NOT NULL DEFAULT 'floor',
    "minimumOrderMinor" INTEGER NOT NULL DEFAULT 0,
    "excludedProductGids" TEXT NOT NULL DEFAULT '[]',
    "excludedCollectionGids" TEXT NOT NULL DEFAULT '[]',
    "multipliers" TEXT NOT NULL DEFAULT '[]',
    "pendingDays" INTEGER NOT NULL DEFAULT 14,
    "pendingFrom" TEXT NOT NULL DEFAULT 'paid',
    "expiryMonths" INTEGER NOT NULL DEFAULT 0,
    "birthdayPoints" INTEGER NOT NULL DEFAULT 0,
    "signupPoints" INTEGER NOT NULL DEFAULT 0,
    "tierBasis" TEXT NOT NULL DEFAULT 'spent',
    "tierWindow" TEXT NOT NULL DEFAULT 'lifetime',
    "downgradePolicy" TEXT NOT NULL DEFAULT 'end_of_next_period',
    "createdAt" DATETIME NOT NULL DEFAULT CURRENT_TIMESTAMP,
    "updatedAt" DATETIME NOT NULL
);

-- CreateTable
CREATE TABLE "LoyaltyTier" (
    "id" TEXT NOT NULL PRIMARY KEY,
    "shop" TEXT NOT NULL,
    "handle" TEXT NOT NULL,
    "name" TEXT NOT NULL,
    "threshold" INTEGER NOT NULL,
    "earnMultiplier" TEXT NOT NULL DEFAULT '1',
    "perks" TEXT NOT NULL DEFAULT '[]',
    "position" INTEGER NOT NULL DEFAULT 0,
    "createdAt" DATETIME NOT NULL DEFAULT CURRENT_TIMESTAMP,
    "updatedAt" DATETIME NOT NULL
);

-- CreateTable
CREATE TABLE "LoyaltyReward" (
    "id" TEXT NOT NULL PRIMARY KEY,
    "shop" TEXT NOT NULL,
    "name" TEXT NOT NULL,
    "kind" TEXT NOT NULL,
    "value" TEXT NOT NULL DEFAULT '',
    "pointsCost" INTEGER NOT NULL,
    "minimumOrder" TEXT,
    "expiresInDays" INTEGER NOT NULL DEFAULT 30,
    "enabled" BOOLEAN NOT NULL DEFAULT true,
    "createdAt" DATETIME NOT NULL DEFAULT CURRENT_TIMESTAMP,
    "updatedAt" DATETIME NOT NULL
);

-- CreateTable
CREATE TABLE "LoyaltyRedemption" (
    "id" TEXT NOT NULL PRIMARY KEY,
    "shop" TEXT NOT NULL,
    "customerGid" TEXT NOT NULL,
    "rewardId" TEXT NOT NULL,
    "points" INTEGER NOT NULL,
    "status" TEXT NOT NULL DEFAULT 'spending',
    "rewardCodeId" TEXT,
    "key" TEXT NOT NULL,
    "error" TEXT,
    "createdAt" DATETIME NOT NULL DEFAULT CURRENT_TIMESTAMP,
    "updatedAt" DATETIME NOT NULL
);

-- CreateIndex
CREATE UNIQUE INDEX "LoyaltyProgram_shop_key" ON "LoyaltyProgram"("shop");

-- CreateIndex
CREATE INDEX "LoyaltyTier_shop_position_idx" ON "LoyaltyTier"("shop", "position");

-- CreateIndex
CREATE UNIQUE INDEX "LoyaltyTier_shop_handle_key" ON "LoyaltyTier"("shop", "handle");

-- CreateIndex
CREATE INDEX "LoyaltyReward_shop_enabled_idx" ON "LoyaltyReward"("shop", "enabled");

-- CreateIndex
CREATE INDEX "LoyaltyRedemption_shop_customerGid_createdAt_idx" ON "LoyaltyRedemption"("shop", "customerGid", "createdAt");

-- CreateIndex
CREATE INDEX "LoyaltyRedemption_shop_status_idx" ON "LoyaltyRedemption"("shop", "status");

-- CreateIndex
CREATE UNIQUE INDEX "LoyaltyRedemption_shop_key_key" ON "LoyaltyRedemption"("shop", "key");

-- CreateIndex
CREATE INDEX "LoyaltyAccount_shop_lastActivityAt_idx" ON "LoyaltyAccount"("shop", "lastActivityAt");

-- CreateIndex
CREATE INDEX "LoyaltyEntry_shop_status_kind_availableAt_idx" ON "LoyaltyEntry"("shop", "status", "kind", "availableAt");
