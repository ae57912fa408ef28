-- AlterTable
ALTER TABLE "MailMessage" ADD COLUMN "category" TEXT NOT NULL DEFAULT 'transactional';
ALTER TABLE "MailMessage" ADD COLUMN "customerGid" TEXT;

-- CreateTable
CREATE TABLE "MailCategoryOptOut" (
    "id" TEXT NOT NULL PRIMARY KEY,
    "shop" TEXT NOT NULL,
    "email" TEXT NOT NULL,
    "category" TEXT NOT NULL,
    "createdAt" DATETIME NOT NULL DEFAULT CURRENT_TIMESTAMP
);

-- CreateTable
CREATE TABLE "CustomerMailConsent" (
    "id" TEXT NOT NULL PRIMARY KEY,
    "shop" TEXT NOT NULL,
    "customerGid" TEXT NOT NULL,
    "state" TEXT NOT NULL,
    "observedAt" DATETIME NOT NULL,
    "source" TEXT NOT NULL DEFAULT 'backfill'
);

-- CreateTable
CREATE TABLE "MailSettings" (
    "shop" TEXT NOT NULL PRIMARY KEY,
    "fromName" TEXT,
    "replyTo" TEXT,
    "smtpUrlEncrypted" TEXT,
    "hourlyLimit" INTEGER,
    "reviewRequestCategory" TEXT NOT NULL DEFAULT 'marketing',
    "updatedAt" DATETIME NOT NULL
);

-- CreateIndex
CREATE INDEX "MailMessage_shop_sentAt_idx" ON "MailMessage"("shop", "sentAt");

-- CreateIndex
CREATE UNIQUE INDEX "MailCategoryOptOut_shop_email_category_key" ON "MailCategoryOptOut"("shop", "email", "category");

-- CreateIndex
CREATE UNIQUE INDEX "CustomerMailConsent_shop_customerGid_key" ON "CustomerMailConsent"("shop", "customerGid");
