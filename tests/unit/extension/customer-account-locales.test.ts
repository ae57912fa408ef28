// The customer account extension's locale files and configuration: every language has every key the page uses,
// every plural form its language needs and the same placeholders as English; the toml declares the full page and
// the profile block on API 2026-07; the built-in app URL is shopify.app.toml's.
import { readdirSync, readFileSync } from "node:fs";
import path from "node:path";
import { parse } from "smol-toml";
import { describe, expect, it } from "vitest";
import { DEFAULT_APP_URL } from "../../../extensions/afterglow-customer-account/src/config";

const LANGUAGES = ["en", "sl", "tr", "de", "fr", "es"] as const;
const dir = path.join(process.cwd(), "extensions/afterglow-customer-account");
const localesDir = path.join(dir, "locales");
type Tree = { [key: string]: string | Tree };
const localeFile = (language: string) =>
  JSON.parse(readFileSync(path.join(localesDir, language === "en" ? "en.default.json" : `${language}.json`), "utf8")) as Tree;
const PLURAL = new Set(["zero", "one", "two", "few", "many", "other"]);
const isPlural = (node: Tree) => Object.keys(node).includes("other") && Object.keys(node).every((k) => PLURAL.has(k));
// Names that are the same in every language.
const BRANDS = new Set(["referral.whatsapp", "referral.x", "referral.facebook"]);

function flatten(tree: Tree, prefix = ""): Map<string, string | Record<string, string>> {
  const out = new Map<string, string | Record<string, string>>();
  for (const [key, value] of Object.entries(tree)) {
    const name = prefix ? `${prefix}.${key}` : key;
    if (typeof value === "string") out.set(name, value);
    else if (isPlural(value)) out.set(name, value as Record<string, string>);
    else for (const [k, v] of flatten(value, name)) out.set(k, v);
  }
  return out;
}

const placeholders = (s: string) => [...s.matchAll(/\{\{\s*(\w+)\s*\}\}/g)].map((m) => m[1]).sort();
const english = flatten(localeFile("en"));

it("has a file for each of en (default), sl, tr, de, fr, es and nothing else", () => {
  expect(readdirSync(localesDir).sort()).toEqual(["de.json", "en.default.json", "es.json", "fr.json", "sl.json", "tr.json"]);
});

it("has an English string for every key the page translates", () => {
  const source = readFileSync(path.join(dir, "src/Rewards.tsx"), "utf8");
  const used = new Set([...source.matchAll(/t\(\s*"([\w.]+)"/g), ...source.matchAll(/"((?:referral|balance)\.\w+)"/g)].map((m) => m[1]!));
  for (const kind of ["earned", "approved", "redeemed", "reversed", "expired", "adjusted"]) used.add(`history.${kind}`);
  expect([...used].filter((key) => !english.has(key))).toEqual([]);
});

describe.each(LANGUAGES)("%s", (language) => {
  const strings = flatten(localeFile(language));
  const categories = new Intl.PluralRules(language).resolvedOptions().pluralCategories;

  it("has exactly the English keys", () => {
    expect([...strings.keys()].sort()).toEqual([...english.keys()].sort());
  });

  it("has every plural form the language uses, and only those", () => {
    for (const [key, value] of english) {
      if (typeof value === "string") continue;
      expect(Object.keys(strings.get(key) as Record<string, string>).sort(), key).toEqual([...categories].sort());
    }
  });

  it("uses the same placeholders as English in every string", () => {
    for (const [key, value] of english) {
      const theirs = strings.get(key)!;
      const englishForms = typeof value === "string" ? [value] : Object.values(value);
      for (const form of typeof theirs === "string" ? [theirs] : Object.values(theirs))
        expect(placeholders(form), `${language} ${key}`).toEqual(placeholders(englishForms.at(-1)!));
    }
  });

  it("leaves no string empty or untranslated by accident", () => {
    for (const [key, value] of strings) {
      for (const form of typeof value === "string" ? [value] : Object.values(value)) expect(form.trim().length, key).toBeGreaterThan(0);
    }
    if (language !== "en") {
      const same = [...strings].filter(([key, value]) => typeof value === "string" && value === english.get(key) && !BRANDS.has(key));
      expect(same.map(([key]) => key)).toEqual([]);
    }
  });
});

describe("configuration", () => {
  const extension = parse(readFileSync(path.join(dir, "shopify.extension.toml"), "utf8")) as {
    api_version: string;
    extensions: Array<{ handle: string; type: string; targeting: Array<{ target: string }>; capabilities: { network_access: boolean; api_access: boolean } }>;
  };
  const app = parse(readFileSync(path.join(process.cwd(), "shopify.app.toml"), "utf8")) as { application_url: string };

  it("targets the full page and the profile block on API 2026-07, with network access (the app) and API access (the shop's domain)", () => {
    expect(extension.api_version).toBe("2026-07");
    const [ext] = extension.extensions;
    expect(ext!.handle).toBe("afterglow-customer-account");
    expect(ext!.type).toBe("ui_extension");
    expect(ext!.targeting.map((t) => t.target).sort()).toEqual(["customer-account.page.render", "customer-account.profile.block.render"]);
    expect(ext!.capabilities).toMatchObject({ network_access: true, api_access: true });
  });

  it("calls the app at shopify.app.toml's application_url unless the merchant's setting says otherwise", () => {
    expect(DEFAULT_APP_URL).toBe(app.application_url.replace(/\/$/, ""));
  });
});
