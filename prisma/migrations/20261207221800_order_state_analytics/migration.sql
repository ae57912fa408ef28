-- AlterTable
ALTER TABLE "OrderState" ADD COLUMN "currentSubtotalMinor" INTEGER;
ALTER TABLE "OrderState" ADD COLUMN "test" BOOLEAN NOT NULL DEFAULT false;

-- CreateIndex
CREATE INDEX "OrderState_analytics_idx" ON "OrderState"("shop", "customerGid", "processedAt", "cancelledAt", "test", "currentSubtotalMinor", "subtotalMinor");
