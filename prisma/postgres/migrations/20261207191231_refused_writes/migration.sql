-- AlterTable
ALTER TABLE "OrderState" ADD COLUMN     "mirrorRefusedVersion" INTEGER NOT NULL DEFAULT 0;

-- CreateTable
CREATE TABLE "RefusedWrite" (
    "id" TEXT NOT NULL,
    "shop" TEXT NOT NULL,
    "writer" TEXT NOT NULL,
    "ownerGid" TEXT NOT NULL,
    "field" TEXT,
    "message" TEXT NOT NULL,
    "code" TEXT,
    "count" INTEGER NOT NULL DEFAULT 1,
    "firstAt" TIMESTAMP(3) NOT NULL DEFAULT CURRENT_TIMESTAMP,
    "lastAt" TIMESTAMP(3) NOT NULL DEFAULT CURRENT_TIMESTAMP,

    CONSTRAINT "RefusedWrite_pkey" PRIMARY KEY ("id")
);

-- CreateIndex
CREATE INDEX "RefusedWrite_shop_lastAt_idx" ON "RefusedWrite"("shop", "lastAt");

-- CreateIndex
CREATE UNIQUE INDEX "RefusedWrite_shop_writer_ownerGid_key" ON "RefusedWrite"("shop", "writer", "ownerGid");
