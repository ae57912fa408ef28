import type { ActionFunctionArgs, LoaderFunctionArgs } from "@remix-run/node";
import { useFetcher, useLoaderData, useNavigate, useSearchParams, type FetcherWithComponents } from "@remix-run/react";
import { useEffect, useRef, useState } from "react";
import { Badge, BlockStack, Banner, Box, Button, Card, DataTable, Layout, Page, Tabs, Text } from "@shopify/polaris";
import { EmptyCard } from "~/components/EmptyCard";
import { loadActivity, parseStatusFilter, retryDeadJob } from "~/webhooks/activity.server";
import { authenticate } from "~/shopify/shopify.server";
import { formatShopTime } from "~/lib/time/format";
import { shopTimeZone } from "~/lib/time/shop-clock.server";

export const loader = async ({ request }: LoaderFunctionArgs) => {
  const { session } = await authenticate.admin(request);
  const status = parseStatusFilter(new URL(request.url).searchParams.get("status"));
  const [activity, timeZone] = await Promise.all([loadActivity(session.shop, status), shopTimeZone(session.shop)]);
  return { status, timeZone, ...activity };
};

export const action = async ({ request }: ActionFunctionArgs) => {
  const { session } = await authenticate.admin(request);
  const jobId = String((await request.formData()).get("jobId") ?? "");
  if (!jobId) return Response.json({ errors: { jobId: "Choose a job to retry" } }, { status: 422 });
  const retried = await retryDeadJob(session.shop, jobId);
  if (!retried) return Response.json({ errors: { jobId: "That job is not waiting for a retry" } }, { status: 422 });
  return { retried: jobId };
};

type RetryFetcher = FetcherWithComponents<{ errors: { jobId: string } } | { retried: string }>;

const TABS = [
  { id: "all", content: "All" },
  { id: "received", content: "Queued" },
  { id: "processed", content: "Processed" },
  { id: "failed", content: "Failed" },
] as const;

const TONE = { processed: "success", failed: "critical", received: "info" } as const;

export default function Activity() {
  const { status, timeZone, events, counts, deadJobs, refusedWrites } = useLoaderData<typeof loader>();
  // One fetcher for every Retry button, owned by the page: the retried job leaves the list as soon as the loader
  // revalidates, and the confirmation must outlive it.
  const retry: RetryFetcher = useFetcher<typeof action>();
  const retriedName = useRef<string | null>(null);
  const [dismissed, setDismissed] = useState<unknown>(null);
  const answer = retry.state === "idle" && retry.data !== dismissed ? retry.data : undefined;
  const retried = answer !== undefined && "retried" in answer;
  const retryError = answer !== undefined && "errors" in answer ? answer.errors.jobId : null;
  useEffect(() => {
    if (retried) window.shopify?.toast.show("Job queued again");
  }, [retried, retry.data]);
  const [searchParams] = useSearchParams();
  const navigate = useNavigate();
  const selected = Math.max(
    0,
    TABS.findIndex((tab) => tab.id === status),
  );
  const select = (index: number) => {
    const next = new URLSearchParams(searchParams);
    const id = TABS[index]!.id;
    if (id === "all") next.delete("status");
    else next.set("status", id);
    navigate(`?${next.toString()}`);
  };

  return (
    <Page title="Activity" subtitle="Every order and customer event Shopify sent, and what Afterglow did with it.">
      <Layout>
        {(retried || retryError) && (
          <Layout.Section>
            {retried ? (
              <Banner tone="success" title="Queued again" onDismiss={() => setDismissed(retry.data)}>
                <p>{retriedName.current ?? "The job"} runs again in a moment, with a fresh set of attempts. If it fails for good again, it comes back here.</p>
              </Banner>
            ) : (
              <Banner tone="critical" title="Could not retry" onDismiss={() => setDismissed(retry.data)}>
                <p>{retryError}</p>
              </Banner>
            )}
          </Layout.Section>
        )}
        {deadJobs.length > 0 && (
          <Layout.Section>
            <Card>
              <BlockStack gap="300">
                <Text as="h2" variant="headingMd">
                  Jobs that gave up
                </Text>
                <Text as="p" tone="subdued">
                  These failed after every retry. Fix the cause, then retry them.
                </Text>
                {deadJobs.map((job) => (
                  <DeadJob key={job.id} job={job} retry={retry} onRetry={() => (retriedName.current = job.name)} />
                ))}
              </BlockStack>
            </Card>
          </Layout.Section>
        )}
        {refusedWrites.length > 0 && (
          <Layout.Section>
            <RefusedWrites rows={refusedWrites} timeZone={timeZone} />
          </Layout.Section>
        )}
        <Layout.Section>
          <Card padding="0">
            <Tabs
              tabs={TABS.map((tab) => ({
                ...tab,
                content: tab.id === "all" ? tab.content : `${tab.content} (${counts[tab.id] ?? 0})`,
              }))}
              selected={selected}
              onSelect={select}
            />
            {events.length === 0 ? (
              <EmptyCard heading="Nothing here yet">Events appear as soon as Shopify sends them.</EmptyCard>
            ) : (
              <DataTable
                columnContentTypes={["text", "text", "text", "text"]}
                headings={["Topic", `Received (${timeZone})`, "Status", "Details"]}
                rows={events.map((event) => [
                  event.topic,
                  <time key="t" dateTime={event.receivedAt}>
                    {formatShopTime(event.receivedAt, timeZone)}
                  </time>,
                  <Badge key="s" tone={TONE[event.status as keyof typeof TONE]}>
                    {event.status}
                  </Badge>,
                  event.error ?? event.note ?? (event.source === "reconciliation" ? "recovered by reconciliation" : ""),
                ])}
              />
            )}
          </Card>
        </Layout.Section>
      </Layout>
    </Page>
  );
}

const WRITER_LABEL: Record<string, string> = {
  "orders.mirror": "Order journey metafield",
  "loyalty.mirror": "Loyalty balance metafields",
  "reviews.ratings": "Product rating metafields",
  "flows.tags": "Flow tags",
};

function RefusedWrites({
  rows,
  timeZone,
}: {
  rows: { id: string; writer: string; ownerGid: string; field: string | null; message: string; count: number; lastAt: string }[];
  timeZone: string;
}) {
  return (
    <Card padding="0">
      <BlockStack gap="200">
        <Box padding="400" paddingBlockEnd="0">
          <BlockStack gap="200">
            <Text as="h2" variant="headingMd">
              Items Shopify refused
            </Text>
            <Text as="p" tone="subdued">
              Shopify would not take these items, usually because the order, customer or product was deleted in Shopify. Each was left out and everything else
              in its batch was written. Afterglow tries an item again only when it changes again.
            </Text>
          </BlockStack>
        </Box>
        <DataTable
          columnContentTypes={["text", "text", "text", "numeric", "text"]}
          headings={["What", "Shopify object", "Reason", "Times", `Last refused (${timeZone})`]}
          rows={rows.map((r) => [
            WRITER_LABEL[r.writer] ?? r.writer,
            r.ownerGid,
            r.field ? `${r.field}: ${r.message}` : r.message,
            r.count,
            <time key="t" dateTime={r.lastAt}>
              {formatShopTime(r.lastAt, timeZone)}
            </time>,
          ])}
        />
      </BlockStack>
    </Card>
  );
}

function DeadJob({
  job,
  retry,
  onRetry,
}: {
  job: { id: string; name: string; attempts: number; lastError: string | null };
  retry: RetryFetcher;
  onRetry: () => void;
}) {
  const busy = retry.state !== "idle" && retry.formData?.get("jobId") === job.id;
  return (
    <Banner tone="critical" title={`${job.name} — ${job.attempts} attempts`}>
      <BlockStack gap="200">
        <Text as="p">{job.lastError ?? "No error recorded"}</Text>
        <retry.Form method="post" onSubmit={onRetry}>
          <input type="hidden" name="jobId" value={job.id} />
          <Button submit loading={busy} disabled={retry.state !== "idle" && !busy}>
            Retry
          </Button>
        </retry.Form>
      </BlockStack>
    </Banner>
  );
}
