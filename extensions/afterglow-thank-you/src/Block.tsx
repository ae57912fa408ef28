/** @jsxImportSource preact */
// The shopper's block: a personal thank-you, the order's points and tier progress, a one-question survey, the
// referral code, a birthday field and (order status, after fulfilment) a review invitation — the blocks the merchant
// switched on in the checkout editor, plus what a flow added for the order (src/blocks.ts). Loading, error, guest
// and answered states included.
import type {} from "@shopify/ui-extensions/purchase.thank-you.block.render";
import { useEffect, useState } from "preact/hooks";
import {
  SOURCE_OPTIONS,
  type BlockKind,
  type PointsView,
  type ReferralView,
  type SurveyQuestion,
  type ThankYouView,
  type TierView,
} from "../../../app/thank-you/contract";
import { loadView, post } from "./api";
import { messages, surveyQuestion, visibleBlocks } from "./blocks";
import { daysIn, formatDate, formatMonthDay, formatMoney, formatNumber, formatPercent, monthNames, safeLocale } from "./format";
import { orderIdOf, shopify, surfaceOf, type ShopperApi } from "./shopify";

type T = (key: string, options?: Record<string, string | number>) => string;

interface Ctx {
  t: T;
  locale: string;
  api: ShopperApi;
  orderId: string;
}

const range = (from: number, to: number) => Array.from({ length: to - from + 1 }, (_, i) => String(from + i));
const pad = (n: number) => String(n).padStart(2, "0");
const valueOf = (event: Event) => (event.currentTarget as HTMLElementTagNameMap["s-select"]).value ?? "";

export function Block() {
  const api = shopify();
  const orderId = orderIdOf(api);
  const [view, setView] = useState<ThankYouView | "error" | null>(null);
  const [attempt, setAttempt] = useState(0);
  useEffect(() => {
    if (!orderId) return;
    let live = true;
    setView(null);
    void loadView(orderId).then((loaded) => live && setView(loaded ?? "error"));
    return () => {
      live = false;
    };
  }, [orderId, attempt]);

  const t: T = (key, options) => api.i18n.translate(key, options);
  if (view === "error") {
    return (
      <s-banner tone="critical" heading={t("error.title")}>
        <s-stack gap="small-200">
          <s-text>{t("error.body")}</s-text>
          <s-button variant="secondary" onClick={() => setAttempt(attempt + 1)}>
            {t("error.retry")}
          </s-button>
        </s-stack>
      </s-banner>
    );
  }
  if (!view || !orderId) {
    return (
      <s-stack gap="small-200" accessibilityLabel={t("loading")}>
        <s-skeleton-paragraph />
        <s-skeleton-paragraph />
      </s-stack>
    );
  }

  const ctx: Ctx = { t, locale: safeLocale(api.localization.language.value.isoCode), api, orderId };
  const settings = api.settings.value;
  const blocks = visibleBlocks(view, settings, surfaceOf(api.extension.target));
  const part = (block: BlockKind) => {
    switch (block) {
      case "thank_you":
        return <ThankYou ctx={ctx} guest={view.guest} lines={messages(view, settings)} />;
      case "points":
        return <Points ctx={ctx} points={view.points!} />;
      case "tier_progress":
        return <Tier ctx={ctx} tier={view.tier!} />;
      case "survey":
        return <Survey ctx={ctx} question={surveyQuestion(view, settings)!} answered={view.answered} />;
      case "referral":
        return <Referral ctx={ctx} initial={view.referral!} />;
      case "birthday":
        return <Birthday ctx={ctx} initial={view.birthday!.value} />;
      case "review_cta":
        return <Review ctx={ctx} url={view.review!.url} />;
    }
  };
  // The order's own news (thanks, points, tier) reads as one group; each thing to do is set apart.
  const grouped = new Set<BlockKind>(["thank_you", "points", "tier_progress"]);
  return (
    <s-stack gap="base">
      {blocks.map((block, i) => (
        <s-stack key={block} gap="base">
          {i > 0 && !grouped.has(block) && <s-divider />}
          {part(block)}
        </s-stack>
      ))}
    </s-stack>
  );
}

function ThankYou({ ctx, guest, lines }: { ctx: Ctx; guest: boolean; lines: string[] }) {
  const { t, api } = ctx;
  const name = api.buyerIdentity?.customer.value?.firstName;
  return (
    <s-stack gap="small-200">
      <s-heading>{name ? t("headingName", { name }) : t("heading")}</s-heading>
      {(lines.length ? lines : [t("message")]).map((line) => (
        <s-paragraph key={line}>{line}</s-paragraph>
      ))}
      {guest && <s-text color="subdued">{t("guest")}</s-text>}
    </s-stack>
  );
}

function Points({ ctx, points: p }: { ctx: Ctx; points: PointsView }) {
  const { t, locale } = ctx;
  return (
    <s-stack gap="small-300">
      {p.status ? (
        <s-stack direction="inline" gap="small-200" alignItems="center">
          <s-text type="strong">{t("points.earned", { count: p.earned, points: formatNumber(p.earned, locale) })}</s-text>
          <s-badge tone={p.status === "approved" ? "auto" : "neutral"}>{t(`points.${p.status}`)}</s-badge>
        </s-stack>
      ) : (
        <s-text>{t("points.none")}</s-text>
      )}
      {p.availableAt && <s-text color="subdued">{t("points.availableOn", { date: formatDate(p.availableAt, locale) })}</s-text>}
      <s-text>
        {t(p.pendingBalance > 0 ? "points.balancePending" : "points.balance", {
          count: p.balance,
          points: formatNumber(p.balance, locale),
          pending: formatNumber(p.pendingBalance, locale),
        })}
      </s-text>
    </s-stack>
  );
}

function Tier({ ctx, tier }: { ctx: Ctx; tier: TierView }) {
  const { t, locale } = ctx;
  if (!tier.next) return <s-text>{t("tier.top", { tier: tier.current ?? "" })}</s-text>;
  const toNext =
    tier.basis === "points"
      ? t("tier.pointsToNext", { count: tier.remaining, points: formatNumber(tier.remaining, locale), tier: tier.next })
      : t("tier.spendToNext", { amount: formatMoney(tier.remaining, tier.currency, locale), tier: tier.next });
  return (
    <s-stack gap="small-300">
      <s-text>{toNext}</s-text>
      <s-progress value={tier.progress} max={1} accessibilityLabel={t("tier.progress", { tier: tier.next })} />
      {tier.current && <s-text color="subdued">{t("tier.current", { tier: tier.current })}</s-text>}
    </s-stack>
  );
}

/** The longest comment the app takes (app/surveys/survey.ts COMMENT_MAX; the app answers 422 { comment } beyond it). */
export const COMMENT_MAX = 500;

function Survey({ ctx, question: q, answered }: { ctx: Ctx; question: SurveyQuestion; answered: ThankYouView["answered"] }) {
  const { t, orderId } = ctx;
  const [choice, setChoice] = useState("");
  const [comment, setComment] = useState("");
  // "comment": the app refused the comment (422 { errors: { comment } }); the answer waits with it.
  const [state, setState] = useState<"idle" | "sending" | "error" | "comment" | "done">(answered[q.questionId] ? "done" : "idle");
  if (state === "done") return <s-text>{t("survey.thanks")}</s-text>;
  const source = q.kind === "source";
  const send = async () => {
    setState("sending");
    const note = comment.trim();
    const answer = await post<{ errors?: Record<string, string> }>("survey", {
      orderId,
      questionId: q.questionId,
      ...(source ? { answer: choice } : { score: Number(choice) }),
      ...(note ? { comment: note } : {}),
    });
    setState(answer.status === 200 ? "done" : answer.status === 422 && answer.data?.errors?.comment ? "comment" : "error");
  };
  return (
    <s-stack gap="small-200">
      <s-choice-list
        label={q.question || t(`survey.${q.kind}`)}
        name="afterglow-survey"
        variant={source ? "auto" : "inline"}
        values={choice ? [choice] : []}
        onChange={(event) => setChoice((event.currentTarget as HTMLElementTagNameMap["s-choice-list"]).values?.[0] ?? "")}
      >
        {(source ? [...SOURCE_OPTIONS] : q.kind === "nps" ? range(0, 10) : range(1, 5)).map((value) => (
          <s-choice key={value} value={value}>
            {source ? t(`survey.sources.${value}`) : value}
          </s-choice>
        ))}
      </s-choice-list>
      {!source && <s-text color="subdued">{t(`survey.${q.kind}Scale`)}</s-text>}
      {/* Once there is an answer: an optional comment, sent with it. */}
      {choice && (
        <s-text-area
          label={t("survey.comment")}
          name="afterglow-survey-comment"
          rows={3}
          maxLength={COMMENT_MAX}
          value={comment}
          error={state === "comment" ? t("survey.commentError", { max: COMMENT_MAX }) : undefined}
          onInput={(event) => {
            setComment((event.currentTarget as HTMLElementTagNameMap["s-text-area"]).value ?? "");
            if (state === "comment") setState("idle");
          }}
        />
      )}
      {state === "error" && <s-text tone="critical">{t("survey.error")}</s-text>}
      <s-button variant="primary" disabled={!choice} loading={state === "sending"} onClick={send}>
        {t("survey.send")}
      </s-button>
    </s-stack>
  );
}

function Referral({ ctx, initial }: { ctx: Ctx; initial: ReferralView }) {
  const { t, locale, api } = ctx;
  const [r, setR] = useState(initial);
  const [state, setState] = useState<"idle" | "error" | "copied">("idle");
  useEffect(() => {
    if (initial.code) return;
    void post<ReferralView>("referral", {}).then((answer) => (answer.status === 200 && answer.data ? setR(answer.data) : setState("error")));
  }, [initial.code]);
  const f = r.friendDiscount;
  const offer = f.type === "percentage" ? formatPercent(f.percent, locale) : formatMoney(f.amountMinor, f.currency, locale);
  const heading = <s-heading>{t("referral.heading", { offer })}</s-heading>;
  const body =
    r.reward.kind === "points"
      ? t("referral.bodyPoints", { offer, count: r.reward.points, points: formatNumber(r.reward.points, locale) })
      : t("referral.bodyCode", { offer, reward: r.reward.percent });
  const minimum = r.minimumOrder && t("referral.minimum", { amount: formatMoney(r.minimumOrder.amountMinor, r.minimumOrder.currency, locale) });
  if (!r.code || !r.path) {
    return (
      <s-stack gap="small-200">
        {heading}
        <s-text tone={state === "error" ? "critical" : "auto"}>{t(state === "error" ? "referral.error" : "referral.preparing")}</s-text>
      </s-stack>
    );
  }
  const url = `${(api.shop.storefrontUrl || `https://${api.shop.myshopifyDomain}`).replace(/\/+$/, "")}${r.path}`;
  const mail = `mailto:?subject=${encodeURIComponent(t("referral.shareSubject", { offer, shop: api.shop.name }))}&body=${encodeURIComponent(t("referral.shareBody", { offer, url }))}`;
  const copied = () => setState("copied");
  return (
    <s-stack gap="small-200">
      {heading}
      <s-text>{body}</s-text>
      {minimum && <s-text color="subdued">{minimum}</s-text>}
      <s-text type="strong">{t("referral.code", { code: r.code })}</s-text>
      <s-text color="subdued">{url}</s-text>
      <s-clipboard-item id="afterglow-code" text={r.code} onCopy={copied} />
      <s-clipboard-item id="afterglow-link" text={url} onCopy={copied} />
      <s-stack direction="inline" gap="small-200">
        <s-button variant="secondary" commandFor="afterglow-code" command="--copy">
          {t("referral.copyCode")}
        </s-button>
        <s-button variant="secondary" commandFor="afterglow-link" command="--copy">
          {t("referral.copyLink")}
        </s-button>
        <s-button variant="secondary" href={mail}>
          {t("referral.share")}
        </s-button>
      </s-stack>
      {state === "copied" && <s-text tone="success">{t("referral.copied")}</s-text>}
    </s-stack>
  );
}

function Birthday({ ctx, initial }: { ctx: Ctx; initial: string | null }) {
  const { t, locale } = ctx;
  const [saved, setSaved] = useState(initial);
  const [month, setMonth] = useState("");
  const [day, setDay] = useState("");
  const [state, setState] = useState<"idle" | "sending" | "error">("idle");
  if (saved) return <s-text>{t("birthday.saved", { date: formatMonthDay(saved, locale) })}</s-text>;
  const save = async () => {
    setState("sending");
    const answer = await post<{ birthday: string }>("birthday", { birthday: `${month}-${day}` });
    if (answer.status === 200 && answer.data) setSaved(answer.data.birthday);
    else setState("error");
  };
  return (
    <s-stack gap="small-200">
      <s-heading>{t("birthday.heading")}</s-heading>
      <s-text>{t("birthday.body")}</s-text>
      <s-stack direction="inline" gap="small-200">
        <s-select label={t("birthday.month")} value={month} onChange={(event) => setMonth(valueOf(event))}>
          {monthNames(locale).map((name, i) => (
            <s-option key={name} value={pad(i + 1)}>
              {name}
            </s-option>
          ))}
        </s-select>
        <s-select label={t("birthday.day")} value={day} onChange={(event) => setDay(valueOf(event))}>
          {range(1, daysIn(Number(month) || 1)).map((d) => (
            <s-option key={d} value={pad(Number(d))}>
              {d}
            </s-option>
          ))}
        </s-select>
      </s-stack>
      {state === "error" && <s-text tone="critical">{t("birthday.error")}</s-text>}
      <s-button variant="secondary" disabled={!month || !day} loading={state === "sending"} onClick={save}>
        {t("birthday.save")}
      </s-button>
    </s-stack>
  );
}

function Review({ ctx, url }: { ctx: Ctx; url: string }) {
  const { t } = ctx;
  return (
    <s-stack gap="small-200">
      <s-heading>{t("review.heading")}</s-heading>
      <s-button variant="primary" href={url} target="_blank">
        {t("review.button")}
      </s-button>
    </s-stack>
  );
}
