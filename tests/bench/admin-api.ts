/**
 * `npm run bench:admin-api`: the Admin client's pacing against the emulator's leaky bucket (100 points, 50/s).
 * Bursts of concurrent 5-point queries; prints how long each took beside the restore rate's minimum (the
 * bucket starts full, every point beyond it has to be restored first), and how many THROTTLED answers the
 * client collected (each was waited out and sent again). Prints numbers, asserts nothing.
 * `BENCH_BURST` (default 60), `BENCH_RUNS` (default 3).
 */
import { BucketStore } from "~/shopify/admin-api/bucket-store";
import { createAdminClient, PACING_MARGIN_MS, type AdminOperation } from "~/shopify/admin-api/client.server";
import { startEmulator } from "../support/emulator/index";
import { machine } from "./support";

const BUCKET = { maximumAvailable: 100, restoreRate: 50 };
const QUERY = `query BenchFivePoints { a: shop { name } b: shop { name } c: shop { name } d: shop { name } e: shop { name } }` as AdminOperation<
  Record<string, { name: string }>
>;
const QUERY_COST = 5;
const BURST = Number(process.env["BENCH_BURST"] ?? 60);
const RUNS = Number(process.env["BENCH_RUNS"] ?? 3);

const emulator = await startEmulator({ apiKey: "bench-key", apiSecret: "bench-secret", bucket: BUCKET, seed: false });
const minimumMs = (Math.max(0, BURST * QUERY_COST - BUCKET.maximumAvailable) / BUCKET.restoreRate) * 1000;
console.log(`\nAdmin client pacing — ${machine()}`);
console.log(
  `${BURST} concurrent queries × ${QUERY_COST} points, bucket ${BUCKET.maximumAvailable} points at ${BUCKET.restoreRate}/s, pacing margin ${PACING_MARGIN_MS} ms`,
);
console.log(`restore-rate minimum: ${minimumMs.toFixed(0)} ms\n`);
console.log("run   elapsed ms   over minimum   THROTTLED   requests   failed");
try {
  for (let run = 1; run <= RUNS; run++) {
    const { shop, accessToken } = emulator.createShop(`bench-admin-api-${run}`);
    const admin = createAdminClient({
      shop,
      accessToken,
      env: { SHOPIFY_ADMIN_API_ORIGIN: emulator.url },
      bucketStore: new BucketStore(),
      logger: { warn: () => undefined },
    });
    emulator.resetStats();
    const started = performance.now();
    const results = await Promise.allSettled(Array.from({ length: BURST }, () => admin.request(QUERY)));
    const elapsed = performance.now() - started;
    const failed = results.filter((r) => r.status === "rejected").length;
    console.log(
      `${String(run).padStart(3)}   ${elapsed.toFixed(0).padStart(10)}   ${`+${(elapsed - minimumMs).toFixed(0)}`.padStart(12)}   ${String(emulator.stats.throttled).padStart(9)}   ${String(emulator.stats.graphql).padStart(8)}   ${String(failed).padStart(6)}`,
    );
  }
} finally {
  await emulator.close();
}
