import { data, type ActionFunctionArgs, type LoaderFunctionArgs } from "@remix-run/node";
import { useFetcher, useLoaderData } from "@remix-run/react";
import { Banner, BlockStack, Layout, List, Page } from "@shopify/polaris";
import { useEffect, useState } from "react";
import { LoyaltySections } from "~/components/loyalty/LoyaltySections";
import { TierEditor } from "~/components/loyalty/TierEditor";
import { TierPreviewCard } from "~/components/loyalty/TierPreviewCard";
import type { FieldErrors, TiersForm } from "~/loyalty/admin-forms";
import { handleFor } from "~/loyalty/admin-forms";
import type { TierPreview } from "~/loyalty/admin-tiers";
import { loadTiersPage, previewTierRules, saveTierRules } from "~/loyalty/admin-tiers.server";
import { authenticate } from "~/shopify/shopify.server";

export const loader = async ({ request }: LoaderFunctionArgs) => {
  const { session } = await authenticate.admin(request);
  return loadTiersPage(session.shop);
};

export const action = async ({ request }: ActionFunctionArgs) => {
  const { session } = await authenticate.admin(request);
  const body = (await request.json().catch(() => null)) as Record<string, unknown> | null;
  if (!body || typeof body !== "object") return data({ errors: { form: "Send the tiers as JSON" } }, { status: 400 });
  if (body.intent !== "preview" && body.intent !== "save") return data({ errors: { intent: "Unknown action" } }, { status: 400 });
  const outcome = body.intent === "preview" ? await previewTierRules(session.shop, body) : await saveTierRules(session.shop, body);
  if (!outcome.ok) return data({ errors: outcome.errors }, { status: 422 });
  return { preview: outcome.value, saved: body.intent === "save" };
};

type Answer = { preview?: TierPreview; saved?: boolean; errors?: FieldErrors };

const TIER_FIELDS: Record<string, string> = {
  name: "name",
  threshold: "threshold",
  earnMultiplier: "points multiplier",
  entryPoints: "points on reaching the tier",
  freeShipping: "free-shipping code",
};
const RULE_FIELDS: Record<string, string> = { tierBasis: "Measured by", tierWindow: "Counted", downgradePolicy: "Downgrades", tiers: "Tiers" };

/** "tiers.1.threshold" → "Gold: threshold" (as the banner names it). */
function fieldLabel(path: string, form: TiersForm): string {
  const match = /^tiers\.(\d+)\.(\w+)$/.exec(path);
  if (!match) return RULE_FIELDS[path] ?? path;
  const row = form.tiers[Number(match[1])];
  return `${row?.name.trim() || `Tier ${Number(match[1]) + 1}`}, ${TIER_FIELDS[match[2]!] ?? match[2]}`;
}

export default function LoyaltyTiers() {
  const { form: stored, currency, members } = useLoaderData<typeof loader>();
  const fetcher = useFetcher<Answer>();
  const [form, setForm] = useState<TiersForm>(stored);
  const [baseline, setBaseline] = useState(() => JSON.stringify(stored));
  const [shown, setShown] = useState<string | null>(null);
  if (baseline !== JSON.stringify(stored)) {
    setBaseline(JSON.stringify(stored));
    setForm(stored);
  }
  const dirty = JSON.stringify(form) !== JSON.stringify(stored);
  const answer = fetcher.state === "idle" ? fetcher.data : undefined;
  const errors = answer?.errors ?? {};
  const errorCount = Object.keys(errors).length;
  // A preview stays on screen only while it describes the form as it is.
  const preview = answer?.preview && (answer.saved || shown === JSON.stringify(form)) ? answer.preview : null;

  useEffect(() => {
    if (fetcher.state === "idle" && fetcher.data?.saved) window.shopify?.toast.show("Tiers saved");
  }, [fetcher.state, fetcher.data]);

  const send = (intent: "preview" | "save") => {
    setShown(JSON.stringify(form));
    fetcher.submit({ intent, ...form } as never, { method: "post", encType: "application/json" });
  };
  const names = Object.fromEntries(
    [...form.tiers].sort((a, b) => Number(a.threshold) - Number(b.threshold)).map((t) => [t.handle || handleFor(t.name), t.name.trim() || "Unnamed tier"]),
  );
  const busy = (intent: string) => fetcher.state !== "idle" && (fetcher.json as { intent?: string } | undefined)?.intent === intent;

  return (
    <Page
      backAction={{ content: "Loyalty", url: "/app/loyalty" }}
      title="Tiers"
      subtitle="Customers who spend more reach higher tiers: more points per purchase, and perks."
      primaryAction={{ content: "Save", id: "tiers-save", onAction: () => send("save"), loading: busy("save"), disabled: !dirty }}
      secondaryActions={[
        { content: "Preview changes", id: "tiers-preview", onAction: () => send("preview"), loading: busy("preview") },
        { content: "Discard", onAction: () => setForm(stored), disabled: !dirty },
      ]}
    >
      <BlockStack gap="400">
        <LoyaltySections current="tiers" />
        <Layout>
          {errorCount > 0 && (
            <Layout.Section>
              <Banner tone="critical" title={`${errorCount} ${errorCount === 1 ? "field needs" : "fields need"} attention`}>
                <List>
                  {Object.entries(errors).map(([path, message]) => (
                    <List.Item key={path}>{`${fieldLabel(path, form)}: ${message}`}</List.Item>
                  ))}
                </List>
              </Banner>
            </Layout.Section>
          )}
          {preview && (
            <Layout.Section>
              <TierPreviewCard preview={preview} names={names} saved={answer?.saved === true} />
            </Layout.Section>
          )}
          <Layout.Section>
            <TierEditor form={form} currency={currency} errors={errors} members={members} onChange={setForm} />
          </Layout.Section>
        </Layout>
      </BlockStack>
    </Page>
  );
}
