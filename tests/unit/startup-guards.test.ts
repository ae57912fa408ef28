// A process that forgot to import app/app.server.ts must fail loudly, not install a shop without its defaults, skip
// the loyalty ledger or leave personal data behind. This file imports the registries alone, as such a process would.
import { describe, expect, it } from "vitest";
import { domainEventSubscribers } from "~/domain-events/subscribers";
import { registeredActionTypes } from "~/flows/executors.server";
import { registeredPersonalDataHolders } from "~/privacy/holders";
import { installHooks, reinstallHooks } from "~/shops/install-hooks";
import { handledWebhookTopics } from "~/webhooks/topic-handlers";

describe("registries read before the startup module registered anything", () => {
  it.each([
    ["install hooks", installHooks, /Install hooks are not registered: this process must import app\/app.server.ts/],
    ["reinstall hooks", reinstallHooks, /Reinstall hooks are not registered: this process must import app\/app.server.ts/],
    ["domain-event subscribers", domainEventSubscribers, /Domain-event subscribers are not registered/],
    ["personal-data holders", registeredPersonalDataHolders, /Personal-data holders are not registered/],
    ["webhook topic handlers", handledWebhookTopics, /Webhook topic handlers are not registered: this process must import app\/app.server.ts/],
    ["flow-action executors", registeredActionTypes, /Flow action executors are not registered: this process must import app\/app.server.ts/],
  ])("GIVEN no %s THEN reading them throws, naming the fix", (_name, read, message) => {
    expect(() => read()).toThrow(message);
  });
});
