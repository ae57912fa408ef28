-- AlterTable
ALTER TABLE "WebhookEvent" ADD COLUMN "note" TEXT;
