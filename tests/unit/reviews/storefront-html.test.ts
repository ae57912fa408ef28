import { describe, expect, it } from "vitest";
import { html } from "~/lib/html";
import { summariseRatings } from "~/reviews/rating";
import { maskEmail, renderLinkProblem, renderReviewForm, renderReviewsFragment, renderThanks } from "~/reviews/storefront-html";
import { plural } from "~/reviews/storefront-strings";

const XSS = `<script>alert("x")</script><img src=x onerror=alert(1)>"'&`;

describe("the html builder", () => {
  it("escapes every interpolated value but keeps markup built with it", () => {
    expect(html`<p title="${XSS}">${XSS}${html`<b>${"&"}</b>`}${[1, "<i>"]}${null}${false}</p>`.value).toBe(
      '<p title="&lt;script&gt;alert(&quot;x&quot;)&lt;/script&gt;&lt;img src=x onerror=alert(1)&gt;&quot;&#39;&amp;">&lt;script&gt;alert(&quot;x&quot;)&lt;/script&gt;&lt;img src=x onerror=alert(1)&gt;&quot;&#39;&amp;<b>&amp;</b>1&lt;i&gt;</p>',
    );
  });
});

describe("shopper pages", () => {
  const product = { productGid: "gid://shopify/Product/1", title: `Candle ${XSS}`, existing: null };

  it("GIVEN hostile text everywhere THEN the form shows it as text: no tag, no handler, no script", () => {
    const page = renderReviewForm({
      locale: "en",
      shopName: `Shop ${XSS}`,
      orderName: XSS,
      products: [product],
      authorName: XSS,
      incentive: null,
      values: { "rating-0": "5", "title-0": XSS, "body-0": XSS, name: XSS },
      errors: { "title-0": { key: "titleTooLong", params: { max: 120 } } },
    });
    expect(page).not.toContain("<script>");
    expect(page).not.toContain("<img");
    expect(page).toContain("&lt;script&gt;alert(&quot;x&quot;)&lt;/script&gt;");
    expect(page).toContain('aria-invalid="true" aria-describedby="err-title-0"');
  });

  it("GIVEN an e-mail's 4-star link for the second product THEN that product's 4 is checked", () => {
    const page = renderReviewForm({
      locale: "sl",
      shopName: "S",
      orderName: "#1",
      products: [product, { ...product, productGid: "gid://shopify/Product/2" }],
      authorName: "",
      incentive: null,
      preselect: { productGid: "gid://shopify/Product/2", rating: 4 },
    });
    expect(page).toContain('id="rating-1-4" name="rating-1" value="4" checked');
    expect(page).not.toMatch(/name="rating-0" value="\d" checked/);
    expect(page).toContain("Ocenite svoj nakup");
    expect(page).toContain('<html lang="sl">');
  });

  it("GIVEN an existing review THEN the form is filled with it and says sending again replaces it", () => {
    const page = renderReviewForm({
      locale: "de",
      shopName: "S",
      orderName: "#1",
      products: [{ ...product, existing: { rating: 3, title: "Gut", body: "Ja", photoCount: 2 } }],
      authorName: "Anna",
      incentive: null,
    });
    expect(page).toContain('value="3" checked');
    expect(page).toContain('value="Gut"');
    expect(page).toContain("erneutes Absenden ersetzt Ihre Bewertung");
    expect(page).toContain("2 Fotos angehängt");
  });

  it("GIVEN an incentive THEN the form says what the review earns", () => {
    const page = renderReviewForm({
      locale: "fr",
      shopName: "S",
      orderName: "#1",
      products: [product],
      authorName: "",
      incentive: { points: 50, photoBonusPoints: 20, discountPercent: 10 },
    });
    expect(page).toContain("Vous gagnez 50 points pour un avis.");
    expect(page).toContain("20 de plus avec une photo.");
    expect(page).toContain("10 % de réduction");
  });

  it("thanks the shopper, in their language, with an escaped edit link", () => {
    const page = renderThanks({ locale: "tr", shopName: "S", published: false, points: 50, discountPercent: 0, editUrl: '/apps/afterglow/review?token=a"b' });
    expect(page).toContain("Teşekkürler!");
    expect(page).toContain("Hesabınıza 50 puan eklendi.");
    expect(page).toContain('href="/apps/afterglow/review?token=a&quot;b"');
  });

  it.each([
    ["invalid", "This link doesn&#39;t work"],
    ["expired", "This link has expired"],
    ["closed", "This order can no longer be reviewed"],
  ] as const)("explains a %s link", (problem, title) => {
    expect(renderLinkProblem("en", problem)).toContain(title);
  });

  it("masks the address on the unsubscribe page", () => {
    expect(maskEmail("ana.novak@example.si")).toBe("a•••@example.si");
  });
});

describe("the reviews list fragment", () => {
  const review = {
    id: "r1",
    rating: 4,
    title: XSS,
    body: `${XSS}\n\nsecond`,
    authorName: XSS,
    verifiedBuyer: true,
    incentivised: true,
    reply: XSS,
    publishedAt: "2026-03-01T10:00:00.000Z",
    photoIds: ["p1"],
  };
  it("GIVEN hostile review text THEN the fragment shows it as text", () => {
    const fragment = renderReviewsFragment({
      locale: "en",
      shopName: "S",
      summary: summariseRatings([4, 5]),
      reviews: [review],
      page: 1,
      hasMore: true,
      pathPrefix: "/apps/afterglow",
    });
    expect(fragment).not.toContain("<script>");
    expect(fragment).not.toContain("<img src=x");
    expect(fragment).toContain("&lt;script&gt;");
    expect(fragment).toContain("Verified buyer");
    expect(fragment).toContain("Received a reward for reviewing");
    expect(fragment).toContain('src="/apps/afterglow/photo?id=p1"');
    expect(fragment).toContain('data-agr-page="2"');
    expect(fragment).toContain("2 reviews");
  });

  it("uses Slovenian plural forms", () => {
    const forms = { one: "{n} ocena", two: "{n} oceni", few: "{n} ocene", other: "{n} ocen" };
    expect([1, 2, 3, 5, 101, 102].map((n) => plural("sl", forms, n))).toEqual(["1 ocena", "2 oceni", "3 ocene", "5 ocen", "101 ocena", "102 oceni"]);
  });
});
