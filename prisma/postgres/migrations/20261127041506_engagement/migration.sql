-- AlterTable
ALTER TABLE "OrderState" ADD COLUMN     "shippingCountry" TEXT,
ADD COLUMN     "shippingKey" TEXT;

-- AlterTable
ALTER TABLE "ReviewRequest" ADD COLUMN     "nextAt" TIMESTAMP(3),
ADD COLUMN     "reminders" INTEGER NOT NULL DEFAULT 0;

-- CreateTable
CREATE TABLE "Review" (
    "id" TEXT NOT NULL,
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
    "repliedAt" TIMESTAMP(3),
    "incentive" TEXT,
    "publishedAt" TIMESTAMP(3),
    "createdAt" TIMESTAMP(3) NOT NULL DEFAULT CURRENT_TIMESTAMP,
    "updatedAt" TIMESTAMP(3) NOT NULL,

    CONSTRAINT "Review_pkey" PRIMARY KEY ("id")
);

-- CreateTable
CREATE TABLE "ReviewPhoto" (
    "id" TEXT NOT NULL,
    "shop" TEXT NOT NULL,
    "reviewId" TEXT NOT NULL,
    "contentType" TEXT NOT NULL,
    "size" INTEGER NOT NULL,
    "data" BYTEA NOT NULL,
    "createdAt" TIMESTAMP(3) NOT NULL DEFAULT CURRENT_TIMESTAMP,

    CONSTRAINT "ReviewPhoto_pkey" PRIMARY KEY ("id")
);

-- CreateTable
CREATE TABLE "ReviewSettings" (
    "id" TEXT NOT NULL,
    "shop" TEXT NOT NULL,
    "maxProducts" INTEGER NOT NULL DEFAULT 3,
    "reminders" INTEGER NOT NULL DEFAULT 2,
    "reminderDays" INTEGER NOT NULL DEFAULT 7,
    "autoPublishMinRating" INTEGER,
    "incentive" TEXT NOT NULL DEFAULT '{}',
    "texts" TEXT NOT NULL DEFAULT '{}',
    "updatedAt" TIMESTAMP(3) NOT NULL,
    "createdAt" TIMESTAMP(3) NOT NULL DEFAULT CURRENT_TIMESTAMP,

    CONSTRAINT "ReviewSettings_pkey" PRIMARY KEY ("id")
);

-- CreateTable
CREATE TABLE "MailSuppression" (
    "id" TEXT NOT NULL,
    "shop" TEXT NOT NULL,
    "email" TEXT NOT NULL,
    "reason" TEXT NOT NULL DEFAULT 'unsubscribed',
    "createdAt" TIMESTAMP(3) NOT NULL DEFAULT CURRENT_TIMESTAMP,

    CONSTRAINT "MailSuppression_pkey" PRIMARY KEY ("id")
);

-- CreateTable
CREATE TABLE "SurveyAnswer" (
    "id" TEXT NOT NULL,
    "shop" TEXT NOT NULL,
    "orderGid" TEXT NOT NULL,
    "customerGid" TEXT,
    "questionId" TEXT NOT NULL,
    "kind" TEXT NOT NULL,
    "score" INTEGER,
    "answer" TEXT NOT NULL DEFAULT '',
    "createdAt" TIMESTAMP(3) NOT NULL DEFAULT CURRENT_TIMESTAMP,

    CONSTRAINT "SurveyAnswer_pkey" PRIMARY KEY ("id")
);

-- CreateTable
CREATE TABLE "CustomerProfile" (
    "id" TEXT NOT NULL,
    "shop" TEXT NOT NULL,
    "customerGid" TEXT NOT NULL,
    "birthday" TEXT,
    "createdAt" TIMESTAMP(3) NOT NULL DEFAULT CURRENT_TIMESTAMP,
    "updatedAt" TIMESTAMP(3) NOT NULL,

    CONSTRAINT "CustomerProfile_pkey" PRIMARY KEY ("id")
);

-- CreateTable
CREATE TABLE "ReferralCode" (
    "id" TEXT NOT NULL,
    "shop" TEXT NOT NULL,
    "customerGid" TEXT NOT NULL,
    "email" TEXT,
    "code" TEXT NOT NULL,
    "discountGid" TEXT,
    "usageLimit" INTEGER NOT NULL DEFAULT 20,
    "status" TEXT NOT NULL DEFAULT 'creating',
    "createdAt" TIMESTAMP(3) NOT NULL DEFAULT CURRENT_TIMESTAMP,
    "updatedAt" TIMESTAMP(3) NOT NULL,

    CONSTRAINT "ReferralCode_pkey" PRIMARY KEY ("id")
);

-- CreateTable
CREATE TABLE "Referral" (
    "id" TEXT NOT NULL,
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
    "rewardAt" TIMESTAMP(3),
    "rewardedAt" TIMESTAMP(3),
    "createdAt" TIMESTAMP(3) NOT NULL DEFAULT CURRENT_TIMESTAMP,
    "updatedAt" TIMESTAMP(3) NOT NULL,

    CONSTRAINT "Referral_pkey" PRIMARY KEY ("id")
);

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
