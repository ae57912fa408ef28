import { describe, expect, it } from "vitest";
import { REMINDER_LOCALES, renderCheckoutReminder } from "~/checkouts/reminder-mail";

const values = { shopName: "Svečke", firstName: "Maja", recoveryUrl: "https://svecke.example/checkouts/t/recover?key=k", totalMinor: 4590, currency: "EUR" };

describe("renderCheckoutReminder", () => {
  it.each(REMINDER_LOCALES)("in %s: names the shop, shows the total and the link back, with and without a code", (locale) => {
    const plain = renderCheckoutReminder(locale, { ...values, code: null, offer: null });
    expect(plain.locale).toBe(locale);
    expect(plain.subject).toContain("Svečke");
    expect(plain.text).toContain("Maja");
    expect(plain.text).toContain(values.recoveryUrl);
    expect(plain.text).toMatch(/45[.,]90/);
    expect(plain.text).not.toContain("SAVE15");
    const withCode = renderCheckoutReminder(locale, { ...values, code: "SAVE15", offer: "15%" });
    expect(withCode.text).toContain("SAVE15");
    expect(withCode.text).toContain("15%");
  });

  it("falls back to English, and greets without a name", () => {
    const mail = renderCheckoutReminder("ja-JP", { ...values, firstName: null, code: null, offer: null });
    expect(mail.locale).toBe("en");
    expect(mail.text.split("\n")[0]).toBe("Hi,");
    expect(mail.text).toContain("your checkout of €45.90 is still waiting for you.");
  });
});
