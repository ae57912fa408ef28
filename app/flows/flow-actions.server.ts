// The flows domain's own actions: tags on Shopify customers and orders (no domain of ours owns tags; the Admin API
// client is infrastructure) and a notification for the merchant. Registered by app/app.server.ts.
import { TAGS_ADD, TAGS_REMOVE } from "~/shopify/admin-api/operations/customers";
import { recordRefusedWrites } from "~/shopify/admin-api/refused-writes.server";
import { adminClientFor } from "~/shopify/admin-api/shop-client.server";
import { assertNoUserErrors } from "~/shopify/admin-api/user-errors";
import { notifyMerchant } from "./action-helpers.server";
import { skipped, stepParams, type ActionExecutor, type ActionExecutors } from "./executors.server";

function tagExecutor(change: "add" | "remove", on: "customer" | "order"): ActionExecutor {
  return async (input) => {
    const id = on === "customer" ? input.ctx.customer?.gid : input.ctx.order?.gid;
    if (!id) return skipped(`no ${on}`);
    const { tags } = stepParams<{ tags: string[] }>(input);
    const client = await adminClientFor(input.shop);
    const payload =
      change === "add"
        ? (await client.request(TAGS_ADD, { id, tags }, { idempotent: true })).tagsAdd
        : (await client.request(TAGS_REMOVE, { id, tags }, { idempotent: true })).tagsRemove;
    // The merchant deleted the customer or order meanwhile: retrying cannot help; recorded for the Activity page.
    const errors = payload?.userErrors ?? [];
    if (errors.length > 0 && errors.every((e) => e.field?.join(".") === "id")) {
      await recordRefusedWrites(input.shop, "flows.tags", [{ ownerGid: id, error: errors[0]! }]);
      return skipped(`the ${on} no longer exists in Shopify`);
    }
    assertNoUserErrors(payload, { shop: input.shop, operationName: change === "add" ? "TagsAdd" : "TagsRemove" });
    return { status: "done", result: { id, tags } };
  };
}

export const flowsFlowActions: ActionExecutors = {
  add_customer_tags: tagExecutor("add", "customer"),
  remove_customer_tags: tagExecutor("remove", "customer"),
  add_order_tags: tagExecutor("add", "order"),
  notify_merchant: async (input) => {
    const { message, severity } = stepParams<{ message: string; severity: "info" | "warning" }>(input);
    await notifyMerchant(input, severity, message, input.key);
    return { status: "done" };
  },
};
