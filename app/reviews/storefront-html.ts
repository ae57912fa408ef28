// The shopper's pages (served through the app proxy as plain HTML: no theme, no script) and the reviews list
// fragment the theme block loads. Mobile first, localised, and every value escaped (see html.ts).
import { html, trusted, type SafeHtml } from "~/lib/html";
import type { ReviewIncentive } from "./settings";
import { fill, plural, storefrontStrings, type StorefrontLocale, type StorefrontStrings } from "./storefront-strings";
import { fieldNames, PHOTO_MAX_BYTES, PHOTOS_MAX, TITLE_MAX, BODY_MAX, NAME_MAX, type FieldError } from "./submission";
import type { RatingSummary } from "./rating";

const PAGE_CSS = trusted(`
*{box-sizing:border-box}
body{margin:0;background:#f6f6f7;color:#202223;font:16px/1.5 -apple-system,BlinkMacSystemFont,"Segoe UI",Roboto,Helvetica,Arial,sans-serif}
main{max-width:640px;margin:0 auto;padding:16px}
h1{font-size:24px;line-height:1.25;margin:8px 0 4px}
h2{font-size:18px;margin:0 0 8px}
.shop{font-size:13px;font-weight:700;letter-spacing:.05em;text-transform:uppercase;color:#616161;margin:8px 0 0}
.intro{color:#4a4a4a;margin:0 0 12px}
.badge{display:inline-flex;align-items:center;gap:4px;font-size:13px;font-weight:600;color:#0b6e4f;background:#e3f5ec;border-radius:999px;padding:2px 10px}
.card{background:#fff;border-radius:12px;padding:16px;margin:12px 0;box-shadow:0 1px 2px rgba(0,0,0,.08)}
.note{font-size:14px;color:#616161;margin:4px 0 8px}
.incentive{background:#f1f8f5;border-radius:8px;padding:10px 12px;font-size:15px;margin:12px 0}
fieldset{border:0;margin:0 0 8px;padding:0}
legend{font-weight:600;margin:0 0 4px;padding:0}
.stars{display:flex;flex-direction:row-reverse;justify-content:flex-end;gap:2px}
.stars input{position:absolute;opacity:0;width:1px;height:1px}
.stars label{font-size:40px;line-height:48px;width:48px;text-align:center;color:#c9cccf;cursor:pointer;user-select:none}
.stars input:checked~label,.stars label:hover,.stars label:hover~label{color:#f5a623}
.stars input:focus-visible+label{outline:2px solid #005bd3;outline-offset:2px;border-radius:6px}
label.field{display:block;font-weight:600;margin:12px 0 4px}
input[type=text],textarea{width:100%;font:inherit;font-size:16px;padding:10px 12px;border:1px solid #8c9196;border-radius:8px;background:#fff;color:inherit}
textarea{min-height:120px;resize:vertical}
input[type=file]{font-size:15px;max-width:100%}
.hint{font-size:13px;color:#616161;margin:4px 0 0}
.error{color:#8e1f0b;font-size:14px;font-weight:600;margin:4px 0 0}
[aria-invalid=true]{border-color:#c70a24!important}
.errors{background:#fff4f4;border:1px solid #fdc9c9;border-radius:12px;padding:12px 16px;margin:12px 0}
.errors ul{margin:4px 0 0;padding-left:20px}
.errors a{color:#8e1f0b}
button{display:block;width:100%;min-height:52px;margin:16px 0 24px;font:inherit;font-weight:700;font-size:17px;color:#fff;background:#202223;border:0;border-radius:10px;cursor:pointer}
button:focus-visible{outline:3px solid #005bd3;outline-offset:2px}
.hp{position:absolute;left:-10000px;width:1px;height:1px;overflow:hidden}
.sr{position:absolute;width:1px;height:1px;overflow:hidden;clip:rect(0 0 0 0);white-space:nowrap}
a.button{display:inline-block;margin-top:8px;color:#005bd3}
@media (min-width:600px){main{padding:32px 16px}h1{font-size:28px}}
`);

function page(locale: StorefrontLocale, title: string, body: SafeHtml): string {
  return html`<!doctype html>
<html lang="${locale}"><head><meta charset="utf-8"><meta name="viewport" content="width=device-width,initial-scale=1"><meta name="robots" content="noindex,nofollow"><meta name="referrer" content="no-referrer"><title>${title}</title><style>${PAGE_CSS}</style></head>
<body><main>${body}</main></body></html>`.value;
}

/** Security headers for every page we serve to shoppers: no script at all, nothing framed. */
export const PAGE_HEADERS: Record<string, string> = {
  "Content-Type": "text/html; charset=utf-8",
  "Content-Security-Policy": "default-src 'none'; style-src 'unsafe-inline'; img-src 'self' data:; form-action 'self'; base-uri 'none'; frame-ancestors 'none'",
  "X-Content-Type-Options": "nosniff",
  "Referrer-Policy": "no-referrer",
  "Cache-Control": "private, no-store",
};

export interface FormProduct {
  productGid: string;
  title: string;
  existing: { rating: number; title: string; body: string; photoCount: number } | null;
}

export interface FormModel {
  locale: string | null;
  shopName: string;
  orderName: string | null;
  products: FormProduct[];
  authorName: string;
  incentive: ReviewIncentive | null;
  errors?: Record<string, FieldError>;
  /** What the shopper typed (after a refused submit). */
  values?: Record<string, string>;
  /** From an e-mail's star link: rate this product (or the first) with this many stars. */
  preselect?: { productGid: string | null; rating: number | null };
}

export function errorText(t: StorefrontStrings, error: FieldError): string {
  return fill(t[error.key], error.params);
}

export function renderReviewForm(model: FormModel): string {
  const { locale, t } = storefrontStrings(model.locale);
  const errors = model.errors ?? {};
  const values = model.values;
  const errorList = Object.entries(errors);
  const summary = errorList.length
    ? html`<div class="errors" role="alert"><strong>${t.errorsTitle}</strong><ul>${errorList.map(([field, e]) => html`<li><a href="#${field}">${errorText(t, e)}</a></li>`)}</ul></div>`
    : null;
  const incentive = incentiveLines(t, model.incentive);
  const products = model.products.map((p, i) => {
    const f = fieldNames(i);
    const preselected =
      model.preselect?.rating && (model.preselect.productGid ? model.preselect.productGid === p.productGid : i === 0) ? String(model.preselect.rating) : "";
    const rating = values ? (values[f.rating] ?? "") : p.existing ? String(p.existing.rating) : preselected;
    const title = values ? (values[f.title] ?? "") : (p.existing?.title ?? "");
    const body = values ? (values[f.body] ?? "") : (p.existing?.body ?? "");
    const fieldError = (name: string) => (errors[name] ? html`<p class="error" id="err-${name}">${errorText(t, errors[name]!)}</p>` : null);
    const invalid = (name: string) => (errors[name] ? html` aria-invalid="true" aria-describedby="err-${name}"` : null);
    const stars = [5, 4, 3, 2, 1].map(
      (n) =>
        html`<input type="radio" id="${f.rating}-${n}" name="${f.rating}" value="${n}"${rating === String(n) ? html` checked` : null}${n === 5 ? invalid(f.rating) : null}><label for="${f.rating}-${n}" title="${t.starNames[n - 1]!}">★<span class="sr">${fill(t.starLabel, { n, name: t.starNames[n - 1]! })}</span></label>`,
    );
    return html`<section class="card" aria-labelledby="product-${i}">
<h2 id="product-${i}">${p.title}</h2>
${p.existing ? html`<p class="note">${t.editNote}</p>` : null}
<fieldset id="${f.rating}"><legend>${t.ratingLegend}</legend><div class="stars">${stars}</div>${fieldError(f.rating)}</fieldset>
<label class="field" for="${f.title}">${t.titleLabel}</label>
<input type="text" id="${f.title}" name="${f.title}" maxlength="${TITLE_MAX}" value="${title}" placeholder="${t.titlePlaceholder}"${invalid(f.title)}>${fieldError(f.title)}
<label class="field" for="${f.body}">${t.bodyLabel}</label>
<textarea id="${f.body}" name="${f.body}" rows="5" maxlength="${BODY_MAX}" placeholder="${t.bodyPlaceholder}"${invalid(f.body)}>${body}</textarea>${fieldError(f.body)}
<label class="field" for="${f.photos}">${t.photosLabel}</label>
<input type="file" id="${f.photos}" name="${f.photos}" accept="image/jpeg,image/png,image/webp" multiple${invalid(f.photos)}>
<p class="hint">${fill(t.photosHint, { max: PHOTOS_MAX, mb: PHOTO_MAX_BYTES / 1024 / 1024 })}${p.existing?.photoCount ? html` · ${plural(locale, t.photosAttached, p.existing.photoCount)}` : null}</p>${fieldError(f.photos)}
</section>`;
  });
  const name = values?.name ?? model.authorName;
  const body = html`<p class="shop">${model.shopName}</p>
<h1>${t.formTitle}</h1>
<p class="intro">${fill(t.formIntro, { shop: model.shopName })}</p>
<p><span class="badge">✓ ${t.verifiedBuyer}</span>${model.orderName ? html` <span class="note">${fill(t.orderLine, { order: model.orderName })}</span>` : null}</p>
${incentive.length ? html`<p class="incentive">${incentive.map((line, i) => html`${i > 0 ? html`<br>` : null}${line}`)}</p>` : null}
${summary}
<form method="post" enctype="multipart/form-data" novalidate>
${model.products.length > 1 ? html`<p class="note">${t.skipHint}</p>` : null}
${products}
<section class="card">
<label class="field" for="name">${t.nameLabel}</label>
<input type="text" id="name" name="name" maxlength="${NAME_MAX}" autocomplete="given-name" value="${name}" placeholder="${t.namePlaceholder}"${errors.name ? html` aria-invalid="true" aria-describedby="err-name"` : null}>${errors.name ? html`<p class="error" id="err-name">${errorText(t, errors.name)}</p>` : null}
</section>
<div class="hp" aria-hidden="true"><label>Website <input type="text" name="website" tabindex="-1" autocomplete="off"></label></div>
<button type="submit">${t.submit}</button>
</form>`;
  return page(locale, `${t.formTitle} · ${model.shopName}`, body);
}

function incentiveLines(t: StorefrontStrings, incentive: ReviewIncentive | null): string[] {
  if (!incentive) return [];
  const lines: string[] = [];
  if (incentive.points > 0) lines.push(fill(t.incentivePoints, { points: incentive.points }));
  if (incentive.photoBonusPoints > 0) lines.push(fill(t.incentivePhoto, { points: incentive.photoBonusPoints }));
  if (incentive.discountPercent > 0) lines.push(fill(t.incentiveDiscount, { percent: incentive.discountPercent }));
  return lines;
}

export interface ThanksModel {
  locale: string | null;
  shopName: string;
  published: boolean;
  points: number;
  discountPercent: number;
  editUrl: string;
}

export function renderThanks(model: ThanksModel): string {
  const { locale, t } = storefrontStrings(model.locale);
  const body = html`<p class="shop">${model.shopName}</p>
<section class="card" role="status"><h1>${t.thanksTitle}</h1>
<p>${model.published ? t.thanksPublished : t.thanksPending}</p>
${model.points > 0 ? html`<p class="incentive">${fill(t.thanksPoints, { points: model.points })}</p>` : null}
${model.discountPercent > 0 ? html`<p class="incentive">${fill(t.thanksDiscount, { percent: model.discountPercent })}</p>` : null}
<a class="button" href="${model.editUrl}">${t.editAgain}</a></section>`;
  return page(locale, `${t.thanksTitle} · ${model.shopName}`, body);
}

export type LinkProblem = "invalid" | "expired" | "closed";

export function renderLinkProblem(localeTag: string | null, problem: LinkProblem, shopName?: string | null): string {
  const { locale, t } = storefrontStrings(localeTag);
  const [title, text] =
    problem === "expired" ? [t.expiredTitle, t.expiredBody] : problem === "closed" ? [t.closedTitle, t.closedBody] : [t.invalidTitle, t.invalidBody];
  const body = html`${shopName ? html`<p class="shop">${shopName}</p>` : null}<section class="card" role="alert"><h1>${title}</h1><p>${text}</p></section>`;
  return page(locale, title, body);
}

/** "ana.novak@example.si" → "a•••@example.si": enough to recognise, not enough to harvest. */
export function maskEmail(email: string): string {
  const at = email.lastIndexOf("@");
  if (at <= 0) return "•••";
  return `${email[0]}•••${email.slice(at)}`;
}

/** The unsubscribe page: asks (GET) or confirms (POST); what stops depends on the link's category. */
export function renderUnsubscribe(model: {
  locale: string | null;
  shopName: string;
  email: string;
  category: "transactional" | "marketing" | "all";
  done: boolean;
}): string {
  const { locale, t } = storefrontStrings(model.locale);
  const [question, done] =
    model.category === "marketing"
      ? [t.unsubscribeMarketingQuestion, t.unsubscribedMarketing]
      : model.category === "transactional"
        ? [t.unsubscribeTransactionalQuestion, t.unsubscribedTransactional]
        : [t.unsubscribeAllQuestion, t.unsubscribedAll];
  const body = model.done
    ? html`<p class="shop">${model.shopName}</p><section class="card" role="status"><h1>${t.unsubscribeTitle}</h1><p>${fill(done, { shop: model.shopName })}</p></section>`
    : html`<p class="shop">${model.shopName}</p><section class="card"><h1>${t.unsubscribeTitle}</h1><p>${fill(question, { shop: model.shopName, email: maskEmail(model.email) })}</p>
<form method="post"><button type="submit">${t.unsubscribeButton}</button></form></section>`;
  return page(locale, `${t.unsubscribeTitle} · ${model.shopName}`, body);
}

export interface ListedReview {
  id: string;
  rating: number;
  title: string;
  body: string;
  authorName: string;
  verifiedBuyer: boolean;
  incentivised: boolean;
  reply: string | null;
  publishedAt: string;
  photoIds: string[];
}

export interface ListModel {
  locale: string | null;
  shopName: string;
  summary: RatingSummary;
  reviews: ListedReview[];
  page: number;
  hasMore: boolean;
  /** Where the storefront serves our proxy ("/apps/afterglow"): photo links start with it. */
  pathPrefix: string;
}

function starsText(rating: number): string {
  const full = Math.round(rating);
  return "★".repeat(full) + "☆".repeat(5 - full);
}

/** The reviews list for one product: an HTML fragment the theme block puts into the product page. */
export function renderReviewsFragment(model: ListModel): string {
  const { locale, t } = storefrontStrings(model.locale);
  const date = new Intl.DateTimeFormat(locale, { dateStyle: "medium", timeZone: "UTC" });
  const average = model.summary.average;
  const header = html`<h2 class="agr-title">${t.listTitle}</h2>
${
  model.summary.count > 0 && average
    ? html`<p class="agr-summary"><span class="agr-stars" style="--agr-rating:${average}" role="img" aria-label="${fill(t.outOf, { rating: average })}">${starsText(Number(average))}</span> <strong>${average.replace(/0$/, "")}</strong> · ${plural(locale, t.reviewsCount, model.summary.count)}</p>`
    : html`<p class="agr-empty">${t.noReviews}</p>`
}`;
  const items = model.reviews.map(
    (r) => html`<li class="agr-review">
<p class="agr-review-stars" role="img" aria-label="${fill(t.outOf, { rating: r.rating })}">${starsText(r.rating)}</p>
${r.title ? html`<h3 class="agr-review-title">${r.title}</h3>` : null}
${r.body ? r.body.split(/\n{2,}/).map((p) => html`<p class="agr-review-body">${p.split("\n").map((line, i) => html`${i > 0 ? html`<br>` : null}${line}`)}</p>`) : null}
${r.photoIds.length ? html`<p class="agr-photos">${r.photoIds.map((id, i) => html`<a href="${model.pathPrefix}/photo?id=${id}" target="_blank" rel="noopener"><img src="${model.pathPrefix}/photo?id=${id}" alt="${fill(t.morePhotos, { n: i + 1 })}" loading="lazy" width="96" height="96"></a>`)}</p>` : null}
<p class="agr-meta"><span class="agr-author">${r.authorName || t.anonymous}</span>${r.verifiedBuyer ? html` <span class="agr-verified">✓ ${t.verifiedBuyer}</span>` : null} · <time datetime="${r.publishedAt}">${date.format(new Date(r.publishedAt))}</time></p>
${r.incentivised ? html`<p class="agr-incentivised">${t.incentivised}</p>` : null}
${r.reply ? html`<div class="agr-reply"><p class="agr-reply-from">${fill(t.replyFrom, { shop: model.shopName })}</p><p>${r.reply}</p></div>` : null}
</li>`,
  );
  const nav =
    model.page > 1 || model.hasMore
      ? html`<nav class="agr-pages">${model.page > 1 ? html`<button type="button" data-agr-page="${model.page - 1}">${t.previous}</button>` : null}${model.hasMore ? html`<button type="button" data-agr-page="${model.page + 1}">${t.next}</button>` : null}</nav>`
      : null;
  return html`<div class="agr-list" data-agr-count="${model.summary.count}" data-agr-page="${model.page}">${header}${items.length ? html`<ol class="agr-reviews">${items}</ol>` : null}${nav}</div>`
    .value;
}
