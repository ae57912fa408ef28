-- AlterTable
ALTER TABLE "OrderState" ADD COLUMN "shippingCountry" TEXT;
ALTER TABLE "OrderState" ADD COLUMN "shippingKey" TEXT;

-- CreateTable
CREATE TABLE "Review" (
    "id" TEXT NOT NULL PRIMARY KEY,
    "shop" TEXT NOT NULL,
    "productGid" TEXT NOT NULL,
    "orderGid" TEXT,
    "customerGid" TEXT,
    "requestId" TEXT,
    "authorName" TEXT NOT NULL,
    "email" TEXT,
    "locale" TEXT,
    "rating" INTEGER NOT NULL,
    "title" TEXT NOT NULL DEFAULT '',
    "body" TEXT NOT NULL DEFAULT '',
    "verifiedBuyer" BOOLEAN NOT NULL DEFAULT false,
    "status" TEXT NOT NULL DEFAULT 'pending',
    "spamReason" TEXT,
    "reply" TEXT,
    "repliedAt" DATETIME,
    "incentive" TEXT,
    "publishedAt" DATETIME,
    "createdAt" DATETIME NOT NULL DEFAULT CURRENT_TIMESTAMP,
    "updatedAt" DATETIME NOT NULL
);

-- CreateTable
CREATE TABLE "ReviewPhoto" (
    "id" TEXT NOT NULL PRIMARY KEY,
    "shop" TEXT NOT NULL,
    "reviewId" TEXT NOT NULL,
    "contentType" TEXT NOT NULL,
    "size" INTEGER NOT NULL,
    "data" BLOB NOT NULL,
    "createdAt" DATETIME NOT NULL DEFAULT CURRENT_TIMESTAMP
);

-- CreateTable
CREATE TABLE "ReviewSettings" (
    "id" TEXT NOT NULL PRIMARY KEY,
    "shop" TEXT NOT NULL,
    "maxProducts" INTEGER NOT NULL DEFAULT 3,
    "reminders" INTEGER NOT NULL DEFAULT 2,
    "reminderDays" INTEGER NOT NULL DEFAULT 7,
    "autoPublishMinRating" INTEGER,
    "incentive" TEXT NOT NULL DEFAULT '{}',
    "texts" TEXT NOT NULL DEFAULT '{}',
    "updatedAt" DATETIME NOT NULL,
    "createdAt" DATETIME NOT NULL DEFAULT CURRENT_TIMESTAMP
);

-- CreateTable
CREATE TABLE "MailSuppression" (
    "id" TEXT NOT NULL PRIMARY KEY,
    "shop" TEXT NOT NULL,
    "email" TEXT NOT NULL,
    "reason" TEXT NOT NULL DEFAULT 'unsubscribed',
    "createdAt" DATETIME NOT NULL DEFAULT CURRENT_TIMESTAMP
);

-- CreateTable
CREATE TABLE "SurveyAnswer" (
    "id" TEXT NOT NULL PRIMARY KEY,
    "shop" TEXT NOT NULL,
    "orderGid" TEXT NOT NULL,
    "customerGid" TEXT,
    "questionId" TEXT NOT NULL,
    "kind" TEXT NOT NULL,
    "score" INTEGER,
    "answer" TEXT NOT NULL DEFAULT '',
    "createdAt" DATETIME NOT NULL DEFAULT CURRENT_TIMESTAMP
);

-- CreateTable
CREATE TABLE "CustomerProfile" (
    "id" TEXT NOT NULL PRIMARY KEY,
    "shop" TEXT NOT NULL,
    "customerGid" TEXT NOT NULL,
    "birthday" TEXT,
    "createdAt" DATETIME NOT NULL DEFAULT CURRENT_TIMESTAMP,
    "updatedAt" DATETIME NOT NULL
);

-- CreateTable
CREATE TABLE "ReferralCode" (
    "id" TEXT NOT NULL PRIMARY KEY,
    "shop" TEXT NOT NULL,
    "customerGid" TEXT NOT NULL,
    "email" TEXT,
    "code" TEXT NOT NULL,
    "discountGid" TEXT,
    "usageLimit" INTEGER NOT NULL DEFAULT 20,
    "status" TEXT NOT NULL DEFAULT 'creating',
    "createdAt" DATETIME NOT NULL DEFAULT CURRENT_TIMESTAMP,
    "updatedAt" DATETIME NOT NULL
);

-- CreateTable
CREATE TABLE "Referral" (
    "id" TEXT NOT NULL PRIMARY KEY,
    "shop" TEXT NOT NULL,
    "codeId" TEXT NOT NULL,
    "advocateGid" TEXT NOT NULL,
    "friendOrderGid" TEXT NOT NULL,
    "friendCustomerGid" TEXT,
    "friendEmail" TEXT,
    "revenueMinor" INTEGER NOT NULL DEFAULT 0,
    "currency" TEXT,
    "status" TEXT NOT NULL DEFAULT 'pending',
    "reason" TEXT,
    "rewardAt" DATETIME,
    "rewardedAt" DATETIME,
    "createdAt" DATETIME NOT NULL DEFAULT CURRENT_TIMESTAMP,
    "updatedAt" DATETIME NOT NULL
);

-- RedefineTables
PRAGMA defer_foreign_keys=ON;
PRAGMA foreign_keys=OFF;
CREATE TABLE "new_ReviewRequest" (
    "id" TEXT NOT NULL PRIMARY KEY,
    "shop" TEXT NOT NULL,
    "orderGid" TEXT NOT NULL,
    "customerGid" TEXT,
    "email" TEXT,
    "locale" TEXT,
    "productGids" TEXT NOT NULL DEFAULT '[]',
    "status" TEXT NOT NULL DEFAULT 'scheduled',
    "reason" TEXT,
    "sendAt" DATETIME NOT NULL DEFAULT CURRENT_TIMESTAMP,
    "sentAt" DATETIME,
    "reminders" INTEGER NOT NULL DEFAULT 0,
    "nextAt" DATETIME,
    "createdAt" DATETIME NOT NULL DEFAULT CURRENT_TIMESTAMP,
    "updatedAt" DATETIME NOT NULL
);
INSERT INTO "new_ReviewRequest" ("createdAt", "customerGid", "email", "id", "locale", "orderGid", "productGids", "reason", "sendAt", "sentAt", "shop", "status", "updatedAt") SELECT "createdAt", "customerGid", "email", "id", "locale", "orderGid", "productGids", "reason", "sendAt", "sentAt", "shop", "status", "updatedAt" FROM "ReviewRequest";
DROP TABLE "ReviewRequest";
ALTER TABLE "new_ReviewRequest" RENAME TO "ReviewRequest";
CREATE INDEX "ReviewRequest_shop_status_sendAt_idx" ON "ReviewRequest"("shop", "status", "sendAt");
CREATE UNIQUE INDEX "ReviewRequest_shop_orderGid_key" ON "ReviewRequest"("shop", "orderGid");
PRAGMA foreign_keys=ON;
PRAGMA defer_foreign_keys=OFF;

-- CreateIndex
CREATE INDEX "Review_shop_status_createdAt_idx" ON "Review"("shop", "status", "createdAt");

-- CreateIndex
CREATE INDEX "Review_shop_productGid_status_idx" ON "Review"("shop", "productGid", "status");

-- CreateIndex
CREATE UNIQUE INDEX "Review_shop_orderGid_productGid_key" ON "Review"("shop", "orderGid", "productGid");

-- CreateIndex
CREATE INDEX "ReviewPhoto_shop_reviewId_idx" ON "ReviewPhoto"("shop", "reviewId");

-- CreateIndex
CREATE UNIQUE INDEX "ReviewSettings_shop_key" ON "ReviewSettings"("shop");

-- CreateIndex
CREATE UNIQUE INDEX "MailSuppression_shop_email_key" ON "MailSuppression"("shop", "email");

-- CreateIndex
CREATE INDEX "SurveyAnswer_shop_createdAt_idx" ON "SurveyAnswer"("shop", "createdAt");

-- CreateIndex
CREATE UNIQUE INDEX "SurveyAnswer_shop_orderGid_questionId_key" ON "SurveyAnswer"("shop", "orderGid", "questionId");

-- CreateIndex
CREATE INDEX "CustomerProfile_shop_birthday_idx" ON "CustomerProfile"("shop", "birthday");

-- CreateIndex
CREATE UNIQUE INDEX "CustomerProfile_shop_customerGid_key" ON "CustomerProfile"("shop", "customerGid");

-- CreateIndex
CREATE UNIQUE INDEX "ReferralCode_shop_customerGid_key" ON "ReferralCode"("shop", "customerGid");

-- CreateIndex
CREATE UNIQUE INDEX "ReferralCode_shop_code_key" ON "ReferralCode"("shop", "code");

-- CreateIndex
CREATE INDEX "Referral_shop_advocateGid_idx" ON "Referral"("shop", "advocateGid");

-- CreateIndex
CREATE INDEX "Referral_shop_status_rewardAt_idx" ON "Referral"("shop", "status", "rewardAt");

-- CreateIndex
CREATE UNIQUE INDEX "Referral_shop_friendOrderGid_key" ON "Referral"("shop", "friendOrderGid");
