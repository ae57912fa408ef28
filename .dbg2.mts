import { BucketStore } from "~/admin-api/bucket-store";
import { createAdminClient } from "~/admin-api/client.server";
import { startEmulator } from "./tests/support/emulator/index";
const emulator = await startEmulator({ apiKey: "k", apiSecret: "s", bucket: { maximumAvailable: 100, restoreRate: 50 }, seed: false });
const Q = `query BurstFivePoints { a: shop { name } b: shop { name } c: shop { name } d: shop { name } e: shop { name } }`;
let total = 0;
for (let run = 0; run < 10; run++) {
  const { shop, accessToken } = emulator.createShop("s" + run);
  const store = new BucketStore();
  const log: string[] = [];
  const t0 = performance.now();
  const m = store.forShop(shop).model as any;
  for (const name of ["reserve", "settle"]) { const orig = m[name].bind(m); m[name] = (...a: any[]) => { const r = orig(...a); log.push(`${name} t=${(performance.now()-t0).toFixed(1)} ${name==="reserve" ? "sendAt=" + (r.sendAt - t0).toFixed(1) : "X=" + a[1].throttleStatus.currentlyAvailable + " act=" + a[1].actualQueryCost + " sent=" + (a[0].sendAt - t0).toFixed(1)} avail=${m.availableAt(performance.now())?.toFixed(2)}`); return r; }; }
  const admin = createAdminClient({ shop, accessToken, env: { SHOPIFY_ADMIN_API_ORIGIN: emulator.url }, bucketStore: store, logger: { warn: (_m, d) => log.push("WARN " + JSON.stringify(d)) } });
  emulator.resetStats();
  await Promise.all(Array.from({ length: 60 }, () => admin.request(Q)));
  const el = performance.now() - t0;
  console.log("run", run, el.toFixed(0), "throttled", emulator.stats.throttled);
  if (emulator.stats.throttled) { const i = log.findIndex(l => l.includes("act=null")); console.log(log.slice(Math.max(0, i - 30), i + 3).join("\n")); }
}
await emulator.close();
