/**
 * `npm run bench:extension-size`: builds each UI extension (the thank-you block, the customer account's rewards
 * page) with the Shopify CLI (offline) and prints its size — raw, compressed the way the CLI reports it (zlib
 * deflate), gzip and brotli — and what takes the room. Goal: each ≤ 20 KB compressed (Shopify refuses UI
 * extensions above 64 KB). Exits 1 when one is over the goal. Pass handles to measure some:
 * `npm run bench:extension-size -- afterglow-customer-account`.
 */
import { brotliCompressSync, constants, deflateSync, gzipSync } from "node:zlib";
import { buildExtension, CUSTOMER_ACCOUNT_HANDLE, EXTENSION_HANDLE } from "../support/extension/build";

const GOAL_BYTES = 20 * 1024;
const LIMIT_BYTES = 64 * 1024;
const kb = (bytes: number) => `${(bytes / 1024).toFixed(1)} KB`;
const handles = process.argv.slice(2).length > 0 ? process.argv.slice(2) : [EXTENSION_HANDLE, CUSTOMER_ACCOUNT_HANDLE];

const over: string[] = [];
for (const handle of handles) {
  const { bundle, metafile, cliLine, seconds } = buildExtension(handle);
  const deflated = deflateSync(bundle).byteLength;
  console.log(`\n${handle}: built by the Shopify CLI in ${seconds.toFixed(1)} s (CLI says: ${cliLine})`);
  console.log(`  raw         ${kb(bundle.byteLength)}`);
  console.log(`  compressed  ${kb(deflated)}   (deflate, as the CLI measures; goal ≤ ${kb(GOAL_BYTES)}, Shopify's limit ${kb(LIMIT_BYTES)})`);
  console.log(`  gzip -9     ${kb(gzipSync(bundle, { level: 9 }).byteLength)}`);
  console.log(`  brotli 11   ${kb(brotliCompressSync(bundle, { params: { [constants.BROTLI_PARAM_QUALITY]: 11 } }).byteLength)}`);

  const bySource = new Map<string, number>();
  for (const [file, { bytesInOutput }] of Object.values(metafile.outputs).flatMap((o) => Object.entries(o.inputs))) {
    const name =
      /node_modules\/((?:@[^/]+\/)?[^/]+)/.exec(file)?.[1] ?? (file.includes(`extensions/${handle}`) ? `${handle} (src)` : file.replace(/^.*?(app\/)/, "$1"));
    bySource.set(name, (bySource.get(name) ?? 0) + bytesInOutput);
  }
  console.log("  raw bytes by source:");
  for (const [name, bytes] of [...bySource].sort((a, b) => b[1] - a[1])) console.log(`    ${kb(bytes).padStart(9)}  ${name}`);
  const ok = deflated <= GOAL_BYTES;
  if (!ok) over.push(handle);
  console.log(ok ? `  within the ${kb(GOAL_BYTES)} goal` : `  OVER the ${kb(GOAL_BYTES)} goal`);
}
if (over.length) console.log(`\nover the ${kb(GOAL_BYTES)} goal: ${over.join(", ")}`);
process.exitCode = over.length ? 1 : 0;
