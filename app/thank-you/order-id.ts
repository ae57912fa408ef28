// The order id an extension sends: the thank-you page knows an OrderIdentity GID, the order status page an Order
// GID; both carry the order's numeric id. Ids above 2^53 stay strings. Pure.
const ORDER_ID = /^(?:gid:\/\/shopify\/(?:Order|OrderIdentity)\/)?(\d{1,20})$/;

/** gid://shopify/OrderIdentity/123, gid://shopify/Order/123 or "123" → gid://shopify/Order/123; else null. */
export function orderGidFrom(input: unknown): string | null {
  if (typeof input !== "string") return null;
  const match = ORDER_ID.exec(input.trim());
  if (!match || /^0+$/.test(match[1]!)) return null;
  return `gid://shopify/Order/${match[1]}`;
}

const CUSTOMER_GID = /^gid:\/\/shopify\/Customer\/\d{1,20}$/;

/** The customer a session token speaks for: its `sub` when that is a Customer GID (guests have none). */
export function customerGidFrom(sub: unknown): string | null {
  return typeof sub === "string" && CUSTOMER_GID.test(sub) ? sub : null;
}
