-- RedefineTables
PRAGMA defer_foreign_keys=ON;
PRAGMA foreign_keys=OFF;
CREATE TABLE "new_OrderState" (
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
    "mirroredVersion" INTEGER NOT NULL DEFAULT 0,
    "createdAt" DATETIME NOT NULL DEFAULT CURRENT_TIMESTAMP,
    "updatedAt" DATETIME NOT NULL
);
INSERT INTO "new_OrderState" ("cancelledAt", "createdAt", "currency", "currentTotalMinor", "customerGid", "discountCodes", "email", "financialStatus", "fulfilled", "fulfillmentStatus", "fulfillments", "id", "lineItems", "locale", "name", "orderCreatedAt", "orderGid", "paid", "placed", "processedAt", "refundedMinor", "refunds", "shop", "sourceName", "sourceUpdatedAt", "subtotalMinor", "tags", "totalMinor", "updatedAt", "version") SELECT "cancelledAt", "createdAt", "currency", "currentTotalMinor", "customerGid", "discountCodes", "email", "financialStatus", "fulfilled", "fulfillmentStatus", "fulfillments", "id", "lineItems", "locale", "name", "orderCreatedAt", "orderGid", "paid", "placed", "processedAt", "refundedMinor", "refunds", "shop", "sourceName", "sourceUpdatedAt", "subtotalMinor", "tags", "totalMinor", "updatedAt", "version" FROM "OrderState";
DROP TABLE "OrderState";
ALTER TABLE "new_OrderState" RENAME TO "OrderState";
CREATE INDEX "OrderState_shop_customerGid_idx" ON "OrderState"("shop", "customerGid");
CREATE INDEX "OrderState_shop_mirroredVersion_idx" ON "OrderState"("shop", "mirroredVersion");
CREATE UNIQUE INDEX "OrderState_shop_orderGid_key" ON "OrderState"("shop", "orderGid");
PRAGMA foreign_keys=ON;
PRAGMA defer_foreign_keys=OFF;
