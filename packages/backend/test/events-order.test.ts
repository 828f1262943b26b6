/**
 * Property test: `GET /v1/events` without a customer pages through the workspace's events newest
 * first, by (timestamp, id), whatever happened to them: events created with equal or out-of-order
 * timestamps, timestamps patched (back and forth), events deleted, duplicated and moved by a merge,
 * with `from`, `to` and `type` filters and any page size. Each page is compared with every live
 * event sorted, as a user would expect them.
 */
import { type Backend, createBackend, manualClock } from "@cdp/backend";
import fc from "fast-check";
import { describe, expect, it } from "vitest";

const origin = "http://cdp.test";
const runs = 200;
const minute = (n: number) => new Date(Date.UTC(2026, 10, 1, 0, n)).toISOString();

type Step =
  | { kind: "create"; at: number; type: string; customer: number }
  | { kind: "patch"; pick: number; at: number }
  | { kind: "delete"; pick: number }
  | { kind: "duplicate"; pick: number }
  | { kind: "merge" }
  | { kind: "list"; limit: number; from?: number; to?: number; type?: string };

const step: fc.Arbitrary<Step> = fc.oneof(
  {
    weight: 5,
    arbitrary: fc.record({ kind: fc.constant("create" as const), at: fc.nat(6), type: fc.constantFrom("A", "B"), customer: fc.nat(1) }),
  },
  { weight: 2, arbitrary: fc.record({ kind: fc.constant("patch" as const), pick: fc.nat(3), at: fc.nat(3) }) },
  { weight: 1, arbitrary: fc.record({ kind: fc.constant("delete" as const), pick: fc.nat() }) },
  { weight: 1, arbitrary: fc.record({ kind: fc.constant("duplicate" as const), pick: fc.nat() }) },
  { weight: 1, arbitrary: fc.constant({ kind: "merge" as const }) },
  {
    weight: 2,
    arbitrary: fc.record(
      {
        kind: fc.constant("list" as const),
        limit: fc.integer({ min: 1, max: 7 }),
        from: fc.nat(20),
        to: fc.nat(20),
        type: fc.constantFrom("A", "B"),
      },
      { requiredKeys: ["kind", "limit"] },
    ),
  },
);

async function call(backend: Backend, method: string, path: string, body?: unknown) {
  const response = await backend.fetch(`${origin}/v1${path}`, {
    method,
    headers: { authorization: `Bearer ${backend.adminKey}`, "content-type": "application/json" },
    ...(body === undefined ? {} : { body: JSON.stringify(body) }),
  });
  return { status: response.status, json: response.status === 204 ? undefined : await response.json() };
}

describe("GET /v1/events without a customer", () => {
  it(`pages every live event newest first, after any writes (${runs} runs)`, async () => {
    await fc.assert(
      fc.asyncProperty(fc.array(step, { minLength: 1, maxLength: 40 }), async (steps) => {
        const backend = createBackend({ seed: 3, clock: manualClock("2026-11-23T12:00:00.000Z") });
        const customers = [
          (await call(backend, "POST", "/customers", { email: "one@x.com" })).json.customer.id as string,
          (await call(backend, "POST", "/customers", { email: "two@x.com" })).json.customer.id as string,
        ];
        /** The live events as the test knows them: id → { timestamp, type }. */
        const live = new Map<string, { timestamp: string; type: string }>();
        let merged = false;
        const pickId = (n: number) => [...live.keys()][n % live.size] as string;
        for (const action of [...steps, { kind: "list", limit: 5 } as Step]) {
          if (action.kind === "create") {
            const { json } = await call(backend, "POST", "/events", {
              customerId: customers[action.customer],
              type: action.type,
              timestamp: minute(action.at),
            });
            live.set(json.id, { timestamp: json.timestamp, type: json.type });
          } else if (action.kind === "patch" && live.size > 0) {
            const id = pickId(action.pick);
            const { json } = await call(backend, "PATCH", `/events/${id}`, { timestamp: minute(action.at) });
            live.set(id, { timestamp: json.timestamp, type: json.type });
          } else if (action.kind === "delete" && live.size > 0) {
            const id = pickId(action.pick);
            expect((await call(backend, "DELETE", `/events/${id}`, { reason: "test" })).status).toBe(200);
            live.delete(id);
          } else if (action.kind === "duplicate" && live.size > 0) {
            const { json } = await call(backend, "POST", `/events/${pickId(action.pick)}/duplicate`);
            live.set(json.id, { timestamp: json.timestamp, type: json.type });
          } else if (action.kind === "merge" && !merged) {
            merged = true;
            const answer = await call(backend, "POST", "/customers/merge", { into: customers[0], from: [customers[1]], force: true });
            expect(answer.status, JSON.stringify(answer.json)).toBe(200);
          } else if (action.kind === "list") {
            const from = action.from === undefined ? undefined : minute(action.from);
            const to = action.to === undefined ? undefined : minute(action.to);
            if (from !== undefined && to !== undefined && to < from) {
              // A range that ends before it starts is a mistake to name, not an empty page.
              const refused = await call(backend, "GET", `/events?${new URLSearchParams({ from, to })}`);
              expect(refused.status).toBe(400);
              expect(refused.json.error.issues).toEqual([{ path: "query.to", message: "must not be before from" }]);
              continue;
            }
            const expected = [...live]
              .filter(
                ([, event]) =>
                  (from === undefined || event.timestamp >= from) &&
                  (to === undefined || event.timestamp <= to) &&
                  (action.type === undefined || event.type === action.type),
              )
              .sort(([aId, a], [bId, b]) => (a.timestamp === b.timestamp ? (aId < bId ? 1 : -1) : a.timestamp < b.timestamp ? 1 : -1))
              .map(([id]) => id);
            const seen: string[] = [];
            let cursor: string | null = null;
            do {
              const query = new URLSearchParams({ limit: String(action.limit) });
              if (from !== undefined) query.set("from", from);
              if (to !== undefined) query.set("to", to);
              if (action.type !== undefined) query.set("type", action.type);
              if (cursor) query.set("cursor", cursor);
              const page = await call(backend, "GET", `/events?${query}`);
              expect(page.status).toBe(200);
              seen.push(...page.json.data.map((event: { id: string }) => event.id));
              cursor = page.json.nextCursor;
            } while (cursor && seen.length <= expected.length);
            expect(seen).toEqual(expected);
          }
        }
      }),
      {
        numRuns: runs,
        // A timestamp patched away and back between two pages: the order must not list the event twice.
        examples: [
          [
            [
              { kind: "create", at: 0, type: "A", customer: 0 },
              { kind: "patch", pick: 0, at: 1 },
              { kind: "patch", pick: 0, at: 0 },
            ],
          ],
        ],
      },
    );
  });
});
