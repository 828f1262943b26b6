import fc from "fast-check";
import { monotonicFactory } from "ulidx";
import { describe, expect, it } from "vitest";
import type { Clock } from "../src/clock.js";
import { createIdSource, monotonicUlid, mulberry32 as seeded } from "../src/ids.js";
import { createBackend, manualClock } from "../src/index.js";

describe("monotonicUlid", () => {
  it("makes the ids ulidx's monotonicFactory makes, for any clock (same, later or earlier milliseconds)", () => {
    fc.assert(
      fc.property(
        fc.integer({ min: 0, max: 2 ** 31 }),
        fc.integer({ min: 1, max: 2 ** 47 }),
        fc.array(fc.integer({ min: -5, max: 5 }), { minLength: 1, maxLength: 200 }),
        (seed, start, steps) => {
          const ours = monotonicUlid(seeded(seed));
          const theirs = monotonicFactory(seeded(seed));
          let time = start;
          let previous = "";
          for (const step of steps) {
            time = Math.max(1, time + step);
            const id = ours("evt", time);
            expect(id).toBe(`evt_${theirs(time)}`);
            expect(id > previous).toBe(true);
            previous = id;
          }
        },
      ),
      { numRuns: 300 },
    );
  });

  it("matches ulidx for clocks with fractions of a millisecond and clocks set back before 1970", () => {
    fc.assert(
      fc.property(
        fc.integer({ min: 0, max: 2 ** 31 }),
        fc.double({ min: 1, max: 2 ** 40, noNaN: true }),
        fc.array(fc.double({ min: -(2 ** 41), max: 5, noNaN: true }), { minLength: 1, maxLength: 100 }),
        (seed, start, steps) => {
          const ours = monotonicUlid(seeded(seed));
          const theirs = monotonicFactory(seeded(seed));
          // Both refuse a new time that is not a whole millisecond (ulidx then stays broken: the comparison stops there).
          const both = (time: number) => {
            const attempt = (make: () => string) => {
              try {
                return make();
              } catch {
                return "refused";
              }
            };
            return [attempt(() => ours("chg", time)), attempt(() => `chg_${theirs(time)}`)];
          };
          let time = Math.floor(start);
          expect(new Set(both(time)).size).toBe(1);
          for (const step of steps) {
            time += step;
            const [mine, reference] = both(time);
            expect(mine).toBe(reference);
            if (mine === "refused") break;
          }
        },
      ),
      { numRuns: 300 },
    );
  });

  it("carries over a run of Z and refuses an overflow and a time no ULID can hold", () => {
    const ours = monotonicUlid(() => 0.99999);
    const first = ours("cus", 1_000);
    expect(first).toBe(`cus_${"0".repeat(7)}0Z8${"Z".repeat(16)}`);
    expect(() => ours("cus", 1_000)).toThrow(/overflowed/);
    expect(() => ours("cus", 2 ** 48)).toThrow(RangeError);
    expect(() => monotonicUlid(() => 0)("cus", -1)).toThrow(RangeError);
    const low = monotonicUlid(() => 0);
    expect(low("a", 5)).toBe(`a_0000000005${"0".repeat(16)}`);
    expect(low("a", 5)).toBe(`a_0000000005${"0".repeat(15)}1`);
  });
});

describe("a seeded id source", () => {
  it("makes the same secrets for one seed however many ids came first, and at whatever times", () => {
    fc.assert(
      fc.property(fc.integer({ min: 0, max: 2 ** 31 }), fc.array(fc.integer({ min: 0, max: 3 }), { maxLength: 20 }), (seed, steps) => {
        // A ULID draws random characters only when the millisecond changes: how many it draws
        // depends on the clock, which must not reach the secrets.
        const clock = manualClock("2026-01-01T00:00:00Z");
        const busy = createIdSource(clock, seed);
        for (const step of steps) {
          clock.advance(step);
          busy.id("customer");
        }
        const fresh = createIdSource(manualClock("2030-01-01T00:00:00Z"), seed);
        for (const prefix of ["sk", "wk", "at"]) expect(busy.secret(prefix)).toBe(fresh.secret(prefix));
      }),
      { numRuns: 200 },
    );
  });

  it("makes the same ids for one seed and the same times, whatever secrets were made between them", () => {
    const make = (secrets: number) => {
      const clock = manualClock("2026-01-01T00:00:00Z");
      const ids = createIdSource(clock, 7);
      const out: string[] = [];
      for (let i = 0; i < 5; i++) {
        for (let j = 0; j < secrets; j++) ids.secret("sk");
        out.push(ids.id("customer"));
        clock.advance(i % 2);
      }
      return out;
    };
    expect(make(3)).toEqual(make(0));
  });

  it("gives createBackend({ seed }) the same keys whatever the clock reads while it starts", () => {
    /** A clock that moves 1 ms every `every` reads: the millisecond changes between some ids and not others. */
    const ticking = (every: number): Clock => {
      let reads = 0;
      return { now: () => Date.UTC(2026, 0, 1) + Math.floor(reads++ / every) };
    };
    const keys = [manualClock("2026-01-01T00:00:00Z"), ticking(1), ticking(2), ticking(3)].map((clock) => {
      const backend = createBackend({ clock, seed: 42 });
      return { adminKey: backend.adminKey, writeKey: backend.writeKey };
    });
    for (const other of keys.slice(1)) expect(other).toEqual(keys[0]);
    expect(keys[0]?.adminKey).toMatch(/^sk_[0-9A-Za-z]{32}$/);
    expect(keys[0]?.writeKey).toMatch(/^wk_[0-9A-Za-z]{32}$/);
  });
});
