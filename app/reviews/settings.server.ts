// The shop's review settings (ReviewSettings row; defaults when there is none).
import { prisma } from "~/db/db.server";
import { reviewSettingsFromRow, type ReviewSettingsView } from "./settings";

export async function getReviewSettings(shop: string): Promise<ReviewSettingsView> {
  return reviewSettingsFromRow(await prisma.reviewSettings.findUnique({ where: { shop } }));
}

export async function saveReviewSettings(shop: string, settings: ReviewSettingsView): Promise<ReviewSettingsView> {
  const data = {
    maxProducts: settings.maxProducts,
    reminders: settings.reminders,
    reminderDays: settings.reminderDays,
    autoPublishMinRating: settings.autoPublishMinRating,
    incentive: JSON.stringify(settings.incentive),
    texts: JSON.stringify(settings.texts),
  };
  const row = await prisma.reviewSettings.upsert({ where: { shop }, create: { shop, ...data }, update: data });
  return reviewSettingsFromRow(row);
}
