// Calls to the app's shopper API with a fresh session token (Shopify caches it; we ask for every call).
import type { ThankYouView } from "../../../app/thank-you/contract";
import { DEFAULT_APP_URL } from "./config";
import { shopify, surfaceOf } from "./shopify";

/** How long to wait before asking again while the order is still on its way to the app (ms). */
export const timing = { retryMs: [1000, 2000, 3000, 4000, 5000] };

export interface Answer<T> {
  status: number;
  data: T | null;
}

const sleep = (ms: number) => new Promise((resolve) => setTimeout(resolve, ms));

/** GET or POST (with a JSON body) one API path; a network failure answers status 0. */
export async function call<T>(path: string, body?: object): Promise<Answer<T>> {
  const api = shopify();
  const base = (api.settings.value.app_url || DEFAULT_APP_URL).trim().replace(/\/+$/, "");
  const url = `${base}/api/${path}${path.includes("?") ? "&" : "?"}surface=${surfaceOf(api.extension.target)}`;
  try {
    const token = await api.sessionToken.get();
    const response = await fetch(url, {
      method: body ? "POST" : "GET",
      headers: { Authorization: `Bearer ${token}`, ...(body ? { "Content-Type": "application/json" } : {}) },
      ...(body ? { body: JSON.stringify(body) } : {}),
    });
    const data = (await response.json().catch(() => null)) as T | null;
    return { status: response.status, data };
  } catch {
    return { status: 0, data: null };
  }
}

/** The block's data, asking again while the app is still receiving the order (then showing what there is). */
export async function loadView(orderId: string): Promise<ThankYouView | null> {
  for (let attempt = 0; ; attempt++) {
    const { status, data } = await call<ThankYouView>(`thank-you?orderId=${encodeURIComponent(orderId)}`);
    if (status !== 200 || !data) return null;
    const delay = timing.retryMs[attempt];
    if (data.status !== "processing" || delay === undefined) return data;
    await sleep(delay);
  }
}

/** POST, asking again a few times while the app answers 409 (the order has not reached it yet). */
export async function post<T>(path: string, body: object): Promise<Answer<T>> {
  for (let attempt = 0; ; attempt++) {
    const answer = await call<T>(path, body);
    const delay = timing.retryMs[attempt];
    if (answer.status !== 409 || delay === undefined) return answer;
    await sleep(delay);
  }
}
