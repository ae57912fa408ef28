/**
 * `npm run sandbox:shop -- --domain <d> --timezone <IANA> --currency <ISO> [--name <name>]`, while `npm run sandbox`
 * runs: creates that shop in the sandbox's emulator and installs the app on it as Shopify's managed install would
 * (an offline session with the shop's token, the Shop row, each domain's install work — queued for the running
 * app's worker). Then `POST <emulator>/_emulator/orders/import` can give it a history and `npm run metrics` read it.
 */
import { fetchSandbox, findRunningSandbox, runHelper } from "./running";

function option(name: string): string | undefined {
  const args = process.argv.slice(2);
  const at = args.findIndex((arg) => arg === `--${name}` || arg.startsWith(`--${name}=`));
  if (at < 0) return undefined;
  const arg = args[at]!;
  return arg.includes("=") ? arg.slice(arg.indexOf("=") + 1) : args[at + 1];
}

function fail(message: string): never {
  console.error(`sandbox:shop: ${message}\nusage: npm run sandbox:shop -- --domain <shop>.myshopify.com --timezone <IANA zone> --currency <ISO 4217>`);
  process.exit(2);
}

await runHelper(async () => {
  const domainArg = option("domain") ?? fail("--domain is required");
  const timezone = option("timezone") ?? fail("--timezone is required");
  const currency = (option("currency") ?? fail("--currency is required")).toUpperCase();
  const domain = domainArg.trim().toLowerCase().endsWith(".myshopify.com") ? domainArg.trim().toLowerCase() : `${domainArg.trim().toLowerCase()}.myshopify.com`;
  if (!/^[a-z0-9][a-z0-9-]*\.myshopify\.com$/.test(domain)) fail(`not a shop domain: ${domainArg}`);
  try {
    new Intl.DateTimeFormat("en", { timeZone: timezone });
  } catch {
    fail(`not an IANA time zone: ${timezone}`);
  }
  if (!/^[A-Z]{3}$/.test(currency)) fail(`not an ISO 4217 currency code: ${currency}`);

  const { shopifyOrigin } = findRunningSandbox();
  const response = await fetchSandbox(`${shopifyOrigin}/_emulator/shops`, {
    method: "POST",
    headers: { "Content-Type": "application/json" },
    body: JSON.stringify({ domain, timezone, currency, name: option("name") }),
  });
  if (!response.ok) fail(`the emulator at ${shopifyOrigin} answered ${response.status}: ${await response.text()}`);
  const { accessToken } = (await response.json()) as { shop: string; accessToken: string };
  const listed = (await (await fetchSandbox(`${shopifyOrigin}/_emulator/shops`)).json()) as {
    shops: { domain: string; name: string; currencyCode: string; ianaTimezone: string }[];
  };
  const details = listed.shops.find((s) => s.domain === domain) ?? fail(`the emulator did not list ${domain} after creating it`);
  if (details.ianaTimezone !== timezone || details.currencyCode !== currency) {
    fail(`${domain} already exists in the emulator with ${details.ianaTimezone} and ${details.currencyCode}; choose another domain`);
  }

  // The app's modules read the database from DATABASE_URL (the sandbox's prisma/dev.sqlite by default).
  const { prisma, disconnectPrisma } = await import("../../../app/db/db.server");
  await import("../../../app/app.server"); // the domains' install hooks
  const { recordInstall } = await import("../../../app/shops/shops.server");
  const session = {
    id: `offline_${domain}`,
    shop: domain,
    state: "",
    isOnline: false,
    scope: "read_all_orders,write_customers,write_discounts,write_orders,write_products",
    accessToken,
  };
  await prisma.session.upsert({ where: { id: session.id }, create: session, update: session });
  await recordInstall(domain, { name: details.name, currencyCode: details.currencyCode, ianaTimezone: details.ianaTimezone });
  await disconnectPrisma();
  console.log(`created ${domain} (${details.ianaTimezone}, ${details.currencyCode}) in the emulator at ${shopifyOrigin} and installed the app on it`);
  console.log(
    `history: POST ${shopifyOrigin}/_emulator/orders/import {"shop":"${domain}","orders":[…]} · figures: npm run -s metrics -- --shop ${domain} --from … --to …`,
  );
});
