// A shop's flows: list, create (blank or from a template), save a new version, enable / disable, and the
// templates every shop gets on first install. Every query filters by shop. Definitions are validated by the
// pure parser (definition.ts); an invalid one is refused with field errors and nothing is written.
import { prisma } from "~/db/db.server";
import { now } from "~/lib/time/clock.server";
import { blankFlowDefinition, parseFlowDefinition, type FlowDefinition } from "./definition";
import { isDeepStrictEqual } from "node:util";
import { FLOW_TEMPLATES, LEGACY_TEMPLATE_DEFINITIONS } from "./templates";

export type FieldErrors = Record<string, string>;

export class FlowValidationError extends Error {
  override name = "FlowValidationError";
  constructor(readonly errors: FieldErrors) {
    super(
      `invalid flow: ${Object.entries(errors)
        .map(([k, v]) => `${k}: ${v}`)
        .join("; ")}`,
    );
  }
}

export interface FlowSummary {
  id: string;
  name: string;
  enabled: boolean;
  version: number;
  triggerType: string;
  templateId: string | null;
  updatedAt: Date;
  runsLast30Days: number;
}

const NAME_MAX = 80;

function checkName(name: unknown, errors: FieldErrors): string {
  const trimmed = typeof name === "string" ? name.trim() : "";
  if (!trimmed) errors.name = "Give the flow a name";
  else if (trimmed.length > NAME_MAX) errors.name = `Keep the name under ${NAME_MAX} characters`;
  return trimmed;
}

/** Validates name + definition together, so the editor can show every field error at once. */
export function validateFlowInput(input: { name: unknown; definition: unknown }): { name: string; definition: FlowDefinition } {
  const errors: FieldErrors = {};
  const name = checkName(input.name, errors);
  const parsed = parseFlowDefinition(input.definition);
  if (!parsed.ok) Object.assign(errors, parsed.errors);
  if (Object.keys(errors).length > 0 || !parsed.ok) throw new FlowValidationError(errors);
  return { name, definition: parsed.definition };
}

export async function listFlows(shop: string): Promise<FlowSummary[]> {
  const since = new Date(now().getTime() - 30 * 24 * 3600 * 1000);
  const [flows, runs] = await Promise.all([
    prisma.flow.findMany({ where: { shop }, orderBy: { createdAt: "asc" } }),
    prisma.flowRun.groupBy({ by: ["flowId"], where: { shop, createdAt: { gte: since }, status: { not: "skipped" } }, _count: { _all: true } }),
  ]);
  const counts = new Map(runs.map((r) => [r.flowId, r._count._all]));
  return flows.map((f) => ({
    id: f.id,
    name: f.name,
    enabled: f.enabled,
    version: f.version,
    triggerType: f.triggerType,
    templateId: f.templateId,
    updatedAt: f.updatedAt,
    runsLast30Days: counts.get(f.id) ?? 0,
  }));
}

export async function getFlow(shop: string, id: string) {
  const flow = await prisma.flow.findFirst({ where: { id, shop } });
  return flow ? { ...flow, definition: JSON.parse(flow.definition) as FlowDefinition } : null;
}

/** Creates a flow (disabled) from a template or blank. */
export async function createFlow(shop: string, input: { templateId?: string | null; name?: string }) {
  const template = input.templateId ? FLOW_TEMPLATES.find((t) => t.id === input.templateId) : undefined;
  if (input.templateId && !template) throw new FlowValidationError({ templateId: "Choose one of the templates" });
  const definition = template?.definition ?? blankFlowDefinition();
  const name = input.name?.trim() || template?.name || "Untitled flow";
  return prisma.$transaction(async (tx) => {
    const flow = await tx.flow.create({
      data: {
        shop,
        name,
        templateId: template?.id ?? null,
        enabled: false,
        version: 1,
        definition: JSON.stringify(definition),
        triggerType: definition.trigger.type,
      },
    });
    await tx.flowVersion.create({ data: { shop, flowId: flow.id, version: 1, definition: flow.definition } });
    return flow;
  });
}

/**
 * Saves an edit as a new version (runs in flight keep the version they started with). Throws
 * FlowValidationError with field errors when the input is invalid; nothing is written then.
 */
export async function saveFlow(shop: string, id: string, input: { name: unknown; definition: unknown; enabled?: boolean }) {
  const { name, definition } = validateFlowInput(input);
  const json = JSON.stringify(definition);
  return prisma.$transaction(async (tx) => {
    const flow = await tx.flow.findFirst({ where: { id, shop } });
    if (!flow) throw new FlowNotFoundError(id);
    const changed = json !== flow.definition;
    const version = changed ? flow.version + 1 : flow.version;
    if (changed) await tx.flowVersion.create({ data: { shop, flowId: id, version, definition: json } });
    return tx.flow.update({
      where: { id: flow.id },
      data: { name, definition: json, version, triggerType: definition.trigger.type, ...(input.enabled === undefined ? {} : { enabled: input.enabled }) },
    });
  });
}

export async function setFlowEnabled(shop: string, id: string, enabled: boolean) {
  const { count } = await prisma.flow.updateMany({ where: { id, shop }, data: { enabled } });
  if (count === 0) throw new FlowNotFoundError(id);
}

export async function deleteFlow(shop: string, id: string) {
  await prisma.$transaction([prisma.flow.deleteMany({ where: { id, shop } }), prisma.flowVersion.deleteMany({ where: { flowId: id, shop } })]);
}

/** The definition a run started with (its version), whatever the flow says now. */
export async function flowVersionDefinition(shop: string, flowId: string, version: number): Promise<FlowDefinition | null> {
  const row = await prisma.flowVersion.findFirst({ where: { shop, flowId, version } });
  return row ? (JSON.parse(row.definition) as FlowDefinition) : null;
}

/** Templates that run from day one; win-back gives money away, so the merchant turns it on. */
const ENABLED_ON_INSTALL = new Set(["earn-points-paid", "review-after-fulfilment", "thank-you-points-survey", "detractor-alert", "double-points-second-order"]);

/**
 * First install: every template, as its own flow, once per shop (a reinstall does not duplicate them, and a
 * merchant who deleted one does not get it back). All but win-back start enabled.
 */
export async function installFlowTemplates(shop: string): Promise<number> {
  let installed = 0;
  for (const template of FLOW_TEMPLATES) {
    const installKey = `template:${template.id}`;
    const existing = await prisma.flow.findUnique({ where: { shop_installKey: { shop, installKey } }, select: { id: true } });
    if (existing) continue;
    const json = JSON.stringify(template.definition);
    try {
      await prisma.$transaction(async (tx) => {
        const flow = await tx.flow.create({
          data: {
            shop,
            name: template.name,
            templateId: template.id,
            installKey,
            enabled: ENABLED_ON_INSTALL.has(template.id),
            version: 1,
            definition: json,
            triggerType: template.definition.trigger.type,
          },
        });
        await tx.flowVersion.create({ data: { shop, flowId: flow.id, version: 1, definition: json } });
      });
      installed++;
    } catch (error) {
      // A concurrent install of the same template (unique shop + installKey): it is there, which is the point.
      if ((error as { code?: string }).code !== "P2002") throw error;
    }
  }
  // A shop installed before a template changed gets the new definition where the merchant never edited it.
  await upgradeUneditedTemplateFlows(shop);
  return installed;
}

/**
 * Brings the shop's installed template flows the merchant never edited up to the template's current definition
 * (today: "Earn points on paid orders" from a flat 1 point per 1.00 of the subtotal to the program's earn rules).
 * Only a flow whose definition is still exactly a former version of its template changes — an edited one is left
 * as the merchant made it. The change is a new version (runs already started keep theirs), made by compare-and-set
 * on the version, so two processes starting at once upgrade it once. Idempotent; answers the flows upgraded.
 */
export async function upgradeUneditedTemplateFlows(shop: string): Promise<number> {
  let upgraded = 0;
  for (const template of FLOW_TEMPLATES) {
    const legacy = LEGACY_TEMPLATE_DEFINITIONS[template.id];
    if (!legacy) continue;
    const flows = await prisma.flow.findMany({ where: { shop, templateId: template.id }, select: { id: true, version: true, definition: true } });
    for (const flow of flows) {
      let current: unknown;
      try {
        current = JSON.parse(flow.definition);
      } catch {
        continue;
      }
      if (!legacy.some((old) => isDeepStrictEqual(old, current))) continue;
      const json = JSON.stringify(template.definition);
      const version = flow.version + 1;
      const done = await prisma.$transaction(async (tx) => {
        const { count } = await tx.flow.updateMany({
          where: { id: flow.id, shop, version: flow.version, definition: flow.definition },
          data: { definition: json, version, triggerType: template.definition.trigger.type },
        });
        if (count === 0) return false;
        await tx.flowVersion.create({ data: { shop, flowId: flow.id, version, definition: json } });
        return true;
      });
      if (done) upgraded++;
    }
  }
  return upgraded;
}

export class FlowNotFoundError extends Error {
  override name = "FlowNotFoundError";
  constructor(id: string) {
    super(`no flow ${id} in this shop`);
  }
}
