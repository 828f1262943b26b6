import type { SearchGroup } from "@cdp/contract";
import fc from "fast-check";
import { describe, expect, it } from "vitest";
import { emptyCustomer } from "../src/domain/identity.js";
import { mulberry32 } from "../src/ids.js";
import { compareValues, readField, sortableValue } from "../src/store/fields.js";
import { CustomerIndex } from "../src/store/memory/customers.js";
import { matchesGroup } from "../src/store/memory/filter.js";
import { searchableValues, tokenize } from "../src/store/memory/text.js";
import type { CustomerQuery } from "../src/store/query.js";
import type { CustomerRecord } from "../src/store/records.js";

// Enough customers for every way the index reads a text query: terms under 4,000 matches, between
// 4,000 and 32,000 ("anna", "smith": two of them are intersected), above 32,000 ("acme", "cus": checked
// per candidate), prefixes of a few tokens ("ann" → ann, anna, anne) and of many ("0", "00": ids).
const count = 34_000;
const start = Date.UTC(2026, 0, 1);

const pick = (random: () => number, weighted: [string, number][]): string => {
  let target = random() * weighted.reduce((sum, [, weight]) => sum + weight, 0);
  for (const [value, weight] of weighted) {
    target -= weight;
    if (target < 0) return value;
  }
  return weighted[weighted.length - 1]?.[0] as string;
};
const firstNames: [string, number][] = [
  ["Anna", 45],
  ["Anne", 15],
  ["Ann", 5],
  ["Ben", 12],
  ["Benny", 3],
  ["Cleo", 8],
  ["Dov", 7],
  ["Eve", 5],
];
const lastNames: [string, number][] = [
  ["Smith", 40],
  ["Smithson", 10],
  ["Jones", 20],
  ["Johnson", 15],
  ["Lee", 10],
  ["Li", 5],
];
const tags = ["vip", "newsletter"];

function customerAt(n: number, random: () => number): CustomerRecord {
  // Creation times out of id order, two customers a second: ties fall to the id.
  const at = new Date(start + Math.floor(((n * 7_919) % 50_000) / 2) * 1_000).toISOString();
  const record = emptyCustomer(`cus_${String(n).padStart(5, "0")}`, "ws_1", null, at, at);
  record.base = { firstName: pick(random, firstNames), lastName: pick(random, lastNames) };
  if (random() < 0.97) record.base.company = "Acme";
  if (random() < 0.2) record.base.jobTitle = "Analyst";
  record.tags = tags.filter(() => random() < 0.3);
  record.restricted = random() < 0.02;
  return record;
}

function indexOf(): { index: CustomerIndex; records: Map<string, CustomerRecord> } {
  const random = mulberry32(20261207);
  const index = new CustomerIndex();
  const records = new Map<string, CustomerRecord>();
  for (let n = 0; n < count; n++) {
    const record = customerAt(n, random);
    index.put(record);
    records.set(record.id, record);
  }
  return { index, records };
}

const texts = new WeakMap<CustomerRecord, { tokens: string[]; phrases: string[] }>();

/** A customer's words and whole values, read once per version of the record. */
function textOf(record: CustomerRecord): { tokens: string[]; phrases: string[] } {
  let text = texts.get(record);
  if (!text) {
    const values = searchableValues(record);
    text = { tokens: values.flatMap(tokenize), phrases: values.map((value) => value.trim().toLowerCase()) };
    texts.set(record, text);
  }
  return text;
}

/** What checking one customer at a time answers: the text as a user reads it, then the sort and the cursor. */
function expectedIds(records: Iterable<CustomerRecord>, query: CustomerQuery): string[] {
  const { field, descending } = query.sort;
  const text = query.text ?? { terms: [], phrases: [] };
  const matches = (record: CustomerRecord) => {
    const { tokens, phrases } = textOf(record);
    return (
      text.phrases.every((phrase) => phrases.includes(phrase)) && text.terms.every((term) => tokens.some((token) => token.startsWith(term)))
    );
  };
  const order = (a: { value: unknown; id: string }, b: { value: unknown; id: string }) => {
    const aMissing = a.value === null;
    const bMissing = b.value === null;
    if (aMissing !== bMissing) return aMissing ? 1 : -1;
    const c = compareValues(a.value, b.value) || (a.id < b.id ? -1 : a.id > b.id ? 1 : 0);
    return descending ? -c : c;
  };
  const after = query.after && { value: sortableValue(query.after.value), id: query.after.id };
  return [...records]
    .filter((record) => (query.includeRestricted || !record.restricted) && matches(record))
    .filter((record) => !query.filter || matchesGroup(record, query.filter))
    .map((record) => ({ value: sortableValue(readField(record, field)), id: record.id }))
    .filter((position) => !after || order(position, after) > 0)
    .sort(order)
    .slice(0, query.limit)
    .map((position) => position.id);
}

// Words of the data, their prefixes, id digits (prefixes of many tokens) and words no customer holds.
const words = ["anna", "anne", "ann", "ben", "benny", "cleo", "dov", "eve", "smith", "smithson", "jones", "johnson", "lee"];
const term = fc.oneof(
  // The common ones, most often: pairs of them take the path "james smith" takes.
  { arbitrary: fc.constantFrom("anna", "ann", "an", "smith", "sm", "jones", "johnson", "jo", "ben", "acme", "cus", "0", "1"), weight: 3 },
  // Rarer ones, to meet the common ones: the common are then checked on each of their matches.
  { arbitrary: fc.constantFrom("cleo", "dov", "eve", "lee", "00", "012"), weight: 2 },
  fc.tuple(fc.constantFrom(...words, "acme", "analyst", "cus"), fc.nat()).map(([word, n]) => word.slice(0, 1 + (n % word.length))),
  fc.constantFrom("0", "00", "012", "3", "33", "li", "zed", "nope"),
);
const phrase = fc.constantFrom("anna", "smith", "acme", "ben", "analyst", "cus_00012", "anna smith");
const filter: fc.Arbitrary<SearchGroup | undefined> = fc.oneof(
  fc.constant(undefined),
  fc.constantFrom(...tags).map((value): SearchGroup => ({ match: "all", conditions: [{ field: "tags", op: "eq", value }] })),
);
// A write between two searches: a new name (a token the sorted list may not hold yet), a deletion, a new customer.
const write = fc.oneof(
  fc.record({
    kind: fc.constant("rename" as const),
    n: fc.nat({ max: count - 1 }),
    name: fc.constantFrom("Annabel", "Smithy", "Zed", "Anna"),
  }),
  fc.record({ kind: fc.constant("delete" as const), n: fc.nat({ max: count - 1 }) }),
  fc.record({ kind: fc.constant("create" as const), seed: fc.nat() }),
);

describe("customer text search", () => {
  it("answers what checking every customer answers, for any terms, phrases, filter, sort and cursor", () => {
    const { index, records } = indexOf();
    let created = count;
    fc.assert(
      fc.property(
        fc.array(write, { maxLength: 3 }),
        fc.uniqueArray(term, { maxLength: 3 }),
        fc.oneof(
          { arbitrary: fc.constant<string[]>([]), weight: 3 },
          phrase.map((value) => [value]),
        ),
        filter,
        fc.oneof({ arbitrary: fc.constant("createdAt"), weight: 4 }, fc.constantFrom("lastName", "updatedAt")),
        fc.boolean(),
        fc.integer({ min: 1, max: 60 }),
        fc.option(fc.double({ min: 0, max: 1, noNaN: true }), { nil: undefined }),
        fc.boolean(),
        (writes, terms, phrases, filter, field, descending, limit, cursorAt, includeRestricted) => {
          for (const change of writes) {
            if (change.kind === "create") {
              const record = customerAt(created++, mulberry32(change.seed));
              index.put(record);
              records.set(record.id, record);
              continue;
            }
            const id = `cus_${String(change.n).padStart(5, "0")}`;
            const current = records.get(id);
            if (!current) continue;
            if (change.kind === "delete") {
              index.delete(id);
              records.delete(id);
            } else {
              const next = { ...current, base: { ...current.base, lastName: change.name } };
              index.put(next);
              records.set(id, next);
            }
          }
          const query: CustomerQuery = {
            text: { terms, phrases },
            ...(filter ? { filter } : {}),
            sort: { field, descending },
            limit,
            includeRestricted,
          };
          // A cursor from somewhere in the full answer: the page after it.
          if (cursorAt !== undefined) {
            const all = expectedIds(records.values(), { ...query, limit: Number.MAX_SAFE_INTEGER });
            const at = all[Math.floor(cursorAt * all.length)];
            const record = at === undefined ? undefined : records.get(at);
            if (record) query.after = { value: sortableValue(readField(record, field)), id: record.id };
          }
          expect(index.query(query).map((record) => record.id)).toEqual(expectedIds(records.values(), query));
        },
      ),
      { numRuns: 200 },
    );
  }, 300_000);
});
