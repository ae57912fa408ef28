// Customer and order tags. Shopify treats tags case-insensitively and splits them on commas, hence the rules.
import { z } from "zod";
import { type FlowActionSpec } from "../action-registry";

const tag = z
  .string({ required_error: "Enter a tag", invalid_type_error: "Enter a tag" })
  .trim()
  .min(1, "Enter a tag")
  .max(40, "Keep each tag to 40 characters or fewer")
  .refine((value) => !value.includes(","), "Tags can't contain commas");

export const tagParams = z.object({
  tags: z
    .array(tag, { required_error: "Add at least one tag", invalid_type_error: "Add at least one tag" })
    .min(1, "Add at least one tag")
    .max(20, "Use at most 20 tags")
    .transform((tags) => tags.filter((value, index) => tags.findIndex((other) => sameTag(other, value)) === index)),
});
export type TagParams = z.infer<typeof tagParams>;

export function sameTag(a: string, b: string): boolean {
  return a.trim().toLowerCase() === b.trim().toLowerCase();
}

const hasTag = (tags: readonly string[], wanted: string) => tags.some((existing) => sameTag(existing, wanted));
const named = (tags: readonly string[]) => `${tags.length === 1 ? "tag" : "tags"} ${tags.join(", ")}`;

export const addCustomerTags: FlowActionSpec<TagParams> = {
  type: "add_customer_tags",
  label: "Add customer tags",
  params: tagParams,
  requires: ["customer"],
  plan(params, ctx) {
    const missing = params.tags.filter((wanted) => !hasTag(ctx.customer?.tags ?? [], wanted));
    const summary = `Tag the customer ${params.tags.join(", ")}`;
    return missing.length === 0 ? { summary, skip: `customer already has ${named(params.tags)}` } : { summary, details: { tags: missing } };
  },
};

export const removeCustomerTags: FlowActionSpec<TagParams> = {
  type: "remove_customer_tags",
  label: "Remove customer tags",
  params: tagParams,
  requires: ["customer"],
  plan(params, ctx) {
    const present = params.tags.filter((wanted) => hasTag(ctx.customer?.tags ?? [], wanted));
    const summary = `Remove ${named(params.tags)} from the customer`;
    return present.length === 0 ? { summary, skip: `customer has none of these tags` } : { summary, details: { tags: present } };
  },
};

export const addOrderTags: FlowActionSpec<TagParams> = {
  type: "add_order_tags",
  label: "Add order tags",
  params: tagParams,
  requires: ["order"],
  plan(params, ctx) {
    const missing = params.tags.filter((wanted) => !hasTag(ctx.order?.tags ?? [], wanted));
    const summary = `Tag order ${ctx.order?.name ?? ""} with ${params.tags.join(", ")}`;
    return missing.length === 0 ? { summary, skip: `order already has ${named(params.tags)}` } : { summary, details: { tags: missing } };
  },
};
