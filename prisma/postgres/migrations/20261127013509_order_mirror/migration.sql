-- AlterTable
ALTER TABLE "OrderState" ADD COLUMN     "mirroredVersion" INTEGER NOT NULL DEFAULT 0;

-- CreateIndex
CREATE INDEX "OrderState_shop_mirroredVersion_idx" ON "OrderState"("shop", "mirroredVersion");
