import fc from "fast-check";
import { describe, expect, it } from "vitest";
import { StringIndex } from "../src/store/memory/string-index.js";

describe("StringIndex", () => {
  it("answers as a Map does for any sequence of sets and lookups (growth, equal hashes, empty and long keys)", () => {
    const key = fc.oneof(fc.string({ maxLength: 3 }), fc.string({ maxLength: 80 }), fc.uuid());
    fc.assert(
      fc.property(fc.array(fc.tuple(fc.constantFrom("set", "get", "has"), key, fc.option(fc.integer())), { maxLength: 3_000 }), (steps) => {
        const index = new StringIndex<number | null>();
        const map = new Map<string, number | null>();
        for (const [operation, name, value] of steps) {
          if (operation === "set") {
            index.set(name, value);
            map.set(name, value);
          } else if (operation === "get") expect(index.get(name)).toBe(map.get(name));
          else expect(index.has(name)).toBe(map.has(name));
        }
        expect(index.size).toBe(map.size);
        for (const [name, value] of map) expect(index.get(name)).toBe(value);
      }),
      { numRuns: 200 },
    );
  });

  it("holds 100,000 keys past several doublings", () => {
    const index = new StringIndex<number>();
    for (let i = 0; i < 100_000; i++) index.set(`ajs-${i}`, i);
    expect(index.size).toBe(100_000);
    expect(index.get("ajs-0")).toBe(0);
    expect(index.get("ajs-99999")).toBe(99_999);
    expect(index.has("ajs-100000")).toBe(false);
  });
});
