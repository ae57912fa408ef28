import { data, type ActionFunctionArgs, type LoaderFunctionArgs } from "@remix-run/node";
import { useFetcher, useLoaderData } from "@remix-run/react";
import { Banner, BlockStack, Box, Card, FormLayout, InlineGrid, Layout, Page, Select, Tabs, Text, TextField } from "@shopify/polaris";
import { useMemo, useState } from "react";
import { MAIL_LOCALES, type MailLocale } from "~/mail/templates";
import { defaultReviewTexts, renderReviewMail, type ReviewMailKind } from "~/reviews/mail-templates";
import { parseReviewSettings, type ReviewSettingsErrors, type ReviewTexts } from "~/reviews/settings";
import { getReviewSettings, saveReviewSettings } from "~/reviews/settings.server";
import { findShop } from "~/shops/shops.server";
import { authenticate } from "~/shopify/shopify.server";

export const loader = async ({ request }: LoaderFunctionArgs) => {
  const { session } = await authenticate.admin(request);
  const [settings, shop] = await Promise.all([getReviewSettings(session.shop), findShop(session.shop)]);
  return { settings, shopName: shop?.name ?? session.shop };
};

export const action = async ({ request }: ActionFunctionArgs) => {
  const { session } = await authenticate.admin(request);
  const parsed = parseReviewSettings(await request.json());
  if (!parsed.ok) return data({ errors: parsed.errors }, { status: 422 });
  return { saved: await saveReviewSettings(session.shop, parsed.settings) };
};

const LANGUAGES: Record<MailLocale, string> = { en: "English", sl: "Slovenščina", tr: "Türkçe", de: "Deutsch", fr: "Français", es: "Español" };
const TEXT_FIELDS = [
  { key: "subject", label: "Subject", multiline: false },
  { key: "body", label: "Text", multiline: true },
  { key: "reminderSubject", label: "Reminder subject", multiline: false },
  { key: "reminderBody", label: "Reminder text", multiline: true },
] as const;

type Form = {
  maxProducts: string;
  reminders: string;
  reminderDays: string;
  autoPublishMinRating: string;
  incentive: { points: string; photoBonusPoints: string; discountPercent: string };
  texts: Partial<Record<MailLocale, ReviewTexts>>;
};

export default function ReviewSettings() {
  const { settings, shopName } = useLoaderData<typeof loader>();
  const fetcher = useFetcher<typeof action>();
  const initial: Form = {
    maxProducts: String(settings.maxProducts),
    reminders: String(settings.reminders),
    reminderDays: String(settings.reminderDays),
    autoPublishMinRating: settings.autoPublishMinRating === null ? "off" : String(settings.autoPublishMinRating),
    incentive: {
      points: String(settings.incentive.points),
      photoBonusPoints: String(settings.incentive.photoBonusPoints),
      discountPercent: String(settings.incentive.discountPercent),
    },
    texts: settings.texts,
  };
  const [form, setForm] = useState<Form>(initial);
  const [language, setLanguage] = useState(0);
  const [previewKind, setPreviewKind] = useState<ReviewMailKind>("request");
  const errors: ReviewSettingsErrors = fetcher.data && "errors" in fetcher.data ? fetcher.data.errors : {};
  const saved = fetcher.state === "idle" && fetcher.data && "saved" in fetcher.data;
  const locale = MAIL_LOCALES[language]!;
  const texts = form.texts[locale] ?? {};
  const defaults = defaultReviewTexts(locale);
  const set = (patch: Partial<Form>) => setForm((f) => ({ ...f, ...patch }));
  const setText = (key: keyof ReviewTexts, value: string) =>
    setForm((f) => ({ ...f, texts: { ...f.texts, [locale]: { ...(f.texts[locale] ?? {}), [key]: value } } }));
  const save = () =>
    fetcher.submit(
      {
        maxProducts: form.maxProducts,
        reminders: form.reminders,
        reminderDays: form.reminderDays,
        autoPublishMinRating: form.autoPublishMinRating,
        incentive: form.incentive,
        texts: form.texts,
      } as never,
      { method: "post", encType: "application/json" },
    );

  const preview = useMemo(() => {
    const points = Number(form.incentive.points) || 0;
    const photo = Number(form.incentive.photoBonusPoints) || 0;
    const percent = Number(form.incentive.discountPercent) || 0;
    const url = "https://example.myshopify.com/apps/afterglow/review?token=preview";
    return renderReviewMail({
      kind: previewKind,
      locale,
      shopName,
      firstName: "Ana",
      orderName: "#1001",
      reviewUrl: url,
      products: [
        { title: "Lavender Dusk Candle", url },
        { title: "Brass Wick Trimmer", url },
      ],
      unsubscribeUrl: "https://example.myshopify.com/apps/afterglow/unsubscribe?token=preview",
      incentive: points || photo || percent ? { points, photoBonusPoints: photo, discountPercent: percent } : null,
      texts: form.texts[locale] ?? null,
    });
  }, [form, locale, previewKind, shopName]);

  const error = (path: string) => errors[path];
  const errorCount = Object.keys(errors).length;
  return (
    <Page
      title="Review settings"
      backAction={{ content: "Reviews", url: "/app/reviews" }}
      primaryAction={{ content: "Save", onAction: save, loading: fetcher.state !== "idle" }}
    >
      <Layout>
        {errorCount > 0 && (
          <Layout.Section>
            <Banner tone="critical" title={`${errorCount} ${errorCount === 1 ? "field needs" : "fields need"} attention`}>
              <ul>
                {Object.entries(errors).map(([path, message]) => (
                  <li key={path}>{message}</li>
                ))}
              </ul>
            </Banner>
          </Layout.Section>
        )}
        {saved && (
          <Layout.Section>
            <Banner tone="success" title="Settings saved" />
          </Layout.Section>
        )}
        <Layout.AnnotatedSection
          title="Review requests"
          description="One e-mail per order, sent by the “Ask for a review after delivery” flow. Reminders stop as soon as the customer reviews."
        >
          <Card>
            <FormLayout>
              <TextField
                label="Products per request"
                type="number"
                min={1}
                max={10}
                value={form.maxProducts}
                onChange={(v) => set({ maxProducts: v })}
                autoComplete="off"
                error={error("maxProducts")}
                helpText="The order's products to ask about, at most."
              />
              <FormLayout.Group>
                <Select
                  label="Reminders"
                  options={["0", "1", "2", "3"].map((n) => ({ label: n === "0" ? "No reminders" : `${n} reminder${n === "1" ? "" : "s"}`, value: n }))}
                  value={form.reminders}
                  onChange={(v) => set({ reminders: v })}
                  error={error("reminders")}
                />
                <TextField
                  label="Days between reminders"
                  type="number"
                  min={1}
                  max={60}
                  value={form.reminderDays}
                  onChange={(v) => set({ reminderDays: v })}
                  autoComplete="off"
                  error={error("reminderDays")}
                />
              </FormLayout.Group>
            </FormLayout>
          </Card>
        </Layout.AnnotatedSection>
        <Layout.AnnotatedSection
          title="Publishing"
          description="Reviews with a link, contact details, profanity or other signs of spam always wait for you, whatever the rule."
        >
          <Card>
            <Select
              label="Publish automatically"
              options={[
                { label: "Never: I approve every review", value: "off" },
                { label: "5★ reviews", value: "5" },
                { label: "4★ and up", value: "4" },
                { label: "3★ and up", value: "3" },
                { label: "All reviews", value: "1" },
              ]}
              value={form.autoPublishMinRating}
              onChange={(v) => set({ autoPublishMinRating: v })}
              error={error("autoPublishMinRating")}
            />
          </Card>
        </Layout.AnnotatedSection>
        <Layout.AnnotatedSection
          title="Incentives"
          description="A reward for writing a review, whatever its rating. Reviews written for a reward are marked as incentivised on your store."
        >
          <Card>
            <FormLayout>
              <FormLayout.Group>
                <TextField
                  label="Points for a review"
                  type="number"
                  min={0}
                  value={form.incentive.points}
                  onChange={(v) => set({ incentive: { ...form.incentive, points: v } })}
                  autoComplete="off"
                  error={error("incentive.points")}
                  helpText="Added to the customer's loyalty balance."
                />
                <TextField
                  label="Bonus points for a photo"
                  type="number"
                  min={0}
                  value={form.incentive.photoBonusPoints}
                  onChange={(v) => set({ incentive: { ...form.incentive, photoBonusPoints: v } })}
                  autoComplete="off"
                  error={error("incentive.photoBonusPoints")}
                />
              </FormLayout.Group>
              <TextField
                label="Discount for a review"
                type="number"
                min={0}
                max={100}
                suffix="%"
                value={form.incentive.discountPercent}
                onChange={(v) => set({ incentive: { ...form.incentive, discountPercent: v } })}
                autoComplete="off"
                error={error("incentive.discountPercent")}
                helpText="A single-use code for the reviewer's next order, e-mailed to them. 0 for none."
              />
            </FormLayout>
          </Card>
        </Layout.AnnotatedSection>
        <Layout.Section>
          <Card padding="0">
            <Tabs tabs={MAIL_LOCALES.map((l) => ({ id: `lang-${l}`, content: LANGUAGES[l] }))} selected={language} onSelect={setLanguage} />
            <Box padding="400">
              <InlineGrid columns={{ xs: 1, md: 2 }} gap="400">
                <BlockStack gap="300">
                  <Text as="h2" variant="headingMd">
                    E-mail in {LANGUAGES[locale]}
                  </Text>
                  <Text as="p" tone="subdued">
                    Customers get the language of their order. Leave a field empty to use ours. Placeholders: {"{name}"}, {"{shop}"}, {"{order}"}.
                  </Text>
                  {TEXT_FIELDS.map((field) => (
                    <TextField
                      key={field.key}
                      label={field.label}
                      value={texts[field.key] ?? ""}
                      placeholder={defaults[field.key]}
                      onChange={(v) => setText(field.key, v)}
                      multiline={field.multiline ? 5 : undefined}
                      autoComplete="off"
                      error={error(`texts.${locale}.${field.key}`)}
                    />
                  ))}
                </BlockStack>
                <BlockStack gap="300">
                  <Select
                    label="Preview"
                    options={[
                      { label: "Review request", value: "request" },
                      { label: "Reminder", value: "reminder" },
                    ]}
                    value={previewKind}
                    onChange={(v) => setPreviewKind(v as ReviewMailKind)}
                  />
                  <Text as="p" variant="headingSm">
                    Subject: {preview.subject}
                  </Text>
                  <iframe
                    title="E-mail preview"
                    sandbox=""
                    srcDoc={preview.html}
                    style={{ width: "100%", height: 760, border: "1px solid #e3e3e3", borderRadius: 8, background: "#f6f6f7" }}
                  />
                </BlockStack>
              </InlineGrid>
            </Box>
          </Card>
        </Layout.Section>
      </Layout>
    </Page>
  );
}
