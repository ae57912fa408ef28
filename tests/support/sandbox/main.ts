/**
 * `npm run sandbox`: the whole app offline, with no account and no env.
 * 1. migrates the SQLite database, 2. starts the Admin API emulator with the seeded demo shop, 3. installs the
 * app on that shop (an offline session, as Shopify's managed install would leave), 4. starts the app pointed at
 * the emulator, 5. prints where the admin opens in an ordinary browser.
 * The emulator's shop is kept beside the app's database (prisma/dev.emulator.json next to prisma/dev.sqlite), so a
 * restarted sandbox is the same world; `npm run sandbox -- --reset` starts both fresh. The running sandbox's URLs
 * go to tmp/sandbox.json for the helper scripts (sandbox:order, sandbox:clock, sandbox:thank-you).
 */
import { spawn, type ChildProcess } from "node:child_process";
import { rmSync } from "node:fs";
import { fileURLToPath } from "node:url";
import { SANDBOX_API_KEY, SANDBOX_API_SECRET, SANDBOX_SHOP } from "../../../app/sandbox/constants";
import { startEmulator } from "../emulator/index";
import { installSandboxShop, migrateDatabase } from "./install";
import { defaultStateFile, emulatorStateFileFor, removeRunningSandbox, writeRunningSandbox } from "./running";

const root = fileURLToPath(new URL("../../../", import.meta.url));
const appPort = Number(process.env.PORT || 3000);
const shopifyPort = Number(process.env.SANDBOX_SHOPIFY_PORT || 3001);
const appUrl = process.env.SHOPIFY_APP_URL || `http://localhost:${appPort}`;

async function main() {
  if (process.env.NODE_ENV === "production") {
    throw new Error("The sandbox signs anyone in; it refuses to run with NODE_ENV=production.");
  }
  const databaseUrl = process.env.DATABASE_URL || "file:./dev.sqlite";
  const stateFile = emulatorStateFileFor(databaseUrl, root);
  if (process.argv.includes("--reset")) {
    if (!databaseUrl.startsWith("file:")) throw new Error("--reset wipes only the sandbox's SQLite database; DATABASE_URL points elsewhere.");
    const database = stateFile.replace(/\.emulator\.json$/, ".sqlite");
    for (const file of [database, `${database}-journal`, `${database}-wal`, `${database}-shm`, stateFile]) rmSync(file, { force: true });
    console.log(`[sandbox] --reset: removed ${database} and ${stateFile}; starting fresh`);
  }
  console.log("[sandbox] migrating the SQLite database …");
  await migrateDatabase(root);

  const emulator = await startEmulator({
    stateFile,
    port: shopifyPort,
    host: "127.0.0.1",
    apiKey: SANDBOX_API_KEY,
    apiSecret: SANDBOX_API_SECRET,
    appUrl,
    seed: true,
  });
  console.log(`[sandbox] Admin API emulator on ${emulator.url} (shop ${SANDBOX_SHOP})`);
  await installSandboxShop(emulator, SANDBOX_SHOP);

  const app = startApp();
  await waitForApp(`${appUrl}/healthz`, 90_000);
  const runningFile = defaultStateFile();
  writeRunningSandbox(runningFile, { appUrl, shopifyOrigin: emulatorOrigin() });
  console.log(
    `\n  Afterglow sandbox is ready.\n\n  Admin:  ${appUrl}/sandbox/sign-in\n  Shop:   ${SANDBOX_SHOP} (emulated at ${emulator.url})\n  Orders: npm run sandbox:order  (or the "Sandbox shop" page in the admin)\n`,
  );

  let stopping = false;
  const stop = async () => {
    if (stopping) return;
    stopping = true;
    removeRunningSandbox(runningFile);
    // The app finishes its in-flight work (jobs, database) before the emulator it talks to goes away.
    const running = app.exitCode === null && app.signalCode === null;
    const exited = running ? new Promise((resolve) => app.once("exit", resolve)) : Promise.resolve();
    if (running) app.kill("SIGTERM");
    await Promise.race([exited, new Promise((resolve) => setTimeout(resolve, 10_000))]);
    await emulator.close();
    process.exit(0);
  };
  process.on("SIGINT", stop);
  process.on("SIGTERM", stop);
  app.on("exit", (code) => {
    if (stopping) return;
    removeRunningSandbox(runningFile);
    console.error(`[sandbox] the app exited (${code}); stopping.`);
    void emulator.close().then(() => process.exit(code ?? 1));
  });
}

function startApp(): ChildProcess {
  const remix = fileURLToPath(new URL("../../../node_modules/@remix-run/dev/dist/cli.js", import.meta.url));
  return spawn(process.execPath, [remix, "vite:dev", "--port", String(appPort), "--strictPort"], {
    cwd: root,
    stdio: "inherit",
    env: {
      ...process.env,
      AFTERGLOW_SANDBOX: "1",
      SHOPIFY_APP_URL: appUrl,
      SHOPIFY_ADMIN_API_ORIGIN: emulatorOrigin(),
      SANDBOX_SHOPIFY_ORIGIN: emulatorOrigin(),
      APP_BRIDGE_URL: "/sandbox/app-bridge.js",
      PORT: String(appPort),
    },
  });
}

function emulatorOrigin() {
  return `http://127.0.0.1:${shopifyPort}`;
}

async function waitForApp(url: string, timeoutMs: number) {
  const deadline = Date.now() + timeoutMs;
  while (Date.now() < deadline) {
    try {
      const response = await fetch(url);
      if (response.ok) return;
    } catch {
      // not listening yet
    }
    await new Promise((resolve) => setTimeout(resolve, 300));
  }
  throw new Error(`The app did not answer ${url} within ${timeoutMs / 1000} s`);
}

main().catch((error) => {
  console.error("[sandbox] failed:", error);
  process.exit(1);
});
