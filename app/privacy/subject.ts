import { parseJsonKeepingBigIds } from "~/lib/json-ids";

/**
 * Whom a privacy request is about, from a customers/redact or customers/data_request payload: the customer's
 * GID and e-mail and the orders named. Pure; ids are read exactly (they exceed 2^53).
 */
export interface PrivacySubject {
  customerGid: string | null;
  email: string | null;
  phone: string | null;
  orderGids: string[];
  requestId: string | null;
}

const gid = (type: string, id: unknown) => (typeof id === "string" || typeof id === "number" ? `gid://shopify/${type}/${String(id)}` : null);

export function privacySubjectFromPayload(rawBody: string): PrivacySubject {
  const body = parseJsonKeepingBigIds(rawBody) as {
    customer?: { id?: unknown; email?: string | null; phone?: string | null };
    orders_to_redact?: unknown[];
    orders_requested?: unknown[];
    data_request?: { id?: unknown };
  };
  const orders = [...(body.orders_to_redact ?? []), ...(body.orders_requested ?? [])];
  return {
    customerGid: gid("Customer", body.customer?.id),
    email: body.customer?.email?.toLowerCase() ?? null,
    phone: body.customer?.phone ?? null,
    orderGids: orders.map((id) => gid("Order", id)).filter((g): g is string => g !== null),
    requestId: body.data_request?.id !== undefined ? String(body.data_request.id) : null,
  };
}

/** Whether a stored webhook body is about this subject: its customer, its e-mail, or one of its orders. */
export function payloadConcerns(rawBody: string, subject: PrivacySubject): boolean {
  let body: Record<string, unknown>;
  try {
    body = parseJsonKeepingBigIds(rawBody) as Record<string, unknown>;
  } catch {
    return false;
  }
  const customer = body.customer as { admin_graphql_api_id?: string; email?: string } | undefined;
  const candidates = [
    body.admin_graphql_api_id,
    body.customer_admin_graphql_api_id,
    customer?.admin_graphql_api_id,
    typeof body.order_id === "string" || typeof body.order_id === "number" ? `gid://shopify/Order/${String(body.order_id)}` : undefined,
  ];
  if (subject.customerGid && candidates.includes(subject.customerGid)) return true;
  if (subject.orderGids.some((order) => candidates.includes(order))) return true;
  const emails = [body.email, body.contact_email, customer?.email].map((e) => (typeof e === "string" ? e.toLowerCase() : null));
  return subject.email !== null && emails.includes(subject.email);
}
