-- AlterTable
ALTER TABLE "RewardCode" ADD COLUMN "validDays" INTEGER;
