// Afterglow's Shopify Flow triggers: which domain event starts which trigger, the fields each trigger declares in
// its extension (extensions/flow-trigger-<handle>/shopify.extension.toml — a unit test keeps the two equal), and
// the payload `flowTriggerReceive` sends. Pure: an event in, a trigger payload (or the reason none is sent) out.
//
// Payload keys follow Shopify's trigger reference: a reference field is sent as `customer_id` / `order_id` /
// `product_id` (the resource's numeric id; digits in a string here, so ids above 2^53 survive JSON), every other
// field under its `key`.

export type TriggerFieldType = "customer_reference" | "order_reference" | "product_reference" | "single_line_text_field" | "number_integer";

export interface TriggerField {
  type: TriggerFieldType;
  /** Custom fields only: the payload key, shown to the merchant in the Flow editor. */
  key?: string;
  description?: string;
}

/** The payload key of a field (reference fields have fixed keys). */
export function payloadKey(field: TriggerField): string {
  switch (field.type) {
    case "customer_reference":
      return "customer_id";
    case "order_reference":
      return "order_id";
    case "product_reference":
      return "product_id";
    default:
      return field.key!;
  }
}

/** Shopify's trigger reference: the payload sent with flowTriggerReceive must be smaller than 50 KB. */
export const MAX_TRIGGER_PAYLOAD_BYTES = 50_000;

export interface FlowTriggerPayload {
  handle: string;
  payload: Record<string, string | number>;
}

export type TriggerDecision = { send: FlowTriggerPayload } | { skip: string };

interface EventIn {
  kind: string;
  /** Parsed JSON payload of the domain event. */
  payload: Record<string, unknown>;
}

interface TriggerDefinition {
  handle: string;
  /** The trigger's name in the Flow editor (the extension's `name`). */
  name: string;
  /** The domain event kind that starts it. */
  eventKind: string;
  fields: TriggerField[];
  build(payload: Record<string, unknown>): Record<string, string | number> | string;
}

/** "gid://shopify/Customer/123" → "123"; anything else → null. */
export function numericId(gid: unknown, type: "Customer" | "Order" | "Product"): string | null {
  if (typeof gid !== "string") return null;
  const match = new RegExp(`^gid://shopify/${type}/(\\d+)$`).exec(gid);
  return match ? match[1]! : null;
}

/** Longest text sent in one field: a long survey answer or reason still starts the workflow, cut (Flow's 50 KB limit). */
export const MAX_TEXT_FIELD_CHARS = 1000;
const text = (value: unknown): string => {
  const full = typeof value === "string" ? value : value === null || value === undefined ? "" : String(value);
  const chars = [...full];
  return chars.length > MAX_TEXT_FIELD_CHARS ? `${chars.slice(0, MAX_TEXT_FIELD_CHARS - 1).join("")}…` : full;
};
const integer = (value: unknown): number | null => (typeof value === "number" && Number.isSafeInteger(value) ? value : null);

/** The references of a payload, or the reason one is missing (Flow needs every declared field). */
function refs(payload: Record<string, unknown>, wanted: { customer?: string; order?: string; product?: string }): Record<string, string> | string {
  const out: Record<string, string> = {};
  for (const [type, key, outKey] of [
    ["Customer", wanted.customer, "customer_id"],
    ["Order", wanted.order, "order_id"],
    ["Product", wanted.product, "product_id"],
  ] as const) {
    if (!key) continue;
    const id = numericId(payload[key], type);
    if (!id) return `no ${type.toLowerCase()} on the event`;
    out[outKey] = id;
  }
  return out;
}

function withRefs(
  payload: Record<string, unknown>,
  wanted: { customer?: string; order?: string; product?: string },
  rest: Record<string, string | number | null>,
): Record<string, string | number> | string {
  const ids = refs(payload, wanted);
  if (typeof ids === "string") return ids;
  for (const [key, value] of Object.entries(rest)) if (value === null) return `the event has no ${key}`;
  return { ...ids, ...(rest as Record<string, string | number>) };
}

/** A review submitted and a review published tell Flow the same things. */
const REVIEW_TRIGGER: Pick<TriggerDefinition, "fields" | "build"> = {
  fields: [
    { type: "order_reference" },
    { type: "product_reference" },
    { type: "number_integer", key: "Rating", description: "Stars, 1 to 5" },
    { type: "single_line_text_field", key: "Review ID", description: "Afterglow's id of the review" },
  ],
  build: (p) => withRefs(p, { order: "orderGid", product: "productGid" }, { Rating: integer(p.rating), "Review ID": text(p.reviewId) }),
};

export const FLOW_TRIGGERS: readonly TriggerDefinition[] = [
  {
    handle: "points-earned",
    name: "Points earned",
    eventKind: "points.earned",
    fields: [
      { type: "customer_reference" },
      { type: "number_integer", key: "Points", description: "Points earned" },
      { type: "single_line_text_field", key: "Status", description: "pending (waiting out the refund window) or approved (spendable)" },
      { type: "single_line_text_field", key: "Reason", description: "Why the points were given" },
    ],
    build: (p) => withRefs(p, { customer: "customerGid" }, { Points: integer(p.points), Status: text(p.status), Reason: text(p.reason) }),
  },
  {
    handle: "points-redeemed",
    name: "Points redeemed",
    eventKind: "points.redeemed",
    fields: [
      { type: "customer_reference" },
      { type: "number_integer", key: "Points", description: "Points spent" },
      { type: "single_line_text_field", key: "Reward", description: "The reward the points bought" },
    ],
    build: (p) => withRefs(p, { customer: "customerGid" }, { Points: integer(p.points), Reward: text(p.reward) }),
  },
  {
    handle: "tier-changed",
    name: "Loyalty tier changed",
    eventKind: "tier.changed",
    fields: [
      { type: "customer_reference" },
      { type: "single_line_text_field", key: "Previous tier", description: "Tier handle before the change (empty: none)" },
      { type: "single_line_text_field", key: "New tier", description: "Tier handle after the change (empty: none)" },
      { type: "single_line_text_field", key: "Direction", description: "up or down" },
    ],
    build: (p) => withRefs(p, { customer: "customerGid" }, { "Previous tier": text(p.from), "New tier": text(p.to), Direction: text(p.direction) }),
  },
  {
    handle: "review-submitted",
    name: "Review submitted",
    eventKind: "review.submitted",
    ...REVIEW_TRIGGER,
  },
  {
    handle: "review-published",
    name: "Review published",
    eventKind: "review.published",
    ...REVIEW_TRIGGER,
  },
  {
    handle: "survey-answered",
    name: "Survey answered",
    eventKind: "survey.answered",
    fields: [
      { type: "order_reference" },
      { type: "single_line_text_field", key: "Survey type", description: "nps (0-10), csat (1-5) or source" },
      { type: "number_integer", key: "Score", description: "The score given (-1 for a question without a score, e.g. source)" },
      { type: "single_line_text_field", key: "Answer", description: "The answer's text (source: where they heard of the shop)" },
    ],
    build: (p) =>
      withRefs(
        p,
        { order: "orderGid" },
        { "Survey type": text(p.kind), Score: p.score === null || p.score === undefined ? -1 : integer(p.score), Answer: text(p.answer) },
      ),
  },
  {
    handle: "referral-completed",
    name: "Referral completed",
    eventKind: "referral.completed",
    fields: [
      { type: "customer_reference" },
      { type: "order_reference" },
      { type: "single_line_text_field", key: "Referral code", description: "The advocate's code the friend used" },
    ],
    build: (p) => withRefs(p, { customer: "advocateGid", order: "friendOrderGid" }, { "Referral code": text(p.code) }),
  },
  {
    handle: "challenge-completed",
    name: "Challenge completed",
    eventKind: "challenge.completed",
    fields: [
      { type: "customer_reference" },
      { type: "single_line_text_field", key: "Challenge", description: "The challenge's name" },
      { type: "single_line_text_field", key: "Challenge ID", description: "Afterglow's id of the challenge" },
      { type: "single_line_text_field", key: "Badge", description: "The badge it awards (empty: none)" },
      { type: "single_line_text_field", key: "Completed at", description: "When the customer completed it (ISO 8601, UTC)" },
    ],
    build: (p) =>
      withRefs(
        p,
        { customer: "customerGid" },
        {
          Challenge: text(p.challengeName),
          "Challenge ID": typeof p.challengeId === "string" && p.challengeId ? text(p.challengeId) : null,
          Badge: text(p.badge),
          "Completed at": typeof p.completedAt === "string" && p.completedAt ? text(p.completedAt) : null,
        },
      ),
  },
];

const BY_KIND = new Map(FLOW_TRIGGERS.map((t) => [t.eventKind, t]));

/** Whether any trigger listens to this domain event kind. */
export function isFlowTriggerEvent(kind: string): boolean {
  return BY_KIND.has(kind);
}

/** The trigger a domain event starts, with its payload; or why nothing is sent. */
export function flowTriggerFor(event: EventIn): TriggerDecision {
  const trigger = BY_KIND.get(event.kind);
  if (!trigger) return { skip: `no Flow trigger for ${event.kind}` };
  const built = trigger.build(event.payload);
  if (typeof built === "string") return { skip: `${trigger.handle}: ${built}` };
  const bytes = new TextEncoder().encode(JSON.stringify(built)).length;
  if (bytes >= MAX_TRIGGER_PAYLOAD_BYTES) return { skip: `${trigger.handle}: payload of ${bytes} bytes is over Flow's 50 KB limit` };
  return { send: { handle: trigger.handle, payload: built } };
}
