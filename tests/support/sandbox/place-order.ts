/** `npm run sandbox:order [count]`: places sample orders in the running sandbox shop (see README). */
export {};
const origin = process.env.SANDBOX_SHOPIFY_ORIGIN || `http://127.0.0.1:${process.env.SANDBOX_SHOPIFY_PORT || 3001}`;
const count = Number(process.argv[2] || 1);

for (let i = 0; i < count; i++) {
  const response = await fetch(`${origin}/_emulator/orders`, {
    method: "POST",
    headers: { "Content-Type": "application/json" },
    body: JSON.stringify({ email: `sample-${Date.now()}-${i}@example.com`, customer_locale: ["en", "sl", "tr"][i % 3] }),
  });
  if (!response.ok) {
    console.error(`The sandbox shop at ${origin} answered ${response.status}: ${await response.text()}`);
    process.exit(1);
  }
  const order = (await response.json()) as { name: string; total_price: string; currency: string };
  console.log(`placed ${order.name}: ${order.total_price} ${order.currency}`);
}
