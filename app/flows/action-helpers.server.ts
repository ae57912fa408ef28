// Small effects several domains' flow actions share: a notification on the merchant's dashboard, the shop's name.
import { prisma } from "~/db/db.server";
import type { ActionInput } from "./executors.server";

/** A notification for the merchant, once per key, naming the order or customer the run is about. */
export async function notifyMerchant(input: ActionInput, severity: string, message: string, key: string): Promise<void> {
  const who = input.ctx.customer?.email ?? input.ctx.customer?.gid;
  const about = input.ctx.order ? ` — order ${input.ctx.order.name}` : who ? ` — ${who}` : "";
  await prisma.merchantNotification.upsert({
    where: { shop_key: { shop: input.shop, key } },
    create: {
      shop: input.shop,
      key,
      severity,
      message: `${message}${about}`.slice(0, 1000),
      subjectGid: input.ctx.order?.gid ?? input.ctx.customer?.gid ?? null,
    },
    update: {},
  });
}

/** The shop's name as mails show it (its domain until Shopify told us the name). */
export async function shopNameOf(shop: string): Promise<string> {
  const row = await prisma.shop.findUnique({ where: { domain: shop }, select: { name: true } });
  return row?.name ?? shop;
}
