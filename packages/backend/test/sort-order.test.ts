/**
 * Sorting a customer list by a field whose values are of mixed kinds (free-form traits): the order
 * must be total, or a sort and the keyset cursor over it skip or repeat records.
 */
import fc from "fast-check";
import { describe, expect, it } from "vitest";
import { compareValues } from "../src/store/fields.js";

const value = fc.oneof(
  fc.integer({ min: -20, max: 20 }),
  fc.double({ noNaN: true, noDefaultInfinity: true }),
  fc.boolean(),
  fc.string({ maxLength: 4 }),
  fc.stringMatching(/^-?\d{1,2}[a.]?\d?$/),
  fc.constant(null),
  fc.constant(undefined),
  fc.array(fc.integer({ min: 0, max: 9 }), { maxLength: 2 }),
);
const sign = (n: number) => (n < 0 ? -1 : n > 0 ? 1 : 0);

describe("compareValues", () => {
  it("is a total order over numbers, booleans, text, lists and missing values", () => {
    fc.assert(
      fc.property(value, value, value, (a, b, c) => {
        expect(sign(compareValues(a, a))).toBe(0);
        expect(sign(compareValues(a, b)) + sign(compareValues(b, a))).toBe(0);
        if (compareValues(a, b) <= 0 && compareValues(b, c) <= 0) expect(compareValues(a, c)).toBeLessThanOrEqual(0);
      }),
      { numRuns: 5_000 },
    );
  });

  it("puts numbers before booleans before text, missing values last", () => {
    const sorted = [true, "10a", null, 10, "9", false, 9, undefined, "10"].sort(compareValues);
    expect(sorted.slice(0, 7)).toEqual([9, 10, false, true, "10", "10a", "9"]);
  });
});
