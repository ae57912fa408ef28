// The loyalty program is kept per process for a few seconds (program.server.ts): a save is seen at once by the
// process that saved, another process's save within the TTL, and a caller cannot change what the cache holds.
import "../support/app-env";
import { afterEach, describe, expect, it, vi } from "vitest";
import { prisma } from "~/db/db.server";
import { loadProgram, saveProgram } from "~/loyalty/program.server";

const SHOP = "program-cache.myshopify.com";

afterEach(() => vi.restoreAllMocks());

describe("the loyalty program cache", () => {
  it("GIVEN a program read once THEN the next reads within the TTL send no query; a save here is seen at once", async () => {
    const reads = vi.spyOn(prisma.loyaltyProgram, "findUnique");
    expect((await loadProgram(SHOP)).enabled).toBe(false);
    expect((await loadProgram(SHOP)).enabled).toBe(false);
    expect(reads).toHaveBeenCalledTimes(1);

    await saveProgram(SHOP, { enabled: true, pointsPerUnit: "2" });
    const after = await loadProgram(SHOP);
    expect([after.enabled, after.pointsPerUnit]).toEqual([true, "2"]);
  });

  it("GIVEN another process changes the program THEN this one reads it once the TTL (5 s) has passed", async () => {
    await saveProgram(SHOP, { enabled: true, signupPoints: 10 });
    expect((await loadProgram(SHOP)).signupPoints).toBe(10);
    // Another process's save: the row changes behind this process's back.
    await prisma.loyaltyProgram.update({ where: { shop: SHOP }, data: { signupPoints: 25 } });
    expect((await loadProgram(SHOP)).signupPoints).toBe(10);
    const later = Date.now() + 5_001;
    vi.spyOn(Date, "now").mockReturnValue(later);
    expect((await loadProgram(SHOP)).signupPoints).toBe(25);
  });

  it("GIVEN a caller changes the settings it was given THEN the next read is unchanged", async () => {
    await saveProgram(SHOP, {
      excludedProductGids: ["gid://shopify/Product/1"],
      multipliers: [{ on: "product", gid: "gid://shopify/Product/2", factor: "2" }],
    });
    const first = await loadProgram(SHOP);
    (first.excludedProductGids as string[]).push("gid://shopify/Product/3");
    (first.multipliers[0] as { factor: string }).factor = "9";
    first.enabled = false;
    const second = await loadProgram(SHOP);
    expect([second.excludedProductGids, second.multipliers[0]?.factor, second.enabled]).toEqual([["gid://shopify/Product/1"], "2", true]);
  });
});
