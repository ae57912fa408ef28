import { readdirSync } from "node:fs";
import { describe, expect, it } from "vitest";
import { MAIL_LOCALES } from "~/mail/templates";
import { fill, plural, STOREFRONT_STRINGS, storefrontStrings } from "~/reviews/storefront-strings";

const placeholders = (s: string) => [...s.matchAll(/\{(\w+)\}/g)].map((m) => m[1]).sort();
const en = STOREFRONT_STRINGS.en as unknown as Record<string, unknown>;

describe("storefront strings, one JSON file per locale", () => {
  it("GIVEN the strings folder THEN every file is a locale the app loads, and every locale has its file", () => {
    const files = readdirSync(new URL("../../../app/reviews/strings", import.meta.url)).sort();
    expect(files).toEqual(MAIL_LOCALES.map((locale) => `${locale}.json`).sort());
  });

  describe.each(MAIL_LOCALES.filter((l) => l !== "en"))("%s", (locale) => {
    const strings = STOREFRONT_STRINGS[locale] as unknown as Record<string, unknown>;

    it("has exactly the keys of en", () => {
      expect(Object.keys(strings).sort()).toEqual(Object.keys(en).sort());
    });

    it("uses the same {placeholders} as en in every string, list entry and plural form", () => {
      for (const [key, english] of Object.entries(en)) {
        const translated = strings[key];
        if (typeof english === "string") {
          expect(typeof translated, `${locale}.${key}`).toBe("string");
          expect(translated, `${locale}.${key}`).not.toBe("");
          expect(placeholders(translated as string), `${locale}.${key}`).toEqual(placeholders(english));
        } else if (Array.isArray(english)) {
          expect(translated, `${locale}.${key}`).toHaveLength(english.length);
          (translated as string[]).forEach((entry, i) => expect(placeholders(entry), `${locale}.${key}.${i}`).toEqual(placeholders(english[i] as string)));
        } else {
          // A plural: the forms the locale's grammar needs (Slovenian adds two and few), each with en's placeholders.
          const forms = translated as Record<string, string>;
          const wanted = placeholders((english as Record<string, string>).other!);
          expect(Object.keys(forms), `${locale}.${key}`).toEqual(expect.arrayContaining(["one", "other"]));
          const categories = new Intl.PluralRules(locale).resolvedOptions().pluralCategories;
          for (const [form, text] of Object.entries(forms)) {
            expect(categories, `${locale}.${key}.${form}`).toContain(form);
            expect(placeholders(text), `${locale}.${key}.${form}`).toEqual(wanted);
          }
        }
      }
    });
  });

  it("GIVEN a shopper's locale THEN the page reads in it, falling back to English", () => {
    expect(storefrontStrings("sl-SI").t.formTitle).toBe("Ocenite svoj nakup");
    expect(storefrontStrings("xx").locale).toBe("en");
    expect(STOREFRONT_STRINGS.en.starNames).toHaveLength(5);
    expect(fill(storefrontStrings("tr").t.orderLine, { order: "#1001" })).toContain("#1001");
    expect(plural("sl", STOREFRONT_STRINGS.sl.reviewsCount, 2)).toBe(STOREFRONT_STRINGS.sl.reviewsCount.two!.replace("{n}", "2"));
  });
});
