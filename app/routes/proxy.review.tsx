// The storefront review form: https://{shop}/apps/afterglow/review?token=… through Shopify's app proxy.
// The proxy signature and our token are both checked before anything is read or shown; no login. GET shows
// the form (plain server HTML in the shopper's language, no script); POST stores the reviews (sending again
// edits them) and thanks the shopper.
import type { ActionFunctionArgs, LoaderFunctionArgs } from "@remix-run/node";
import { cleanSubmissionPhotos, openReviewForm, submitReviewForm, type ReviewFormContext } from "~/reviews/form.server";
import { hasIncentive } from "~/reviews/settings";
import { renderReviewForm, renderThanks } from "~/reviews/storefront-html";
import { productGidFrom } from "~/reviews/storefront.server";
import { parseSubmission, SUBMISSION_MAX_BYTES, type FieldError, type FormFields, type SubmittedFile } from "~/reviews/submission";
import { authenticateAppProxy } from "~/storefront/app-proxy.server";
import { htmlPage, linkProblem } from "~/storefront/responses";

async function open(request: Request) {
  const proxy = authenticateAppProxy(request, () => linkProblem(request, "invalid", 401));
  const token = new URL(request.url).searchParams.get("token");
  const opened = await openReviewForm(proxy.shop, token);
  if (!opened.ok) throw linkProblem(request, opened.problem, opened.status, opened.locale, opened.shopName);
  return { proxy, token: token!, form: opened.form };
}

function formPage(
  form: ReviewFormContext,
  extra: { errors?: Record<string, FieldError>; values?: Record<string, string>; preselect?: { productGid: string | null; rating: number | null } } = {},
) {
  return renderReviewForm({
    locale: form.locale,
    shopName: form.shopName,
    orderName: form.order.name,
    products: form.products,
    authorName: form.authorName,
    incentive: hasIncentive(form.settings.incentive) ? form.settings.incentive : null,
    ...extra,
  });
}

export const loader = async ({ request }: LoaderFunctionArgs) => {
  const { form } = await open(request);
  const url = new URL(request.url);
  const rating = url.searchParams.get("rating") ?? "";
  return htmlPage(
    formPage(form, { preselect: { productGid: productGidFrom(url.searchParams.get("product")), rating: /^[1-5]$/.test(rating) ? Number(rating) : null } }),
  );
};

export const action = async ({ request }: ActionFunctionArgs) => {
  const { proxy, token, form } = await open(request);
  if (request.method !== "POST") return new Response("Method not allowed", { status: 405, headers: { Allow: "GET, POST" } });
  const declared = Number(request.headers.get("content-length") ?? "0");
  const tooLarge = { errors: { "photos-0": { key: "uploadTooLarge" as const, params: {} } } };
  if (declared > SUBMISSION_MAX_BYTES) return htmlPage(formPage(form, tooLarge), 413);
  let fields: FormFields;
  try {
    fields = await readFields(await request.formData());
  } catch {
    return htmlPage(formPage(form, tooLarge), 400);
  }
  const existingPhotos = new Map(form.products.map((p) => [p.productGid, p.existing?.photoCount ?? 0]));
  const parsed = parseSubmission(
    fields,
    form.products.map((p) => p.productGid),
    existingPhotos,
  );
  if (!parsed.ok) return htmlPage(formPage(form, { errors: parsed.errors, values: parsed.values }), 422);
  const cleaned = await cleanSubmissionPhotos(
    parsed.submission,
    form.products.map((p) => p.productGid),
  );
  if (!cleaned.ok) return htmlPage(formPage(form, { errors: cleaned.errors, values: parsed.values }), 422);
  const outcome = await submitReviewForm(form, cleaned.submission);
  return htmlPage(
    renderThanks({
      locale: form.locale,
      shopName: form.shopName,
      published: outcome.published,
      points: outcome.points,
      discountPercent: outcome.discountPercent,
      editUrl: `${proxy.pathPrefix}/review?${new URLSearchParams({ token }).toString()}`,
    }),
  );
};

async function readFields(data: FormData): Promise<FormFields> {
  const text = new Map<string, string>();
  const files = new Map<string, SubmittedFile[]>();
  for (const [name, value] of data.entries()) {
    if (typeof value === "string") {
      if (!text.has(name)) text.set(name, value);
      continue;
    }
    const list = files.get(name) ?? [];
    list.push({ name: value.name, size: value.size, bytes: new Uint8Array(await value.arrayBuffer()) });
    files.set(name, list);
  }
  return { text: (name) => text.get(name) ?? null, files: (name) => files.get(name) ?? [] };
}
