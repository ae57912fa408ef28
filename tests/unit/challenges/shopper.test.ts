import { describe, expect, it } from "vitest";
import { challengeLine, type ChallengeStanding } from "~/challenges/shopper";

const base: ChallengeStanding = { challengeId: "c1", kind: "orders_count", streak: false, badge: "Autumn", remaining: 1, completed: false, currency: "EUR" };

describe("challengeLine", () => {
  it("says what is left in each of the six languages", () => {
    const lines = Object.fromEntries(["en", "sl-SI", "tr", "de", "fr-CA", "es"].map((l) => [l, challengeLine(base, l).text]));
    expect(lines).toEqual({
      en: "1 more order for the Autumn badge",
      "sl-SI": "Še 1 naročilo do značke Autumn",
      tr: "Autumn rozeti için 1 sipariş daha",
      de: "Noch 1 Bestellung bis zum Abzeichen „Autumn“",
      "fr-CA": "Encore 1 commande pour le badge Autumn",
      es: "1 pedido más para la insignia Autumn",
    });
  });

  it("plural forms, Slovenian dual, spend as money in the shopper's format, streak months, earned badges, unknown language → English", () => {
    expect(challengeLine({ ...base, remaining: 2 }, "en").text).toBe("2 more orders for the Autumn badge");
    expect(challengeLine({ ...base, remaining: 2 }, "sl").text).toBe("Še 2 naročili do značke Autumn");
    expect(challengeLine({ ...base, remaining: 5 }, "sl").text).toBe("Še 5 naročil do značke Autumn");
    expect(challengeLine({ ...base, kind: "spend", remaining: 4550 }, "en").text).toBe("€45.50 more for the Autumn badge");
    expect(challengeLine({ ...base, kind: "spend", remaining: 4550 }, "de").text).toBe("Noch 45,50\u00a0€ bis zum Abzeichen „Autumn“");
    expect(challengeLine({ ...base, streak: true, remaining: 2 }, "en").text).toBe("2 more months with an order for the Autumn badge");
    expect(challengeLine({ ...base, completed: true }, "fr").text).toBe("Vous avez obtenu le badge Autumn");
    expect(challengeLine(base, "ja").text).toBe("1 more order for the Autumn badge");
  });
});
