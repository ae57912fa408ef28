// The Sandbox shop page's order list: the latest orders as the sandbox's Shopify (the Admin API emulator)
// answers them over the Admin API, each with the actions that make sense for its state and its time in the
// shop's zone. Sandbox only.
import type { SandboxRecentOrdersQuery, SandboxRecentOrdersQueryVariables } from "~/shopify/admin-api/graphql-types/admin.generated";
import type { AdminOperation } from "~/shopify/admin-api/client.server";
import { adminClientFor } from "~/shopify/admin-api/shop-client.server";
import { formatMoney } from "~/lib/money-format";
import { toMinorUnits } from "~/lib/money";
import { formatShopTime } from "~/lib/time/format";
import { actionsFor, type SandboxOrderAction } from "./order-actions";
import { requireSandbox } from "./sandbox.server";

type RecentOrdersData = SandboxRecentOrdersQuery;

export const SANDBOX_RECENT_ORDERS = `#graphql
  query SandboxRecentOrders($first: Int!) {
    orders(first: $first, sortKey: CREATED_AT, reverse: true) {
      nodes {
        id
        name
        createdAt
        cancelledAt
        email
        displayFinancialStatus
        displayFulfillmentStatus
        customer {
          displayName
        }
        totalPriceSet {
          shopMoney {
            amount
            currencyCode
          }
        }
        fulfillments(first: 10) {
          displayStatus
        }
      }
    }
  }
` as AdminOperation<SandboxRecentOrdersQuery, SandboxRecentOrdersQueryVariables>;

export interface SandboxOrderRow {
  /** Numeric id as a string (above 2^53 in real shops). */
  id: string;
  name: string;
  customer: string;
  /** As Shopify's Decimal says it ("34.9"). */
  total: string;
  currency: string;
  /** For the merchant: "€34.90". */
  totalText: string;
  financialStatus: string;
  fulfillmentStatus: string;
  cancelled: boolean;
  createdAt: string;
  /** createdAt in the shop's time zone. */
  created: string;
  actions: SandboxOrderAction[];
}

export type RecentOrders = { ok: true; orders: SandboxOrderRow[] } | { ok: false; error: string };

const words = (status: string | null) => (status ? status.toLowerCase().replace(/_/g, " ") : "—");

export async function recentSandboxOrders(shop: string, timeZone: string, first = 10): Promise<RecentOrders> {
  requireSandbox();
  let data: RecentOrdersData;
  try {
    // One quick attempt: a page that waits through retries for a stopped emulator helps nobody.
    const client = await adminClientFor(shop, { maxAttempts: 1, timeoutMs: 5000 });
    data = await client.request(SANDBOX_RECENT_ORDERS, { first });
  } catch (error) {
    return { ok: false, error: `The sandbox's Shopify did not answer with the orders: ${(error as Error).message}` };
  }
  return {
    ok: true,
    orders: data.orders.nodes.map((o) => {
      const undelivered = o.fulfillments.filter((f) => f.displayStatus !== "DELIVERED" && f.displayStatus !== "CANCELED").length;
      return {
        id: o.id.slice(o.id.lastIndexOf("/") + 1),
        name: o.name,
        customer: o.customer?.displayName ?? o.email ?? "Guest",
        total: o.totalPriceSet.shopMoney.amount,
        currency: o.totalPriceSet.shopMoney.currencyCode,
        totalText: formatMoney(toMinorUnits(o.totalPriceSet.shopMoney.amount, o.totalPriceSet.shopMoney.currencyCode), o.totalPriceSet.shopMoney.currencyCode),
        financialStatus: words(o.displayFinancialStatus ?? null),
        fulfillmentStatus: words(undelivered === 0 && o.fulfillments.length > 0 ? "delivered" : o.displayFulfillmentStatus),
        cancelled: o.cancelledAt !== null,
        createdAt: o.createdAt,
        created: formatShopTime(o.createdAt, timeZone),
        actions: actionsFor({
          cancelled: o.cancelledAt !== null,
          financialStatus: o.displayFinancialStatus ?? null,
          fulfillmentStatus: o.displayFulfillmentStatus,
          undeliveredFulfillments: undelivered,
        }),
      };
    }),
  };
}
