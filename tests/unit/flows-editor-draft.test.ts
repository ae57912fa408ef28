import { describe, expect, it } from "vitest";
import { move, newCondition, newGroup, newStep, numberOrText, withField } from "~/flows/editor-draft";
import { toDraft } from "~/flows/editor-draft-load";
import { sameDraft, toDefinition } from "~/flows/editor-draft-save";
import { flowActionSpecs } from "~/flows/action-registry";
import { parseFlowDefinition, type FlowDefinition } from "~/flows/definition";
import { FLOW_TEMPLATES } from "~/flows/templates";

const asFlow = (definition: FlowDefinition) => ({ name: "Flow", enabled: false, definition });
const parsed = (json: unknown) => {
  const result = parseFlowDefinition(json);
  if (!result.ok) throw new Error(JSON.stringify(result.errors));
  return result.definition;
};

describe("the editor's draft of a flow", () => {
  it.each(FLOW_TEMPLATES.map((t) => [t.id, t.definition] as const))("GIVEN template %s THEN draft → definition gives back the same flow", (_id, definition) => {
    expect(parsed(toDefinition(toDraft(asFlow(definition), "EUR")))).toEqual(parsed(definition));
  });

  it("GIVEN a step of every type with its defaults THEN each, after a trigger with an order, is a valid definition", () => {
    for (const { type } of flowActionSpecs()) {
      const step = newStep(type);
      if (type === "send_email") step.template = "thank-you";
      if (type === "add_customer_tags" || type === "remove_customer_tags" || type === "add_order_tags") step.tags = "vip, gold";
      if (type === "notify_merchant") step.message = "Big order";
      const draft = { ...toDraft(asFlow(FLOW_TEMPLATES[0]!.definition), "EUR"), steps: [step, newStep("award_points")] };
      expect(parseFlowDefinition(toDefinition(draft)), type).toMatchObject({ ok: true });
    }
  });

  it("GIVEN conditions of every kind THEN their values become money, numbers and lists", () => {
    const draft = toDraft(asFlow(FLOW_TEMPLATES[0]!.definition), "EUR");
    const money = { ...newCondition("EUR"), operator: "between", amount: "10", maxAmount: "99.50" };
    const count = { ...withField(newCondition("EUR"), "order.itemCount"), number: "3" };
    const countries = { ...withField(newCondition("EUR"), "order.shippingCountry"), list: "si, AT ,, " };
    draft.groups = [{ ...newGroup("EUR"), match: "any", conditions: [money, count, countries] }];
    expect(parsed(toDefinition(draft)).conditions.groups[0]).toEqual({
      match: "any",
      conditions: [
        { field: "order.total", operator: "between", value: { min: { amount: "10", currency: "EUR" }, max: { amount: "99.50", currency: "EUR" } } },
        { field: "order.itemCount", operator: "gte", value: 3 },
        { field: "order.shippingCountry", operator: "in", value: ["SI", "AT"] },
      ],
    });
  });

  it("GIVEN half-typed numbers THEN the server gets something it can name the problem of", () => {
    expect(numberOrText("")).toBeUndefined();
    expect(numberOrText(" 12 ")).toBe(12);
    expect(numberOrText("1.5")).toBe(1.5);
    expect(numberOrText("12x")).toBe("12x");
    const draft = toDraft(asFlow(FLOW_TEMPLATES[0]!.definition), "EUR");
    // The template's step earns the program's points (no number to type): switched to a fixed number, typed 0.
    expect(draft.steps[0]!.mode).toBe("program");
    draft.steps[0]!.mode = "fixed";
    draft.steps[0]!.points = "0";
    expect(parseFlowDefinition(toDefinition(draft))).toEqual({
      ok: false,
      errors: { "actions.0.params.points": "Enter a whole number of points of at least 1" },
    });
  });

  it("GIVEN a field change THEN the operator is kept only when it still applies; moving steps keeps the rest", () => {
    expect(withField({ ...newCondition("EUR"), operator: "lte" }, "customer.ordersCount").operator).toBe("lte");
    expect(withField({ ...newCondition("EUR"), operator: "lte" }, "customer.tags").operator).toBe("includesAny");
    expect(move(["a", "b", "c"], 2, -1)).toEqual(["a", "c", "b"]);
    expect(move(["a", "b", "c"], 0, -1)).toEqual(["a", "b", "c"]);
  });

  it("GIVEN the same flow drafted twice THEN it is not an unsaved change; a typed letter is", () => {
    const a = toDraft(asFlow(FLOW_TEMPLATES[1]!.definition), "EUR");
    const b = toDraft(asFlow(FLOW_TEMPLATES[1]!.definition), "EUR");
    expect(sameDraft(a, b)).toBe(true);
    expect(sameDraft(a, { ...b, name: "Flow!" })).toBe(false);
  });
});
