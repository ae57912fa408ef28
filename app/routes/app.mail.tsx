import { data, type ActionFunctionArgs, type LoaderFunctionArgs } from "@remix-run/node";
import { useFetcher, useLoaderData, useNavigate, useSearchParams } from "@remix-run/react";
import {
  Badge,
  Banner,
  BlockStack,
  Box,
  Button,
  Card,
  Checkbox,
  FormLayout,
  IndexTable,
  InlineStack,
  Layout,
  Page,
  Select,
  Text,
  TextField,
} from "@shopify/polaris";
import { useEffect, useState } from "react";
import { EmptyCard } from "~/components/EmptyCard";
import { appConfig } from "~/config.server";
import { cancelMail, listMail, MailNotFoundError, retryMail } from "~/mail/outbox.server";
import { outboxMessage } from "~/mail/outbox-view.server";
import { getMailSettings, saveMailSettings, testSmtpConnection } from "~/mail/settings.server";
import { authenticate } from "~/shopify/shopify.server";
import { ShopClockText } from "~/components/ShopClockText";
import { formatShopTime } from "~/lib/time/format";
import { shopClock } from "~/lib/time/shop-clock.server";

export const loader = async ({ request }: LoaderFunctionArgs) => {
  const { session } = await authenticate.admin(request);
  const id = new URL(request.url).searchParams.get("id");
  const [rows, selected, clock, settings] = await Promise.all([
    listMail(session.shop, 100),
    id ? outboxMessage(session.shop, id) : Promise.resolve(null),
    shopClock(session.shop),
    getMailSettings(session.shop),
  ]);
  return {
    clock,
    settings,
    sandbox: appConfig.sandboxSignIn,
    messages: rows.map((m) => ({
      id: m.id,
      to: m.to,
      subject: m.subject,
      template: m.template,
      category: m.category,
      status: m.status,
      error: m.error,
      createdAt: m.createdAt.toISOString(),
    })),
    selected,
  };
};

export const action = async ({ request }: ActionFunctionArgs) => {
  const { session } = await authenticate.admin(request);
  const form = await request.formData();
  const id = String(form.get("id") ?? "");
  const intent = String(form.get("intent") ?? "retry");
  if (intent === "save-settings") {
    const fields = Object.fromEntries([...form.entries()].map(([k, v]) => [k, String(v)]));
    const saved = await saveMailSettings(session.shop, fields);
    if (!saved.ok) return data({ settingsErrors: saved.errors }, { status: 422 });
    return { saved: true as const };
  }
  if (intent === "test-smtp") {
    const tested = await testSmtpConnection(session.shop, String(form.get("smtpUrl") ?? ""));
    return tested.ok ? { tested: `Connected to ${tested.server}: the server answered and accepted the login.` } : { testError: tested.error };
  }
  if (intent !== "retry" && intent !== "cancel") return data({ errors: { intent: "Unknown action" } }, { status: 422 });
  try {
    const decision = intent === "retry" ? await retryMail(session.shop, id) : await cancelMail(session.shop, id);
    if (!decision.ok) return data({ errors: { id: decision.reason } }, { status: 422 });
    return { done: intent, id };
  } catch (error) {
    if (error instanceof MailNotFoundError) throw new Response("Message not found", { status: 404 });
    throw error;
  }
};

const TONE = { sent: "success", failed: "critical", suppressed: "warning", skipped: "warning", queued: "info", sending: "info", cancelled: undefined } as const;
const CATEGORY: Record<string, string> = { marketing: "Marketing", transactional: "Transactional" };
const TEMPLATE: Record<string, string> = {
  "apology-reward": "Apology reward",
  "review-request": "Review request",
  "review-reminder": "Review reminder",
  "reward-code": "Reward code",
  "win-back": "Win-back",
  "thank-you": "Thank you",
  "points-expiring": "Points expiring",
  "points-balance": "Points balance",
};

export default function MailOutbox() {
  const { messages, selected, sandbox, clock, settings } = useLoaderData<typeof loader>();
  const when = (iso: string) => formatShopTime(iso, clock.timeZone);
  const [searchParams] = useSearchParams();
  const navigate = useNavigate();
  const fetcher = useFetcher<typeof action>();
  const open = (id: string | null) => {
    const next = new URLSearchParams(searchParams);
    if (id) next.set("id", id);
    else next.delete("id");
    navigate(`?${next.toString()}`);
  };
  return (
    <Page
      title="Mail outbox"
      subtitle={
        sandbox
          ? "Every e-mail Afterglow sent, as the sandbox's SMTP server received it."
          : "Every e-mail Afterglow sent to your customers, and what became of it."
      }
      secondaryActions={[{ content: "Refresh", onAction: () => navigate(`?${searchParams.toString()}`) }]}
    >
      <Layout>
        {selected && (
          <Layout.Section>
            <Card>
              <BlockStack gap="300">
                <InlineStack align="space-between" blockAlign="center">
                  <Text as="h2" variant="headingMd">
                    {selected.subject}
                  </Text>
                  <Button variant="plain" onClick={() => open(null)}>
                    Close
                  </Button>
                </InlineStack>
                <InlineStack gap="200" blockAlign="center">
                  <Badge tone={TONE[selected.status as keyof typeof TONE]}>{selected.status}</Badge>
                  <Text as="span" tone="subdued">
                    To {selected.to} · {TEMPLATE[selected.template] ?? selected.template} · {CATEGORY[selected.category] ?? selected.category} ·{" "}
                    {selected.locale ?? "en"} · {selected.sentAt ? `sent ${when(selected.sentAt)}` : `queued ${when(selected.createdAt)}`}
                  </Text>
                </InlineStack>
                {selected.error && (
                  <Text as="p" tone={selected.status === "cancelled" || selected.status === "skipped" ? "subdued" : "critical"}>
                    {selected.error}
                  </Text>
                )}
                {selected.status === "sending" && selected.actions.retry && (
                  <Text as="p" tone="critical">
                    Its delivery started over 10 minutes ago and never finished (the app stopped while sending): it may or may not have reached {selected.to}.
                  </Text>
                )}
                {(selected.actions.retry || selected.actions.cancel) && (
                  <BlockStack gap="100">
                    <Text as="p" tone="subdued">
                      {selected.actions.retry ? "Retry makes one more delivery attempt now. " : ""}Cancel means it is never sent; it stays here as cancelled.
                    </Text>
                    <InlineStack gap="200">
                      {selected.actions.retry && (
                        <Button onClick={() => fetcher.submit({ intent: "retry", id: selected.id }, { method: "post" })} disabled={fetcher.state !== "idle"}>
                          Retry
                        </Button>
                      )}
                      <Button
                        tone="critical"
                        onClick={() => fetcher.submit({ intent: "cancel", id: selected.id }, { method: "post" })}
                        disabled={fetcher.state !== "idle"}
                      >
                        Cancel message
                      </Button>
                    </InlineStack>
                    {fetcher.data && "errors" in fetcher.data && fetcher.data.errors && (
                      <Text as="p" tone="critical">
                        {Object.values(fetcher.data.errors).join(" ")}
                      </Text>
                    )}
                  </BlockStack>
                )}
                {selected.links.length > 0 && (
                  <InlineStack gap="200">
                    {selected.links.map((link) => (
                      <Button key={link.href} url={link.href} target="_blank" variant="primary">
                        {link.label}
                      </Button>
                    ))}
                  </InlineStack>
                )}
                <Text as="p" tone="subdued">
                  {selected.source === "received" ? "As received by the SMTP server:" : selected.status === "sent" ? "As sent:" : "As queued:"}
                </Text>
                {selected.headers.length > 0 && (
                  <Box background="bg-surface-secondary" padding="300" borderRadius="200">
                    <BlockStack gap="050">
                      {selected.headers.map(([name, value]) => (
                        <Text as="p" variant="bodySm" key={name} breakWord>
                          <Text as="span" fontWeight="semibold">
                            {name}:
                          </Text>{" "}
                          {value}
                        </Text>
                      ))}
                    </BlockStack>
                  </Box>
                )}
                {selected.html && (
                  <iframe
                    title="Message"
                    sandbox="allow-popups allow-popups-to-escape-sandbox"
                    srcDoc={selected.html}
                    style={{ width: "100%", height: 720, border: "1px solid #e3e3e3", borderRadius: 8 }}
                  />
                )}
                <details>
                  <summary>Plain text</summary>
                  <pre style={{ whiteSpace: "pre-wrap", fontSize: 13 }}>{selected.text}</pre>
                </details>
              </BlockStack>
            </Card>
          </Layout.Section>
        )}
        <Layout.Section>
          <ShopClockText clock={clock} />
        </Layout.Section>
        <Layout.Section>
          <Card padding="0">
            {messages.length === 0 ? (
              <EmptyCard heading="No e-mail yet">Review requests, reward codes and other e-mails appear here as they are sent.</EmptyCard>
            ) : (
              <IndexTable
                resourceName={{ singular: "message", plural: "messages" }}
                itemCount={messages.length}
                selectable={false}
                headings={[{ title: "To" }, { title: "Subject" }, { title: "Kind" }, { title: "Category" }, { title: "Status" }, { title: "Queued" }]}
              >
                {messages.map((m, index) => (
                  <IndexTable.Row id={m.id} key={m.id} position={index} selected={selected?.id === m.id} onClick={() => open(m.id)}>
                    <IndexTable.Cell>{m.to}</IndexTable.Cell>
                    <IndexTable.Cell>
                      <Button variant="plain" onClick={() => open(m.id)} accessibilityLabel={`Open ${m.subject}`}>
                        {m.subject}
                      </Button>
                    </IndexTable.Cell>
                    <IndexTable.Cell>{TEMPLATE[m.template] ?? m.template}</IndexTable.Cell>
                    <IndexTable.Cell>{CATEGORY[m.category] ?? m.category}</IndexTable.Cell>
                    <IndexTable.Cell>
                      <Badge tone={TONE[m.status as keyof typeof TONE]}>{m.status}</Badge>
                      {(m.status === "skipped" || (m.status === "queued" && m.error)) && m.error && (
                        <Text as="p" variant="bodySm" tone="subdued">
                          {m.error}
                        </Text>
                      )}
                    </IndexTable.Cell>
                    <IndexTable.Cell>{when(m.createdAt)}</IndexTable.Cell>
                  </IndexTable.Row>
                ))}
              </IndexTable>
            )}
          </Card>
        </Layout.Section>
        <Layout.Section>
          <SenderSettings settings={settings} />
        </Layout.Section>
      </Layout>
    </Page>
  );
}

type Settings = ReturnType<typeof useLoaderData<typeof loader>>["settings"];

/** The shop's sender, its own SMTP server, its hourly limit, and the review-request policy. */
function SenderSettings({ settings }: { settings: Settings }) {
  const save = useFetcher<typeof action>();
  const test = useFetcher<typeof action>();
  const [fromName, setFromName] = useState(settings.fromName ?? "");
  const [replyTo, setReplyTo] = useState(settings.replyTo ?? "");
  const [smtpUrl, setSmtpUrl] = useState("");
  const [clearSmtp, setClearSmtp] = useState(false);
  const [hourlyLimit, setHourlyLimit] = useState(settings.hourlyLimit?.toString() ?? "");
  const [reviewCategory, setReviewCategory] = useState(settings.reviewRequestCategory);
  const errors = save.data && "settingsErrors" in save.data ? save.data.settingsErrors : {};
  const saved = save.state === "idle" && save.data && "saved" in save.data;
  useEffect(() => {
    if (saved) {
      setSmtpUrl("");
      setClearSmtp(false);
    }
  }, [saved]);
  const submit = () =>
    save.submit(
      { intent: "save-settings", fromName, replyTo, smtpUrl, clearSmtp: clearSmtp ? "on" : "", hourlyLimit, reviewRequestCategory: reviewCategory },
      { method: "post" },
    );
  return (
    <Card>
      <BlockStack gap="400">
        <Text as="h2" variant="headingMd">
          Sender and consent
        </Text>
        {saved && <Banner tone="success">Mail settings saved. They apply to every message sent from now on.</Banner>}
        <FormLayout>
          <FormLayout.Group>
            <TextField
              label="Sender name"
              value={fromName}
              onChange={setFromName}
              autoComplete="off"
              error={errors.fromName}
              helpText="The name customers see in the From line. Empty: your shop's name."
            />
            <TextField
              label="Reply-To address"
              type="email"
              value={replyTo}
              onChange={setReplyTo}
              autoComplete="email"
              error={errors.replyTo}
              helpText="Where customers' replies go. Empty: no Reply-To header."
            />
          </FormLayout.Group>
          <TextField
            label="Your own SMTP server (optional)"
            value={smtpUrl}
            onChange={setSmtpUrl}
            autoComplete="off"
            error={errors.smtpUrl}
            placeholder={settings.smtpServer ? `Stored: ${settings.smtpServer} (enter a new URL to replace it)` : "smtp://user:password@smtp.example.com:587"}
            helpText={
              settings.smtpUnreadable
                ? "A stored server can no longer be read (the app's MAIL_SECRET_KEY changed): mail goes through the app's shared server until you enter it again."
                : settings.smtpServer
                  ? `Your messages go through ${settings.smtpServer}. The URL is stored encrypted and never shown again.`
                  : "Empty: your messages go through the app's shared mail server. smtp:// uses STARTTLS, smtps:// TLS. Stored encrypted; when it is your own server, the From address is its login if that is an e-mail address."
            }
          />
          {settings.smtpServer && <Checkbox label="Stop using my own SMTP server" checked={clearSmtp} onChange={setClearSmtp} />}
          <InlineStack gap="200" blockAlign="center">
            <Button
              onClick={() => test.submit({ intent: "test-smtp", smtpUrl }, { method: "post" })}
              loading={test.state !== "idle"}
              disabled={!smtpUrl && !settings.smtpServer}
            >
              Test connection
            </Button>
            {test.state === "idle" && test.data && "tested" in test.data && (
              <Text as="span" tone="success">
                {test.data.tested}
              </Text>
            )}
            {test.state === "idle" && test.data && "testError" in test.data && (
              <Text as="span" tone="critical">
                {test.data.testError}
              </Text>
            )}
          </InlineStack>
          <TextField
            label="Messages per hour"
            type="number"
            value={hourlyLimit}
            onChange={setHourlyLimit}
            autoComplete="off"
            error={errors.hourlyLimit}
            placeholder={String(settings.sharedHourlyLimit)}
            helpText={`Now ${settings.effectiveHourlyLimit} per hour. More than that waits and goes out in the next hour; nothing is dropped. Through the app's shared server at most ${settings.sharedHourlyLimit}.`}
          />
          <Select
            label="Review requests and reminders are"
            options={[
              { label: "Marketing: only to customers subscribed to e-mail marketing in Shopify (recommended)", value: "marketing" },
              { label: "Transactional: to every customer who has not unsubscribed", value: "transactional" },
            ]}
            value={reviewCategory}
            onChange={(v) => setReviewCategory(v === "transactional" ? "transactional" : "marketing")}
            error={errors.reviewRequestCategory}
            helpText="Win-back, birthday and anniversary offers and points-expiry reminders are always marketing: they go only to customers whose Shopify e-mail marketing consent is Subscribed, and never after they unsubscribe from marketing. Points receipts, codes a customer earned or asked for, apology rewards and data exports are transactional. Consent is checked again just before each message is sent and when you retry one."
          />
        </FormLayout>
        <InlineStack>
          <Button variant="primary" onClick={submit} loading={save.state !== "idle"}>
            Save mail settings
          </Button>
        </InlineStack>
      </BlockStack>
    </Card>
  );
}
