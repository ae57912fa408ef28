import { data, type ActionFunctionArgs, type LoaderFunctionArgs } from "@remix-run/node";
import { useFetcher, useLoaderData } from "@remix-run/react";
import { Badge, BlockStack, Button, Card, DataTable, InlineStack, Layout, Link, Page, Text } from "@shopify/polaris";
import { ChallengeNotFoundError, listChallenges, setChallengeEnabled } from "~/challenges/challenges.server";
import { challengeTemplates, REFUND_RULE } from "~/challenges/definition";
import { EmptyCard } from "~/components/EmptyCard";
import { now } from "~/lib/time/clock.server";
import { authenticate } from "~/shopify/shopify.server";

export const loader = async ({ request }: LoaderFunctionArgs) => {
  const { session } = await authenticate.admin(request);
  const { rows } = await listChallenges(session.shop);
  return { rows, templates: challengeTemplates(now().getUTCFullYear()).map((t) => ({ id: t.id, title: t.title })) };
};

export const action = async ({ request }: ActionFunctionArgs) => {
  const { session } = await authenticate.admin(request);
  const form = await request.formData();
  if (form.get("intent") !== "toggle") return data({ errors: { intent: "Unknown action" } }, { status: 422 });
  const id = String(form.get("id") ?? "");
  try {
    await setChallengeEnabled(session.shop, id, form.get("enabled") === "true");
  } catch (error) {
    if (error instanceof ChallengeNotFoundError) throw new Response("Challenge not found", { status: 404 });
    throw error;
  }
  return { ok: true };
};

function Toggle({ id, enabled }: { id: string; enabled: boolean }) {
  const fetcher = useFetcher();
  const next = fetcher.formData ? fetcher.formData.get("enabled") === "true" : enabled;
  return (
    <fetcher.Form method="post">
      <input type="hidden" name="intent" value="toggle" />
      <input type="hidden" name="id" value={id} />
      <input type="hidden" name="enabled" value={next ? "false" : "true"} />
      <Button submit size="slim" loading={fetcher.state !== "idle"} accessibilityLabel={next ? "Turn off" : "Turn on"}>
        {next ? "Turn off" : "Turn on"}
      </Button>
    </fetcher.Form>
  );
}

export default function Challenges() {
  const { rows, templates } = useLoaderData<typeof loader>();
  return (
    <Page
      title="Challenges"
      subtitle="Goals customers reach for a badge and a reward: orders, spend, reviews, referrals, surveys, streaks."
      primaryAction={{ content: "New challenge", url: "/app/challenges/new" }}
    >
      <Layout>
        <Layout.Section>
          <Card padding="0">
            {rows.length === 0 ? (
              <EmptyCard heading="No challenges yet">Start from one of the templates below; nothing counts until you save a challenge.</EmptyCard>
            ) : (
              <DataTable
                columnContentTypes={["text", "text", "text", "numeric", "numeric", "text", "text"]}
                headings={["Challenge", "Goal", "Reward", "Participants", "Completions", "What it cost", ""]}
                rows={rows.map((r) => [
                  <BlockStack key={r.id} gap="100">
                    <Link url={`/app/challenges/${r.id}`} removeUnderline>
                      {r.name}
                    </Link>
                    <InlineStack gap="100">
                      <Badge tone={r.enabled ? "success" : undefined}>{r.enabled ? "On" : "Off"}</Badge>
                    </InlineStack>
                  </BlockStack>,
                  r.goalLabel,
                  r.rewardLabel,
                  r.participants,
                  r.completions,
                  r.cost,
                  <Toggle key={`t${r.id}`} id={r.id} enabled={r.enabled} />,
                ])}
              />
            )}
          </Card>
        </Layout.Section>
        <Layout.Section>
          <Card>
            <BlockStack gap="300">
              <Text as="h2" variant="headingMd">
                Start from a template
              </Text>
              <InlineStack gap="200">
                {templates.map((t) => (
                  <Button key={t.id} url={`/app/challenges/new?template=${t.id}`}>
                    {t.title}
                  </Button>
                ))}
              </InlineStack>
            </BlockStack>
          </Card>
        </Layout.Section>
        <Layout.Section>
          <Card>
            <BlockStack gap="200">
              <Text as="h2" variant="headingMd">
                How progress is counted
              </Text>
              <Text as="p">{REFUND_RULE}</Text>
              <Text as="p" tone="subdued">
                A challenge counts what happens after it is created (or from its start date), one order, review, referral or survey answer at a time, each once.
                Participants are customers with at least one order, review, referral or answer recorded for it; what it cost is the points given, or the
                discount codes created.
              </Text>
            </BlockStack>
          </Card>
        </Layout.Section>
      </Layout>
    </Page>
  );
}
