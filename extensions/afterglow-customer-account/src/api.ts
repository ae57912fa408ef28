// Calls to the app's shopper API with a fresh customer account session token (Shopify caches it; we ask each call).
import { DEFAULT_APP_URL } from "./config";
import { shopify } from "./shopify";

export interface Answer<T> {
  status: number;
  data: T | null;
}

/** GET, or POST with a JSON body; a network failure answers status 0. */
export async function call<T>(path: string, body?: object): Promise<Answer<T>> {
  const api = shopify();
  const base = (api.settings.value.app_url || DEFAULT_APP_URL).trim().replace(/\/+$/, "");
  try {
    const token = await api.sessionToken.get();
    const response = await fetch(`${base}/api/${path}?surface=order-status`, {
      method: body ? "POST" : "GET",
      headers: { Authorization: `Bearer ${token}`, ...(body ? { "Content-Type": "application/json" } : {}) },
      ...(body ? { body: JSON.stringify(body) } : {}),
    });
    return { status: response.status, data: (await response.json().catch(() => null)) as T | null };
  } catch {
    return { status: 0, data: null };
  }
}

/** A key for one redemption: the same for every retry of it, so a lost answer never makes a second code. */
export const newKey = () => `ca-${Date.now().toString(36)}-${Math.random().toString(36).slice(2, 12)}`;
