// @vitest-environment happy-dom
// The customer account rewards page and profile block as Shopify would run them: a stubbed `shopify` global (the
// extension's own locale files, a session token), fetch answered by the test. Loading, ready, empty, signed out,
// error with retry; Redeem: a double click is one request, a lost answer is retried with the same key, the code is
// shown with how to use it; the profile block links to the page.
import { readFileSync } from "node:fs";
import path from "node:path";
import { h, render } from "preact";
import { act } from "preact/test-utils";
import { afterEach, beforeEach, describe, expect, it, vi } from "vitest";
import type { ShopperLoyalty } from "~/loyalty/shopper-contract";
import { Rewards } from "../../../extensions/afterglow-customer-account/src/Rewards";
import { translator } from "../../support/extension/shopify-stub";

type Call = { url: string; method: string; headers: Headers; body: Record<string, unknown> | null };
let calls: Call[];
let container: HTMLElement;

const localeFile = (language: string) =>
  JSON.parse(
    readFileSync(path.join(process.cwd(), "extensions/afterglow-customer-account/locales", language === "en" ? "en.default.json" : `${language}.json`), "utf8"),
  ) as Record<string, unknown>;
const answer = (status: number, body: unknown) => new Response(JSON.stringify(body), { status, headers: { "Content-Type": "application/json" } });

function stubFetch(route: (call: Call) => Response | Promise<Response>) {
  globalThis.fetch = vi.fn(async (input: RequestInfo | URL, init?: RequestInit) => {
    const call: Call = {
      url: String(input),
      method: init?.method ?? "GET",
      headers: new Headers(init?.headers),
      body: init?.body ? (JSON.parse(String(init.body)) as Record<string, unknown>) : null,
    };
    calls.push(call);
    return route(call);
  }) as typeof fetch;
}

async function mount(target = "customer-account.page.render", language = "en") {
  (globalThis as unknown as { shopify: unknown }).shopify = {
    extension: { target },
    settings: { value: { app_url: "https://app.test" } },
    sessionToken: { get: async () => "account-token" },
    i18n: { translate: translator(localeFile(language), language) },
    localization: { language: { value: { isoCode: language } } },
    query: async () => ({ data: { shop: { primaryDomain: { url: "https://glow.example" } } } }),
  };
  await act(async () => {
    render(h(Rewards, {}), container);
  });
}

async function until(check: () => boolean, what: string) {
  for (let i = 0; i < 200; i++) {
    if (check()) return;
    await act(async () => {
      await new Promise((resolve) => setTimeout(resolve, 5));
    });
  }
  throw new Error(`timed out waiting for ${what}; the page shows:\n${container.innerHTML.slice(0, 3000)}`);
}

const text = () => container.textContent ?? "";
const shown = (s: string) => () => text().includes(s);
const redeemButton = (reward: string) => container.querySelector(`s-button[accessibilitylabel="Redeem ${reward}"]`) as HTMLElement;

function loyalty(overrides: Partial<ShopperLoyalty> = {}): ShopperLoyalty {
  return {
    enabled: true,
    balance: 1280,
    pending: 45,
    currency: "EUR",
    tier: {
      current: "Silver",
      next: "Gold",
      progressText: null,
      remaining: 120,
      basis: "points",
      progress: 0.76,
      multiplier: "1.25",
      perks: ["Free gift wrapping"],
    },
    rewards: [
      {
        id: "r5",
        name: "5 € off",
        kind: "fixed_amount",
        value: "5.00",
        pointsCost: 500,
        minimumOrder: "25.00",
        validDays: 30,
        available: true,
        pointsNeeded: 0,
      },
      {
        id: "r50",
        name: "50 € off",
        kind: "fixed_amount",
        value: "50.00",
        pointsCost: 5000,
        minimumOrder: null,
        validDays: 30,
        available: false,
        pointsNeeded: 3720,
      },
    ],
    pendingBatches: [{ points: 45, availableAt: "2026-12-22T10:00:00.000Z", order: "#1042" }],
    history: [
      {
        id: "e1",
        at: "2026-12-08T10:00:00.000Z",
        kind: "earned",
        points: 45,
        pending: true,
        availableAt: "2026-12-22T10:00:00.000Z",
        order: "#1042",
        code: null,
      },
    ],
    referrals: { pending: 1, rewarded: 2 },
    birthday: null,
    ...overrides,
  };
}

const referral = { code: "FRIEND-7KQ2XM", path: "/discount/FRIEND-7KQ2XM", friendPercent: 10, reward: { kind: "points", points: 200 } };

beforeEach(() => {
  calls = [];
  container = document.createElement("div");
  document.body.appendChild(container);
});

afterEach(() => {
  render(null, container);
  container.remove();
});

describe("the rewards page", () => {
  it("GIVEN the customer's data THEN balance, points on the way with order and date, tier, perks, rewards, referral stats and history, asked with the session token", async () => {
    stubFetch((call) => answer(200, call.url.includes("/api/referral") ? referral : loyalty()));
    await mount();
    await until(shown("1,280 points"), "the balance");
    expect(text()).toContain("On the way: 45 points");
    expect(text()).toContain("45 points from order #1042, yours to spend from Dec 22, 2026");
    expect(text()).toContain("120 points to Gold");
    expect(text()).toContain("1.25× points on every order");
    expect(text()).toContain("Free gift wrapping");
    expect(text()).toContain("3,720 points more to go");
    expect(text()).toContain("Order #1042 · spendable from Dec 22, 2026");
    await until(shown("Your code: FRIEND-7KQ2XM"), "the referral code");
    expect(container.querySelector('s-section[heading="Refer a friend"]')).not.toBeNull();
    expect(text()).toContain("https://glow.example/discount/FRIEND-7KQ2XM");
    expect(text()).toContain("Friends rewarded: 2 · waiting for their return window: 1");
    const get = calls.find((c) => c.url.includes("/api/loyalty"))!;
    expect(get.url).toBe("https://app.test/api/loyalty?surface=order-status");
    expect(get.headers.get("Authorization")).toBe("Bearer account-token");
    expect(redeemButton("50 € off").hasAttribute("disabled")).toBe(true);
  });

  it("GIVEN a double click and a lost answer THEN one request at a time, the retry sends the same key, and the code is shown with how to use it", async () => {
    let redeems = 0;
    let release: (r: Response) => void = () => {};
    stubFetch((call) => {
      if (call.url.includes("/api/loyalty/redeem")) {
        redeems++;
        if (redeems === 1) return new Promise<Response>((resolve) => (release = resolve));
        return answer(200, { redemptionId: "x", state: "created", code: "POINTS-ABC123", points: 500, balance: 780, duplicate: false });
      }
      return answer(200, call.url.includes("/api/referral") ? referral : loyalty());
    });
    await mount();
    await until(() => redeemButton("5 € off") !== null, "the rewards");
    await act(async () => {
      redeemButton("5 € off").click();
      redeemButton("5 € off").click();
    });
    await until(() => redeems === 1 && redeemButton("5 € off").hasAttribute("loading"), "the redemption in flight");
    expect(redeemButton("50 € off").hasAttribute("disabled")).toBe(true);
    await act(async () => {
      release(new Response("gateway", { status: 504 }));
    });
    await until(shown("We didn't get an answer"), "the lost answer's message");
    expect(redeems).toBe(1);
    await act(async () => {
      redeemButton("5 € off").click();
    });
    await until(shown("It's yours alone, works once, within 30 days."), "how to use it");
    const keys = calls.filter((c) => c.url.includes("/redeem")).map((c) => c.body);
    expect(keys).toHaveLength(2);
    expect(keys[0]).toEqual(keys[1]);
    expect(keys[0]).toMatchObject({ rewardId: "r5" });
    expect(container.querySelector('s-banner[tone="success"]')?.getAttribute("heading")).toBe("Your code: POINTS-ABC123");
  });

  it("GIVEN more than the balance THEN the app's refusal is explained with both numbers", async () => {
    stubFetch((call) => {
      if (call.url.includes("/redeem")) return answer(422, { error: "insufficient_points", balance: 300, cost: 500 });
      return answer(200, call.url.includes("/api/referral") ? referral : loyalty());
    });
    await mount();
    await until(() => redeemButton("5 € off") !== null, "the rewards");
    await act(async () => redeemButton("5 € off").click());
    await until(shown("This reward costs 500 points, and your balance is 300 points. Nothing was spent."), "the refusal");
  });

  it("GIVEN nothing yet THEN the empty texts", async () => {
    stubFetch((call) =>
      answer(200, call.url.includes("/api/referral") ? referral : loyalty({ rewards: [], history: [], pendingBatches: [], pending: 0, balance: 0 })),
    );
    await mount();
    await until(shown("There are no rewards to choose from yet."), "the empty catalogue");
    expect(text()).toContain("Nothing here yet");
    expect(text()).not.toContain("On the way");
  });

  it("GIVEN a network error THEN the error with a retry that loads again (French)", async () => {
    let fail = true;
    stubFetch((call) =>
      fail && call.url.includes("/api/loyalty")
        ? Promise.reject(new TypeError("offline"))
        : answer(200, call.url.includes("/api/referral") ? referral : loyalty()),
    );
    await mount("customer-account.page.render", "fr");
    await until(() => container.querySelector('s-banner[heading="Impossible de charger vos récompenses"]') !== null, "the error");
    fail = false;
    await act(async () => (Array.from(container.querySelectorAll("s-button")).find((b) => b.textContent === "Réessayer") as HTMLElement).click());
    await until(() => /^1\s280 points$/u.test(container.querySelector("#afterglow-balance")?.textContent ?? ""), "the balance after the retry");
  });

  it("GIVEN the shop's referral program is off THEN no referral section, the rest as usual", async () => {
    stubFetch((call) => (call.url.includes("/api/referral") ? answer(404, { error: "referral_program_off" }) : answer(200, loyalty())));
    await mount();
    await until(shown("1,280 points"), "the balance");
    await until(() => calls.some((c) => c.url.includes("/api/referral")), "the referral request");
    await act(async () => new Promise((resolve) => setTimeout(resolve, 20)));
    expect(container.querySelector('s-section[heading="Refer a friend"]')).toBeNull();
    expect(container.querySelector('s-section[heading="Your birthday"]')).not.toBeNull();
  });

  it("GIVEN no signed-in customer (403) THEN it asks to sign in", async () => {
    stubFetch(() => answer(403, { error: "sign_in_required" }));
    await mount();
    await until(shown("Sign in to see your points and rewards."), "the sign-in text");
  });
});

describe("the profile block", () => {
  it("GIVEN the customer's data THEN balance, pending, tier and the link to the page (Slovenian)", async () => {
    stubFetch(() => answer(200, loyalty()));
    await mount("customer-account.profile.block.render", "sl");
    await until(shown("Vaše stanje: 1280 točk"), "the balance");
    expect(text()).toContain("Na poti: 45 točk");
    expect(text()).toContain("Vaša raven: Silver");
    expect(container.querySelector("s-link")?.getAttribute("href")).toBe("extension:/");
    expect(calls.every((c) => !c.url.includes("/api/referral"))).toBe(true);
  });
});
