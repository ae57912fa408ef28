/**
 * `npm run sandbox:thank-you [orderId]`: the shopper's block for the running sandbox (`npm run sandbox`). Builds the
 * extension with the Shopify CLI, places an order in the sandbox shop (or takes the order id given), and serves
 * the block in a local stand-in of the thank-you and order status pages until Ctrl-C. Answer the survey, copy the
 * referral code, give a birthday — against the sandbox's real backend.
 */
import { SANDBOX_API_KEY, SANDBOX_API_SECRET, SANDBOX_SHOP } from "../../../app/sandbox/constants";
import { startExtensionHarness } from "../../e2e/extension-harness";
import { buildExtension } from "../extension/build";
import { fetchSandbox, findRunningSandbox, NOT_RUNNING, SandboxNotRunningError } from "./running";

let sandbox: ReturnType<typeof findRunningSandbox>;
try {
  sandbox = findRunningSandbox();
} catch (error) {
  if (!(error instanceof SandboxNotRunningError)) throw error;
  console.error(NOT_RUNNING);
  process.exit(1);
}
const { appUrl, shopifyOrigin: emulator } = sandbox;

type Order = { id: string; name: string; customer_admin_graphql_api_id: string | null };

async function orderToShow(): Promise<Order> {
  const given = process.argv[2];
  if (given) {
    const state = (await (await fetchSandbox(`${emulator}/_emulator/state`)).json()) as {
      orders: Array<{ id: string; name: string; customerId: string | null }>;
    };
    const order = state.orders.find((o) => o.id === given || o.name === given || o.name === `#${given}`);
    if (!order) throw new Error(`the sandbox shop has no order ${given}`);
    return { id: order.id, name: order.name, customer_admin_graphql_api_id: order.customerId ? `gid://shopify/Customer/${order.customerId}` : null };
  }
  const response = await fetchSandbox(`${emulator}/_emulator/orders`, {
    method: "POST",
    headers: { "Content-Type": "application/json" },
    body: JSON.stringify({ email: `shopper-${Date.now()}@example.com`, customer: { first_name: "Maja" }, total_price: "45.00" }),
  });
  if (!response.ok) throw new Error(`the sandbox shop at ${emulator} answered ${response.status}; is \`npm run sandbox\` running?`);
  return (await response.json()) as Order;
}

const build = buildExtension();
console.log(`extension built (${build.cliLine})`);
const order = await orderToShow();
const harness = await startExtensionHarness({
  bundle: build.bundle,
  appUrl,
  shop: SANDBOX_SHOP,
  apiKey: SANDBOX_API_KEY,
  apiSecret: SANDBOX_API_SECRET,
  port: Number(process.env.SANDBOX_THANK_YOU_PORT || 3002),
});
const customer = order.customer_admin_graphql_api_id;
console.log(`\n  Order ${order.name} (${customer ? "customer" : "guest"}):\n`);
console.log(
  `  Thank-you page:     ${harness.url({ target: "thank-you", language: "en", orderId: `gid://shopify/OrderIdentity/${order.id}`, customer, firstName: "Maja" })}`,
);
console.log(
  `  Order status (sl):  ${harness.url({ target: "order-status", language: "sl", orderId: `gid://shopify/Order/${order.id}`, customer, firstName: "Maja" })}`,
);
// A guest token sees only guest orders (an order with a customer is theirs alone).
if (!customer)
  console.log(
    `  As a guest (de):    ${harness.url({ target: "thank-you", language: "de", orderId: `gid://shopify/OrderIdentity/${order.id}`, customer: null })}`,
  );
console.log("\n  Languages: change lang= to en, sl, tr, de, fr or es. Ctrl-C stops.\n");
process.on("SIGINT", () => void harness.close().then(() => process.exit(0)));
