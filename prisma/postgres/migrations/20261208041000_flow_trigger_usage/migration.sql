-- CreateTable
CREATE TABLE "FlowTriggerUsage" (
    "id" TEXT NOT NULL,
    "shop" TEXT NOT NULL,
    "handle" TEXT NOT NULL,
    "inUse" BOOLEAN NOT NULL,
    "stateAt" TIMESTAMP(3) NOT NULL,
    "updatedAt" TIMESTAMP(3) NOT NULL,

    CONSTRAINT "FlowTriggerUsage_pkey" PRIMARY KEY ("id")
);

-- CreateIndex
CREATE UNIQUE INDEX "FlowTriggerUsage_shop_handle_key" ON "FlowTriggerUsage"("shop", "handle");
