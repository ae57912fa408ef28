/** @jsxImportSource preact */
// The customer's rewards: on the full "Rewards" page their balance, pending points and when they become spendable,
// tier with progress and perks, the rewards catalogue (Redeem → the code, copyable, and how to use it), the
// referral link with share buttons and its stats, the birthday field and the history; on the profile a summary
// that links to the page. Loading, error (with retry), signed-out and empty states included.
import type {} from "@shopify/ui-extensions/customer-account.page.render";
import { useEffect, useRef, useState } from "preact/hooks";
import type { ShopperLoyalty, ShopperReward } from "../../../app/loyalty/shopper-contract";
import { call, newKey } from "./api";
import { daysIn, formatDate, formatMoney, formatMonthDay, formatNumber, monthNames, safeLocale } from "./format";
import { shopify, type T } from "./shopify";

interface Ctx {
  t: T;
  locale: string;
  data: ShopperLoyalty;
  /** "1 point", "1.280 točk" … */
  pts: (n: number) => string;
  money: (amount: string | number) => string;
  /** Load the data again without the loading state (after a redemption or a refused one). */
  refresh: () => void;
}

type Load = ShopperLoyalty | "error" | "signedOut" | null;

const TWO_COLUMNS = "@container (inline-size > 640px) 1fr 1fr, 1fr";
const range = (from: number, to: number) => Array.from({ length: to - from + 1 }, (_, i) => from + i);
const pad = (n: number) => String(n).padStart(2, "0");

async function load(): Promise<Load> {
  const answer = await call<ShopperLoyalty>("loyalty");
  if (answer.status === 200 && answer.data) return answer.data;
  return answer.status === 403 ? "signedOut" : "error";
}

export function Rewards() {
  const api = shopify();
  const profile = api.extension.target === "customer-account.profile.block.render";
  const t: T = (key, options) => api.i18n.translate(key, options);
  const [data, setData] = useState<Load>(null);
  const [attempt, setAttempt] = useState(0);
  useEffect(() => {
    let live = true;
    setData(null);
    void load().then((loaded) => live && setData(loaded));
    return () => {
      live = false;
    };
  }, [attempt]);

  let content;
  if (data === null) {
    content = (
      <s-stack gap="small-200" accessibilityLabel={t("loading")}>
        <s-skeleton-paragraph />
        <s-skeleton-paragraph />
        <s-skeleton-paragraph />
      </s-stack>
    );
  } else if (data === "error") {
    content = (
      <s-banner tone="critical" heading={t("error.title")}>
        <s-stack gap="small-200">
          <s-text>{t("error.body")}</s-text>
          <s-button variant="secondary" onClick={() => setAttempt(attempt + 1)}>
            {t("error.retry")}
          </s-button>
        </s-stack>
      </s-banner>
    );
  } else if (data === "signedOut") {
    content = <s-text>{t("signIn")}</s-text>;
  } else if (!data.enabled) {
    content = <s-text>{t("off")}</s-text>;
  } else {
    const locale = safeLocale(api.localization.language.value.isoCode);
    const ctx: Ctx = {
      t,
      locale,
      data,
      pts: (n) => t("points", { count: n, points: formatNumber(n, locale) }),
      money: (amount) => formatMoney(amount, data.currency, locale),
      refresh: () => void load().then((loaded) => typeof loaded === "object" && loaded && setData(loaded)),
    };
    content = profile ? <Summary ctx={ctx} /> : <Page ctx={ctx} />;
  }
  return profile ? <s-section heading={t("title")}>{content}</s-section> : <s-page heading={t("title")}>{content}</s-page>;
}

function Summary({ ctx }: { ctx: Ctx }) {
  const { t, data, pts } = ctx;
  return (
    <s-stack gap="small-200">
      <s-text type="strong">{t("profile.balance", { amount: pts(data.balance) })}</s-text>
      {data.pending > 0 && <s-text color="subdued">{t("profile.pending", { amount: pts(data.pending) })}</s-text>}
      {data.tier?.current && <s-text>{t("tier.current", { tier: data.tier.current })}</s-text>}
      <s-link href="extension:/">{t("profile.link")}</s-link>
    </s-stack>
  );
}

function Page({ ctx }: { ctx: Ctx }) {
  return (
    <s-stack gap="base">
      <s-grid gridTemplateColumns={TWO_COLUMNS} gap="base">
        <Balance ctx={ctx} />
        {ctx.data.tier && <Tier ctx={ctx} tier={ctx.data.tier} />}
      </s-grid>
      <Catalogue ctx={ctx} />
      <s-grid gridTemplateColumns={TWO_COLUMNS} gap="base">
        <Referral ctx={ctx} />
        <Birthday ctx={ctx} />
      </s-grid>
      <History ctx={ctx} />
    </s-stack>
  );
}

function Balance({ ctx }: { ctx: Ctx }) {
  const { t, data, pts, locale } = ctx;
  return (
    <s-section heading={t("balance.heading")}>
      <s-stack gap="small-200">
        <s-text type="strong" id="afterglow-balance">
          {pts(data.balance)}
        </s-text>
        <s-text color="subdued">{t("balance.spendable")}</s-text>
        {data.pendingBatches.length > 0 && (
          <s-stack gap="small-300">
            <s-text type="strong">{t("balance.pending", { amount: pts(data.pending) })}</s-text>
            {data.pendingBatches.map((b, i) => {
              const amount = pts(b.points);
              const line = !b.availableAt
                ? t("balance.afterDelivery", { amount, order: b.order ?? "" })
                : t(b.order ? "balance.from" : "balance.fromNoOrder", { amount, order: b.order ?? "", date: formatDate(b.availableAt, locale) });
              return (
                <s-text key={i} color="subdued">
                  {line}
                </s-text>
              );
            })}
          </s-stack>
        )}
      </s-stack>
    </s-section>
  );
}

function Tier({ ctx, tier }: { ctx: Ctx; tier: NonNullable<ShopperLoyalty["tier"]> }) {
  const { t, pts, money } = ctx;
  return (
    <s-section heading={t("tier.heading")}>
      <s-stack gap="small-200">
        <s-text type="strong">{tier.current ? t("tier.current", { tier: tier.current }) : t("tier.none")}</s-text>
        {tier.next ? (
          <s-stack gap="small-300">
            <s-progress value={tier.progress} max={1} accessibilityLabel={t("tier.progress", { tier: tier.next })} />
            <s-text color="subdued">
              {tier.basis === "points"
                ? t("tier.pointsToNext", { amount: pts(tier.remaining), tier: tier.next })
                : t("tier.spendToNext", { amount: money(tier.remaining), tier: tier.next })}
            </s-text>
          </s-stack>
        ) : (
          tier.current && <s-text color="subdued">{t("tier.top", { tier: tier.current })}</s-text>
        )}
        {tier.multiplier !== "1" && <s-text>{t("tier.multiplier", { multiplier: tier.multiplier })}</s-text>}
        {tier.perks.length > 0 && (
          <s-stack gap="small-300">
            <s-text type="strong">{t("tier.perks")}</s-text>
            <s-unordered-list>
              {tier.perks.map((perk) => (
                <s-list-item key={perk}>{perk}</s-list-item>
              ))}
            </s-unordered-list>
          </s-stack>
        )}
      </s-stack>
    </s-section>
  );
}

interface Outcome {
  reward: ShopperReward;
  code?: string;
  message?: string;
  tone: "success" | "critical";
}

type RedeemAnswer = { code: string | null; balance: number; error?: undefined } | { error: string; balance?: number; cost?: number; code?: undefined };

function Catalogue({ ctx }: { ctx: Ctx }) {
  const { t, data, pts, refresh } = ctx;
  const [busy, setBusy] = useState<string | null>(null);
  // Read and set synchronously, so a double click cannot start a second redemption before the re-render; the key
  // is kept for a retry after a lost answer, so the retry cannot make a second code.
  const inFlight = useRef(false);
  const held = useRef<{ rewardId: string; key: string } | null>(null);
  const [outcome, setOutcome] = useState<Outcome | null>(null);
  const redeem = async (reward: ShopperReward) => {
    if (inFlight.current) return;
    inFlight.current = true;
    const key = held.current?.rewardId === reward.id ? held.current.key : newKey();
    held.current = { rewardId: reward.id, key };
    setBusy(reward.id);
    setOutcome(null);
    const { status, data: answer } = await call<RedeemAnswer>("loyalty/redeem", { rewardId: reward.id, idempotencyKey: key });
    inFlight.current = false;
    setBusy(null);
    // No answer (or a passing one): the key is kept, so trying again cannot make a second code.
    if (status === 0 || status === 429 || (status >= 500 && status !== 502)) {
      setOutcome({ reward, message: t("rewards.errors.network"), tone: "critical" });
      return;
    }
    held.current = null;
    const fail = (message: string) => setOutcome({ reward, message, tone: "critical" });
    if ((status === 200 || status === 202) && answer && !answer.error) {
      setOutcome(answer.code ? { reward, code: answer.code, tone: "success" } : { reward, message: t("rewards.creating"), tone: "success" });
    } else if (answer?.error === "insufficient_points") {
      fail(t("rewards.errors.insufficient", { amount: pts(answer.cost ?? reward.pointsCost), balance: pts(answer.balance ?? 0) }));
    } else if (answer?.error === "reward_not_available") {
      fail(t("rewards.errors.unavailable"));
    } else if (status === 502) {
      fail(t("rewards.errors.failed"));
    } else {
      fail(t("rewards.errors.network"));
    }
    refresh();
  };
  const shown = (o: Outcome) => (o.code ? <Code ctx={ctx} reward={o.reward} code={o.code} /> : <s-text tone={o.tone}>{o.message}</s-text>);
  // A reward switched off meanwhile leaves the list on the refresh: its answer then shows above the list.
  const orphan = outcome && !data.rewards.some((r) => r.id === outcome.reward.id) ? outcome : null;
  return (
    <s-section heading={t("rewards.heading")}>
      <s-stack gap="base">
        {orphan && shown(orphan)}
        {data.rewards.length === 0 && <s-text color="subdued">{t("rewards.empty")}</s-text>}
        {data.rewards.map((reward, i) => (
          <s-stack key={reward.id} gap="small-200">
            {i > 0 && <s-divider />}
            <RewardRow ctx={ctx} reward={reward} busy={busy} onRedeem={() => void redeem(reward)} />
            {outcome?.reward.id === reward.id && shown(outcome)}
          </s-stack>
        ))}
      </s-stack>
    </s-section>
  );
}

function describe(ctx: Ctx, reward: ShopperReward): string {
  if (reward.kind === "percentage") return ctx.t("rewards.percentage", { value: reward.value });
  if (reward.kind === "fixed_amount") return ctx.t("rewards.fixedAmount", { amount: ctx.money(reward.value) });
  return ctx.t("rewards.freeShipping");
}

function RewardRow({ ctx, reward, busy, onRedeem }: { ctx: Ctx; reward: ShopperReward; busy: string | null; onRedeem: () => void }) {
  const { t, pts, money } = ctx;
  return (
    <s-grid gridTemplateColumns="1fr auto" gap="small-200" alignItems="center">
      <s-stack gap="small-300">
        <s-text type="strong">{reward.name}</s-text>
        <s-text color="subdued">
          {describe(ctx, reward)} · {pts(reward.pointsCost)}
        </s-text>
        {reward.minimumOrder && <s-text color="subdued">{t("rewards.minimum", { amount: money(reward.minimumOrder) })}</s-text>}
        {!reward.available && <s-text color="subdued">{t("rewards.needed", { amount: pts(reward.pointsNeeded) })}</s-text>}
      </s-stack>
      <s-button
        variant={reward.available ? "primary" : "secondary"}
        disabled={!reward.available || busy !== null}
        loading={busy === reward.id}
        accessibilityLabel={t("rewards.redeemLabel", { reward: reward.name })}
        onClick={onRedeem}
      >
        {t("rewards.redeem")}
      </s-button>
    </s-grid>
  );
}

function Code({ ctx, reward, code }: { ctx: Ctx; reward: ShopperReward; code: string }) {
  const { t, money } = ctx;
  const [copied, setCopied] = useState(false);
  const id = `afterglow-code-${reward.id}`;
  return (
    <s-banner tone="success" heading={t("rewards.code", { code })}>
      <s-stack gap="small-200">
        <s-text>{t("rewards.howTo", { count: reward.validDays, days: reward.validDays })}</s-text>
        {reward.minimumOrder && <s-text>{t("rewards.minimum", { amount: money(reward.minimumOrder) })}</s-text>}
        <s-clipboard-item id={id} text={code} onCopy={() => setCopied(true)} />
        <s-button variant="secondary" commandFor={id} command="--copy">
          {copied ? t("rewards.copied") : t("rewards.copy")}
        </s-button>
      </s-stack>
    </s-banner>
  );
}

function Referral({ ctx }: { ctx: Ctx }) {
  const { t, data, pts } = ctx;
  const [view, setView] = useState<ReferralView | "error" | "off" | null>(null);
  const [origin, setOrigin] = useState("");
  const [copied, setCopied] = useState(false);
  useEffect(() => {
    void call<ReferralView & { error?: string }>("referral", {}).then((answer) =>
      setView(answer.status === 200 && answer.data?.code ? answer.data : answer.data?.error === "referral_program_off" ? "off" : "error"),
    );
    shopify()
      .query<{ shop: { primaryDomain: { url: string } } }>("query { shop { primaryDomain { url } } }")
      .then((result) => setOrigin(result.data?.shop.primaryDomain.url.replace(/\/+$/, "") ?? ""))
      .catch(() => undefined);
  }, []);
  const heading = t("referral.heading");
  // The shop switched its referral program off: nothing to share.
  if (view === "off") return null;
  if (!view || view === "error") {
    return (
      <s-section heading={heading}>
        <s-text tone={view ? "critical" : "auto"}>{t(view ? "referral.error" : "referral.preparing")}</s-text>
      </s-section>
    );
  }
  const off = friendOff(ctx, view);
  const url = origin && view.path ? `${origin}${view.path}` : "";
  const share = t("referral.shareBody", { off, link: url || view.code! });
  const links: [string, string][] = [
    ["referral.email", `mailto:?subject=${encodeURIComponent(t("referral.shareSubject", { off }))}&body=${encodeURIComponent(share)}`],
    ["referral.whatsapp", `https://wa.me/?text=${encodeURIComponent(share)}`],
    ["referral.x", `https://x.com/intent/post?text=${encodeURIComponent(share)}`],
    ...(url ? [["referral.facebook", `https://www.facebook.com/sharer/sharer.php?u=${encodeURIComponent(url)}`] as [string, string]] : []),
  ];
  return (
    <s-section heading={heading}>
      <s-stack gap="small-200">
        <s-text>
          {view.reward.kind === "points"
            ? t("referral.bodyPoints", { off, amount: pts(view.reward.points) })
            : t("referral.bodyCode", { off, reward: t("referral.percent", { percent: view.reward.percent }) })}
        </s-text>
        <s-text type="strong">{t("referral.code", { code: view.code! })}</s-text>
        {url && <s-text color="subdued">{url}</s-text>}
        <s-clipboard-item id="afterglow-referral" text={url || view.code!} onCopy={() => setCopied(true)} />
        <s-stack direction="inline" gap="small-200">
          <s-button variant="secondary" commandFor="afterglow-referral" command="--copy">
            {copied ? t("rewards.copied") : t(url ? "referral.copyLink" : "rewards.copy")}
          </s-button>
          {links.map(([label, href]) => (
            <s-button key={label} variant="secondary" href={href} target="_blank">
              {t(label)}
            </s-button>
          ))}
        </s-stack>
        <s-text color="subdued">{t("referral.stats", { rewarded: data.referrals.rewarded, pending: data.referrals.pending })}</s-text>
      </s-stack>
    </s-section>
  );
}

/**
 * What the page reads of POST /api/referral's answer (app/thank-you/contract.ts ReferralView). The friend's terms
 * are `friendDiscount` (a percentage or an amount), or `friendPercent` from backends before referral settings.
 */
interface ReferralView {
  code: string | null;
  path: string | null;
  friendPercent?: number;
  friendDiscount?: { type: "percentage"; percent: number } | { type: "fixed_amount"; amountMinor: number; currency: string };
  reward: { kind: "points"; points: number } | { kind: "code"; percent: number };
}

/** "10 %" / "5,00 €": what the friend gets off. */
function friendOff(ctx: Ctx, view: ReferralView): string {
  const d = view.friendDiscount;
  if (d?.type === "fixed_amount") return formatMoney(d.amountMinor, d.currency, ctx.locale);
  return ctx.t("referral.percent", { percent: d?.percent ?? view.friendPercent ?? 0 });
}

const valueOf = (event: Event) => (event.currentTarget as HTMLElementTagNameMap["s-select"]).value ?? "";

function Birthday({ ctx }: { ctx: Ctx }) {
  const { t, locale } = ctx;
  const [saved, setSaved] = useState(ctx.data.birthday);
  const [month, setMonth] = useState("");
  const [day, setDay] = useState("");
  const [state, setState] = useState<"idle" | "sending" | "error">("idle");
  const save = async () => {
    setState("sending");
    const answer = await call<{ birthday: string }>("birthday", { birthday: `${month}-${day}` });
    if (answer.status === 200 && answer.data) setSaved(answer.data.birthday);
    else setState("error");
  };
  return (
    <s-section heading={t("birthday.heading")}>
      {saved ? (
        <s-text>{t("birthday.saved", { date: formatMonthDay(saved, locale) })}</s-text>
      ) : (
        <s-stack gap="small-200">
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
                <s-option key={d} value={pad(d)}>
                  {String(d)}
                </s-option>
              ))}
            </s-select>
          </s-stack>
          {state === "error" && <s-text tone="critical">{t("birthday.error")}</s-text>}
          <s-button variant="secondary" disabled={!month || !day} loading={state === "sending"} onClick={save}>
            {t("birthday.save")}
          </s-button>
        </s-stack>
      )}
    </s-section>
  );
}

function History({ ctx }: { ctx: Ctx }) {
  const { t, data, locale } = ctx;
  return (
    <s-section heading={t("history.heading")}>
      {data.history.length === 0 ? (
        <s-text color="subdued">{t("history.empty")}</s-text>
      ) : (
        <s-stack gap="small-200">
          {data.history.map((h, i) => (
            <s-stack key={h.id} gap="small-200">
              {i > 0 && <s-divider />}
              <s-grid gridTemplateColumns="1fr auto" gap="small-200" alignItems="center">
                <s-stack gap="small-300">
                  <s-stack direction="inline" gap="small-200" alignItems="center">
                    <s-text type="strong">{t(`history.${h.kind}`)}</s-text>
                    {h.pending && <s-badge>{t("history.pending")}</s-badge>}
                  </s-stack>
                  <s-text color="subdued">
                    {[
                      formatDate(h.at, locale),
                      h.kind === "approved" && ctx.pts(h.points),
                      h.order && t("history.order", { order: h.order }),
                      h.code && t("history.code", { code: h.code }),
                      h.pending && h.availableAt && t("history.until", { date: formatDate(h.availableAt, locale) }),
                    ]
                      .filter(Boolean)
                      .join(" · ")}
                  </s-text>
                </s-stack>
                {/* An approval moves points already listed as earned: its amount is in the line, not a second "+". */}
                <s-text type="strong">{h.kind === "approved" ? "" : `${h.points > 0 ? "+" : ""}${formatNumber(h.points, locale)}`}</s-text>
              </s-grid>
            </s-stack>
          ))}
        </s-stack>
      )}
    </s-section>
  );
}
