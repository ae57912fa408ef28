import { data, type ActionFunctionArgs, type LoaderFunctionArgs } from "@remix-run/node";
import { useFetcher, useLoaderData, useNavigate, useSearchParams } from "@remix-run/react";
import { Badge, BlockStack, Box, Button, Card, IndexTable, InlineStack, Layout, Page, Text } from "@shopify/polaris";
import { EmptyCard } from "~/components/EmptyCard";
import { appConfig } from "~/config.server";
import { cancelMail, listMail, MailNotFoundError, retryMail } from "~/mail/outbox.server";
import { outboxMessage } from "~/mail/outbox-view.server";
import { authenticate } from "~/shopify/shopify.server";
import { ShopClockText } from "~/components/ShopClockText";
import { formatShopTime } from "~/lib/time/format";
import { shopClock } from "~/lib/time/shop-clock.server";

export const loader = async ({ request }: LoaderFunctionArgs) => {
  const { session } = await authenticate.admin(request);
  const id = new URL(request.url).searchParams.get("id");
  const [rows, selected, clock] = await Promise.all([
    listMail(session.shop, 100),
    id ? outboxMessage(session.shop, id) : Promise.resolve(null),
    shopClock(session.shop),
  ]);
  return {
    clock,
    sandbox: appConfig.sandboxSignIn,
    messages: rows.map((m) => ({
      id: m.id,
      to: m.to,
      subject: m.subject,
      template: m.template,
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
const TEMPLATE: Record<string, string> = {
  "review-request": "Review request",
  "review-reminder": "Review reminder",
  "reward-code": "Reward code",
  "win-back": "Win-back",
  "thank-you": "Thank you",
  "points-expiring": "Points expiring",
  "points-balance": "Points balance",
};

export default function MailOutbox() {
  const { messages, selected, sandbox, clock } = useLoaderData<typeof loader>();
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
                    To {selected.to} · {TEMPLATE[selected.template] ?? selected.template} · {selected.locale ?? "en"} ·{" "}
                    {selected.sentAt ? `sent ${when(selected.sentAt)}` : `queued ${when(selected.createdAt)}`}
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
                headings={[{ title: "To" }, { title: "Subject" }, { title: "Kind" }, { title: "Status" }, { title: "Queued" }]}
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
                    <IndexTable.Cell>
                      <Badge tone={TONE[m.status as keyof typeof TONE]}>{m.status}</Badge>
                      {m.status === "skipped" && m.error && (
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
      </Layout>
    </Page>
  );
}
