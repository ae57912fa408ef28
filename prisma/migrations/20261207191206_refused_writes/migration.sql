-- CreateTable
CREATE TABLE "RefusedWrite" (
    "id" TEXT NOT NULL PRIMARY KEY,
    "shop" TEXT NOT NULL,
    "writer" TEXT NOT NULL,
    "ownerGid" TEXT NOT NULL,
    "field" TEXT,
    "message" TEXT NOT NULL,
    "code" TEXT,
    "count" INTEGER NOT NULL DEFAULT 1,
    "firstAt" DATETIME NOT NULL DEFAULT CURRENT_TIMESTAMP,
    "lastAt" DATETIME NOT NULL DEFAULT CURRENT_TIMESTAMP
);

-- AlterTable
ALTER TABLE "OrderState" ADD COLUMN "mirrorRefusedVersion" INTEGER NOT NULL DEFAULT 0;

-- CreateIndex
CREATE INDEX "RefusedWrite_shop_lastAt_idx" ON "RefusedWrite"("shop", "lastAt");

-- CreateIndex
CREATE UNIQUE INDEX "RefusedWrite_shop_writer_ownerGid_key" ON "RefusedWrite"("shop", "writer", "ownerGid");
