-- CreateTable
CREATE TABLE "OrderState" (
    "id" TEXT NOT NULL PRIMARY KEY,
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
    "cancelledAt" DATETIME,
    "processedAt" DATETIME,
    "orderCreatedAt" DATETIME,
    "sourceName" TEXT,
    "tags" TEXT NOT NULL DEFAULT '[]',
    "discountCodes" TEXT NOT NULL DEFAULT '[]',
    "lineItems" TEXT NOT NULL DEFAULT '[]',
    "refunds" TEXT NOT NULL DEFAULT '[]',
    "fulfillments" TEXT NOT NULL DEFAULT '[]',
    "sourceUpdatedAt" DATETIME,
    "version" INTEGER NOT NULL DEFAULT 1,
    "createdAt" DATETIME NOT NULL DEFAULT CURRENT_TIMESTAMP,
    "updatedAt" DATETIME NOT NULL
);

-- CreateTable
CREATE TABLE "DomainEvent" (
    "id" TEXT NOT NULL PRIMARY KEY,
    "shop" TEXT NOT NULL,
    "kind" TEXT NOT NULL,
    "subjectGid" TEXT NOT NULL,
    "key" TEXT NOT NULL,
    "occurredAt" DATETIME NOT NULL,
    "payload" TEXT NOT NULL,
    "createdAt" DATETIME NOT NULL DEFAULT CURRENT_TIMESTAMP
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
