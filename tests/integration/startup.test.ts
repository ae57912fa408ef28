// The startup module registers every job a domain can enqueue, and the same list serves the web process and
// `npm run worker`.
import "../support/app-env";
import { describe, expect, it } from "vitest";
import { jobBatchHandlers, jobHandlers, registerApp } from "~/app.server";
import * as domainEventJobNames from "~/domain-events/job-names";
import { domainEventSubscribers } from "~/domain-events/subscribers";
import { flowActionSpecs } from "~/flows/definition";
import { registeredActionTypes } from "~/flows/executors.server";
import * as flowJobNames from "~/flows/jobs";
import * as loyaltyTierJobNames from "~/loyalty/admin-tiers";
import * as loyaltyJobNames from "~/loyalty/jobs";
import * as loyaltyMirrorJobNames from "~/loyalty/mirror";
import * as mailJobNames from "~/mail/jobs";
import * as orderMirrorJobNames from "~/orders/mirror";
import * as reconcileJobNames from "~/orders/reconcile";
import { registeredPersonalDataHolders } from "~/privacy/holders";
import * as referralJobNames from "~/referrals/jobs";
import * as reviewJobNames from "~/reviews/jobs";
import { installHooks } from "~/shops/install-hooks";
import * as webhookJobNames from "~/webhooks/job-names";
import { handledWebhookTopics } from "~/webhooks/topic-handlers";

const modules = [
  domainEventJobNames,
  flowJobNames,
  loyaltyTierJobNames,
  loyaltyJobNames,
  loyaltyMirrorJobNames,
  mailJobNames,
  orderMirrorJobNames,
  reconcileJobNames,
  referralJobNames,
  reviewJobNames,
  webhookJobNames,
];
/** Every exported `*_JOB` constant of the domains' job-name modules. */
const declared = modules.flatMap((m) =>
  Object.entries(m)
    .filter(([key, value]) => key.endsWith("_JOB") && typeof value === "string")
    .map(([, value]) => value as string),
);

describe("the startup module", () => {
  it("GIVEN every job name a domain declares THEN each has a handler", () => {
    expect(declared.length).toBeGreaterThanOrEqual(20);
    expect(declared.filter((name) => !jobHandlers[name])).toEqual([]);
    expect(Object.keys(jobBatchHandlers)).toEqual([webhookJobNames.PROCESS_WEBHOOK_JOB]);
    // Jobs queued under the bus's name from when it lived in flows/ still run.
    expect(jobHandlers[domainEventJobNames.LEGACY_FLOWS_DISPATCH_NAME]).toBeDefined();
  });

  it("GIVEN every action the flow editor offers THEN a domain registered what it does (a wait only pauses the run)", () => {
    const offered = flowActionSpecs().map((spec) => spec.type);
    expect(offered.length).toBeGreaterThanOrEqual(10);
    expect(offered.filter((type) => type !== "wait" && !registeredActionTypes().includes(type))).toEqual([]);
    expect(registeredActionTypes().filter((type) => !offered.includes(type))).toEqual([]);
  });

  it("GIVEN registerApp runs again (a module reload) THEN nothing is registered twice", () => {
    const before = {
      jobs: Object.keys(jobHandlers).length,
      subscribers: domainEventSubscribers().length,
      holders: registeredPersonalDataHolders().length,
      hooks: installHooks().length,
      actions: registeredActionTypes().length,
      topics: handledWebhookTopics().length,
    };
    registerApp();
    expect({
      jobs: Object.keys(jobHandlers).length,
      subscribers: domainEventSubscribers().length,
      holders: registeredPersonalDataHolders().length,
      hooks: installHooks().length,
      actions: registeredActionTypes().length,
      topics: handledWebhookTopics().length,
    }).toEqual(before);
    expect(handledWebhookTopics()).toEqual([
      "app/uninstalled",
      "customers/redact",
      "customers/data_request",
      "shop/redact",
      "bulk_operations/finish",
      "checkouts/create",
      "checkouts/update",
    ]);
    expect(domainEventSubscribers().map((s) => s.name)).toEqual(["loyalty", "challenges", "referrals", "flows", "shopify-flow"]);
    expect(registeredPersonalDataHolders().map((h) => h.name)).toEqual(["orderEvents", "engagement", "refusedWrites", "challenges", "abandonedCheckouts"]);
    expect(installHooks()).toHaveLength(6);
  });
});
