import { data, redirect, type ActionFunctionArgs, type LoaderFunctionArgs } from "@remix-run/node";
import { Form, useActionData, useLoaderData, useNavigation } from "@remix-run/react";
import { Banner, BlockStack, Button, Card, Checkbox, DataTable, FormLayout, InlineStack, Layout, Page, Select, Text, TextField } from "@shopify/polaris";
import { useState } from "react";
import { ChallengeNotFoundError, loadChallengeEditor, saveChallenge } from "~/challenges/challenges.server";
import { KIND_LABELS, REFUND_RULE } from "~/challenges/definition";
import { authenticate } from "~/shopify/shopify.server";

const idOf = (param: string | undefined) => (!param || param === "new" ? null : param);

export const loader = async ({ request, params }: LoaderFunctionArgs) => {
  const { session } = await authenticate.admin(request);
  try {
    return await loadChallengeEditor(session.shop, idOf(params.id), new URL(request.url).searchParams.get("template"));
  } catch (error) {
    if (error instanceof ChallengeNotFoundError) throw new Response("Challenge not found", { status: 404 });
    throw error;
  }
};

export const action = async ({ request, params }: ActionFunctionArgs) => {
  const { session } = await authenticate.admin(request);
  const form = Object.fromEntries(await request.formData());
  try {
    const saved = await saveChallenge(session.shop, idOf(params.id), form);
    if (!saved.ok) return data({ errors: saved.errors }, { status: 422 });
    return redirect(`/app/challenges/${saved.id}?saved=1`);
  } catch (error) {
    if (error instanceof ChallengeNotFoundError) throw new Response("Challenge not found", { status: 404 });
    throw error;
  }
};

const KIND_OPTIONS = Object.entries(KIND_LABELS).map(([value, label]) => ({ value, label }));
const REWARD_OPTIONS = [
  { value: "points", label: "Loyalty points (and the badge)" },
  { value: "code", label: "A discount code (and the badge)" },
  { value: "badge", label: "The badge only" },
];
const CODE_OPTIONS = [
  { value: "percentage", label: "Percentage off" },
  { value: "fixed_amount", label: "Fixed amount off" },
  { value: "free_shipping", label: "Free shipping" },
];

export default function ChallengeEditor() {
  const { id, form, currency, recent } = useLoaderData<typeof loader>();
  const errors = (useActionData<typeof action>() as { errors?: Record<string, string> } | undefined)?.errors ?? {};
  const busy = useNavigation().state !== "idle";
  const [f, setF] = useState<Record<string, string>>(form);
  const set = (name: string) => (value: string) => setF((current) => ({ ...current, [name]: value }));
  const field = (name: string) => ({ name, value: f[name] ?? "", onChange: set(name), error: errors[name], autoComplete: "off" as const });
  const spend = f.kind === "spend";
  const streak = f.streak === "monthly";
  return (
    <Page title={id ? f.name || "Challenge" : "New challenge"} backAction={{ content: "Challenges", url: "/app/challenges" }}>
      <Form method="post">
        <Layout>
          {Object.keys(errors).length > 0 && (
            <Layout.Section>
              <Banner tone="critical" title="Check the highlighted fields">
                <p>The challenge was not saved.</p>
              </Banner>
            </Layout.Section>
          )}
          <Layout.Section>
            <Card>
              <FormLayout>
                <TextField label="Name (shoppers see it)" {...field("name")} />
                <Select label="What the customer does" options={KIND_OPTIONS} {...field("kind")} />
                <FormLayout.Group>
                  <TextField
                    label={spend ? `Amount to spend (${currency})` : streak ? "Consecutive months" : "How many"}
                    inputMode={spend ? "decimal" : "numeric"}
                    helpText={spend ? "Order subtotals, after partial refunds" : undefined}
                    {...field("goal")}
                  />
                  <TextField
                    label="Within days (rolling window, optional)"
                    inputMode="numeric"
                    disabled={streak}
                    helpText="Empty: the whole period"
                    {...field("windowDays")}
                  />
                </FormLayout.Group>
                <Checkbox
                  label="Streak: one order in each calendar month (shop time zone)"
                  checked={streak}
                  disabled={f.kind !== "orders_count"}
                  onChange={(on) => set("streak")(on ? "monthly" : "")}
                  error={errors.streak}
                />
                <input type="hidden" name="streak" value={f.streak ?? ""} />
                <FormLayout.Group>
                  <TextField
                    label="Starts (YYYY-MM-DD, optional)"
                    placeholder="YYYY-MM-DD"
                    helpText="Empty: counts from when it is created"
                    {...field("startsAt")}
                  />
                  <TextField
                    label="Ends (YYYY-MM-DD, optional)"
                    placeholder="YYYY-MM-DD"
                    helpText="Orders from this day on no longer count"
                    {...field("endsAt")}
                  />
                </FormLayout.Group>
                {f.kind === "collection_purchase" && <TextField label="Collection ID" placeholder="gid://shopify/Collection/…" {...field("collectionGid")} />}
              </FormLayout>
            </Card>
          </Layout.Section>
          <Layout.Section>
            <Card>
              <FormLayout>
                <TextField label="Badge name" helpText="Every customer who completes the challenge earns it" {...field("badge")} />
                <Select label="Reward" options={REWARD_OPTIONS} {...field("rewardKind")} />
                {f.rewardKind === "points" && (
                  <TextField label="Points" inputMode="numeric" helpText="Spendable at once, given once per customer" {...field("rewardPoints")} />
                )}
                {f.rewardKind === "code" && (
                  <FormLayout.Group>
                    <Select label="Discount" options={CODE_OPTIONS} {...field("codeKind")} />
                    {f.codeKind !== "free_shipping" && (
                      <TextField label={f.codeKind === "fixed_amount" ? `Amount (${currency})` : "Percent"} {...field("codeValue")} />
                    )}
                    <TextField label="Valid for days" inputMode="numeric" {...field("codeExpiresInDays")} />
                  </FormLayout.Group>
                )}
                {f.rewardKind === "code" && (
                  <Text as="p" tone="subdued">
                    A single-use code for that customer, created in Shopify when the challenge is completed. It is not e-mailed yet: it is listed below.
                  </Text>
                )}
                <Checkbox
                  label="On (counts new orders, reviews, referrals and answers)"
                  checked={f.enabled === "true"}
                  onChange={(on) => set("enabled")(on ? "true" : "false")}
                />
                <input type="hidden" name="enabled" value={f.enabled === "true" ? "true" : "false"} />
                <input type="hidden" name="template" value={f.template ?? ""} />
                <Text as="p" tone="subdued">
                  {REFUND_RULE}
                </Text>
              </FormLayout>
            </Card>
          </Layout.Section>
          <Layout.Section>
            <Card>
              <InlineStack align="end">
                <Button submit variant="primary" loading={busy}>
                  Save challenge
                </Button>
              </InlineStack>
            </Card>
          </Layout.Section>
          {id && (
            <Layout.Section>
              <Card padding="0">
                <BlockStack gap="200">
                  <div style={{ padding: "16px 16px 0" }}>
                    <Text as="h2" variant="headingMd">
                      Participants
                    </Text>
                  </div>
                  <DataTable
                    columnContentTypes={["text", "text", "text", "text"]}
                    headings={["Customer", "Progress", "Completed", "Reward"]}
                    rows={recent.map((r) => [
                      r.customerGid.replace("gid://shopify/Customer/", "#"),
                      r.progress,
                      r.completedAt ? r.completedAt.slice(0, 10) : "—",
                      r.completedAt ? r.reward : "—",
                    ])}
                  />
                </BlockStack>
              </Card>
            </Layout.Section>
          )}
        </Layout>
      </Form>
    </Page>
  );
}
