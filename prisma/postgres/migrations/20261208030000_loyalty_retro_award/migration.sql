-- CreateTable
CREATE TABLE "LoyaltyRetroAward" (
    "id" TEXT NOT NULL,
    "shop" TEXT NOT NULL,
    "status" TEXT NOT NULL,
    "before" TIMESTAMP(3) NOT NULL,
    "previewOrders" INTEGER NOT NULL,
    "previewCustomers" INTEGER NOT NULL,
    "previewPoints" INTEGER NOT NULL,
    "ordersAwarded" INTEGER NOT NULL DEFAULT 0,
    "customersAwarded" INTEGER NOT NULL DEFAULT 0,
    "pointsAwarded" INTEGER NOT NULL DEFAULT 0,
    "ordersSkipped" INTEGER NOT NULL DEFAULT 0,
    "cursor" TEXT,
    "error" TEXT,
    "startedBy" TEXT,
    "finishedAt" TIMESTAMP(3),
    "createdAt" TIMESTAMP(3) NOT NULL DEFAULT CURRENT_TIMESTAMP,
    "updatedAt" TIMESTAMP(3) NOT NULL,

    CONSTRAINT "LoyaltyRetroAward_pkey" PRIMARY KEY ("id")
);

-- CreateIndex
CREATE INDEX "LoyaltyRetroAward_shop_createdAt_idx" ON "LoyaltyRetroAward"("shop", "createdAt");
