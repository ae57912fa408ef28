-- CreateTable
CREATE TABLE "FlowTriggerUsage" (
    "id" TEXT NOT NULL PRIMARY KEY,
    "shop" TEXT NOT NULL,
    "handle" TEXT NOT NULL,
    "inUse" BOOLEAN NOT NULL,
    "stateAt" DATETIME NOT NULL,
    "updatedAt" DATETIME NOT NULL
);

-- CreateIndex
CREATE UNIQUE INDEX "FlowTriggerUsage_shop_handle_key" ON "FlowTriggerUsage"("shop", "handle");
