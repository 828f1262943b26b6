import fc from "fast-check";
import { describe, expect, it } from "vitest";
import { blockedIdentifierValues, isBlockedValue } from "../src/identifiers.js";

/** The rule as DESIGN §4 words it, written the slow way: trimmed, outer quotes stripped, trimmed again, any case. */
function reference(value: string, extra: readonly string[]): boolean {
  const bare = (text: string) =>
    text
      .trim()
      .replace(/^["']+|["']+$/g, "")
      .trim()
      .toLowerCase();
  const plain = bare(value);
  return (
    blockedIdentifierValues.includes(plain) ||
    /^[0-]+$/.test(plain) ||
    /^\.+$/.test(plain) ||
    extra.some((blocked) => bare(blocked) === plain)
  );
}

describe("isBlockedValue", () => {
  it("agrees with the rule on any text: placeholders in any case, quoted or padded with any white space", () => {
    const pad = fc.constantFrom("", " ", "\t", "\n", "\u00a0", "\u2003", "\ufeff", "\u3000", '"', "'", "\u0085", "\u0001");
    const core = fc.oneof(
      fc.constantFrom(...blockedIdentifierValues, "000", "-0-", "...", "Anonymous", "NULL", "ada@example.com"),
      fc.string({ maxLength: 12 }),
    );
    const value = fc
      .tuple(fc.array(pad, { maxLength: 3 }), core, fc.array(pad, { maxLength: 3 }))
      .map(([before, text, after]) => before.join("") + text + after.join(""));
    fc.assert(
      fc.property(value, fc.array(value, { maxLength: 3 }), (text, extra) => {
        expect(isBlockedValue(text, extra)).toBe(reference(text, extra));
      }),
      { numRuns: 5_000 },
    );
  });
});
