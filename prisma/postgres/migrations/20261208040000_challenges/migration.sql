-- CreateTable
CREATE TABLE "Challenge" (
    "id" TEXT NOT NULL,
    "shop" TEXT NOT NULL,
    "name" TEXT NOT NULL,
    "kind" TEXT NOT NULL,
    "goal" INTEGER NOT NULL,
    "windowDays" INTEGER,
    "startsAt" TIMESTAMP(3),
    "endsAt" TIMESTAMP(3),
    "streak" TEXT,
    "collectionGid" TEXT,
    "rewardKind" TEXT NOT NULL DEFAULT 'badge',
    "rewardPoints" INTEGER,
    "rewardCode" TEXT NOT NULL DEFAULT '{}',
    "badge" TEXT NOT NULL,
    "template" TEXT,
    "enabled" BOOLEAN NOT NULL DEFAULT true,
    "createdAt" TIMESTAMP(3) NOT NULL DEFAULT CURRENT_TIMESTAMP,
    "updatedAt" TIMESTAMP(3) NOT NULL,

    CONSTRAINT "Challenge_pkey" PRIMARY KEY ("id")
);

-- CreateTable
CREATE TABLE "ChallengeProgress" (
    "id" TEXT NOT NULL,
    "shop" TEXT NOT NULL,
    "challengeId" TEXT NOT NULL,
    "customerGid" TEXT NOT NULL,
    "current" INTEGER NOT NULL DEFAULT 0,
    "goal" INTEGER NOT NULL,
    "completedAt" TIMESTAMP(3),
    "rewardStatus" TEXT NOT NULL DEFAULT 'none',
    "rewardKey" TEXT,
    "rewardPoints" INTEGER,
    "rewardCode" TEXT,
    "rewardError" TEXT,
    "createdAt" TIMESTAMP(3) NOT NULL DEFAULT CURRENT_TIMESTAMP,
    "updatedAt" TIMESTAMP(3) NOT NULL,

    CONSTRAINT "ChallengeProgress_pkey" PRIMARY KEY ("id")
);

-- CreateTable
CREATE TABLE "ChallengeFact" (
    "id" TEXT NOT NULL,
    "shop" TEXT NOT NULL,
    "challengeId" TEXT NOT NULL,
    "customerGid" TEXT NOT NULL,
    "eventKey" TEXT NOT NULL,
    "type" TEXT NOT NULL,
    "orderGid" TEXT,
    "occurredAt" TIMESTAMP(3) NOT NULL,
    "data" TEXT NOT NULL,
    "createdAt" TIMESTAMP(3) NOT NULL DEFAULT CURRENT_TIMESTAMP,

    CONSTRAINT "ChallengeFact_pkey" PRIMARY KEY ("id")
);

-- CreateTable
CREATE TABLE "CustomerBadge" (
    "id" TEXT NOT NULL,
    "shop" TEXT NOT NULL,
    "customerGid" TEXT NOT NULL,
    "badge" TEXT NOT NULL,
    "challengeId" TEXT NOT NULL,
    "awardedAt" TIMESTAMP(3) NOT NULL,

    CONSTRAINT "CustomerBadge_pkey" PRIMARY KEY ("id")
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


