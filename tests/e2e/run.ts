/**
 * `npm run test:e2e`: every browser test, one after another (each starts its own sandbox on its own ports),
 * failing when any of them fails. Pass names to run some: `npm run test:e2e -- flows`.
 */
import { spawnSync } from "node:child_process";
import { fileURLToPath } from "node:url";

const root = fileURLToPath(new URL("../../", import.meta.url));
const ALL = [
  "smoke",
  "flows",
  "thank-you",
  "reviews",
  "loyalty",
  "approvals",
  "mail-outbox-recovery",
  "mail-settings",
  "review-requests",
  "analytics",
  "customer-account",
  "challenges",
];
const chosen = process.argv.slice(2).length > 0 ? process.argv.slice(2) : ALL;

const failed: string[] = [];
for (const name of chosen) {
  if (!ALL.includes(name)) throw new Error(`no browser test named ${name} (known: ${ALL.join(", ")})`);
  console.log(`\n=== e2e: ${name} ===`);
  const result = spawnSync(process.execPath, ["--import", "tsx", `tests/e2e/${name}.ts`], { cwd: root, stdio: "inherit" });
  if (result.status !== 0) failed.push(name);
}
console.log(failed.length ? `\ne2e failed: ${failed.join(", ")}` : `\ne2e passed: ${chosen.join(", ")}`);
process.exit(failed.length ? 1 : 0);
