-- AlterTable
ALTER TABLE "SurveyAnswer" ADD COLUMN "comment" TEXT;
