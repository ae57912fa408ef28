-- CreateTable
CREATE TABLE "OrderState" (
    "id" TEXT NOT NULL,
    "shop" TEXT NOT NULL,
    "orderGid" TEXT NOT NULL,
    "name" TEXT,
    "customerGid" TEXT,
    "email" TEXT,
    "locale" TEXT,
    "currency" TEXT,
    "totalMinor" INTEGER,
    "subtotalMinor" INTEGER,
    "currentTotalMinor" INTEGER,
    "refundedMinor" INTEGER NOT NULL DEFAULT 0,
    "financialStatus" TEXT,
    "fulfillmentStatus" TEXT,
    "placed" BOOLEAN NOT NULL DEFAULT false,
    "paid" BOOLEAN NOT NULL DEFAULT false,
    "fulfilled" BOOLEAN NOT NULL DEFAULT false,
    "cancelledAt" TIMESTAMP(3),
    "processedAt" TIMESTAMP(3),
    "orderCreatedAt" TIMESTAMP(3),
    "sourceName" TEXT,
    "tags" TEXT NOT NULL DEFAULT '[]',
    "discountCodes" TEXT NOT NULL DEFAULT '[]',
    "lineItems" TEXT NOT NULL DEFAULT '[]',
    "refunds" TEXT NOT NULL DEFAULT '[]',
    "fulfillments" TEXT NOT NULL DEFAULT '[]',
    "sourceUpdatedAt" TIMESTAMP(3),
    "version" INTEGER NOT NULL DEFAULT 1,
    "createdAt" TIMESTAMP(3) NOT NULL DEFAULT CURRENT_TIMESTAMP,
    "updatedAt" TIMESTAMP(3) NOT NULL,

    CONSTRAINT "OrderState_pkey" PRIMARY KEY ("id")
);

-- CreateTable
CREATE TABLE "DomainEvent" (
    "id" TEXT NOT NULL,
    "shop" TEXT NOT NULL,
    "kind" TEXT NOT NULL,
    "subjectGid" TEXT NOT NULL,
    "key" TEXT NOT NULL,
    "occurredAt" TIMESTAMP(3) NOT NULL,
    "payload" TEXT NOT NULL,
    "createdAt" TIMESTAMP(3) NOT NULL DEFAULT CURRENT_TIMESTAMP,

    CONSTRAINT "DomainEvent_pkey" PRIMARY KEY ("id")
);

-- CreateIndex
CREATE INDEX "OrderState_shop_customerGid_idx" ON "OrderState"("shop", "customerGid");

-- CreateIndex
CREATE UNIQUE INDEX "OrderState_shop_orderGid_key" ON "OrderState"("shop", "orderGid");

-- CreateIndex
CREATE INDEX "DomainEvent_shop_createdAt_idx" ON "DomainEvent"("shop", "createdAt");

-- CreateIndex
CREATE INDEX "DomainEvent_shop_subjectGid_idx" ON "DomainEvent"("shop", "subjectGid");

-- CreateIndex
CREATE UNIQUE INDEX "DomainEvent_shop_key_key" ON "DomainEvent"("shop", "key");
