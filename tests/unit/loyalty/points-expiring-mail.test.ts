// The loyalty scan's warning e-mail, in every language the app writes.
import { describe, expect, it } from "vitest";
import { MAIL_LOCALES, renderMail } from "~/mail/templates";

describe("points-expiring e-mail", () => {
  it.each(MAIL_LOCALES)("%s: says how many points and when, with the shop's name", (locale) => {
    const mail = renderMail("points-expiring", locale, { shopName: "Svečke", firstName: "Ana", points: "1,250", expires: "10. 1. 2027" });
    expect(mail.locale).toBe(locale);
    expect(mail.subject).toContain("1,250");
    expect(mail.subject).toContain("Svečke");
    expect(mail.text).toContain("1,250");
    expect(mail.text).toContain("10. 1. 2027");
    expect(mail.text).toContain("Ana");
    expect(mail.text).not.toMatch(/\{\w+\}/);
  });

  it("falls back to English for other languages", () => {
    expect(renderMail("points-expiring", "ja-JP", { shopName: "S", points: "5", expires: "x" }).subject).toBe("Your 5 points at S expire soon");
  });
});
