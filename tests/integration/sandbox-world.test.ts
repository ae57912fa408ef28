// The sandbox keeps one world: the emulator's shop survives a restart beside the app's database, the control
// panel keeps ids above 2^53 exactly, and the helper scripts find the running sandbox (or say none is running).
import { spawnSync } from "node:child_process";
import { existsSync, mkdtempSync, readFileSync, rmSync, writeFileSync } from "node:fs";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { afterAll, describe, expect, it, vi } from "vitest";
import { startEmulator, type Emulator } from "../support/emulator/index";
import { emulatorStateFileFor, findRunningSandbox, writeRunningSandbox } from "../support/sandbox/running";

const dir = mkdtempSync(join(tmpdir(), "afterglow-sandbox-world-"));
const open: Emulator[] = [];
afterAll(async () => {
  for (const e of open) await e.close();
  rmSync(dir, { recursive: true, force: true });
});

async function emulatorWith(stateFile: string): Promise<Emulator> {
  const e = await startEmulator({ apiKey: "world-key", apiSecret: "world-secret", stateFile });
  open.push(e);
  return e;
}

describe("the emulator's state across sandbox runs", () => {
  it("GIVEN orders placed in one run WHEN the emulator is stopped and started on the same state file THEN they still exist, and new ids and order numbers continue after them", async () => {
    const stateFile = join(dir, "dev.emulator.json");
    const first = await emulatorWith(stateFile);
    const placed = (await (
      await fetch(`${first.url}/_emulator/orders`, {
        method: "POST",
        headers: { "Content-Type": "application/json" },
        body: JSON.stringify({ email: "run1@example.com", total_price: "12.50" }),
      })
    ).json()) as { id: string; name: string };
    await first.close();
    open.pop();
    expect(existsSync(stateFile)).toBe(true);

    const second = await emulatorWith(stateFile);
    const kept = second.state().orders.get(placed.id);
    expect(kept?.name).toBe(placed.name);
    expect(kept?.email).toBe("run1@example.com");
    // The seeded sandbox token still works against the restored shop.
    const res = await fetch(`${second.url}/admin/api/2026-07/graphql.json`, {
      method: "POST",
      headers: { "Content-Type": "application/json", "X-Emulator-Shop": "afterglow-sandbox.myshopify.com", "X-Shopify-Access-Token": second.sandboxToken },
      body: JSON.stringify({ query: `{ order(id: "gid://shopify/Order/${placed.id}") { name } }` }),
    });
    expect(((await res.json()) as { data: { order: { name: string } | null } }).data.order?.name).toBe(placed.name);
    const next = second.placeOrder(undefined, { email: "run2@example.com" });
    expect(BigInt(next.id) > BigInt(placed.id)).toBe(true);
    expect(Number(next.name.slice(1))).toBe(Number(placed.name.slice(1)) + 1);
  });

  it("GIVEN a change over HTTP WHEN the process is killed before closing THEN the state file already holds it (written on change)", async () => {
    const stateFile = join(dir, "changes.emulator.json");
    const e = await emulatorWith(stateFile);
    const placed = e.placeOrder(undefined, { email: "first@example.com" });
    await fetch(`${e.url}/_emulator/orders/${placed.id}/cancel`, { method: "POST", headers: { "Content-Type": "application/json" }, body: "{}" });
    // No close, no flush: the debounced write alone must bring the cancellation to disk.
    await vi.waitFor(
      () => {
        const text = readFileSync(stateFile, "utf8");
        expect(text).toContain(placed.id);
        expect(text).toMatch(/"cancelledAt":"\d{4}-/);
      },
      { timeout: 10_000, interval: 100 },
    );
  });

  it("GIVEN a state file no emulator can read THEN it starts fresh and says why, keeping the bad file aside", async () => {
    const stateFile = join(dir, "broken.emulator.json");
    writeFileSync(stateFile, "{ not json");
    const e = await emulatorWith(stateFile);
    expect(e.state().orders.size).toBeGreaterThan(0); // seeded
    expect(existsSync(`${stateFile}.unreadable`)).toBe(true);
  });
});

describe("the control panel and ids above 2^53", () => {
  it("GIVEN an order and customer id like Shopify's samples sent as JSON numbers THEN they are stored exactly", async () => {
    const e = await emulatorWith(join(dir, "ids.emulator.json"));
    const body = '{"id": 820982911946154508, "email": "big@example.com", "customer": {"id": 115310627314723954, "email": "big@example.com"}}';
    const res = await fetch(`${e.url}/_emulator/orders`, { method: "POST", headers: { "Content-Type": "application/json" }, body });
    expect(res.status).toBe(201);
    const order = (await res.json()) as { id: string; customer_id: string };
    expect(order.id).toBe("820982911946154508");
    expect(order.customer_id).toBe("115310627314723954");
    expect(e.state().orders.get("820982911946154508")?.customerId).toBe("115310627314723954");
  });
});

describe("finding the running sandbox", () => {
  const stateFile = join(dir, "running.json");

  it("GIVEN no sandbox has written its ports THEN one clear line says none is running", () => {
    expect(() => findRunningSandbox({ stateFile, env: {} })).toThrow(/^No sandbox is running \(start one with `npm run sandbox`\)/);
  });

  it("GIVEN the file of a sandbox whose process is gone THEN it is not trusted", () => {
    writeFileSync(stateFile, JSON.stringify({ pid: 2 ** 22 + 7, appUrl: "http://localhost:3400", shopifyOrigin: "http://127.0.0.1:3401" }));
    expect(() => findRunningSandbox({ stateFile, env: {} })).toThrow(/^No sandbox is running/);
  });

  it("GIVEN a running sandbox THEN its app URL and emulator origin; environment variables still win", () => {
    writeRunningSandbox(stateFile, { appUrl: "http://localhost:3400", shopifyOrigin: "http://127.0.0.1:3401" });
    expect(findRunningSandbox({ stateFile, env: {} })).toMatchObject({ appUrl: "http://localhost:3400", shopifyOrigin: "http://127.0.0.1:3401" });
    expect(findRunningSandbox({ stateFile, env: { SANDBOX_APP_URL: "http://localhost:9" } }).appUrl).toBe("http://localhost:9");
  });

  it("GIVEN the app's database file THEN the emulator's state lives beside it", () => {
    expect(emulatorStateFileFor("file:./dev.sqlite", "/r")).toBe("/r/prisma/dev.emulator.json");
    expect(emulatorStateFileFor("file:./sandbox-3400.sqlite", "/r")).toBe("/r/prisma/sandbox-3400.emulator.json");
    expect(emulatorStateFileFor("postgresql://u@h/db", "/r")).toBe("/r/tmp/sandbox.emulator.json");
  });

  it("GIVEN no sandbox running WHEN a helper script runs THEN it prints that one line, not a raw ECONNREFUSED", () => {
    const result = spawnSync(process.execPath, ["--import", "tsx", "tests/support/sandbox/place-order.ts"], {
      env: { ...process.env, SANDBOX_STATE_FILE: join(dir, "nothing.json") },
      encoding: "utf8",
    });
    expect(result.status).toBe(1);
    expect(result.stderr.trim()).toBe("No sandbox is running (start one with `npm run sandbox`).");
  });
});
