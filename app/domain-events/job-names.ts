/** The bus's job name (apart from its handler, so anyone may enqueue it without loading the bus). */
export const DOMAIN_EVENTS_DISPATCH_JOB = "domain-events.dispatch";
/** The same job's name while the bus lived in flows/: jobs queued under it (databases, Redis) still run. */
export const LEGACY_FLOWS_DISPATCH_NAME = "flows.dispatch";
