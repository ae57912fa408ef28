-- CreateTable
CREATE TABLE "DataExport" (
    "id" TEXT NOT NULL,
    "shop" TEXT NOT NULL,
    "requestKey" TEXT NOT NULL,
    "customerGid" TEXT,
    "email" TEXT,
    "content" TEXT NOT NULL,
    "createdAt" TIMESTAMP(3) NOT NULL DEFAULT CURRENT_TIMESTAMP,
    "updatedAt" TIMESTAMP(3) NOT NULL,

    CONSTRAINT "DataExport_pkey" PRIMARY KEY ("id")
);

-- CreateIndex
CREATE INDEX "DataExport_shop_createdAt_idx" ON "DataExport"("shop", "createdAt");

-- CreateIndex
CREATE UNIQUE INDEX "DataExport_shop_requestKey_key" ON "DataExport"("shop", "requestKey");
