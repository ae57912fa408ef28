// The extension's locale files and configuration: every language has every key, every plural form its language
// needs and the same placeholders as English; the toml declares both targets on API 2026-07; the built-in app
// URL is shopify.app.toml's.
import { readdirSync, readFileSync } from "node:fs";
import path from "node:path";
import { parse } from "smol-toml";
import { describe, expect, it } from "vitest";
import { DEFAULT_APP_URL } from "../../../extensions/afterglow-thank-you/src/config";
import { LANGUAGES, localeFile, localesDir } from "../../support/extension/shopify-stub";

type Tree = { [key: string]: string | Tree };
const PLURAL = new Set(["zero", "one", "two", "few", "many", "other"]);
const isPlural = (node: Tree) => Object.keys(node).includes("other") && Object.keys(node).every((k) => PLURAL.has(k));

/** key → string, or key → { plural forms } */
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
const english = flatten(localeFile("en") as Tree);

it("has a file for each of en (default), sl, tr, de, fr, es and nothing else", () => {
  expect(readdirSync(localesDir).sort()).toEqual(["de.json", "en.default.json", "es.json", "fr.json", "sl.json", "tr.json"]);
});

describe.each(LANGUAGES)("%s", (language) => {
  const strings = flatten(localeFile(language) as Tree);
  const categories = new Intl.PluralRules(language).resolvedOptions().pluralCategories;

  it("has exactly the English keys", () => {
    expect([...strings.keys()].sort()).toEqual([...english.keys()].sort());
  });

  it("has every plural form the language uses, and only those", () => {
    for (const [key, value] of english) {
      if (typeof value === "string") continue;
      const forms = strings.get(key) as Record<string, string>;
      expect(Object.keys(forms).sort(), key).toEqual([...categories].sort());
    }
  });

  it("uses the same placeholders as English in every string", () => {
    for (const [key, value] of english) {
      const theirs = strings.get(key)!;
      const englishForms = typeof value === "string" ? [value] : Object.values(value);
      const forms = typeof theirs === "string" ? [theirs] : Object.values(theirs);
      for (const form of forms) expect(placeholders(form), `${language} ${key}`).toEqual(placeholders(englishForms.at(-1)!));
    }
  });

  it("leaves no string empty or untranslated by accident", () => {
    for (const [key, value] of strings) {
      for (const form of typeof value === "string" ? [value] : Object.values(value)) expect(form.trim().length, key).toBeGreaterThan(0);
    }
    if (language !== "en") {
      const same = [...strings].filter(([key, value]) => typeof value === "string" && value === english.get(key) && !/^\{\{/.test(value));
      expect(same.map(([key]) => key)).toEqual([]);
    }
  });
});

describe("configuration", () => {
  const extension = parse(readFileSync(path.join(process.cwd(), "extensions/afterglow-thank-you/shopify.extension.toml"), "utf8")) as {
    api_version: string;
    extensions: Array<{
      handle: string;
      type: string;
      targeting: Array<{ target: string; module: string }>;
      capabilities: { network_access: boolean };
      settings: { fields: Array<{ key: string }> };
    }>;
  };
  const app = parse(readFileSync(path.join(process.cwd(), "shopify.app.toml"), "utf8")) as { application_url: string };

  it("targets the thank-you and order status blocks on API 2026-07 with network access", () => {
    expect(extension.api_version).toBe("2026-07");
    const [ext] = extension.extensions;
    expect(ext!.type).toBe("ui_extension");
    expect(ext!.targeting.map((t) => t.target).sort()).toEqual(["customer-account.order-status.block.render", "purchase.thank-you.block.render"]);
    expect(ext!.capabilities.network_access).toBe(true);
    expect(ext!.settings.fields.map((f) => f.key).sort()).toEqual([
      "app_url",
      "hide_points",
      "hide_referral",
      "hide_review",
      "hide_tier",
      "message",
      "show_birthday",
      "survey",
    ]);
  });

  it("calls the app at shopify.app.toml's application_url unless the merchant's setting says otherwise", () => {
    expect(DEFAULT_APP_URL).toBe(app.application_url.replace(/\/$/, ""));
  });
});
