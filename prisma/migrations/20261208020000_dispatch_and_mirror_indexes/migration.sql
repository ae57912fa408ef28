-- DropIndex
DROP INDEX "OrderState_shop_mirroredVersion_idx";

-- DropIndex
DROP INDEX "DomainEvent_shop_flowsAt_idx";

-- CreateIndex
CREATE INDEX "OrderState_mirror_pending_idx" ON "OrderState"("shop", "mirroredVersion", "mirrorRefusedVersion", "version");

-- CreateIndex
CREATE INDEX "DomainEvent_undispatched_idx" ON "DomainEvent"("shop", "flowsAt", "createdAt", "id");


