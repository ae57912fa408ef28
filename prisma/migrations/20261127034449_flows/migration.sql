-- AlterTable
ALTER TABLE "DomainEvent" ADD COLUMN "flowsAt" DATETIME;

-- CreateTable
CREATE TABLE "Flow" (
    "id" TEXT NOT NULL PRIMARY KEY,
    "shop" TEXT NOT NULL,
    "name" TEXT NOT NULL,
    "templateId" TEXT,
    "installKey" TEXT,
    "enabled" BOOLEAN NOT NULL DEFAULT false,
    "version" INTEGER NOT NULL DEFAULT 1,
    "definition" TEXT NOT NULL,
    "triggerType" TEXT NOT NULL,
    "createdAt" DATETIME NOT NULL DEFAULT CURRENT_TIMESTAMP,
    "updatedAt" DATETIME NOT NULL
);

-- CreateTable
CREATE TABLE "FlowVersion" (
    "id" TEXT NOT NULL PRIMARY KEY,
    "shop" TEXT NOT NULL,
    "flowId" TEXT NOT NULL,
    "version" INTEGER NOT NULL,
    "definition" TEXT NOT NULL,
    "createdAt" DATETIME NOT NULL DEFAULT CURRENT_TIMESTAMP
);

-- CreateTable
CREATE TABLE "FlowRun" (
    "id" TEXT NOT NULL PRIMARY KEY,
    "shop" TEXT NOT NULL,
    "flowId" TEXT NOT NULL,
    "flowVersion" INTEGER NOT NULL,
    "eventKey" TEXT NOT NULL,
    "eventKind" TEXT NOT NULL,
    "subjectGid" TEXT NOT NULL,
    "status" TEXT NOT NULL DEFAULT 'running',
    "reason" TEXT,
    "nextStep" INTEGER NOT NULL DEFAULT 0,
    "trace" TEXT NOT NULL DEFAULT '[]',
    "createdAt" DATETIME NOT NULL DEFAULT CURRENT_TIMESTAMP,
    "updatedAt" DATETIME NOT NULL,
    "finishedAt" DATETIME
);

-- CreateTable
CREATE TABLE "ActionRun" (
    "id" TEXT NOT NULL PRIMARY KEY,
    "shop" TEXT NOT NULL,
    "runId" TEXT NOT NULL,
    "stepIndex" INTEGER NOT NULL,
    "type" TEXT NOT NULL,
    "status" TEXT NOT NULL,
    "summary" TEXT NOT NULL,
    "result" TEXT,
    "error" TEXT,
    "attempts" INTEGER NOT NULL DEFAULT 1,
    "createdAt" DATETIME NOT NULL DEFAULT CURRENT_TIMESTAMP,
    "updatedAt" DATETIME NOT NULL,
    "finishedAt" DATETIME
);

-- CreateTable
CREATE TABLE "LoyaltyEntry" (
    "id" TEXT NOT NULL PRIMARY KEY,
    "shop" TEXT NOT NULL,
    "customerGid" TEXT NOT NULL,
    "key" TEXT NOT NULL,
    "kind" TEXT NOT NULL,
    "status" TEXT NOT NULL DEFAULT 'approved',
    "points" INTEGER NOT NULL,
    "orderGid" TEXT,
    "reason" TEXT,
    "staff" TEXT,
    "availableAt" DATETIME,
    "createdAt" DATETIME NOT NULL DEFAULT CURRENT_TIMESTAMP
);

-- CreateTable
CREATE TABLE "LoyaltyAccount" (
    "id" TEXT NOT NULL PRIMARY KEY,
    "shop" TEXT NOT NULL,
    "customerGid" TEXT NOT NULL,
    "email" TEXT,
    "points" INTEGER NOT NULL DEFAULT 0,
    "pending" INTEGER NOT NULL DEFAULT 0,
    "tier" TEXT,
    "version" INTEGER NOT NULL DEFAULT 1,
    "updatedAt" DATETIME NOT NULL,
    "createdAt" DATETIME NOT NULL DEFAULT CURRENT_TIMESTAMP
);

-- CreateTable
CREATE TABLE "ReviewRequest" (
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
    "createdAt" DATETIME NOT NULL DEFAULT CURRENT_TIMESTAMP,
    "updatedAt" DATETIME NOT NULL
);

-- CreateTable
CREATE TABLE "ThankYouContent" (
    "id" TEXT NOT NULL PRIMARY KEY,
    "shop" TEXT NOT NULL,
    "orderGid" TEXT NOT NULL,
    "blocks" TEXT NOT NULL,
    "createdAt" DATETIME NOT NULL DEFAULT CURRENT_TIMESTAMP,
    "updatedAt" DATETIME NOT NULL
);

-- CreateTable
CREATE TABLE "MerchantNotification" (
    "id" TEXT NOT NULL PRIMARY KEY,
    "shop" TEXT NOT NULL,
    "key" TEXT NOT NULL,
    "severity" TEXT NOT NULL DEFAULT 'info',
    "message" TEXT NOT NULL,
    "subjectGid" TEXT,
    "readAt" DATETIME,
    "createdAt" DATETIME NOT NULL DEFAULT CURRENT_TIMESTAMP
);

-- CreateTable
CREATE TABLE "RewardCode" (
    "id" TEXT NOT NULL PRIMARY KEY,
    "shop" TEXT NOT NULL,
    "key" TEXT NOT NULL,
    "customerGid" TEXT NOT NULL,
    "email" TEXT,
    "locale" TEXT,
    "firstName" TEXT,
    "code" TEXT NOT NULL,
    "title" TEXT NOT NULL,
    "kind" TEXT NOT NULL,
    "value" TEXT NOT NULL,
    "currency" TEXT,
    "minimumOrder" TEXT,
    "endsAt" DATETIME,
    "status" TEXT NOT NULL DEFAULT 'creating',
    "discountGid" TEXT,
    "emailCustomer" BOOLEAN NOT NULL DEFAULT false,
    "error" TEXT,
    "createdAt" DATETIME NOT NULL DEFAULT CURRENT_TIMESTAMP,
    "updatedAt" DATETIME NOT NULL
);

-- CreateTable
CREATE TABLE "MailMessage" (
    "id" TEXT NOT NULL PRIMARY KEY,
    "shop" TEXT NOT NULL,
    "key" TEXT NOT NULL,
    "to" TEXT NOT NULL,
    "locale" TEXT,
    "template" TEXT NOT NULL,
    "subject" TEXT NOT NULL,
    "text" TEXT NOT NULL,
    "html" TEXT,
    "status" TEXT NOT NULL DEFAULT 'queued',
    "error" TEXT,
    "sentAt" DATETIME,
    "createdAt" DATETIME NOT NULL DEFAULT CURRENT_TIMESTAMP
);

-- CreateTable
CREATE TABLE "ClockOffset" (
    "id" TEXT NOT NULL PRIMARY KEY,
    "offsetSeconds" INTEGER NOT NULL DEFAULT 0,
    "updatedAt" DATETIME NOT NULL
);

-- CreateIndex
CREATE INDEX "Flow_shop_triggerType_enabled_idx" ON "Flow"("shop", "triggerType", "enabled");

-- CreateIndex
CREATE UNIQUE INDEX "Flow_shop_installKey_key" ON "Flow"("shop", "installKey");

-- CreateIndex
CREATE INDEX "FlowVersion_shop_idx" ON "FlowVersion"("shop");

-- CreateIndex
CREATE UNIQUE INDEX "FlowVersion_flowId_version_key" ON "FlowVersion"("flowId", "version");

-- CreateIndex
CREATE INDEX "FlowRun_shop_flowId_createdAt_idx" ON "FlowRun"("shop", "flowId", "createdAt");

-- CreateIndex
CREATE INDEX "FlowRun_shop_createdAt_idx" ON "FlowRun"("shop", "createdAt");

-- CreateIndex
CREATE UNIQUE INDEX "FlowRun_shop_flowId_eventKey_key" ON "FlowRun"("shop", "flowId", "eventKey");

-- CreateIndex
CREATE INDEX "ActionRun_shop_createdAt_idx" ON "ActionRun"("shop", "createdAt");

-- CreateIndex
CREATE UNIQUE INDEX "ActionRun_runId_stepIndex_key" ON "ActionRun"("runId", "stepIndex");

-- CreateIndex
CREATE INDEX "LoyaltyEntry_shop_customerGid_createdAt_idx" ON "LoyaltyEntry"("shop", "customerGid", "createdAt");

-- CreateIndex
CREATE INDEX "LoyaltyEntry_shop_orderGid_idx" ON "LoyaltyEntry"("shop", "orderGid");

-- CreateIndex
CREATE UNIQUE INDEX "LoyaltyEntry_shop_key_key" ON "LoyaltyEntry"("shop", "key");

-- CreateIndex
CREATE UNIQUE INDEX "LoyaltyAccount_shop_customerGid_key" ON "LoyaltyAccount"("shop", "customerGid");

-- CreateIndex
CREATE INDEX "ReviewRequest_shop_status_sendAt_idx" ON "ReviewRequest"("shop", "status", "sendAt");

-- CreateIndex
CREATE UNIQUE INDEX "ReviewRequest_shop_orderGid_key" ON "ReviewRequest"("shop", "orderGid");

-- CreateIndex
CREATE UNIQUE INDEX "ThankYouContent_shop_orderGid_key" ON "ThankYouContent"("shop", "orderGid");

-- CreateIndex
CREATE INDEX "MerchantNotification_shop_createdAt_idx" ON "MerchantNotification"("shop", "createdAt");

-- CreateIndex
CREATE UNIQUE INDEX "MerchantNotification_shop_key_key" ON "MerchantNotification"("shop", "key");

-- CreateIndex
CREATE INDEX "RewardCode_shop_status_idx" ON "RewardCode"("shop", "status");

-- CreateIndex
CREATE UNIQUE INDEX "RewardCode_shop_key_key" ON "RewardCode"("shop", "key");

-- CreateIndex
CREATE UNIQUE INDEX "RewardCode_shop_code_key" ON "RewardCode"("shop", "code");

-- CreateIndex
CREATE INDEX "MailMessage_shop_createdAt_idx" ON "MailMessage"("shop", "createdAt");

-- CreateIndex
CREATE UNIQUE INDEX "MailMessage_shop_key_key" ON "MailMessage"("shop", "key");

-- CreateIndex
CREATE INDEX "DomainEvent_shop_flowsAt_idx" ON "DomainEvent"("shop", "flowsAt");
