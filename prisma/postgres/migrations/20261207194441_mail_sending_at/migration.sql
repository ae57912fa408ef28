-- AlterTable
ALTER TABLE "MailMessage" ADD COLUMN     "sendingAt" TIMESTAMP(3);
