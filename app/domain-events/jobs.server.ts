// The bus's job: offer a shop's recorded domain events to the subscribers (dispatch.server.ts).
import { z } from "zod";
import { defineJob } from "~/jobs/registry";
import { dispatchDomainEvents } from "./dispatch.server";
import { DOMAIN_EVENTS_DISPATCH_JOB, LEGACY_FLOWS_DISPATCH_NAME } from "./job-names";

const payload = z.object({}).passthrough();

export const domainEventJobs = [
  defineJob({ name: DOMAIN_EVENTS_DISPATCH_JOB, payload, run: (job) => dispatchDomainEvents(job) }),
  // Jobs queued before the bus left flows/ carry the old name: the same work.
  defineJob({ name: LEGACY_FLOWS_DISPATCH_NAME, payload, run: (job) => dispatchDomainEvents(job) }),
];
