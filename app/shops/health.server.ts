import { databaseProvider, prisma } from "~/db/db.server";

export async function checkHealth(): Promise<{ ok: boolean; database: string; error?: string }> {
  try {
    await prisma.$queryRawUnsafe("SELECT 1");
    return { ok: true, database: databaseProvider() };
  } catch (error) {
    return { ok: false, database: databaseProvider(), error: (error as Error).message };
  }
}
