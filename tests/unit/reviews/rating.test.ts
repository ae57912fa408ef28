import { describe, expect, it } from "vitest";
import { ratingMetafields, summariseRatings } from "~/reviews/rating";

describe("rating summary", () => {
  it.each([
    [[], 0, null],
    [[5], 1, "5.00"],
    [[5, 4], 2, "4.50"],
    [[5, 4, 4], 3, "4.33"],
    [[5, 5, 4], 3, "4.67"],
    [[1, 2], 2, "1.50"],
    [[3, 4, 4, 4, 4, 4, 4, 4], 8, "3.88"], // 3.875 rounds half up
    [[5, 0, 6, 2.5], 1, "5.00"], // out-of-range values are ignored
  ])("GIVEN %j THEN count %i and average %s", (ratings, count, average) => {
    const summary = summariseRatings(ratings);
    expect(summary.count).toBe(count);
    expect(summary.average).toBe(average);
  });

  it("counts each star level", () => {
    expect(summariseRatings([5, 5, 4, 1]).distribution).toEqual([1, 0, 0, 1, 2]);
  });
});

describe("rating metafields", () => {
  const gid = "gid://shopify/Product/1";
  it("GIVEN published ratings THEN the standard rating (scale 1–5) and count are set", () => {
    expect(ratingMetafields(gid, [5, 4])).toEqual({
      kind: "set",
      metafields: [
        { ownerId: gid, namespace: "reviews", key: "rating", type: "rating", value: '{"value":"4.50","scale_min":"1.0","scale_max":"5.0"}' },
        { ownerId: gid, namespace: "reviews", key: "rating_count", type: "number_integer", value: "2" },
      ],
    });
  });

  it("GIVEN no published review THEN both metafields are deleted", () => {
    expect(ratingMetafields(gid, [])).toEqual({
      kind: "delete",
      metafields: [
        { ownerId: gid, namespace: "reviews", key: "rating" },
        { ownerId: gid, namespace: "reviews", key: "rating_count" },
      ],
    });
  });
});
