// Flow trigger lifecycle callbacks, stored per shop and trigger (FlowTriggerUsage) and read before each
// flowTriggerReceive (triggers.server.ts). Verified by the same HMAC as Flow's action requests.
import { prisma } from "~/db/db.server";
import { flowSignatureMatches } from "./signature.server";
import { parseFlowTriggerLifecycle, shouldSendTrigger } from "./lifecycle";

export interface LifecycleAnswer {
  status: number;
  body: Record<string, unknown>;
}

/** Answers Flow: 200 stored (or older than what is stored); 401 forged; 400 not JSON; 422 fields; 404 not installed. */
export async function handleFlowTriggerLifecycle(input: { rawBody: Uint8Array; signature: string | null; secret: string }): Promise<LifecycleAnswer> {
  if (!flowSignatureMatches(input.rawBody, input.secret, input.signature)) return { status: 401, body: { error: "Invalid HMAC" } };
  let json: unknown;
  try {
    json = JSON.parse(new TextDecoder("utf-8", { fatal: true }).decode(input.rawBody));
  } catch {
    return { status: 400, body: { error: "The body is not JSON" } };
  }
  const parsed = parseFlowTriggerLifecycle(json);
  if (!parsed.ok) return { status: 422, body: parsed.fields ? { error: parsed.error, fields: parsed.fields } : { error: parsed.error } };
  const { shop, handle, inUse, at } = parsed.value;
  const installed = await prisma.shop.findUnique({ where: { domain: shop }, select: { uninstalledAt: true } });
  if (!installed || installed.uninstalledAt) return { status: 404, body: { error: `Afterglow is not installed on ${shop}` } };
  const stored = await recordTriggerUsage(shop, handle, inUse, at);
  return { status: 200, body: { ok: true, trigger: handle, inUse: stored.inUse } };
}

/** Keeps the newest word per shop and trigger: an older callback arriving late changes nothing. */
export async function recordTriggerUsage(shop: string, handle: string, inUse: boolean, at: Date): Promise<{ inUse: boolean }> {
  for (let attempt = 0; ; attempt++) {
    if (attempt >= 5) throw new Error(`Flow trigger usage of ${handle} in ${shop} kept changing under this callback`);
    const current = await prisma.flowTriggerUsage.findUnique({ where: { shop_handle: { shop, handle } } });
    if (current && current.stateAt >= at) return { inUse: current.inUse };
    try {
      if (current) {
        const { count } = await prisma.flowTriggerUsage.updateMany({ where: { id: current.id, stateAt: current.stateAt }, data: { inUse, stateAt: at } });
        if (count === 1) return { inUse };
      } else {
        await prisma.flowTriggerUsage.create({ data: { shop, handle, inUse, stateAt: at } });
        return { inUse };
      }
    } catch (error) {
      if ((error as { code?: string }).code !== "P2002") throw error;
    }
    // A concurrent callback wrote first: read again and compare with it.
  }
}

/** Whether the shop's trigger is to be sent now (lifecycle.ts, shouldSendTrigger). */
export async function triggerInUse(shop: string, handle: string): Promise<boolean> {
  const usage = await prisma.flowTriggerUsage.findUnique({ where: { shop_handle: { shop, handle } }, select: { inUse: true } });
  return shouldSendTrigger(usage);
}
