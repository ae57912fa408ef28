// What each action does when a run reaches it. Registry by action type (later issues add theirs with
// `registerActionExecutor`). Every executor is idempotent by `input.key` ("flow:<run>:<step>"): the runner
// may call it again after a crash, and the second call must change nothing.
import { TAGS_ADD, TAGS_REMOVE } from "~/shopify/admin-api/operations/customers";
import { recordRefusedWrites } from "~/shopify/admin-api/refused-writes.server";
import { adminClientFor } from "~/shopify/admin-api/shop-client.server";
import { assertNoUserErrors } from "~/shopify/admin-api/user-errors";
import { prisma } from "~/db/db.server";
import { awardPoints } from "~/loyalty/loyalty.server";
import { isMailTemplate, mailLocale, renderMail } from "~/mail/templates";
import { queueMail } from "~/mail/outbox.server";
import { toMinorUnits } from "~/lib/money";
import { scheduleReviewRequest } from "~/reviews/requests.server";
import { issueRewardCode } from "~/rewards/reward-codes.server";
import type { FlowContext } from "./context";
import type { PlannedStep } from "./engine";
import { formatMoney } from "~/lib/money-format";

export interface ActionInput {
  shop: string;
  runId: string;
  stepIndex: number;
  key: string;
  step: PlannedStep;
  ctx: FlowContext;
}

export interface ActionOutcome {
  status: "done" | "skipped" | "awaiting_approval";
  /** Replaces the planned summary in the run log (e.g. "Skipped: guest checkout, no customer"). */
  summary?: string;
  result?: unknown;
}

export type ActionExecutor = (input: ActionInput) => Promise<ActionOutcome>;

const executors = new Map<string, ActionExecutor>();

export function registerActionExecutor(type: string, executor: ActionExecutor): void {
  executors.set(type, executor);
}

export async function executeAction(input: ActionInput): Promise<ActionOutcome> {
  const executor = executors.get(input.step.type);
  if (!executor) throw new Error(`no executor for action ${input.step.type}`);
  return executor(input);
}

const skipped = (why: string): ActionOutcome => ({ status: "skipped", summary: `Skipped: ${why}` });
const params = <T>(input: ActionInput) => input.step.params as T;

registerActionExecutor("award_points", async (input) => {
  const customer = input.ctx.customer;
  if (!customer) return skipped("no customer (guest checkout)");
  const points = input.step.points ?? 0;
  if (points <= 0) return skipped("nothing to award (0 points)");
  // Points for an order stay pending through the program's refund window (approved later by a job).
  const award = await awardPoints({
    shop: input.shop,
    customerGid: customer.gid,
    email: customer.email,
    key: input.key,
    points,
    orderGid: input.ctx.order?.gid ?? null,
    reason: input.step.summary,
  });
  return { status: "done", result: { points, appended: award.appended, status: award.status, availableAt: award.availableAt?.toISOString() ?? null } };
});

registerActionExecutor("request_review", async (input) => {
  const order = input.ctx.order;
  if (!order) return skipped("no order");
  if (!input.ctx.customer?.email) return skipped("the order has no e-mail address");
  const { maxProducts } = params<{ maxProducts?: number }>(input);
  const productGids = order.productGids.slice(0, maxProducts ?? 3);
  // The reviews module sends it (now: the flow has waited), re-checking the order at send time.
  const request = await scheduleReviewRequest({
    shop: input.shop,
    orderGid: order.gid,
    customerGid: input.ctx.customer.gid,
    email: input.ctx.customer.email,
    locale: input.ctx.customer.locale,
    productGids,
    basisAt: input.ctx.event.occurredAt,
  });
  return { status: "done", result: { reviewRequestId: request.id, products: productGids.length } };
});

registerActionExecutor("send_email", async (input) => {
  const to = input.ctx.customer?.email;
  if (!to) return skipped("no e-mail address");
  const { template, subject } = params<{ template: string; subject?: string }>(input);
  if (!isMailTemplate(template)) throw new Error(`unknown e-mail template ${template}`);
  const shopName = await shopNameOf(input.shop);
  const mail = renderMail(template, input.ctx.customer?.locale, { shopName, firstName: input.ctx.customer?.firstName });
  const queued = await queueMail({
    shop: input.shop,
    key: input.key,
    to,
    locale: mail.locale,
    template,
    subject: subject?.trim() || mail.subject,
    text: mail.text,
  });
  return { status: "done", result: { mailId: queued.id } };
});

function tagExecutor(change: "add" | "remove", on: "customer" | "order"): ActionExecutor {
  return async (input) => {
    const id = on === "customer" ? input.ctx.customer?.gid : input.ctx.order?.gid;
    if (!id) return skipped(`no ${on}`);
    const { tags } = params<{ tags: string[] }>(input);
    const client = await adminClientFor(input.shop);
    const payload =
      change === "add"
        ? (await client.request(TAGS_ADD, { id, tags }, { idempotent: true })).tagsAdd
        : (await client.request(TAGS_REMOVE, { id, tags }, { idempotent: true })).tagsRemove;
    // The merchant deleted the customer or order meanwhile: retrying cannot help; recorded for the Activity page.
    const errors = payload?.userErrors ?? [];
    if (errors.length > 0 && errors.every((e) => e.field?.join(".") === "id")) {
      await recordRefusedWrites(input.shop, "flows.tags", [{ ownerGid: id, error: errors[0]! }]);
      return skipped(`the ${on} no longer exists in Shopify`);
    }
    assertNoUserErrors(payload, { shop: input.shop, operationName: change === "add" ? "TagsAdd" : "TagsRemove" });
    return { status: "done", result: { id, tags } };
  };
}
registerActionExecutor("add_customer_tags", tagExecutor("add", "customer"));
registerActionExecutor("remove_customer_tags", tagExecutor("remove", "customer"));
registerActionExecutor("add_order_tags", tagExecutor("add", "order"));

interface RewardParams {
  reward: { kind: "percentage"; percent: number } | { kind: "fixed_amount"; amount: string; currency?: string } | { kind: "free_shipping" };
  minimumOrder?: string;
  expiresInDays: number;
  emailToCustomer: boolean;
  requiresApproval: boolean;
}

registerActionExecutor("create_reward_discount", async (input) => {
  const customer = input.ctx.customer;
  if (!customer) return skipped("no customer (guest checkout)");
  const p = params<RewardParams>(input);
  const currency = p.reward.kind === "fixed_amount" ? (p.reward.currency ?? input.ctx.shop.currency) : null;
  const row = await issueRewardCode({
    shop: input.shop,
    key: input.key,
    customerGid: customer.gid,
    email: customer.email,
    locale: customer.locale,
    firstName: customer.firstName,
    title: `Afterglow reward · ${input.step.summary}`.slice(0, 255),
    kind: p.reward.kind,
    value: p.reward.kind === "percentage" ? String(p.reward.percent) : p.reward.kind === "fixed_amount" ? p.reward.amount : "",
    currency,
    minimumOrder: p.minimumOrder ?? null,
    expiresInDays: p.expiresInDays,
    requiresApproval: p.requiresApproval,
    emailCustomer: p.emailToCustomer,
  });
  if (row.status === "awaiting_approval") {
    await notify(
      input,
      "warning",
      `A reward for ${customer.email ?? customer.gid} is waiting for your approval (${input.step.summary}).`,
      `${input.key}:approval`,
    );
    return { status: "awaiting_approval", result: { rewardCodeId: row.id, code: row.code } };
  }
  if (p.emailToCustomer && customer.email) await mailRewardCode(input, row.code, p, row.endsAt);
  return { status: "done", result: { rewardCodeId: row.id, code: row.code, discountGid: row.discountGid } };
});

/** The e-mail with a created reward code (also sent when the merchant approves a waiting one). */
export async function mailRewardCode(input: Pick<ActionInput, "shop" | "key" | "ctx">, code: string, p: Pick<RewardParams, "reward">, endsAt: Date | null) {
  const customer = input.ctx.customer;
  if (!customer?.email) return;
  const shopName = await shopNameOf(input.shop);
  const offer = rewardOffer(p.reward, input.ctx.shop.currency, customer.locale);
  const mail = renderMail("reward-code", customer.locale, {
    shopName,
    firstName: customer.firstName,
    code,
    offer,
    expires: endsAt ? endsAt.toLocaleDateString(customer.locale ?? "en", { timeZone: input.ctx.shop.timezone, dateStyle: "long" }) : null,
  });
  await queueMail({
    shop: input.shop,
    key: `${input.key}:mail`,
    to: customer.email,
    locale: mail.locale,
    template: "reward-code",
    subject: mail.subject,
    text: mail.text,
  });
}

/** "10 %", "5,00 €", "free shipping" — what the e-mail says the reward is. */
export function rewardOffer(reward: RewardParams["reward"], shopCurrency: string, locale: string | null): string {
  if (reward.kind === "percentage") return `${reward.percent} %`;
  if (reward.kind === "fixed_amount") {
    const currency = reward.currency ?? shopCurrency;
    return formatMoney(toMinorUnits(reward.amount, currency), currency);
  }
  return FREE_SHIPPING[mailLocale(locale)];
}

const FREE_SHIPPING = {
  en: "free shipping",
  sl: "brezplačno dostavo",
  tr: "ücretsiz kargo",
  de: "kostenlosen Versand",
  fr: "la livraison gratuite",
  es: "envío gratis",
} as const;

registerActionExecutor("show_thank_you_content", async (input) => {
  const order = input.ctx.order;
  if (!order) return skipped("no order");
  const blocks = JSON.stringify(input.step.params);
  await prisma.thankYouContent.upsert({
    where: { shop_orderGid: { shop: input.shop, orderGid: order.gid } },
    create: { shop: input.shop, orderGid: order.gid, blocks },
    update: { blocks },
  });
  return { status: "done", result: { orderGid: order.gid } };
});

registerActionExecutor("notify_merchant", async (input) => {
  const { message, severity } = params<{ message: string; severity: "info" | "warning" }>(input);
  await notify(input, severity, message, input.key);
  return { status: "done" };
});

async function notify(input: ActionInput, severity: string, message: string, key: string) {
  const who = input.ctx.customer?.email ?? input.ctx.customer?.gid;
  const about = input.ctx.order ? ` — order ${input.ctx.order.name}` : who ? ` — ${who}` : "";
  await prisma.merchantNotification.upsert({
    where: { shop_key: { shop: input.shop, key } },
    create: {
      shop: input.shop,
      key,
      severity,
      message: `${message}${about}`.slice(0, 1000),
      subjectGid: input.ctx.order?.gid ?? input.ctx.customer?.gid ?? null,
    },
    update: {},
  });
}

async function shopNameOf(shop: string): Promise<string> {
  const row = await prisma.shop.findUnique({ where: { domain: shop }, select: { name: true } });
  return row?.name ?? shop;
}
