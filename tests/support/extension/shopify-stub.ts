/**
 * A stand-in for the `shopify` global the thank-you extension runs with: signals for what Shopify makes reactive,
 * the extension's own locale files behind `i18n.translate` (Shopify's rules: dotted keys, {{placeholders}}, plural
 * forms picked by `count`), a session token, and settings. For component tests (happy-dom) and the browser harness.
 */
import { readFileSync } from "node:fs";
import path from "node:path";
import { signal } from "@preact/signals";
import type { ThankYouView } from "~/thank-you/contract";

export const LANGUAGES = ["en", "sl", "tr", "de", "fr", "es"] as const;
export type Language = (typeof LANGUAGES)[number];

// A path, not a URL: under happy-dom the global URL is the browser's, which node:fs does not take.
export const localesDir = path.join(process.cwd(), "extensions/afterglow-thank-you/locales");

export function localeFile(language: Language): Record<string, unknown> {
  const name = language === "en" ? "en.default.json" : `${language}.json`;
  return JSON.parse(readFileSync(path.join(localesDir, name), "utf8")) as Record<string, unknown>;
}

/** Shopify's translate, as documented: the key's string, or its plural form for `count`; {{name}} replaced. */
export function translator(strings: Record<string, unknown>, locale: string) {
  const plural = new Intl.PluralRules(locale);
  return (key: string, options: Record<string, string | number> = {}): string => {
    let value: unknown = key
      .split(".")
      .reduce<unknown>((node, part) => (node && typeof node === "object" ? (node as Record<string, unknown>)[part] : undefined), strings);
    if (value && typeof value === "object" && typeof options.count === "number") {
      const forms = value as Record<string, string>;
      value = forms[plural.select(options.count)] ?? forms.other;
    }
    if (typeof value !== "string") return key;
    return value.replace(/\{\{\s*(\w+)\s*\}\}/g, (whole, name: string) => (name in options ? String(options[name]) : whole));
  };
}

export interface StubOptions {
  language?: Language;
  target?: "purchase.thank-you.block.render" | "customer-account.order-status.block.render";
  settings?: Record<string, string | boolean>;
  customer?: { id: string; firstName?: string } | null;
  orderId?: string | null;
  token?: string;
}

export function shopifyStub(options: StubOptions = {}) {
  const language = options.language ?? "en";
  const target = options.target ?? "purchase.thank-you.block.render";
  const orderId = options.orderId === undefined ? "gid://shopify/OrderIdentity/1001" : options.orderId;
  const order = signal(orderId ? { id: orderId } : undefined);
  return {
    extension: { target },
    settings: signal(options.settings ?? { app_url: "https://app.test" }),
    sessionToken: { get: async () => options.token ?? "session-token" },
    i18n: { translate: translator(localeFile(language), language) },
    localization: { language: signal({ isoCode: language }) },
    shop: { myshopifyDomain: "glow-demo.myshopify.com", storefrontUrl: "https://glow.example", name: "Glow Demo" },
    buyerIdentity: {
      customer: signal(options.customer === undefined ? { id: "gid://shopify/Customer/7", firstName: "Maja" } : (options.customer ?? undefined)),
    },
    ...(target === "purchase.thank-you.block.render" ? { orderConfirmation: signal(orderId ? { order: { id: orderId } } : undefined) } : { order }),
    extend() {},
  };
}

/** A full view for a logged-in customer: points pending, 120 points to Gold, NPS survey, referral code, birthday. */
export function fullView(overrides: Partial<ThankYouView> = {}): ThankYouView {
  return {
    status: "ready",
    guest: false,
    blocks: ["thank_you", "points", "tier_progress", "survey", "referral", "birthday"],
    message: null,
    survey: { questionId: "nps", kind: "nps", question: null },
    answered: {},
    points: { earned: 45, status: "pending", availableAt: "2026-12-11T10:00:00.000Z", balance: 1280, pendingBalance: 45 },
    tier: { current: "Silver", next: "Gold", remaining: 120, basis: "points", currency: "EUR", progress: 0.76 },
    referral: {
      code: "FRIEND-7KQ2XM",
      path: "/discount/FRIEND-7KQ2XM",
      friendDiscount: { type: "percentage", percent: 10 },
      minimumOrder: null,
      reward: { kind: "points", points: 200 },
    },
    birthday: { value: null },
    review: null,
    ...overrides,
  };
}

export function guestView(overrides: Partial<ThankYouView> = {}): ThankYouView {
  return fullView({ guest: true, blocks: ["thank_you", "survey"], points: null, tier: null, referral: null, birthday: null, ...overrides });
}
