// `npm run backfill`: see cli.server.ts. Points at the running sandbox unless told otherwise.
process.env.SHOPIFY_ADMIN_API_ORIGIN ??= `http://127.0.0.1:${process.env.SANDBOX_SHOPIFY_PORT || 3001}`;
const { disconnectPrisma } = await import("~/db/db.server");
const { backfillCli } = await import("./cli.server");

const code = await backfillCli(process.argv.slice(2), {
  out: (text) => process.stdout.write(text),
  err: (text) => process.stderr.write(text),
  tty: process.stdout.isTTY === true,
  sleep: (ms) => new Promise((resolve) => setTimeout(resolve, ms)),
});
await disconnectPrisma().catch(() => {});
process.exit(code);
export {};
