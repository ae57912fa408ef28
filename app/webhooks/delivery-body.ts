/**
 * Checks that a verified delivery's body is something we can process: JSON, an object, and for the topic its
 * route serves. Pure; the reason is stored with the event so the Activity page can show it.
 */
export type BodyCheck = { ok: true; body: Record<string, unknown> } | { ok: false; error: string };

export function parseDeliveryBody(rawBody: string, headerTopic: string, routeTopic: string): BodyCheck {
  if (headerTopic !== routeTopic) {
    return { ok: false, error: `Topic header "${headerTopic}" was delivered to the ${routeTopic} endpoint` };
  }
  let body: unknown;
  try {
    body = JSON.parse(rawBody);
  } catch (error) {
    return { ok: false, error: `Body is not valid JSON: ${(error as Error).message}` };
  }
  if (typeof body !== "object" || body === null || Array.isArray(body)) {
    return { ok: false, error: "Body is not a JSON object" };
  }
  return { ok: true, body: body as Record<string, unknown> };
}
