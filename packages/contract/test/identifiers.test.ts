import fc from "fast-check";
import { describe, expect, it } from "vitest";
import { blockedIdentifierValues, isBlockedValue, normalizeIdentifier, toNfc } from "../src/identifiers.js";

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

describe("email values in Unicode NFC", () => {
  const text = fc.oneof(
    fc.string({ unit: "grapheme-composite", maxLength: 16 }),
    fc.string({ unit: "binary", maxLength: 16 }),
    fc.string({ maxLength: 16 }),
    fc.constantFrom("jos\u00e9", "jose\u0301", "\u1e9b\u0323", "\ud800", "A\u030a", "\u212b", "\uac00\u11a8"),
  );

  it("toNfc equals value.normalize('NFC') for any string, ASCII fast path included", () => {
    fc.assert(
      fc.property(text, (value) => toNfc(value) === value.normalize("NFC")),
      { numRuns: 500 },
    );
  });

  it("an email composed or decomposed normalises to one NFC value, and normalising again changes nothing", () => {
    const local = fc.stringMatching(/^[a-z0-9]{1,8}$/);
    fc.assert(
      fc.property(local, text, local, (head, middle, tld) => {
        const value = `${head}${middle.replace(/[\s@"<>(),;:\\[\]]/g, "")}@x.${tld}`;
        const results = [value, value.normalize("NFD"), value.normalize("NFC")].map((variant) =>
          normalizeIdentifier({ type: "email", value: variant }),
        );
        const [first] = results;
        if (!first?.ok) return true;
        const email = first.identifier.value;
        expect(email).toBe(email.normalize("NFC"));
        expect(results.map((result) => (result.ok ? result.identifier.value : result.reason))).toEqual([email, email, email]);
        const again = normalizeIdentifier({ type: "email", value: email });
        expect(again.ok && again.identifier.value).toBe(email);
        return true;
      }),
      { numRuns: 300 },
    );
  });

  it("leaves other types as sent: a userId with e + U+0301 is not composed", () => {
    const result = normalizeIdentifier({ type: "userId", value: "jose\u0301" });
    expect(result.ok && result.identifier.value).toBe("jose\u0301");
    const custom = normalizeIdentifier({ type: "membership", value: "jose\u0301" });
    expect(custom.ok && custom.identifier.value).toBe("jose\u0301");
  });
});
