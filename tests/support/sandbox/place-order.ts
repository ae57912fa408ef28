/** `npm run sandbox:order [count]`: places sample orders in the running sandbox shop (see README). */
import { fetchSandbox, findRunningSandbox, runHelper } from "./running";

await runHelper(async () => {
  const { shopifyOrigin } = findRunningSandbox();
  const count = Number(process.argv[2] || 1);
  for (let i = 0; i < count; i++) {
    const response = await fetchSandbox(`${shopifyOrigin}/_emulator/orders`, {
      method: "POST",
      headers: { "Content-Type": "application/json" },
      body: JSON.stringify({ email: `sample-${Date.now()}-${i}@example.com`, customer_locale: ["en", "sl", "tr"][i % 3] }),
    });
    if (!response.ok) {
      console.error(`The sandbox shop at ${shopifyOrigin} answered ${response.status}: ${await response.text()}`);
      process.exit(1);
    }
    const order = (await response.json()) as { name: string; total_price: string; currency: string };
    console.log(`placed ${order.name}: ${order.total_price} ${order.currency}`);
  }
});
