// On SQLite's single connection, a write made outside a transaction while another caller's transaction is
// open must not become part of that transaction (and vanish with its rollback).
import "../../support/app-env";
import { describe, expect, it } from "vitest";
import { prisma } from "~/db/db.server";
import { ConnectionLock } from "~/db/sqlite-serial-adapter.server";

const mail = (key: string) => ({ shop: "serial.myshopify.com", key, to: "a@example.com", template: "thank-you", subject: "s", text: "t" });

describe("SQLite connection serialisation", () => {
  it("GIVEN a transaction that rolls back WHEN another caller writes meanwhile THEN the other write survives", async () => {
    const rolledBack = prisma
      .$transaction(async (tx) => {
        await tx.mailMessage.create({ data: mail("inside") });
        await new Promise((resolve) => setTimeout(resolve, 50));
        throw new Error("conflict");
      })
      .catch((error: Error) => error.message);
    await new Promise((resolve) => setTimeout(resolve, 10));
    await prisma.mailMessage.create({ data: mail("outside") });
    expect(await rolledBack).toBe("conflict");
    const keys = (await prisma.mailMessage.findMany({ where: { shop: "serial.myshopify.com" }, select: { key: true } })).map((m) => m.key);
    expect(keys).toEqual(["outside"]);
  });

  it("GIVEN queries inside a transaction THEN they do not wait for the lock the transaction holds", async () => {
    const count = await prisma.$transaction(async (tx) => {
      await tx.mailMessage.create({ data: mail("t1") });
      await tx.mailMessage.create({ data: mail("t2") });
      return tx.mailMessage.count({ where: { shop: "serial.myshopify.com", key: { in: ["t1", "t2"] } } });
    });
    expect(count).toBe(2);
  });

  it("the lock hands over in arrival order", async () => {
    const lock = new ConnectionLock();
    const order: number[] = [];
    await Promise.all(
      [3, 1, 2].map((ms, i) =>
        lock.run(async () => {
          await new Promise((resolve) => setTimeout(resolve, ms));
          order.push(i);
        }),
      ),
    );
    expect(order).toEqual([0, 1, 2]);
  });
});
