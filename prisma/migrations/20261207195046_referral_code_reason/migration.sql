-- AlterTable
ALTER TABLE "ReferralCode" ADD COLUMN "error" TEXT;
