import type { SearchCondition, SearchGroup } from "@cdp/contract";
import fc from "fast-check";
import { describe, expect, it } from "vitest";
import { emptyCustomer } from "../src/domain/identity.js";
import { CustomerIndex } from "../src/store/memory/customers.js";
import { matchesGroup } from "../src/store/memory/filter.js";
import type { CustomerRecord } from "../src/store/records.js";

const count = 40;
const ids = Array.from({ length: count }, (_, i) => `cus_${String(i).padStart(4, "0")}`);
const tags = ["vip", "newsletter", "b2b"];

function indexOf(): { index: CustomerIndex; records: CustomerRecord[] } {
  const index = new CustomerIndex();
  const records = ids.map((id, i) => {
    const at = new Date(Date.UTC(2026, 0, 1, 0, 0, i)).toISOString();
    const record = emptyCustomer(id, "ws_1", null, at, at);
    record.tags = tags.filter((_, t) => (i >> t) & 1);
    record.base = { firstName: i % 2 === 0 ? "Ann" : "Bob" };
    index.put(record);
    return record;
  });
  return { index, records };
}

// Ids that exist and ids that do not, and values of the wrong kind: an id is a string.
const idValue = fc.oneof(fc.constantFrom(...ids), fc.constantFrom("cus_9999", "", "CUS_0001"), fc.integer({ min: 0, max: 3 }));
const condition: fc.Arbitrary<SearchCondition> = fc.oneof(
  idValue.map((value) => ({ field: "id", op: "eq", value }) as SearchCondition),
  fc.array(idValue, { maxLength: 5 }).map((value) => ({ field: "id", op: "in", value }) as SearchCondition),
  idValue.map((value) => ({ field: "id", op: "neq", value }) as SearchCondition),
  fc.constantFrom(...tags).map((value) => ({ field: "tags", op: "eq", value }) as SearchCondition),
  fc.constantFrom("Ann", "Bob").map((value) => ({ field: "firstName", op: "eq", value }) as SearchCondition),
);
const group: fc.Arbitrary<SearchGroup> = fc.letrec<{ group: SearchGroup }>((tie) => ({
  group: fc.record({
    match: fc.constantFrom("all", "any") as fc.Arbitrary<"all" | "any">,
    conditions: fc.array(fc.oneof({ depthSize: "small", withCrossShrink: true }, condition, tie("group")), { maxLength: 4 }),
  }) as fc.Arbitrary<SearchGroup>,
})).group;

describe("customer queries that name ids", () => {
  it("answer what checking every customer answers, for any filter of ids, tags and names, with or without text", () => {
    const { index, records } = indexOf();
    fc.assert(
      fc.property(group, fc.constantFrom(undefined, "ann", "bob", "zed"), fc.boolean(), (filter, term, descending) => {
        const text = term === undefined ? undefined : { terms: [term], phrases: [] };
        const found = index.query({
          filter,
          ...(text ? { text } : {}),
          sort: { field: "createdAt", descending },
          limit: count + 1,
          includeRestricted: false,
        });
        const expected = records
          .filter((record) => matchesGroup(record, filter) && (term === undefined || String(record.base.firstName).toLowerCase() === term))
          .map((record) => record.id);
        if (descending) expected.reverse();
        expect(found.map((record) => record.id)).toEqual(expected);
      }),
      { numRuns: 500 },
    );
  });

  it("looks the named ids up rather than reading every customer", () => {
    const { index } = indexOf();
    let reads = 0;
    const records = index.records.bind(index);
    index.records = function* () {
      for (const record of records()) {
        reads++;
        yield record;
      }
    };
    const found = index.query({
      filter: { match: "all", conditions: [{ field: "id", op: "in", value: ["cus_0003", "cus_0001", "cus_9999"] }] },
      sort: { field: "updatedAt", descending: false },
      limit: 10,
      includeRestricted: false,
    });
    expect(found.map((record) => record.id)).toEqual(["cus_0001", "cus_0003"]);
    expect(reads).toBe(0);
  });
});
