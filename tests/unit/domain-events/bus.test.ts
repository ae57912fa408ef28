// The domain-event bus offers each event to the subscribers in the order the startup module registered them (the
// loyalty ledger before flows, so a flow sees the points), marks it taken once every subscriber had it, and runs a
// subscriber's "when taken" work in that same transaction. This file registers its own subscribers (no startup module).
import "../../support/app-env";
import { beforeEach, describe, expect, it } from "vitest";
import { prisma } from "~/db/db.server";
import { dispatchDomainEvents } from "~/domain-events/dispatch.server";
import { recordDomainEvents } from "~/domain-events/record.server";
import { subscribeToDomainEvents, type DomainEventSubscriber } from "~/domain-events/subscribers";

const shop = "bus-order.myshopify.com";
const heard: string[] = [];
let failOn: string | null = null;

const listener = (name: string): DomainEventSubscriber => ({
  name,
  async onEvent(_shop, event) {
    if (failOn === `${name}:${event.key}`) throw new Error(`${name} failed on ${event.key}`);
    heard.push(`${name}:${event.key}`);
  },
});

// Registered out of alphabetical order on purpose: the registration order is the order of effects.
subscribeToDomainEvents(listener("loyalty"), listener("referrals"), {
  name: "flows",
  async onEvent(eventShop, event, dispatch) {
    heard.push(`flows:${event.key}`);
    const loads = await dispatch.once("count", async () => {
      heard.push("flows:loaded once");
      return 1;
    });
    expect(loads).toBe(1);
    // Recorded in the transaction that marks the event taken (as flows records its runs).
    dispatch.whenTaken((tx) => tx.merchantNotification.create({ data: { shop: eventShop, key: `seen:${event.key}`, severity: "info", message: event.kind } }));
  },
});
// The same name again (a module reload) adds nothing.
subscribeToDomainEvents(listener("loyalty"));

const job = { id: "bus-test", name: "domain-events.dispatch", shop, payload: {}, attempt: 1, maxAttempts: 1 };
const event = (key: string, minute: number) => ({
  kind: "order.paid",
  key,
  subjectGid: `gid://shopify/Order/${minute}`,
  occurredAt: new Date(Date.UTC(2027, 0, 1, 10, minute)),
  payload: { minute },
});

describe("the domain-event bus", () => {
  beforeEach(async () => {
    heard.length = 0;
    failOn = null;
    await prisma.merchantNotification.deleteMany({ where: { shop } });
    await prisma.domainEvent.deleteMany({ where: { shop } });
  });

  it("GIVEN two recorded events (one recorded twice) THEN each is offered once to loyalty, referrals, flows in that order, and taken", async () => {
    expect((await recordDomainEvents(prisma, shop, [event("e1", 1)])).map((e) => e.key)).toEqual(["e1"]);
    expect((await recordDomainEvents(prisma, shop, [event("e1", 1), event("e2", 2)])).map((e) => e.key)).toEqual(["e2"]);

    expect(await dispatchDomainEvents(job)).toEqual({ events: 2 });
    expect(heard).toEqual(["loyalty:e1", "referrals:e1", "flows:e1", "flows:loaded once", "loyalty:e2", "referrals:e2", "flows:e2"]);
    expect((await prisma.domainEvent.findMany({ where: { shop }, orderBy: { key: "asc" } })).map((e) => [e.key, e.flowsAt !== null])).toEqual([
      ["e1", true],
      ["e2", true],
    ]);
    expect((await prisma.merchantNotification.findMany({ where: { shop }, orderBy: { key: "asc" } })).map((n) => n.key)).toEqual(["seen:e1", "seen:e2"]);

    // Taken events are not offered again.
    heard.length = 0;
    expect(await dispatchDomainEvents(job)).toEqual({ events: 0 });
    expect(heard).toEqual([]);
  });

  it("GIVEN a subscriber that fails on an event THEN later subscribers do not hear it, it stays untaken, and the next dispatch offers it again", async () => {
    await recordDomainEvents(prisma, shop, [event("e1", 1)]);
    await recordDomainEvents(prisma, shop, [event("e2", 2)]);
    failOn = "referrals:e2";
    await expect(dispatchDomainEvents(job)).rejects.toThrow("referrals failed on e2");
    expect(heard).toEqual(["loyalty:e1", "referrals:e1", "flows:e1", "flows:loaded once", "loyalty:e2"]);
    const taken = await prisma.domainEvent.findMany({ where: { shop, flowsAt: { not: null } } });
    expect(taken.map((e) => e.key)).toEqual(["e1"]);

    heard.length = 0;
    failOn = null;
    expect(await dispatchDomainEvents(job)).toEqual({ events: 1 });
    expect(heard).toEqual(["loyalty:e2", "referrals:e2", "flows:e2", "flows:loaded once"]);
    expect(await prisma.merchantNotification.count({ where: { shop } })).toBe(2);
  });
});
