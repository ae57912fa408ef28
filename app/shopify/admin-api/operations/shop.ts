import type { ShopInfoQuery, ShopInfoQueryVariables } from "~/shopify/admin-api/graphql-types/admin.generated";
import type { AdminOperation } from "~/shopify/admin-api/types";

export type ShopInfo = ShopInfoQuery;

export const SHOP_INFO_QUERY = `#graphql
  query ShopInfo {
    shop {
      name
      currencyCode
      ianaTimezone
      myshopifyDomain
    }
  }
` as AdminOperation<ShopInfoQuery, ShopInfoQueryVariables>;
