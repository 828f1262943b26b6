/**
 * A list's cursor pages only the list that issued it: the same kind of list, in the same workspace,
 * with the same sort and the same filters. `limit` and `fields` only shape a page: changing them
 * between pages keeps paging, neither skipping nor repeating an item.
 */
import { Cdp, type EventListQuery } from "@cdp/sdk";
import fc from "fast-check";
import { afterAll, afterEach, describe, expect, it } from "vitest";
import { closeMsw, loggedErrors, setup, type Transport, transports } from "./transports.js";

afterAll(closeMsw);
afterEach(() => {
  expect(loggedErrors.splice(0)).toEqual([]);
});

const otherQuery = (path: "query.cursor" | "body.cursor") => ({
  status: 400,
  code: "invalid_cursor",
  message: expect.stringContaining("belongs to another list or query"),
  issues: [{ path, message: "belongs to another list or query" }],
});

const ids = (items: Array<{ id: string }>) => items.map((item) => item.id);

async function customersWorld(transport: Transport) {
  const world = await setup(transport);
  const { cdp, clock } = world;
  for (let i = 0; i < 7; i++) {
    clock.advance(1000);
    await cdp.customers.create({ email: `ann${i}@smith.example`, firstName: "Ann", lastName: "Smith", tags: i % 2 ? ["vip"] : [] });
    clock.advance(1000);
    await cdp.customers.create({ email: `lee${i}@jones.example`, firstName: "Lee", lastName: "Jones", tags: i % 2 ? [] : ["vip"] });
  }
  return world;
}

async function eventsWorld(transport: Transport) {
  const world = await setup(transport);
  const { customer } = await world.cdp.customers.create({ email: "ann@example.com" });
  for (let day = 1; day <= 6; day++) {
    for (const type of ["Page Viewed", "Product Viewed"]) {
      await world.cdp.events.create({ customerId: customer.id, type, timestamp: `2026-04-0${day}T10:00:00.000Z` });
    }
  }
  return { ...world, customer };
}

describe.each(transports)("cursors through the SDK, $name", (transport) => {
  afterEach(() => transport.stop());

  it("customers.list: a cursor of one q is refused on another, and pages its own q with another limit or fields", async () => {
    const { cdp } = await customersWorld(transport);
    const first = await cdp.customers.list({ q: "smith", limit: 2 }).page();
    const cursor = first.nextCursor as string;

    await expect(cdp.customers.list({ q: "jones", cursor }).page()).rejects.toMatchObject(otherQuery("query.cursor"));
    await expect(cdp.customers.list({ cursor }).page()).rejects.toMatchObject(otherQuery("query.cursor"));
    await expect(cdp.customers.list({ q: "smith ann", cursor }).page()).rejects.toMatchObject(otherQuery("query.cursor"));

    const all = ids(await cdp.customers.list({ q: "smith" }).toArray());
    expect(all).toHaveLength(7);
    const rest = await cdp.customers.list({ q: "smith", limit: 3, fields: "email", cursor }).toArray();
    expect([...ids(first.data), ...ids(rest)]).toEqual(all);
    // The same terms in another case or order are the same query.
    expect(ids(await cdp.customers.list({ q: "  SMITH ", limit: 50, cursor }).toArray())).toEqual(all.slice(2));
    // A search with the same text and no conditions asks for the same customers: the same list.
    expect(ids(await cdp.customers.search({ q: "smith", cursor }).toArray())).toEqual(all.slice(2));
  });

  it("customers.search: a cursor of one body is refused on another at body.cursor; key order and defaults do not matter", async () => {
    const { cdp } = await customersWorld(transport);
    const vips = { match: "all" as const, conditions: [{ field: "tags", op: "eq" as const, value: "vip" }] };
    const first = await cdp.customers.search({ ...vips, limit: 2 }).page();
    const cursor = first.nextCursor as string;

    const otherBodies = [
      { conditions: [{ field: "tags", op: "neq" as const, value: "vip" }] },
      { ...vips, q: "smith" },
      { ...vips, match: "any" as const },
      { ...vips, sort: "-createdAt", conditions: [...vips.conditions, { field: "email", op: "exists" as const }] },
      {},
    ];
    for (const body of otherBodies)
      await expect(cdp.customers.search({ ...body, cursor }).page(), JSON.stringify(body)).rejects.toMatchObject(otherQuery("body.cursor"));
    // Nor does the list of every customer take it.
    await expect(cdp.customers.list({ cursor }).page()).rejects.toMatchObject(otherQuery("query.cursor"));

    const all = ids(await cdp.customers.search(vips).toArray());
    expect(all).toHaveLength(7);
    const reordered = { limit: 4, cursor, conditions: [{ value: "vip", op: "eq" as const, field: "tags" }], sort: "-createdAt" };
    expect([...ids(first.data), ...ids(await cdp.customers.search(reordered).toArray())]).toEqual(all);
  });

  it("events.list: a cursor of one type or time range is refused on another, and pages its own with another limit", async () => {
    const { cdp, customer } = await eventsWorld(transport);
    const pages = await cdp.events.list({ type: "Page Viewed", limit: 2 }).page();
    const byType = pages.nextCursor as string;
    await expect(cdp.events.list({ type: "Product Viewed", cursor: byType }).page()).rejects.toMatchObject(otherQuery("query.cursor"));
    await expect(cdp.events.list({ cursor: byType }).page()).rejects.toMatchObject(otherQuery("query.cursor"));
    await expect(cdp.events.list({ type: "Page Viewed", q: "page", cursor: byType }).page()).rejects.toMatchObject(
      otherQuery("query.cursor"),
    );
    const allPages = ids(await cdp.events.list({ type: "Page Viewed" }).toArray());
    expect(allPages).toHaveLength(6);
    expect([...ids(pages.data), ...ids(await cdp.events.list({ type: "Page Viewed", limit: 3, cursor: byType }).toArray())]).toEqual(
      allPages,
    );

    const range = { from: "2026-04-02T00:00:00.000Z", to: "2026-04-05T00:00:00.000Z" };
    const inRange = await cdp.events.list({ ...range, limit: 3 }).page();
    const byRange = inRange.nextCursor as string;
    for (const other of [
      { ...range, from: "2026-04-01T00:00:00.000Z" },
      { from: range.from },
      { ...range, to: "2026-04-06T00:00:00.000Z" },
    ])
      await expect(cdp.events.list({ ...other, cursor: byRange }).page(), JSON.stringify(other)).rejects.toMatchObject(
        otherQuery("query.cursor"),
      );
    const allInRange = ids(await cdp.events.list(range).toArray());
    expect(allInRange).toHaveLength(6);
    // The same instants written another way are the same range.
    const sameRange = { from: "2026-04-02T00:00:00Z", to: "2026-04-05T00:00:00.000Z", limit: 1 };
    expect([...ids(inRange.data), ...ids(await cdp.events.list({ ...sameRange, cursor: byRange }).toArray())]).toEqual(allInRange);

    // A customer's events: its filters bind its cursor too.
    const ofAnn = (await cdp.events.list({ customerId: customer.id, type: "Page Viewed", limit: 2 }).page()).nextCursor as string;
    await expect(cdp.events.list({ customerId: customer.id, cursor: ofAnn }).page()).rejects.toMatchObject(otherQuery("query.cursor"));
    expect(await cdp.events.list({ customerId: customer.id, type: "Page Viewed", limit: 10, cursor: ofAnn }).toArray()).toHaveLength(4);
  });

  it("audit.list: a cursor of one action is refused on another and in another workspace", async () => {
    const { backend, cdp, client } = await customersWorld(transport);
    const second = await cdp.workspaces.create({ name: "Second shop" });
    const inSecond = client({ apiKey: backend.adminKey, workspace: second.id, maxRetries: 0 });
    for (const email of ["a@second.example", "b@second.example", "c@second.example"]) await inSecond.customers.create({ email });

    const first = await cdp.audit.list({ action: "customers.create", limit: 2 }).page();
    const cursor = first.nextCursor as string;
    await expect(cdp.audit.list({ action: "customers.update", cursor }).page()).rejects.toMatchObject(otherQuery("query.cursor"));
    await expect(cdp.audit.list({ cursor }).page()).rejects.toMatchObject(otherQuery("query.cursor"));
    await expect(inSecond.audit.list({ action: "customers.create", cursor }).page()).rejects.toMatchObject(otherQuery("query.cursor"));

    const all = ids(await cdp.audit.list({ action: "customers.create" }).toArray());
    expect(all).toHaveLength(14);
    expect([...ids(first.data), ...ids(await cdp.audit.list({ action: "customers.create", limit: 5, cursor }).toArray())]).toEqual(all);

    // The customers of one workspace are not the other's list either, same query or not.
    const customers = (await cdp.customers.list({ limit: 2 }).page()).nextCursor as string;
    await expect(inSecond.customers.list({ cursor: customers }).page()).rejects.toMatchObject(otherQuery("query.cursor"));
  });

  it("keys.list: the organization's list, so its cursor pages it whichever workspace the key names", async () => {
    const { backend, cdp, client } = await setup(transport);
    const second = await cdp.workspaces.create({ name: "Second shop" });
    for (const name of ["one", "two", "three"]) await cdp.keys.create({ name, role: "user", workspaces: [backend.workspaceId] });
    const first = await cdp.keys.list({ limit: 2 }).page();
    const all = ids(await cdp.keys.list().toArray());
    const inSecond = client({ apiKey: backend.adminKey, workspace: second.id, maxRetries: 0 });
    const rest = await inSecond.keys.list({ limit: 1, cursor: first.nextCursor as string }).toArray();
    expect([...ids(first.data), ...ids(rest)]).toEqual(all);
  });
});

describe("an event list's cursor, for any two queries", () => {
  const types = ["Page Viewed", "Product Viewed"];
  const times = ["2026-04-02T00:00:00.000Z", "2026-04-04T00:00:00.000Z"];
  /** Each choice with its spellings: the same meaning written in ways a client may write it. */
  const query = fc.record({
    type: fc.constantFrom(undefined, ...types),
    from: fc.constantFrom(undefined, { at: times[0], as: "2026-04-02T00:00:00Z" }, { at: times[0], as: times[0] }),
    to: fc.constantFrom(undefined, { at: times[1], as: "2026-04-04T00:00:00.000Z" }, { at: times[1], as: "2026-04-04T00:00:00.000000Z" }),
    q: fc.constantFrom(
      undefined,
      { means: "viewed", as: "viewed" },
      { means: "viewed", as: " VIEWED " },
      { means: "page viewed", as: "viewed page" },
    ),
    limit: fc.constantFrom(1, 2, 5),
  });
  type Choice = typeof query extends fc.Arbitrary<infer T> ? T : never;
  const asked = (choice: Choice): EventListQuery => ({
    ...(choice.type === undefined ? {} : { type: choice.type }),
    ...(choice.from === undefined ? {} : { from: choice.from.as }),
    ...(choice.to === undefined ? {} : { to: choice.to.as }),
    ...(choice.q === undefined ? {} : { q: choice.q.as }),
    limit: choice.limit,
  });
  const meaning = (choice: Choice) => JSON.stringify([choice.type, choice.from?.at, choice.to?.at, choice.q?.means]);

  it("is taken iff both select the same events (limit aside), and then pages on without a skip or a repeat", async () => {
    const { backend } = await setup(transports[0] as Transport);
    const cdp = new Cdp({ fetch: backend.fetch, apiKey: backend.adminKey, maxRetries: 0 });
    const { customer } = await cdp.customers.create({ email: "ann@example.com" });
    for (let day = 1; day <= 5; day++)
      for (const type of types) await cdp.events.create({ customerId: customer.id, type, timestamp: `2026-04-0${day}T10:00:00.000Z` });

    await fc.assert(
      fc.asyncProperty(query, query, async (a, b) => {
        const first = await cdp.events.list({ ...asked(a), limit: 1 }).page();
        fc.pre(first.nextCursor !== null);
        const cursor = first.nextCursor as string;
        const next = cdp.events.list({ ...asked(b), cursor }).toArray();
        if (meaning(a) !== meaning(b)) {
          await expect(next).rejects.toMatchObject(otherQuery("query.cursor"));
          return;
        }
        const all = ids(await cdp.events.list(asked(a)).toArray());
        expect([...ids(first.data), ...ids(await next)]).toEqual(all);
      }),
      { numRuns: 150 },
    );
  });
});
