-- CreateTable
CREATE TABLE "Challenge" (
    "id" TEXT NOT NULL PRIMARY KEY,
    "shop" TEXT NOT NULL,
    "name" TEXT NOT NULL,
    "kind" TEXT NOT NULL,
    "goal" INTEGER NOT NULL,
    "windowDays" INTEGER,
    "startsAt" DATETIME,
    "endsAt" DATETIME,
    "streak" TEXT,
    "collectionGid" TEXT,
    "rewardKind" TEXT NOT NULL DEFAULT 'badge',
    "rewardPoints" INTEGER,
    "rewardCode" TEXT NOT NULL DEFAULT '{}',
    "badge" TEXT NOT NULL,
    "template" TEXT,
    "enabled" BOOLEAN NOT NULL DEFAULT true,
    "createdAt" DATETIME NOT NULL DEFAULT CURRENT_TIMESTAMP,
    "updatedAt" DATETIME NOT NULL
);

-- CreateTable
CREATE TABLE "ChallengeProgress" (
    "id" TEXT NOT NULL PRIMARY KEY,
    "shop" TEXT NOT NULL,
    "challengeId" TEXT NOT NULL,
    "customerGid" TEXT NOT NULL,
    "current" INTEGER NOT NULL DEFAULT 0,
    "goal" INTEGER NOT NULL,
    "completedAt" DATETIME,
    "rewardStatus" TEXT NOT NULL DEFAULT 'none',
    "rewardKey" TEXT,
    "rewardPoints" INTEGER,
    "rewardCode" TEXT,
    "rewardError" TEXT,
    "createdAt" DATETIME NOT NULL DEFAULT CURRENT_TIMESTAMP,
    "updatedAt" DATETIME NOT NULL
);

-- CreateTable
CREATE TABLE "ChallengeFact" (
    "id" TEXT NOT NULL PRIMARY KEY,
    "shop" TEXT NOT NULL,
    "challengeId" TEXT NOT NULL,
    "customerGid" TEXT NOT NULL,
    "eventKey" TEXT NOT NULL,
    "type" TEXT NOT NULL,
    "orderGid" TEXT,
    "occurredAt" DATETIME NOT NULL,
    "data" TEXT NOT NULL,
    "createdAt" DATETIME NOT NULL DEFAULT CURRENT_TIMESTAMP
);

-- CreateTable
CREATE TABLE "CustomerBadge" (
    "id" TEXT NOT NULL PRIMARY KEY,
    "shop" TEXT NOT NULL,
    "customerGid" TEXT NOT NULL,
    "badge" TEXT NOT NULL,
    "challengeId" TEXT NOT NULL,
    "awardedAt" DATETIME NOT NULL
);

-- CreateIndex
CREATE INDEX "Challenge_shop_enabled_idx" ON "Challenge"("shop", "enabled");

-- CreateIndex
CREATE INDEX "ChallengeProgress_shop_customerGid_idx" ON "ChallengeProgress"("shop", "customerGid");

-- CreateIndex
CREATE INDEX "ChallengeProgress_shop_challengeId_completedAt_idx" ON "ChallengeProgress"("shop", "challengeId", "completedAt");

-- CreateIndex
CREATE UNIQUE INDEX "ChallengeProgress_shop_challengeId_customerGid_key" ON "ChallengeProgress"("shop", "challengeId", "customerGid");

-- CreateIndex
CREATE INDEX "ChallengeFact_shop_challengeId_customerGid_idx" ON "ChallengeFact"("shop", "challengeId", "customerGid");

-- CreateIndex
CREATE INDEX "ChallengeFact_shop_orderGid_idx" ON "ChallengeFact"("shop", "orderGid");

-- CreateIndex
CREATE UNIQUE INDEX "ChallengeFact_shop_challengeId_eventKey_key" ON "ChallengeFact"("shop", "challengeId", "eventKey");

-- CreateIndex
CREATE INDEX "CustomerBadge_shop_customerGid_idx" ON "CustomerBadge"("shop", "customerGid");

-- CreateIndex
CREATE UNIQUE INDEX "CustomerBadge_shop_customerGid_challengeId_key" ON "CustomerBadge"("shop", "customerGid", "challengeId");


