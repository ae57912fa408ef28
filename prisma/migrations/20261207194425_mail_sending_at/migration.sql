-- AlterTable
ALTER TABLE "MailMessage" ADD COLUMN "sendingAt" DATETIME;
