import { describe, expect, it } from "vitest";
import { inputIndexOf, refusedItems } from "~/shopify/admin-api/refused-items";

const ownerGone = (i: number, elementIndex?: number | null) => ({
  field: ["metafields", String(i), "ownerId"],
  message: "Owner does not exist.",
  code: "INVALID",
  elementIndex,
});

describe("inputIndexOf", () => {
  it.each([
    ["elementIndex wins", { ...ownerGone(3, 1) }, 1],
    ["from the field path", ownerGone(7), 7],
    ["elementIndex null: the field path", ownerGone(2, null), 2],
    ["the whole list", { field: ["metafields"], message: "Exceeded the maximum metafields input limit of 25." }, null],
    ["no field", { field: null, message: "Mutation returned no payload" }, null],
    ["another argument", { field: ["id"], message: "Resource not found" }, null],
    ["not a number", { field: ["metafields", "x", "key"], message: "bad" }, null],
  ])("GIVEN %s THEN the input is %s", (_name, error, expected) => {
    expect(inputIndexOf(error)).toBe(expected);
  });
});

describe("refusedItems", () => {
  // Three accounts of three metafields each: inputs 0–2 are item 0, 3–5 item 1, 6–8 item 2.
  const itemOfInput = [0, 0, 0, 1, 1, 1, 2, 2, 2];

  it("GIVEN errors on two inputs of one item and one of another WHEN mapped THEN each refused item once, with its first error", () => {
    const refused = refusedItems([ownerGone(3), ownerGone(4), ownerGone(8)], itemOfInput);
    expect([...refused!.entries()].map(([item, e]) => [item, e.field?.join(".")])).toEqual([
      [1, "metafields.3.ownerId"],
      [2, "metafields.8.ownerId"],
    ]);
  });

  it.each([
    ["an error about the request as a whole", [ownerGone(0), { field: ["metafields"], message: "Exceeded the maximum metafields input limit of 25." }]],
    ["an index outside the batch", [ownerGone(9)]],
  ])("GIVEN %s THEN nothing is left out silently (null)", (_name, errors) => {
    expect(refusedItems(errors, itemOfInput)).toBeNull();
  });

  it("GIVEN metafieldsDelete errors (no elementIndex) THEN the field path names the item", () => {
    expect([...refusedItems([{ field: ["metafields", "1", "ownerId"], message: "Owner does not exist." }], [0, 0])!.keys()]).toEqual([0]);
  });
});
