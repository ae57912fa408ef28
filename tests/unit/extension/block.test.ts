// @vitest-environment happy-dom
// The shopper's block as Shopify would run it: a stubbed `shopify` global (signals, the extension's own locale
// files, a session token), fetch answered by the test. Every state — loading, ready, guest, network error and a
// retry, processing, answered — and every language.
import { h, render } from "preact";
import { act } from "preact/test-utils";
import { afterEach, beforeEach, describe, expect, it, vi } from "vitest";
import { COMMENT_MAX as APP_COMMENT_MAX } from "~/surveys/survey";
import type { ThankYouView } from "~/thank-you/contract";
import { timing } from "../../../extensions/afterglow-thank-you/src/api";
import { Block, COMMENT_MAX } from "../../../extensions/afterglow-thank-you/src/Block";
import { fullView, guestView, LANGUAGES, localeFile, shopifyStub, translator, type StubOptions } from "../../support/extension/shopify-stub";

type Call = { url: string; method: string; headers: Headers; body: unknown };
let calls: Call[];
let container: HTMLElement;

function answer(status: number, body: unknown) {
  return new Response(JSON.stringify(body), { status, headers: { "Content-Type": "application/json" } });
}

/** fetch answered by `route`; every request recorded. */
function stubFetch(route: (call: Call) => Response | Promise<Response>) {
  globalThis.fetch = vi.fn(async (input: RequestInfo | URL, init?: RequestInit) => {
    const call: Call = {
      url: String(input),
      method: init?.method ?? "GET",
      headers: new Headers(init?.headers),
      body: init?.body ? JSON.parse(String(init.body)) : null,
    };
    calls.push(call);
    return route(call);
  }) as typeof fetch;
}

async function mount(options: StubOptions = {}) {
  (globalThis as unknown as { shopify: unknown }).shopify = shopifyStub(options);
  await act(async () => {
    render(h(Block, {}), container);
  });
}

async function until(check: () => boolean, what: string) {
  for (let i = 0; i < 200; i++) {
    if (check()) return;
    await act(async () => {
      await new Promise((resolve) => setTimeout(resolve, 5));
    });
  }
  throw new Error(`timed out waiting for ${what}; the block shows:\n${container.innerHTML.slice(0, 3000)}`);
}

const text = () => container.textContent ?? "";
const shown = (s: string) => () => text().includes(s);
const en = translator(localeFile("en"), "en");
const el = <T extends Element = HTMLElement>(selector: string) => {
  const found = container.querySelector(selector);
  if (!found) throw new Error(`no ${selector} in:\n${container.innerHTML.slice(0, 2000)}`);
  return found as unknown as T;
};
const buttonNamed = (name: string) => {
  const button = [...container.querySelectorAll("s-button")].find((b) => b.textContent?.trim() === name);
  if (!button) throw new Error(`no button "${name}" in:\n${container.innerHTML.slice(0, 2000)}`);
  return button as HTMLElement;
};
const click = (target: HTMLElement) => act(async () => void target.click());
function change(target: HTMLElement, values: { value?: string; values?: string[] }) {
  return act(async () => {
    Object.assign(target, values);
    target.dispatchEvent(new Event("change"));
  });
}

/** The shopper types into a field: its value, then the input event the block listens to. */
function type(target: HTMLElement, value: string) {
  return act(async () => {
    Object.assign(target, { value });
    target.dispatchEvent(new Event("input"));
  });
}

beforeEach(() => {
  calls = [];
  container = document.createElement("div");
  document.body.appendChild(container);
  timing.retryMs = [1000, 2000];
});

afterEach(() => {
  render(null, container);
  container.remove();
});

describe("states", () => {
  it("GIVEN the API has not answered THEN a skeleton is shown, nothing else", async () => {
    stubFetch(() => new Promise<Response>(() => {}));
    await mount();
    expect(container.querySelectorAll("s-skeleton-paragraph").length).toBeGreaterThan(0);
    expect(text()).not.toContain(en("heading"));
  });

  it("GIVEN a logged-in customer WHEN the view arrives THEN thanks by name, points, tier progress, survey, referral and birthday", async () => {
    stubFetch(() => answer(200, fullView()));
    await mount();
    await until(shown("Thank you, Maja!"), "the heading");
    expect(text()).toContain("You earned 45 points with this order");
    expect(text()).toContain("Pending");
    expect(text()).toContain("Yours to spend from Dec 11, 2026");
    expect(text()).toContain("Your balance: 1,280 points, plus 45 on the way");
    expect(text()).toContain("120 points to Gold");
    expect(el("s-progress").getAttribute("value") ?? String((el("s-progress") as unknown as { value: number }).value)).toBe("0.76");
    expect(el("s-choice-list").getAttribute("label")).toBe("How likely are you to recommend us to a friend?");
    expect(container.querySelectorAll("s-choice").length).toBe(11);
    expect(text()).toContain("Your code: FRIEND-7KQ2XM");
    expect(text()).toContain("https://glow.example/discount/FRIEND-7KQ2XM");
    expect(text()).toContain("When's your birthday?");
    // The request: the session token, the order from the thank-you page, the surface.
    expect(calls).toHaveLength(1);
    expect(calls[0]!.url).toBe("https://app.test/api/thank-you?orderId=gid%3A%2F%2Fshopify%2FOrderIdentity%2F1001&surface=thank-you");
    expect(calls[0]!.headers.get("Authorization")).toBe("Bearer session-token");
  });

  it("GIVEN a guest checkout THEN the thanks and the survey, an invitation to sign up, and nothing of an account", async () => {
    stubFetch(() => answer(200, guestView()));
    await mount({ customer: null });
    await until(shown(en("heading")), "the heading");
    expect(text()).toContain(en("guest"));
    expect(container.querySelector("s-choice-list")).not.toBeNull();
    expect(text()).not.toContain("points with this order");
    expect(text()).not.toContain("FRIEND-");
    expect(text()).not.toContain("birthday");
  });

  it("GIVEN the network fails THEN an error banner with a retry that loads the block", async () => {
    let fail = true;
    stubFetch(() => (fail ? Promise.reject(new TypeError("Failed to fetch")) : answer(200, fullView())));
    await mount();
    await until(() => container.querySelector("s-banner") !== null, "the error banner");
    expect(el("s-banner").getAttribute("heading")).toBe(en("error.title"));
    expect(el("s-banner").getAttribute("tone")).toBe("critical");
    fail = false;
    await click(buttonNamed(en("error.retry")));
    await until(shown("Thank you, Maja!"), "the block after the retry");
    expect(container.querySelector("s-banner")).toBeNull();
  });

  it("GIVEN the app answers 401 (an expired token) THEN the error state, not an empty block: the shopper reads why, sees none of the data, and Try again loads the block", async () => {
    let refuse = true;
    stubFetch(() => (refuse ? answer(401, { error: "unauthorized" }) : answer(200, fullView())));
    await mount();
    await until(() => container.querySelector("s-banner") !== null, "the error banner");
    expect(el("s-banner").getAttribute("heading")).toBe(en("error.title"));
    expect(el("s-banner").getAttribute("tone")).toBe("critical");
    expect(text()).toContain(en("error.body"));
    // Nothing of the refused answer is shown as if it were the shopper's data.
    expect(text()).not.toContain("points");
    expect(container.querySelector("s-choice-list")).toBeNull();
    expect(calls).toHaveLength(1);
    refuse = false;
    await click(buttonNamed(en("error.retry")));
    await until(shown("Thank you, Maja!"), "the block after the retry");
    expect(calls).toHaveLength(2);
    expect(calls[1]!.headers.get("Authorization")).toBe("Bearer session-token");
    expect(container.querySelector("s-banner")).toBeNull();
  });

  it("GIVEN the order is still on its way to the app THEN it asks again and then shows it", async () => {
    timing.retryMs = [0, 0, 0];
    let n = 0;
    stubFetch(() => answer(200, ++n < 3 ? { ...fullView(), status: "processing" } : fullView()));
    await mount();
    await until(shown("You earned 45 points"), "the points");
    expect(calls.length).toBe(3);
  });

  it("GIVEN the survey was answered before THEN thanks instead of the question", async () => {
    stubFetch(() => answer(200, fullView({ answered: { nps: { score: 9, answer: "9" } } })));
    await mount();
    await until(shown(en("survey.thanks")), "the thanks");
    expect(container.querySelector("s-choice-list")).toBeNull();
  });

  it("GIVEN the shopper picks 3 and sends THEN the answer is posted for this order and question, and thanked", async () => {
    stubFetch((call) => (call.method === "POST" ? answer(200, { recorded: true, answer: { score: 3, answer: "3" } }) : answer(200, fullView())));
    await mount();
    await until(() => container.querySelector("s-choice-list") !== null, "the survey");
    expect(buttonNamed(en("survey.send")).hasAttribute("disabled")).toBe(true);
    await change(el("s-choice-list"), { values: ["3"] });
    await click(buttonNamed(en("survey.send")));
    await until(shown(en("survey.thanks")), "the thanks");
    const post = calls.find((c) => c.method === "POST")!;
    expect(post.url).toBe("https://app.test/api/survey?surface=thank-you");
    expect(post.body).toEqual({ orderId: "gid://shopify/OrderIdentity/1001", questionId: "nps", score: 3 });
  });

  it("GIVEN the shopper picks 9 and writes a comment THEN the comment field appears with the answer and both are posted", async () => {
    stubFetch((call) => (call.method === "POST" ? answer(200, { recorded: true, answer: { score: 9, answer: "9" } }) : answer(200, fullView())));
    await mount();
    await until(() => container.querySelector("s-choice-list") !== null, "the survey");
    expect(container.querySelector("s-text-area")).toBeNull();
    await change(el("s-choice-list"), { values: ["9"] });
    const field = el<HTMLElement & { value: string }>("s-text-area");
    expect(field.getAttribute("label")).toBe(en("survey.comment"));
    // The field stops where the app does.
    expect(COMMENT_MAX).toBe(APP_COMMENT_MAX);
    expect(Number((field as unknown as { maxLength?: number }).maxLength ?? field.getAttribute("maxlength"))).toBe(APP_COMMENT_MAX);
    expect(field.getAttribute("error")).toBeNull();
    await type(field, "  Lovely tea,\nfast delivery.  ");
    await click(buttonNamed(en("survey.send")));
    await until(shown(en("survey.thanks")), "the thanks");
    expect(calls.find((c) => c.method === "POST")!.body).toEqual({
      orderId: "gid://shopify/OrderIdentity/1001",
      questionId: "nps",
      score: 9,
      comment: "Lovely tea,\nfast delivery.",
    });
  });

  it("GIVEN the app refuses the comment (422 comment) THEN its message beside the field, the answer and the comment stay to be sent again", async () => {
    let refuse = true;
    stubFetch((call) =>
      call.method !== "POST"
        ? answer(200, fullView())
        : refuse
          ? answer(422, { errors: { comment: "Keep the comment to 500 characters or fewer" } })
          : answer(200, { recorded: true, answer: { score: 4, answer: "4" } }),
    );
    await mount();
    await until(() => container.querySelector("s-choice-list") !== null, "the survey");
    await change(el("s-choice-list"), { values: ["4"] });
    await type(el("s-text-area"), "x".repeat(501));
    await click(buttonNamed(en("survey.send")));
    await until(() => el("s-text-area").getAttribute("error") !== null, "the comment's error");
    expect(el("s-text-area").getAttribute("error")).toBe(en("survey.commentError", { max: 500 }));
    expect(el("s-text-area").getAttribute("error")).toContain("500");
    expect(text()).not.toContain(en("survey.error"));
    expect(text()).not.toContain(en("survey.thanks"));
    // Shortened, the message goes and so does the comment.
    refuse = false;
    await type(el("s-text-area"), "Too long before.");
    expect(el("s-text-area").getAttribute("error")).toBeNull();
    await click(buttonNamed(en("survey.send")));
    await until(shown(en("survey.thanks")), "the thanks");
    expect(calls.filter((c) => c.method === "POST").map((c) => (c.body as { comment: string }).comment)).toEqual(["x".repeat(501), "Too long before."]);
  });

  it("GIVEN sending the answer fails THEN an error and the question stays", async () => {
    stubFetch((call) => (call.method === "POST" ? answer(422, { errors: { score: "bad" } }) : answer(200, fullView())));
    await mount();
    await until(() => container.querySelector("s-choice-list") !== null, "the survey");
    await change(el("s-choice-list"), { values: ["10"] });
    await click(buttonNamed(en("survey.send")));
    await until(shown(en("survey.error")), "the error");
    expect(container.querySelector("s-choice-list")).not.toBeNull();
  });

  it.each([
    ["csat", 5, "How happy are you with your purchase?"],
    ["source", 6, "How did you hear about us?"],
  ] as const)("GIVEN a %s question THEN its %i choices and its wording", async (kind, choices, wording) => {
    stubFetch((call) =>
      call.method === "POST"
        ? answer(200, { recorded: true, answer: { score: null, answer: "friend" } })
        : answer(200, fullView({ survey: { questionId: `q-${kind}`, kind, question: null } })),
    );
    await mount();
    await until(() => container.querySelector("s-choice-list") !== null, "the survey");
    expect(el("s-choice-list").getAttribute("label")).toBe(wording);
    expect(container.querySelectorAll("s-choice").length).toBe(choices);
    if (kind === "source") {
      expect(text()).toContain("A friend");
      await change(el("s-choice-list"), { values: ["friend"] });
      await click(buttonNamed(en("survey.send")));
      await until(shown(en("survey.thanks")), "the thanks");
      expect(calls.find((c) => c.method === "POST")!.body).toEqual({ orderId: "gid://shopify/OrderIdentity/1001", questionId: "q-source", answer: "friend" });
    }
  });

  it("GIVEN the merchant's own question and message THEN those are shown", async () => {
    stubFetch(() =>
      answer(
        200,
        fullView({ message: "Your tea is on its way.", survey: { questionId: "nps", kind: "nps", question: "Would you tell a friend about our tea?" } }),
      ),
    );
    await mount();
    await until(shown("Your tea is on its way."), "the message");
    expect(el("s-choice-list").getAttribute("label")).toBe("Would you tell a friend about our tea?");
  });

  it("GIVEN no referral code yet THEN it is created on view and shown with copy and share", async () => {
    const referral = fullView().referral!;
    stubFetch((call) => (call.method === "POST" ? answer(200, referral) : answer(200, fullView({ referral: { ...referral, code: null, path: null } }))));
    await mount();
    await until(shown("Your code: FRIEND-7KQ2XM"), "the code");
    expect(calls.find((c) => c.method === "POST")!.url).toBe("https://app.test/api/referral?surface=thank-you");
    expect(container.querySelector("s-clipboard-item#afterglow-code")?.getAttribute("text")).toBe("FRIEND-7KQ2XM");
    expect(buttonNamed(en("referral.copyCode")).getAttribute("commandfor") ?? buttonNamed(en("referral.copyCode")).getAttribute("commandFor")).toBe(
      "afterglow-code",
    );
    const share = buttonNamed(en("referral.share")).getAttribute("href")!;
    expect(decodeURIComponent(share)).toContain("Here's 10% off your first order: https://glow.example/discount/FRIEND-7KQ2XM");
    await act(async () => void el("s-clipboard-item#afterglow-link").dispatchEvent(new Event("copy")));
    expect(text()).toContain(en("referral.copied"));
  });

  it("GIVEN the referral code cannot be created THEN a gentle error, the rest of the block stays", async () => {
    const referral = { ...fullView().referral!, code: null, path: null };
    stubFetch((call) => (call.method === "POST" ? answer(503, { error: "try_again" }) : answer(200, fullView({ referral }))));
    await mount();
    await until(shown(en("referral.error")), "the referral error");
    expect(text()).toContain("You earned 45 points");
  });

  it("GIVEN a shop rewarding referrals with a code THEN the text says so", async () => {
    stubFetch(() => answer(200, fullView({ referral: { ...fullView().referral!, reward: { kind: "code", percent: 15 } } })));
    await mount();
    await until(shown("you get 15% off once they've ordered"), "the code reward");
  });

  it("GIVEN a shop whose friends get a fixed amount off from a minimum order THEN the amount and the minimum are shown in the shopper's currency", async () => {
    const referral = fullView().referral!;
    stubFetch(() =>
      answer(
        200,
        fullView({
          referral: {
            ...referral,
            friendDiscount: { type: "fixed_amount", amountMinor: 500, currency: "EUR" },
            minimumOrder: { amountMinor: 3000, currency: "EUR" },
          },
        }),
      ),
    );
    await mount();
    await until(shown("Give €5.00 off, get a reward"), "the fixed-amount heading");
    expect(text()).toContain("Friends get €5.00 off their first order, and you get 200 points once they've ordered.");
    expect(text()).toContain("The friend's discount applies to orders from €30.00.");
  });

  it("GIVEN the shopper gives 14 March THEN it is saved as 03-14 and confirmed in words", async () => {
    stubFetch((call) => (call.method === "POST" ? answer(200, { birthday: "03-14", saved: true }) : answer(200, fullView())));
    await mount();
    await until(shown("When's your birthday?"), "the birthday field");
    const [month, day] = [...container.querySelectorAll("s-select")] as HTMLElement[];
    expect([...month!.querySelectorAll("s-option")].map((o) => o.textContent)).toContain("March");
    await change(month!, { value: "03" });
    await change(day!, { value: "14" });
    await click(buttonNamed(en("birthday.save")));
    await until(shown("We'll celebrate with you on March 14."), "the confirmation");
    expect(calls.find((c) => c.method === "POST")!.body).toEqual({ birthday: "03-14" });
  });

  it("GIVEN the top tier THEN no progress bar, a congratulation", async () => {
    stubFetch(() => answer(200, fullView({ tier: { current: "Gold", next: null, remaining: 0, basis: "points", currency: "EUR", progress: 1 } })));
    await mount();
    await until(shown("You've reached Gold, our top tier"), "the top tier");
    expect(container.querySelector("s-progress")).toBeNull();
  });

  it("GIVEN tiers by money spent THEN the amount to go in the shop's currency", async () => {
    stubFetch(() => answer(200, fullView({ tier: { current: null, next: "Gold", remaining: 4550, basis: "spent", currency: "EUR", progress: 0.5 } })));
    await mount();
    await until(shown("Spend €45.50 more to reach Gold"), "the money to go");
  });

  it("GIVEN no flow chose blocks for the order THEN the settings decide (survey kind, birthday on, referral off)", async () => {
    stubFetch(() => answer(200, fullView({ blocks: null, survey: null })));
    await mount({ settings: { app_url: "https://app.test/", survey: "csat", show_birthday: true, hide_referral: true } });
    await until(() => container.querySelector("s-choice-list") !== null, "the survey");
    expect(container.querySelectorAll("s-choice").length).toBe(5);
    expect(text()).not.toContain("FRIEND-");
    expect(text()).toContain("When's your birthday?");
    expect(calls[0]!.url.startsWith("https://app.test/api/thank-you?")).toBe(true);
  });

  it("GIVEN a flow naming only the thanks THEN the editor's points, survey and referral still show, and both messages", async () => {
    stubFetch(() => answer(200, fullView({ blocks: ["thank_you"], survey: null, message: "Your first order: 100 bonus points!" })));
    await mount({ settings: { app_url: "https://app.test", message: "Thanks from Ana's tea shop." } });
    await until(shown("Thank you, Maja!"), "the heading");
    const paragraphs = [...container.querySelectorAll("s-paragraph")].map((p) => p.textContent);
    expect(paragraphs).toEqual(["Thanks from Ana's tea shop.", "Your first order: 100 bonus points!"]);
    expect(text()).not.toContain(en("message"));
    expect(text()).toContain("You earned 45 points");
    expect(text()).toContain("Your code: FRIEND-7KQ2XM");
    expect(el("s-choice-list").getAttribute("label")).toBe(en("survey.nps"));
  });

  it("GIVEN everything off in the editor and a flow adding a survey THEN the flow's question, nothing the flow did not add", async () => {
    stubFetch(() => answer(200, fullView({ blocks: ["thank_you", "survey"], survey: { questionId: "q-csat", kind: "csat", question: null } })));
    await mount({ settings: { app_url: "https://app.test", hide_points: true, hide_tier: true, hide_referral: true, survey: "none" } });
    await until(() => container.querySelector("s-choice-list") !== null, "the survey");
    expect(el("s-choice-list").getAttribute("label")).toBe(en("survey.csat"));
    expect(text()).toContain(en("message"));
    expect(text()).not.toContain("You earned");
    expect(text()).not.toContain("FRIEND-");
  });

  it("GIVEN the order status page of a fulfilled order THEN the review invitation, and the order's own id", async () => {
    stubFetch(() => answer(200, fullView({ review: { url: "https://glow-demo.myshopify.com/apps/afterglow/reviews/tok" } })));
    await mount({ target: "customer-account.order-status.block.render", orderId: "gid://shopify/Order/1001" });
    await until(shown(en("review.heading")), "the review invitation");
    expect(buttonNamed(en("review.button")).getAttribute("href")).toBe("https://glow-demo.myshopify.com/apps/afterglow/reviews/tok");
    expect(calls[0]!.url).toBe("https://app.test/api/thank-you?orderId=gid%3A%2F%2Fshopify%2FOrder%2F1001&surface=order-status");
  });

  it("GIVEN the thank-you page THEN no review invitation even when there is a link", async () => {
    stubFetch(() => answer(200, fullView({ blocks: ["thank_you", "review_cta"], review: { url: "https://x.test/r" } })));
    await mount();
    await until(shown("Thank you, Maja!"), "the heading");
    expect(text()).not.toContain(en("review.heading"));
  });
});

describe.each(LANGUAGES)("in %s", (language) => {
  const t = translator(localeFile(language), language);
  const number = (n: number) => new Intl.NumberFormat(language).format(n);

  it("GIVEN the full view THEN every text is translated, numbers and dates in the shopper's locale", async () => {
    stubFetch(() => answer(200, fullView()));
    await mount({ language });
    await until(shown(t("headingName", { name: "Maja" })), "the heading");
    const all = text();
    expect(all).toContain(t("points.earned", { count: 45, points: number(45) }));
    expect(all).toContain(t("points.balancePending", { count: 1280, points: number(1280), pending: number(45) }));
    expect(all).toContain(number(1280));
    expect(all).toContain(
      t("points.availableOn", { date: new Intl.DateTimeFormat(language, { dateStyle: "medium" }).format(new Date("2026-12-11T10:00:00.000Z")) }),
    );
    expect(all).toContain(t("tier.pointsToNext", { count: 120, points: number(120), tier: "Gold" }));
    expect(el("s-choice-list").getAttribute("label")).toBe(t("survey.nps"));
    expect(all).toContain(t("referral.heading", { offer: new Intl.NumberFormat(language, { style: "percent" }).format(0.1) }));
    expect(all).toContain(t("birthday.heading"));
    const months = [...container.querySelectorAll("s-select")[0]!.querySelectorAll("s-option")].map((o) => o.textContent);
    expect(months[2]).toBe(new Intl.DateTimeFormat(language, { month: "long", timeZone: "UTC" }).format(new Date(Date.UTC(2000, 2, 1))));
    // No key left untranslated, no placeholder left unfilled.
    expect(all).not.toMatch(/\{\{|\b(points|tier|survey|referral|birthday|review|error)\.[a-zA-Z]+/);
    if (language !== "en") expect(all).not.toContain("You earned");
  });

  it("GIVEN a score picked THEN the comment field's label and the refused comment's message in the shopper's language", async () => {
    stubFetch((call) =>
      call.method === "POST" ? answer(422, { errors: { comment: "Keep the comment to 500 characters or fewer" } }) : answer(200, fullView()),
    );
    await mount({ language });
    await until(() => container.querySelector("s-choice-list") !== null, "the survey");
    await change(el("s-choice-list"), { values: ["8"] });
    expect(el("s-text-area").getAttribute("label")).toBe(t("survey.comment"));
    await type(el("s-text-area"), "?".repeat(501));
    await click(buttonNamed(t("survey.send")));
    await until(() => el("s-text-area").getAttribute("error") !== null, "the comment's error");
    expect(el("s-text-area").getAttribute("error")).toBe(t("survey.commentError", { max: 500 }));
    if (language !== "en") expect(el("s-text-area").getAttribute("error")).not.toBe(en("survey.commentError", { max: 500 }));
  });

  it("GIVEN the network fails THEN the error is in the shopper's language", async () => {
    stubFetch(() => Promise.reject(new TypeError("offline")));
    await mount({ language });
    await until(() => container.querySelector("s-banner") !== null, "the error banner");
    expect(el("s-banner").getAttribute("heading")).toBe(t("error.title"));
    expect(text()).toContain(t("error.retry"));
  });

  it("GIVEN a guest THEN the sign-up invitation in the shopper's language", async () => {
    stubFetch(() => answer(200, guestView()));
    await mount({ language, customer: null });
    await until(shown(t("guest")), "the guest text");
    expect(text()).toContain(t("heading"));
  });

  it("GIVEN an answered survey and a saved birthday THEN thanks and the date in the shopper's words", async () => {
    stubFetch(() => answer(200, fullView({ answered: { nps: { score: 3, answer: "3" } }, birthday: { value: "03-14" } })));
    await mount({ language });
    await until(shown(t("survey.thanks")), "the thanks");
    const date = new Intl.DateTimeFormat(language, { month: "long", day: "numeric", timeZone: "UTC" }).format(new Date(Date.UTC(2000, 2, 14)));
    expect(text()).toContain(t("birthday.saved", { date }));
  });

  it("GIVEN tiers by money spent THEN the money in the shopper's locale", async () => {
    stubFetch(() => answer(200, fullView({ tier: { current: null, next: "Gold", remaining: 4550, basis: "spent", currency: "EUR", progress: 0.5 } })));
    await mount({ language });
    const amount = new Intl.NumberFormat(language, { style: "currency", currency: "EUR" }).format(45.5);
    await until(shown(t("tier.spendToNext", { amount, tier: "Gold" })), "the money to go");
  });
});

describe("the entry module", () => {
  it("GIVEN Shopify calls the target's default export THEN the block renders into document.body", async () => {
    stubFetch(() => answer(200, fullView()));
    (globalThis as unknown as { shopify: unknown }).shopify = shopifyStub();
    const entry = (await import("../../../extensions/afterglow-thank-you/src/index")).default;
    await act(async () => {
      await entry();
    });
    for (let i = 0; i < 100 && !document.body.textContent?.includes("Thank you, Maja!"); i++)
      await act(async () => void (await new Promise((r) => setTimeout(r, 5))));
    expect(document.body.textContent).toContain("Thank you, Maja!");
    render(null, document.body);
  });
});

// Keep the type import used (the contract is what the fixtures are typed by).
export type { ThankYouView };
