import { data, type ActionFunctionArgs, type LoaderFunctionArgs } from "@remix-run/node";
import { useFetcher, useLoaderData, useNavigate, useSearchParams } from "@remix-run/react";
import { Badge, BlockStack, Box, Button, Card, Checkbox, InlineError, InlineStack, Layout, Page, Tabs, Text, TextField, Thumbnail } from "@shopify/polaris";
import { EmptyCard } from "~/components/EmptyCard";
import { useEffect, useState } from "react";
import {
  BULK_MAX,
  listReviews,
  moderateReviews,
  publishReview,
  rejectReview,
  replyToReview,
  reviewCounts,
  ReviewNotFoundError,
  REVIEW_STATUSES,
  type ModerationReview,
  type ReviewStatusTab,
} from "~/reviews/moderation.server";
import {
  cancelReviewRequest,
  listReviewRequests,
  retryReviewRequest,
  reviewRequestsNeedingAttention,
  ReviewRequestNotFoundError,
  type ListedReviewRequest,
} from "~/reviews/request-recovery.server";
import { getReviewSettings } from "~/reviews/settings.server";
import { formatShopTime } from "~/lib/time/format";
import { shopClock } from "~/lib/time/shop-clock.server";
import { authenticate } from "~/shopify/shopify.server";

export const loader = async ({ request }: LoaderFunctionArgs) => {
  const { session } = await authenticate.admin(request);
  const url = new URL(request.url);
  const asked = url.searchParams.get("status") ?? "pending";
  const status: ReviewStatusTab | "requests" =
    asked === "requests" ? "requests" : (REVIEW_STATUSES as readonly string[]).includes(asked) ? (asked as ReviewStatusTab) : "pending";
  const page = Math.max(1, Number(url.searchParams.get("page")) || 1);
  const [list, counts, settings, requestsNeedingYou, requests, clock] = await Promise.all([
    status === "requests" ? Promise.resolve({ reviews: [] as ModerationReview[], hasMore: false }) : listReviews(session.shop, status, page),
    reviewCounts(session.shop),
    getReviewSettings(session.shop),
    reviewRequestsNeedingAttention(session.shop),
    status === "requests" ? listReviewRequests(session.shop) : Promise.resolve([] as ListedReviewRequest[]),
    shopClock(session.shop),
  ]);
  return { status, page, counts, requestsNeedingYou, requests, timeZone: clock.timeZone, autoPublishMinRating: settings.autoPublishMinRating, ...list };
};

export const action = async ({ request }: ActionFunctionArgs) => {
  const { session } = await authenticate.admin(request);
  const form = await request.formData();
  const intent = String(form.get("intent") ?? "");
  const id = String(form.get("id") ?? "");
  if (intent === "publish-selected" || intent === "reject-selected") {
    const ids = form.getAll("id").map(String).filter(Boolean);
    if (ids.length === 0) return data({ errors: { selection: "Select the reviews first" } }, { status: 422 });
    if (ids.length > BULK_MAX) return data({ errors: { selection: `Select at most ${BULK_MAX} reviews at a time` } }, { status: 422 });
    const changed = await moderateReviews(session.shop, ids, intent === "publish-selected" ? "published" : "rejected");
    return { done: intent, changed };
  }
  if (intent === "retry-request" || intent === "cancel-request") {
    try {
      const decision = intent === "retry-request" ? await retryReviewRequest(session.shop, id) : await cancelReviewRequest(session.shop, id);
      if (!decision.ok) return data({ errors: { id: decision.reason } }, { status: 422 });
      return { done: intent };
    } catch (error) {
      if (error instanceof ReviewRequestNotFoundError) throw new Response("Review request not found", { status: 404 });
      throw error;
    }
  }
  try {
    if (intent === "publish") await publishReview(session.shop, id);
    else if (intent === "reject") await rejectReview(session.shop, id);
    else if (intent === "reply") {
      const result = await replyToReview(session.shop, id, String(form.get("reply") ?? ""));
      if (result.error) return data({ errors: { reply: result.error } }, { status: 422 });
    } else return data({ errors: { intent: "Unknown action" } }, { status: 400 });
  } catch (error) {
    if (error instanceof ReviewNotFoundError) throw new Response("Review not found", { status: 404 });
    throw error;
  }
  return { done: intent };
};

const TABS = [
  { id: "pending", content: "Pending" },
  { id: "published", content: "Published" },
  { id: "rejected", content: "Rejected" },
  { id: "requests", content: "Requests" },
] as const;

const EMPTY: Record<ReviewStatusTab, string> = {
  pending: "Reviews waiting for you appear here. Review requests go out after fulfilment through the “Ask for a review after delivery” flow.",
  published: "Published reviews show on your store and count in the product's rating.",
  rejected: "Reviews you reject stay here, hidden from your store.",
};

export default function Reviews() {
  const { status, counts, reviews, hasMore, page, autoPublishMinRating, requestsNeedingYou, requests, timeZone } = useLoaderData<typeof loader>();
  const [searchParams] = useSearchParams();
  const navigate = useNavigate();
  // Bulk moderation: the reviews ticked on this page (cleared when the tab or the page's reviews change).
  const [selected, setSelected] = useState<ReadonlySet<string>>(new Set());
  const bulk = useFetcher<typeof action>();
  const pageIds = reviews.map((r) => r.id).join(",");
  useEffect(() => setSelected(new Set()), [status, page, pageIds]);
  const bulkDone = bulk.state === "idle" && bulk.data && "changed" in bulk.data ? bulk.data : null;
  useEffect(() => {
    if (!bulkDone) return;
    const verb = bulkDone.done === "publish-selected" ? "published" : status === "published" ? "unpublished" : "rejected";
    window.shopify?.toast.show(`${bulkDone.changed} ${bulkDone.changed === 1 ? "review" : "reviews"} ${verb}`);
    // eslint-disable-next-line react-hooks/exhaustive-deps -- once per answer
  }, [bulkDone]);
  const bulkError = bulk.state === "idle" && bulk.data && "errors" in bulk.data ? (bulk.data.errors as Record<string, string>).selection : undefined;
  const bulkIntent = bulk.state !== "idle" ? bulk.formData?.get("intent") : undefined;
  const runBulk = (intent: "publish-selected" | "reject-selected") => {
    const form = new FormData();
    form.set("intent", intent);
    for (const id of selected) form.append("id", id);
    bulk.submit(form, { method: "post" });
  };
  const toggle = (id: string, on: boolean) =>
    setSelected((current) => {
      const next = new Set(current);
      if (on) next.add(id);
      else next.delete(id);
      return next;
    });
  const allSelected = reviews.length > 0 && selected.size === reviews.length;
  const go = (changes: Record<string, string | null>) => {
    const next = new URLSearchParams(searchParams);
    for (const [k, v] of Object.entries(changes))
      if (v === null) next.delete(k);
      else next.set(k, v);
    navigate(`?${next.toString()}`);
  };
  return (
    <Page
      title="Reviews"
      subtitle={
        autoPublishMinRating === null
          ? "Every review waits for you here before it shows on your store."
          : `Reviews with ${autoPublishMinRating}★ or more are published at once unless they look suspicious.`
      }
      secondaryActions={[{ content: "Settings", url: "/app/reviews/settings" }]}
    >
      <Layout>
        <Layout.Section>
          <Card padding="0">
            <Tabs
              tabs={TABS.map((tab) => ({
                ...tab,
                content:
                  tab.id === "requests"
                    ? requestsNeedingYou > 0
                      ? `Requests (${requestsNeedingYou} not sent)`
                      : "Requests"
                    : `${tab.content} (${counts[tab.id]})`,
              }))}
              selected={TABS.findIndex((t) => t.id === status)}
              onSelect={(index) => go({ status: TABS[index]!.id, page: null })}
            />
            {status !== "requests" && reviews.length === 0 && <EmptyCard heading="Nothing here">{EMPTY[status]}</EmptyCard>}
          </Card>
        </Layout.Section>
        {status === "requests" && <RequestsSection requests={requests} timeZone={timeZone} />}
        {reviews.length > 1 && (
          <Layout.Section>
            <Card>
              <BlockStack gap="200">
                <InlineStack align="space-between" blockAlign="center" gap="300">
                  <Checkbox
                    label={selected.size > 0 ? `${selected.size} selected` : "Select all on this page"}
                    checked={allSelected ? true : selected.size > 0 ? "indeterminate" : false}
                    onChange={(on) => setSelected(on ? new Set(reviews.map((r) => r.id)) : new Set())}
                  />
                  <InlineStack gap="200">
                    {status !== "published" && (
                      <Button
                        variant="primary"
                        disabled={selected.size === 0}
                        loading={bulkIntent === "publish-selected"}
                        onClick={() => runBulk("publish-selected")}
                      >
                        Publish selected
                      </Button>
                    )}
                    {status !== "rejected" && (
                      <Button
                        tone="critical"
                        disabled={selected.size === 0}
                        loading={bulkIntent === "reject-selected"}
                        onClick={() => runBulk("reject-selected")}
                      >
                        {status === "published" ? "Unpublish selected" : "Reject selected"}
                      </Button>
                    )}
                  </InlineStack>
                </InlineStack>
                {bulkError && <InlineError message={bulkError} fieldID="review-selection" />}
              </BlockStack>
            </Card>
          </Layout.Section>
        )}
        {reviews.map((review) => (
          <Layout.Section key={review.id}>
            <ReviewCard review={review} selectable={reviews.length > 1} selected={selected.has(review.id)} onSelect={(on) => toggle(review.id, on)} />
          </Layout.Section>
        ))}
        {(page > 1 || hasMore) && (
          <Layout.Section>
            <InlineStack gap="200">
              {page > 1 && <Button onClick={() => go({ page: String(page - 1) })}>Previous</Button>}
              {hasMore && <Button onClick={() => go({ page: String(page + 1) })}>Next</Button>}
            </InlineStack>
          </Layout.Section>
        )}
      </Layout>
    </Page>
  );
}

const stars = (n: number) => "★".repeat(n) + "☆".repeat(5 - n);

function ReviewCard({
  review,
  selectable,
  selected,
  onSelect,
}: {
  review: ModerationReview;
  selectable: boolean;
  selected: boolean;
  onSelect: (on: boolean) => void;
}) {
  const fetcher = useFetcher<typeof action>();
  const [replying, setReplying] = useState(false);
  const [reply, setReply] = useState(review.reply ?? "");
  const busy = fetcher.state !== "idle";
  const intent = fetcher.formData?.get("intent");
  const replyError = fetcher.data && "errors" in fetcher.data ? (fetcher.data.errors as Record<string, string>).reply : undefined;
  const act = (name: "publish" | "reject") => fetcher.submit({ intent: name, id: review.id }, { method: "post" });
  const saveReply = () => {
    fetcher.submit({ intent: "reply", id: review.id, reply }, { method: "post" });
    setReplying(false);
  };
  return (
    <Card>
      <BlockStack gap="300">
        <InlineStack align="space-between" blockAlign="start" wrap={false} gap="400">
          <InlineStack gap="300" blockAlign="start" wrap={false}>
            {selectable && <Checkbox label={`Select the review “${review.title || review.productTitle}”`} labelHidden checked={selected} onChange={onSelect} />}
            <BlockStack gap="100">
              <Text as="p" variant="headingLg">
                <span role="img" aria-label={`${review.rating} of 5 stars`} style={{ color: "#e4a11b", letterSpacing: "0.05em" }}>
                  {stars(review.rating)}
                </span>
              </Text>
              <Text as="h2" variant="headingMd">
                {review.title || "(no title)"}
              </Text>
              <Text as="p" tone="subdued">
                {review.productTitle}
                {review.orderName ? ` · order ${review.orderName}` : ""}
              </Text>
            </BlockStack>
          </InlineStack>
          <InlineStack gap="200" wrap={false}>
            {review.status !== "published" && (
              <Button
                variant="primary"
                onClick={() => act("publish")}
                loading={busy && intent === "publish"}
                accessibilityLabel={`Publish the review “${review.title || review.productTitle}”`}
              >
                Publish
              </Button>
            )}
            {review.status !== "rejected" && (
              <Button
                tone="critical"
                onClick={() => act("reject")}
                loading={busy && intent === "reject"}
                accessibilityLabel={`Reject the review “${review.title || review.productTitle}”`}
              >
                {review.status === "published" ? "Unpublish" : "Reject"}
              </Button>
            )}
          </InlineStack>
        </InlineStack>
        {review.body && (
          <Text as="p">
            <span style={{ whiteSpace: "pre-wrap" }}>{review.body}</span>
          </Text>
        )}
        {review.photoUrls.length > 0 && (
          <InlineStack gap="200">
            {review.photoUrls.map((url, i) => (
              <a key={url} href={url} target="_blank" rel="noreferrer">
                <Thumbnail source={url} alt={`Photo ${i + 1} of the review`} size="large" />
              </a>
            ))}
          </InlineStack>
        )}
        <InlineStack gap="200" blockAlign="center">
          <Text as="span" tone="subdued">
            {review.authorName || "No name given"}
            {review.email ? ` · ${review.email}` : ""} · {review.createdAt.slice(0, 10)}
          </Text>
          {review.verifiedBuyer && <Badge tone="success">Verified buyer</Badge>}
          {review.incentivised && <Badge tone="info">{review.incentiveSummary ? `Incentivised: ${review.incentiveSummary}` : "Incentivised"}</Badge>}
          {review.spamReason && <Badge tone="warning">{`Held: ${review.spamReason}`}</Badge>}
        </InlineStack>
        {review.reply && !replying && (
          <Box background="bg-surface-secondary" padding="300" borderRadius="200">
            <BlockStack gap="100">
              <Text as="p" variant="headingSm">
                Your reply
              </Text>
              <Text as="p">
                <span style={{ whiteSpace: "pre-wrap" }}>{review.reply}</span>
              </Text>
            </BlockStack>
          </Box>
        )}
        {replying ? (
          <BlockStack gap="200">
            <TextField
              label="Public reply"
              value={reply}
              onChange={setReply}
              multiline={3}
              autoComplete="off"
              maxLength={2000}
              helpText="Shown under the review on your store."
              error={replyError}
            />
            <InlineStack gap="200">
              <Button variant="primary" onClick={saveReply}>
                Save reply
              </Button>
              <Button onClick={() => setReplying(false)}>Cancel</Button>
            </InlineStack>
          </BlockStack>
        ) : (
          <InlineStack>
            <Button variant="plain" onClick={() => setReplying(true)}>
              {review.reply ? "Edit reply" : "Reply"}
            </Button>
          </InlineStack>
        )}
        {replyError && !replying && <InlineError message={replyError} fieldID={`reply-${review.id}`} />}
      </BlockStack>
    </Card>
  );
}

const REQUEST_TONE: Record<string, "success" | "critical" | "info" | undefined> = { sent: "success", failed: "critical", scheduled: "info" };

/** Review requests, those that could not be sent first, with Retry and Cancel where they apply. */
function RequestsSection({ requests, timeZone }: { requests: ListedReviewRequest[]; timeZone: string }) {
  if (requests.length === 0) {
    return (
      <Layout.Section>
        <Card>
          <EmptyCard heading="No review requests yet">Requests go out after fulfilment through the “Ask for a review after delivery” flow.</EmptyCard>
        </Card>
      </Layout.Section>
    );
  }
  return (
    <>
      {requests.map((r) => (
        <Layout.Section key={r.id}>
          <RequestCard request={r} timeZone={timeZone} />
        </Layout.Section>
      ))}
    </>
  );
}

function RequestCard({ request: r, timeZone }: { request: ListedReviewRequest; timeZone: string }) {
  const fetcher = useFetcher<typeof action>();
  const intent = fetcher.state !== "idle" ? fetcher.formData?.get("intent") : undefined;
  const error = fetcher.state === "idle" && fetcher.data && "errors" in fetcher.data ? (fetcher.data.errors as Record<string, string>).id : undefined;
  const act = (name: "retry-request" | "cancel-request") => fetcher.submit({ intent: name, id: r.id }, { method: "post" });
  const stuck = r.actions.retry;
  const when = r.sentAt
    ? `Sent ${formatShopTime(r.sentAt, timeZone)}${r.reminders ? ` · ${r.reminders} ${r.reminders === 1 ? "reminder" : "reminders"}` : ""}${r.nextAt ? ` · next reminder ${formatShopTime(r.nextAt, timeZone)}` : ""}`
    : `Due ${formatShopTime(r.sendAt, timeZone)}`;
  return (
    <Card>
      <BlockStack gap="200">
        <InlineStack align="space-between" blockAlign="center" gap="300">
          <InlineStack gap="200" blockAlign="center">
            <Text as="h2" variant="headingMd">
              {r.orderName ? `Order ${r.orderName}` : "Order"}
            </Text>
            <Badge tone={stuck ? "critical" : REQUEST_TONE[r.status]}>{r.statusLabel}</Badge>
          </InlineStack>
          <InlineStack gap="200">
            {r.actions.retry && (
              <Button
                variant="primary"
                onClick={() => act("retry-request")}
                loading={intent === "retry-request"}
                accessibilityLabel={`Retry the review request for ${r.orderName ?? "this order"}`}
              >
                Retry
              </Button>
            )}
            {r.actions.cancel && (
              <Button
                tone="critical"
                onClick={() => act("cancel-request")}
                loading={intent === "cancel-request"}
                accessibilityLabel={`Cancel the review request for ${r.orderName ?? "this order"}`}
              >
                {r.status === "sent" ? "Stop reminders" : "Cancel request"}
              </Button>
            )}
          </InlineStack>
        </InlineStack>
        <Text as="p" tone="subdued">
          {r.email ?? "No e-mail address"} · {when}
        </Text>
        {r.reason && (
          <Text as="p" tone={stuck ? "critical" : undefined}>
            {r.reason}
          </Text>
        )}
        {error && <InlineError message={error} fieldID={`request-${r.id}`} />}
      </BlockStack>
    </Card>
  );
}
