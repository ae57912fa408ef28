import { data, redirect, type ActionFunctionArgs, type LoaderFunctionArgs } from "@remix-run/node";
import { useFetcher, useLoaderData, useSearchParams } from "@remix-run/react";
import { Badge, Banner, BlockStack, Card, Checkbox, Layout, List, Modal, Page, Text, TextField } from "@shopify/polaris";
import { SaveBar } from "@shopify/app-bridge-react";
import { useEffect, useState } from "react";
import { ConditionsSection } from "~/components/flows/ConditionsSection";
import type { FlowDraft } from "~/flows/editor-draft";
import { toDraft } from "~/flows/editor-draft-load";
import { sameDraft, toPayload } from "~/flows/editor-draft-save";
import { DryRunPanel } from "~/components/flows/DryRunPanel";
import { errorLocation, errorLookup, type FieldErrors } from "~/components/flows/errors";
import { LeaveGuard } from "~/components/flows/LeaveGuard";
import { HoldoutSection } from "~/components/flows/HoldoutSection";
import { RunLog } from "~/components/flows/RunLog";
import { UpliftCard } from "~/components/flows/UpliftCard";
import { StepsSection } from "~/components/flows/StepsSection";
import { TriggerSection } from "~/components/flows/TriggerSection";
import { parseFlowDefinition } from "~/flows/definition";
import { DryRunOrderNotFoundError, dryRunFlow } from "~/flows/dry-run.server";
import { loadFlowEditor } from "~/flows/flow-editor.server";
import { cancelFlowRun, FlowRunNotFoundError, retryFlowRun } from "~/flows/run-recovery.server";
import { deleteFlow, FlowNotFoundError, FlowValidationError, getFlow, saveFlow } from "~/flows/flows.server";
import { parseUpliftWindow } from "~/flows/uplift";
import { loadFlowUplift } from "~/flows/uplift.server";
import { authenticate } from "~/shopify/shopify.server";

export const loader = async ({ request, params }: LoaderFunctionArgs) => {
  const { session } = await authenticate.admin(request);
  const editor = await loadFlowEditor(session.shop, params.id ?? "");
  if (!editor) throw new Response("Flow not found", { status: 404 });
  const days = parseUpliftWindow(new URL(request.url).searchParams.get("window"));
  return { ...editor, uplift: await loadFlowUplift(session.shop, editor.flow.id, days) };
};

type Body = Record<string, unknown>;

export const action = async ({ request, params }: ActionFunctionArgs) => {
  const { session } = await authenticate.admin(request);
  const shop = session.shop;
  const id = params.id ?? "";
  const body = (await request.json().catch(() => null)) as Body | null;
  if (!body || typeof body !== "object") return data({ errors: { form: "Send the flow as JSON" } }, { status: 400 });
  if (!(await getFlow(shop, id))) throw new Response("Flow not found", { status: 404 });

  switch (body.intent) {
    case "save":
      try {
        const enabled = typeof body.enabled === "boolean" ? body.enabled : undefined;
        const flow = await saveFlow(shop, id, { name: body.name, definition: body.definition, enabled });
        return { saved: { version: flow.version, enabled: flow.enabled } };
      } catch (error) {
        if (error instanceof FlowValidationError) return data({ errors: error.errors }, { status: 422 });
        if (error instanceof FlowNotFoundError) throw new Response("Flow not found", { status: 404 });
        throw error;
      }
    case "dryRun": {
      const parsed = parseFlowDefinition(body.definition);
      if (!parsed.ok) return data({ errors: parsed.errors }, { status: 422 });
      try {
        return { dryRun: await dryRunFlow(shop, parsed.definition, String(body.orderGid ?? "")) };
      } catch (error) {
        if (error instanceof DryRunOrderNotFoundError) return data({ errors: { orderGid: "Choose one of your recent orders" } }, { status: 422 });
        throw error;
      }
    }
    case "retryRun":
    case "cancelRun": {
      const runId = typeof body.runId === "string" ? body.runId : "";
      if (!runId) return data({ errors: { runId: "Choose a run" } }, { status: 422 });
      try {
        const decision = body.intent === "retryRun" ? await retryFlowRun(shop, id, runId) : await cancelFlowRun(shop, id, runId);
        if (!decision.ok) return data({ errors: { runId: decision.reason } }, { status: 422 });
        return { run: { id: runId, done: body.intent } };
      } catch (error) {
        if (error instanceof FlowRunNotFoundError) throw new Response("Run not found", { status: 404 });
        throw error;
      }
    }
    case "delete":
      await deleteFlow(shop, id);
      return redirect("/app/flows");
    default:
      return data({ errors: { intent: "Unknown action" } }, { status: 400 });
  }
};

export default function FlowEditor() {
  const { flow, runs, orders, currency, timeZone, clock, actionTypes, uplift } = useLoaderData<typeof loader>();
  const save = useFetcher<{ saved?: { version: number }; errors?: FieldErrors }>();
  const remove = useFetcher();
  const [, setSearchParams] = useSearchParams();
  const [baseline, setBaseline] = useState<FlowDraft>(() => toDraft(flow, currency));
  const [draft, setDraft] = useState<FlowDraft>(baseline);
  const [loadedAt, setLoadedAt] = useState(flow.updatedAt);
  const [showErrors, setShowErrors] = useState(true);
  const [confirmingDelete, setConfirmingDelete] = useState(false);

  // A save (or a change elsewhere) reloads the flow: start again from what is stored now.
  if (loadedAt !== flow.updatedAt) {
    const fresh = toDraft(flow, currency);
    setLoadedAt(flow.updatedAt);
    setBaseline(fresh);
    setDraft(fresh);
  }

  const dirty = !sameDraft(draft, baseline);
  const saving = save.state !== "idle";
  const errors: FieldErrors = (showErrors && save.data?.errors) || {};
  const lookup = errorLookup(errors);
  const errorCount = Object.keys(errors).length;
  const stepLabel = (type: string) => actionTypes.find((a) => a.type === type)?.label ?? type;

  useEffect(() => {
    if (save.state === "idle" && save.data?.saved) window.shopify?.toast.show("Flow saved");
  }, [save.state, save.data]);

  const submit = () => {
    setShowErrors(true);
    save.submit({ intent: "save", ...toPayload(draft) } as never, { method: "post", encType: "application/json" });
  };
  const discard = () => {
    setDraft(baseline);
    setShowErrors(false);
  };
  const update = (patch: Partial<FlowDraft>) => setDraft((current) => ({ ...current, ...patch }));

  return (
    <Page
      backAction={{ content: "Flows", url: "/app/flows" }}
      title={draft.name.trim() || "Untitled flow"}
      titleMetadata={<Badge tone={flow.enabled ? "success" : undefined}>{flow.enabled ? "On" : "Off"}</Badge>}
      subtitle={`Version ${flow.version}`}
      primaryAction={{ content: "Save", id: "flow-save", onAction: submit, loading: saving, disabled: !dirty }}
      secondaryActions={[
        { content: "Discard", onAction: discard, disabled: !dirty },
        { content: "Delete flow", destructive: true, onAction: () => setConfirmingDelete(true) },
      ]}
    >
      <SaveBar id="flow-save-bar" open={dirty}>
        <button variant="primary" onClick={submit} disabled={saving}>
          Save
        </button>
        <button onClick={discard}>Discard</button>
      </SaveBar>
      <Layout>
        {errorCount > 0 && (
          <Layout.Section>
            <Banner tone="critical" title={`${errorCount} ${errorCount === 1 ? "field needs" : "fields need"} attention`}>
              <List>
                {Object.entries(errors).map(([path, message]) => (
                  <List.Item key={path}>
                    {errorLocation(path, draft, stepLabel)}: {message}
                  </List.Item>
                ))}
              </List>
            </Banner>
          </Layout.Section>
        )}
        <LeaveGuard dirty={dirty && remove.state === "idle"} />
        <Layout.Section>
          <BlockStack gap="400">
            <Card>
              <BlockStack gap="300">
                <TextField label="Name" autoComplete="off" value={draft.name} onChange={(name) => update({ name })} error={lookup.at("name")} />
                <Checkbox
                  label="Flow is on"
                  helpText="When on, the flow runs every time its trigger happens. Takes effect when you save."
                  checked={draft.enabled}
                  onChange={(enabled) => update({ enabled })}
                  error={lookup.at("enabled")}
                />
              </BlockStack>
            </Card>
            <TriggerSection trigger={draft.trigger} onChange={(trigger) => update({ trigger })} errors={lookup} />
            <ConditionsSection match={draft.match} groups={draft.groups} currency={currency} onChange={update} errors={lookup} />
            <StepsSection steps={draft.steps} actionTypes={actionTypes} onChange={(steps) => update({ steps })} errors={lookup} />
            <HoldoutSection
              value={draft.holdout ?? "0"}
              givesOffer={draft.steps.some((step) => step.type === "create_reward_discount")}
              onChange={(holdout) => update({ holdout })}
              errors={lookup}
            />
          </BlockStack>
        </Layout.Section>
        <Layout.Section variant="oneThird">
          <DryRunPanel orders={orders} definition={toPayload(draft).definition} timeZone={timeZone} stepLabel={stepLabel} />
        </Layout.Section>
        <Layout.Section>
          <UpliftCard
            uplift={uplift}
            holdoutPercent={flow.definition.holdoutPercent ?? 0}
            onWindow={(days) =>
              setSearchParams(
                (params) => {
                  params.set("window", String(days));
                  return params;
                },
                { preventScrollReset: true },
              )
            }
          />
        </Layout.Section>
        <Layout.Section>
          <RunLog runs={runs} timeZone={timeZone} clock={clock} />
        </Layout.Section>
      </Layout>
      <Modal
        open={confirmingDelete}
        onClose={() => setConfirmingDelete(false)}
        title={`Delete ${flow.name}?`}
        primaryAction={{
          content: "Delete flow",
          destructive: true,
          loading: remove.state !== "idle",
          onAction: () => remove.submit({ intent: "delete" }, { method: "post", encType: "application/json" }),
        }}
        secondaryActions={[{ content: "Cancel", onAction: () => setConfirmingDelete(false) }]}
      >
        <Modal.Section>
          <Text as="p">The flow stops at once, and runs waiting on a step end there. This can&apos;t be undone.</Text>
        </Modal.Section>
      </Modal>
    </Page>
  );
}
