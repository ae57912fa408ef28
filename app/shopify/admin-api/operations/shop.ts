import type { AdminOperation } from "~/shopify/admin-api/types";

export interface ShopInfo {
  shop: { name: string; currencyCode: string; ianaTimezone: string; myshopifyDomain: string };
}

export const SHOP_INFO_QUERY = `#graphql
  query ShopInfo {
    shop {
      name
      currencyCode
      ianaTimezone
      myshopifyDomain
    }
  }
` as AdminOperation<ShopInfo, Record<string, never>>;
