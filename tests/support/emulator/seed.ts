import { fulfillOrder, placeOrder, refundOrder, createCustomer, deliverOrder } from "./actions.js";
import { newNumericId } from "./ids.js";
import { nowIso, type ProductRecord, type ShopState } from "./store.js";

// The demo shop the sandbox opens on: a small Ljubljana candle shop with Slovenian, Turkish and English
// customers, a catalogue and some history (fulfilled, delivered, refunded, cancelled-free). Seeding writes
// state directly and sends no webhooks: the app sees it only by asking the Admin API.

export const SANDBOX_SHOP = {
  domain: "afterglow-sandbox.myshopify.com",
  name: "Afterglow Sandbox",
  currency: "EUR",
  timezone: "Europe/Ljubljana",
  email: "hello@afterglow-sandbox.example",
};

const daysAgo = (n: number) => new Date(Date.now() - n * 86_400_000).toISOString().replace(/\.\d{3}Z$/, "Z");

const CUSTOMERS = [
  {
    first_name: "Ana",
    last_name: "Novak",
    email: "ana.novak@example.si",
    locale: "sl",
    tags: ["vip"],
    accepts_marketing: true,
    country: "Slovenia",
    country_code: "SI",
    city: "Ljubljana",
    zip: "1000",
  },
  {
    first_name: "Luka",
    last_name: "Kovačič",
    email: "luka.kovacic@example.si",
    locale: "sl",
    tags: [],
    accepts_marketing: false,
    country: "Slovenia",
    country_code: "SI",
    city: "Maribor",
    zip: "2000",
  },
  {
    first_name: "Špela",
    last_name: "Horvat",
    email: "spela.horvat@example.si",
    locale: "sl",
    tags: ["newsletter"],
    accepts_marketing: true,
    country: "Slovenia",
    country_code: "SI",
    city: "Koper",
    zip: "6000",
  },
  {
    first_name: "Ayşe",
    last_name: "Yılmaz",
    email: "ayse.yilmaz@example.com.tr",
    locale: "tr",
    tags: [],
    accepts_marketing: true,
    country: "Turkey",
    country_code: "TR",
    city: "İstanbul",
    zip: "34000",
  },
  {
    first_name: "Mehmet",
    last_name: "Öztürk",
    email: "mehmet.ozturk@example.com.tr",
    locale: "tr",
    tags: ["wholesale"],
    accepts_marketing: false,
    country: "Turkey",
    country_code: "TR",
    city: "İzmir",
    zip: "35000",
  },
  {
    first_name: "Emma",
    last_name: "Weber",
    email: "emma.weber@example.de",
    locale: "en",
    tags: [],
    accepts_marketing: false,
    country: "Germany",
    country_code: "DE",
    city: "Berlin",
    zip: "10115",
  },
];

const PRODUCTS: Array<{ title: string; type: string; price: number; tags: string[]; variants?: string[] }> = [
  { title: "Lavender Dusk Candle", type: "Candle", price: 2490, tags: ["candle", "bestseller"] },
  { title: "Cedar & Smoke Candle", type: "Candle", price: 2690, tags: ["candle"] },
  { title: "Linden Blossom Candle", type: "Candle", price: 2290, tags: ["candle", "seasonal"] },
  { title: "Fig Leaf Reed Diffuser", type: "Diffuser", price: 3490, tags: ["diffuser"] },
  { title: "Amber Glow Wax Melts", type: "Wax melt", price: 990, tags: ["wax"], variants: ["6 pack", "12 pack"] },
  { title: "Brass Wick Trimmer", type: "Accessory", price: 1890, tags: ["accessory"] },
  { title: "Candle Care Gift Set", type: "Gift set", price: 4990, tags: ["gift"] },
  { title: "Afterglow Gift Card", type: "Gift card", price: 2500, tags: ["gift-card"], variants: ["€25", "€50"] },
];

export function addProducts(state: ShopState): ProductRecord[] {
  return PRODUCTS.map((p, i) => {
    const created = daysAgo(200 - i * 7);
    const id = newNumericId();
    const product: ProductRecord = {
      __typename: "Product",
      id,
      title: p.title,
      handle: p.title
        .toLowerCase()
        .replace(/&/g, "and")
        .replace(/[^a-z0-9]+/g, "-")
        .replace(/(^-|-$)/g, ""),
      vendor: "Afterglow",
      productType: p.type,
      status: "ACTIVE",
      tags: p.tags,
      descriptionHtml: `<p>${p.title}, hand-poured in Ljubljana.</p>`,
      imageUrl: `https://cdn.shopify.com/s/files/1/afterglow/${i + 1}.jpg`,
      variants: (p.variants ?? ["Default Title"]).map((title, v) => ({
        __typename: "ProductVariant" as const,
        id: newNumericId(),
        productId: id,
        title,
        sku: `AG-${String(i + 1).padStart(3, "0")}${p.variants ? `-${v + 1}` : ""}`,
        priceMinor: p.type === "Gift card" ? (v + 1) * 2500 : p.price * (v + 1) - (v > 0 ? 200 : 0),
        compareAtMinor: null,
        inventoryQuantity: p.type === "Gift card" ? 0 : 40 - i * 3,
        createdAt: created,
        updatedAt: created,
      })),
      createdAt: created,
      updatedAt: created,
      publishedAt: created,
      metafields: [],
    };
    state.products.set(id, product);
    return product;
  });
}

export function seedSandbox(state: ShopState): void {
  const products = addProducts(state);
  const customers = CUSTOMERS.map((c, i) =>
    createCustomer(state, {
      ...c,
      created_at: daysAgo(180 - i * 20),
      default_address: {
        first_name: c.first_name,
        last_name: c.last_name,
        address1: "Glavna ulica 1",
        city: c.city,
        zip: c.zip,
        country: c.country,
        country_code: c.country_code,
      },
    }),
  );
  const p = (i: number) => products[i % products.length]!;
  const orders: Array<{
    customer: number;
    lines: Array<[number, number]>;
    days: number;
    fate?: "fulfilled" | "delivered" | "refunded" | "partial-refund";
    shipping?: string;
  }> = [
    { customer: 0, lines: [[0, 2]], days: 120, fate: "delivered", shipping: "4.90" },
    {
      customer: 0,
      lines: [
        [3, 1],
        [5, 1],
      ],
      days: 60,
      fate: "delivered",
    },
    { customer: 0, lines: [[6, 1]], days: 12, fate: "fulfilled" },
    { customer: 1, lines: [[1, 1]], days: 90, fate: "delivered", shipping: "4.90" },
    { customer: 2, lines: [[2, 3]], days: 45, fate: "partial-refund" },
    {
      customer: 3,
      lines: [
        [0, 1],
        [4, 2],
      ],
      days: 30,
      fate: "delivered",
      shipping: "9.90",
    },
    { customer: 3, lines: [[7, 1]], days: 8 },
    { customer: 4, lines: [[4, 10]], days: 20, fate: "refunded" },
    {
      customer: 5,
      lines: [
        [1, 1],
        [2, 1],
      ],
      days: 5,
      fate: "fulfilled",
    },
    { customer: 1, lines: [[0, 1]], days: 1 },
  ];
  for (const o of orders) {
    const c = customers[o.customer]!;
    const { order } = placeOrder(state, {
      customer: { id: c.id },
      created_at: daysAgo(o.days),
      shipping_price: o.shipping,
      line_items: o.lines.map(([pi, qty]) => ({ product_id: p(pi).id, variant_id: p(pi).variants[0]!.id, quantity: qty })),
    });
    if (o.fate === "fulfilled" || o.fate === "delivered")
      fulfillOrder(state, order.id, { tracking_company: "Pošta Slovenije", tracking_number: `PS${order.number}SI` });
    if (o.fate === "delivered") deliverOrder(state, order.id);
    if (o.fate === "refunded") refundOrder(state, order.id, { note: "Damaged in transit" });
    if (o.fate === "partial-refund")
      refundOrder(state, order.id, { refund_line_items: [{ line_item_id: order.lineItems[0]!.id, quantity: 1 }], note: "One candle cracked" });
    // History should look like history: timestamps of follow-ups stay near the order date.
    const at = daysAgo(Math.max(0, o.days - 2));
    for (const f of order.fulfillments) {
      f.createdAt = at;
      f.updatedAt = at;
      if (f.deliveredAt) f.deliveredAt = at;
    }
    for (const r of order.refunds) {
      r.createdAt = at;
      for (const t of r.transactions) t.createdAt = at;
    }
    order.updatedAt = o.fate ? at : order.createdAt;
  }
  for (const c of customers) c.updatedAt = nowIso();
}
