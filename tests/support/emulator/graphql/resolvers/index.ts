import type { ResolverMap } from "../context.js";
import { bulkResolvers } from "./bulk.js";
import { customerResolvers } from "./customers.js";
import { discountResolvers } from "./discounts.js";
import { flowResolvers } from "./flow.js";
import { metafieldResolvers } from "./metafields.js";
import { nodeResolvers } from "./node.js";
import { orderResolvers } from "./orders.js";
import { productResolvers } from "./products.js";
import { shopResolvers } from "./shop.js";
import { tagResolvers } from "./tags.js";

/** Every modelled field, keyed "Type.field". Anything else falls back to property access (see defaults.ts). */
export const resolvers: ResolverMap = {
  ...shopResolvers,
  ...customerResolvers,
  ...orderResolvers,
  ...productResolvers,
  ...metafieldResolvers,
  ...tagResolvers,
  ...discountResolvers,
  ...bulkResolvers,
  ...nodeResolvers,
  ...flowResolvers,
};
