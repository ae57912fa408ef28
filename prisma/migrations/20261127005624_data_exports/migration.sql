-- CreateTable
CREATE TABLE "DataExport" (
    "id" TEXT NOT NULL PRIMARY KEY,
    "shop" TEXT NOT NULL,
    "requestKey" TEXT NOT NULL,
    "customerGid" TEXT,
    "email" TEXT,
    "content" TEXT NOT NULL,
    "createdAt" DATETIME NOT NULL DEFAULT CURRENT_TIMESTAMP,
    "updatedAt" DATETIME NOT NULL
);

-- CreateIndex
CREATE INDEX "DataExport_shop_createdAt_idx" ON "DataExport"("shop", "createdAt");

-- CreateIndex
CREATE UNIQUE INDEX "DataExport_shop_requestKey_key" ON "DataExport"("shop", "requestKey");
