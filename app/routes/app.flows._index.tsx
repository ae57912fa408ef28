import { data, redirect, type ActionFunctionArgs, type LoaderFunctionArgs } from "@remix-run/node";
import { useLoaderData } from "@remix-run/react";
import { Card, Layout, Page } from "@shopify/polaris";
import { EmptyCard } from "~/components/EmptyCard";
import { useState } from "react";
import { FlowList } from "~/components/flows/FlowList";
import { TemplatePicker } from "~/components/flows/TemplatePicker";
import { listFlowsWithTriggers, turnFlowOn } from "~/flows/flow-editor.server";
import { createFlow, FlowNotFoundError, FlowValidationError } from "~/flows/flows.server";
import { FLOW_TEMPLATES } from "~/flows/templates";
import { findShop } from "~/shops/shops.server";
import { authenticate } from "~/shopify/shopify.server";

export const loader = async ({ request }: LoaderFunctionArgs) => {
  const { session } = await authenticate.admin(request);
  const [flows, shop] = await Promise.all([listFlowsWithTriggers(session.shop), findShop(session.shop)]);
  return {
    flows: flows.map((f) => ({ ...f, updatedAt: f.updatedAt.toISOString() })),
    templates: FLOW_TEMPLATES.map((t) => ({ id: t.id, name: t.name, description: t.description })),
    timeZone: shop?.ianaTimezone ?? "UTC",
  };
};

export const action = async ({ request }: ActionFunctionArgs) => {
  const { session } = await authenticate.admin(request);
  const form = await request.formData();
  const intent = String(form.get("intent") ?? "");
  try {
    if (intent === "create") {
      const templateId = String(form.get("templateId") ?? "") || null;
      const flow = await createFlow(session.shop, { templateId });
      return redirect(`/app/flows/${flow.id}`);
    }
    if (intent === "toggle") {
      const enabled = form.get("enabled") === "true";
      await turnFlowOn(session.shop, String(form.get("id") ?? ""), enabled);
      return { toggled: { enabled } };
    }
  } catch (error) {
    if (error instanceof FlowValidationError) return data({ errors: error.errors }, { status: 422 });
    if (error instanceof FlowNotFoundError) throw new Response("Flow not found", { status: 404 });
    throw error;
  }
  return data({ errors: { intent: "Unknown action" } }, { status: 400 });
};

export default function Flows() {
  const { flows, templates, timeZone } = useLoaderData<typeof loader>();
  const [creating, setCreating] = useState(false);
  const showTemplates = creating || flows.length === 0;
  return (
    <Page
      title="Flows"
      subtitle="What happens after a purchase: points, review requests, thank-you page content, rewards."
      primaryAction={{ content: "Create flow", onAction: () => setCreating(true), disabled: showTemplates }}
    >
      <Layout>
        {showTemplates && (
          <Layout.Section>
            <TemplatePicker templates={templates} onCancel={flows.length > 0 ? () => setCreating(false) : undefined} />
          </Layout.Section>
        )}
        <Layout.Section>
          {flows.length === 0 ? (
            <Card>
              <EmptyCard heading="No flows yet">Start from one of the templates above, or from a blank flow.</EmptyCard>
            </Card>
          ) : (
            <FlowList flows={flows} timeZone={timeZone} />
          )}
        </Layout.Section>
      </Layout>
    </Page>
  );
}
