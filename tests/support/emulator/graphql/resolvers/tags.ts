import { nowIso } from "../../store.js";
import type { ResolverContext, ResolverMap } from "../context.js";
import { findNode, gidOf, normalizeTags, sortTags, requireGid } from "./common.js";

// tagsAdd / tagsRemove on customers, orders and products. Each change also counts as an update of the
// record (updatedAt moves, and Shopify sends customers/update or orders/updated for it).

const TAGGABLE = new Set(["Customer", "Order", "Product"]);
const MAX_TAG_LENGTH = 255;
const MAX_TAGS = 250;

function change(mode: "add" | "remove") {
  return (_s: unknown, args: { id: string; tags: string[] }, ctx: ResolverContext) => {
    requireGid(args.id);
    const node = findNode(ctx.state, args.id) as { __typename: "Customer" | "Order" | "Product"; id: string; tags: string[]; updatedAt: string } | null;
    if (!node || !TAGGABLE.has(node.__typename)) {
      return { node: null, userErrors: [{ field: ["id"], message: "Resource not found" }] };
    }
    const tags = normalizeTags(args.tags);
    const tooLong = tags.find((t) => t.length > MAX_TAG_LENGTH);
    if (tooLong)
      return {
        node: null,
        userErrors: [{ field: ["tags"], message: `Tags is invalid: ${tooLong.slice(0, 20)}… is too long (maximum is ${MAX_TAG_LENGTH} characters)` }],
      };
    const lower = new Set(node.tags.map((t) => t.toLowerCase()));
    let next: string[];
    if (mode === "add") {
      next = [...node.tags];
      for (const t of tags) {
        if (!lower.has(t.toLowerCase())) {
          next.push(t);
          lower.add(t.toLowerCase());
        }
      }
      if (next.length > MAX_TAGS) return { node: null, userErrors: [{ field: ["tags"], message: `Tags cannot exceed ${MAX_TAGS}` }] };
    } else {
      const drop = new Set(tags.map((t) => t.toLowerCase()));
      next = node.tags.filter((t) => !drop.has(t.toLowerCase()));
    }
    const changed = next.length !== node.tags.length;
    node.tags = sortTags(next);
    if (changed) {
      node.updatedAt = nowIso();
      ctx.hooks.recordUpdated(ctx.state, node.__typename, node.id);
    }
    return { node: { ...node, __typename: node.__typename, id: node.id, gid: gidOf(node) }, userErrors: [] };
  };
}

export const tagResolvers: ResolverMap = {
  "Mutation.tagsAdd": change("add"),
  "Mutation.tagsRemove": change("remove"),
};
