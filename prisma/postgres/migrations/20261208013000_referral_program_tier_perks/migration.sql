-- AlterTable
ALTER TABLE "ReferralCode" ADD COLUMN "terms" TEXT;

-- AlterTable
ALTER TABLE "LoyaltyTier" ADD COLUMN "freeShipping" BOOLEAN NOT NULL DEFAULT false,
ADD COLUMN "entryPoints" INTEGER NOT NULL DEFAULT 0;

-- CreateTable
CREATE TABLE "ReferralProgram" (
    "id" TEXT NOT NULL,
    "shop" TEXT NOT NULL,
    "enabled" BOOLEAN NOT NULL DEFAULT true,
    "friendDiscountType" TEXT NOT NULL DEFAULT 'percentage',
    "friendDiscountValue" INTEGER NOT NULL DEFAULT 10,
    "advocateRewardKind" TEXT NOT NULL DEFAULT 'points',
    "advocateRewardValue" INTEGER NOT NULL DEFAULT 200,
    "usageLimit" INTEGER NOT NULL DEFAULT 20,
    "minimumOrderMinor" INTEGER NOT NULL DEFAULT 0,
    "holdDays" INTEGER NOT NULL DEFAULT 14,
    "createdAt" TIMESTAMP(3) NOT NULL DEFAULT CURRENT_TIMESTAMP,
    "updatedAt" TIMESTAMP(3) NOT NULL,

    CONSTRAINT "ReferralProgram_pkey" PRIMARY KEY ("id")
);

-- CreateIndex
CREATE UNIQUE INDEX "ReferralProgram_shop_key" ON "ReferralProgram"("shop");
