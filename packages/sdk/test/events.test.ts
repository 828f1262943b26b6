import { Cdp, type Event, type PagedList } from "@cdp/sdk";
import { describe, expect, expectTypeOf, it } from "vitest";
import { calls, event, json, queryOf, rejection, scriptedFetch } from "./fake-fetch.js";

describe("cdp.events", () => {
  it("creates, gets, updates, duplicates and deletes events on their routes", async () => {
    const { fetch, requests, bodies } = scriptedFetch(
      json(201, event("evt_1")),
      json(200, event("evt_1")),
      json(200, event("evt_1")),
      json(201, event("evt_2")),
      json(200, { id: "evt_1", deleted: true }),
    );
    const cdp = new Cdp({ apiKey: "sk_test", fetch });

    const created = await cdp.events.create({ customerId: "cus_1", type: "Order Completed", properties: { order_id: "o-1", total: 59.9 } });
    const fetched = await cdp.events.get("evt_1");
    await cdp.events.update("evt_1", { properties: { coupon: "WINTER" }, context: null });
    const copy = await cdp.events.duplicate("evt_1");
    const deleted = await cdp.events.delete("evt_1", { reason: "test order" });

    expect(created.id).toBe("evt_1");
    expect(fetched.type).toBe("Order Completed");
    expect(copy.id).toBe("evt_2");
    expect(deleted).toEqual({ id: "evt_1", deleted: true });
    expect(calls(requests)).toEqual([
      "POST /v1/events",
      "GET /v1/events/evt_1",
      "PATCH /v1/events/evt_1",
      "POST /v1/events/evt_1/duplicate",
      "DELETE /v1/events/evt_1",
    ]);
    expect(bodies).toEqual([
      { customerId: "cus_1", type: "Order Completed", properties: { order_id: "o-1", total: 59.9 } },
      undefined,
      { properties: { coupon: "WINTER" }, context: null },
      undefined,
      { reason: "test order" },
    ]);
  });

  it("sends an Idempotency-Key with every write, the duplicate included", async () => {
    const { fetch, requests } = scriptedFetch(json(201, event("evt_2")), json(200, event("evt_2")));
    const cdp = new Cdp({ fetch });

    await cdp.events.duplicate("evt_1", { idempotencyKey: "dup-1" });
    await cdp.events.get("evt_2");

    expect(requests.map((request) => request.headers.get("idempotency-key"))).toEqual(["dup-1", null]);
  });

  it("creates an event for identifiers instead of a customer id", async () => {
    const { fetch, bodies } = scriptedFetch(json(201, event("evt_1")));
    const cdp = new Cdp({ fetch });

    await cdp.events.create({ identifiers: [{ type: "email", value: "ada@example.com" }], type: "Email Opened", category: "email" });

    expect(bodies[0]).toEqual({ identifiers: [{ type: "email", value: "ada@example.com" }], type: "Email Opened", category: "email" });
  });

  it("lists events by filter and follows the cursor in the query", async () => {
    const { fetch, requests } = scriptedFetch(
      json(200, { data: [event("evt_3"), event("evt_2")], nextCursor: "e1" }),
      json(200, { data: [event("evt_1")], nextCursor: null }),
    );
    const cdp = new Cdp({ fetch });
    const filter = { customerId: "cus_1", category: "ecommerce", from: "2026-01-01T00:00:00.000Z", q: "o-1", limit: 2 };

    const events = await cdp.events.list(filter).toArray();

    expect(events.map((item) => item.id)).toEqual(["evt_3", "evt_2", "evt_1"]);
    expect(calls(requests)).toEqual(["GET /v1/events", "GET /v1/events"]);
    expect(queryOf(requests[0])).toEqual({ ...filter, limit: "2" });
    expect(queryOf(requests[1])).toEqual({ ...filter, limit: "2", cursor: "e1" });
  });

  it("lists every event when given no filter", async () => {
    const { fetch, requests } = scriptedFetch(json(200, { data: [], nextCursor: null }));

    expect(await new Cdp({ fetch }).events.list().toArray()).toEqual([]);
    expect(requests[0]!.url).toBe("http://localhost:4000/v1/events");
  });

  it("is typed from the contract", () => {
    const cdp = new Cdp();
    expectTypeOf(cdp.events.list).returns.toEqualTypeOf<PagedList<Event>>();
    expectTypeOf(cdp.events.get).returns.resolves.toEqualTypeOf<Event>();
    const misuse = () => {
      // @ts-expect-error a delete needs a reason
      void cdp.events.delete("evt_1");
      // @ts-expect-error type is required
      void cdp.events.create({ customerId: "cus_1" });
    };
    expect(misuse).toBeTypeOf("function");
  });
});

describe("cdp.events checks its input before sending", () => {
  it("asks for a customer id or identifiers, not both and not neither", async () => {
    const { fetch, requests } = scriptedFetch();
    const cdp = new Cdp({ fetch });

    const neither = await rejection(cdp.events.create({ type: "Order Completed" }));
    const both = await rejection(
      cdp.events.create({ customerId: "cus_1", identifiers: [{ type: "email", value: "ada@example.com" }], type: "Order Completed" }),
    );

    expect(requests).toHaveLength(0);
    expect(neither.issues).toEqual([{ path: "body.customerId", message: "give either customerId or identifiers" }]);
    expect(both.issues).toEqual([{ path: "body.customerId", message: "give either customerId or identifiers" }]);
  });

  it("names the field that fails", async () => {
    const { fetch, requests } = scriptedFetch();
    const cdp = new Cdp({ fetch });

    const category = await rejection(cdp.events.create({ customerId: "cus_1", type: "Visit", category: "Retail Store" }));
    const timestamp = await rejection(cdp.events.update("evt_1", { timestamp: "yesterday" }));
    const limit = await rejection(cdp.events.list({ limit: 5000 }).page());
    const reason = await rejection(cdp.events.delete("evt_1", { reason: "" }));
    const id = await rejection(cdp.events.duplicate(""));

    expect(requests).toHaveLength(0);
    expect(category.issues[0]?.path).toBe("body.category");
    expect(timestamp.issues[0]?.path).toBe("body.timestamp");
    expect(limit.issues).toEqual([{ path: "query.limit", message: "must be at most 1000" }]);
    expect(reason.issues).toEqual([{ path: "body.reason", message: "a reason is required" }]);
    expect(id.issues[0]?.path).toBe("params.id");
  });

  it("refuses fields an event cannot change", async () => {
    const { fetch, requests } = scriptedFetch();

    const error = await rejection(new Cdp({ fetch }).events.update("evt_1", { customerId: "cus_2" } as never));

    expect(requests).toHaveLength(0);
    expect(error.issues).toEqual([{ path: "body.customerId", message: "unknown field: customerId" }]);
  });
});

describe("cdp.eventTypes", () => {
  it("lists and defines event types", async () => {
    const type = { name: "Store Visited", category: "retail", description: null, builtIn: false };
    const { fetch, requests, bodies } = scriptedFetch(json(200, { data: [type] }), json(201, type));
    const cdp = new Cdp({ fetch });

    expect((await cdp.eventTypes.list()).data).toEqual([type]);
    expect(await cdp.eventTypes.define({ name: "Store Visited", category: "retail" })).toEqual(type);

    expect(calls(requests)).toEqual(["GET /v1/event-types", "POST /v1/event-types"]);
    expect(bodies).toEqual([undefined, { name: "Store Visited", category: "retail" }]);
  });

  it("needs a category name in lower case", async () => {
    const { fetch, requests } = scriptedFetch();

    const error = await rejection(new Cdp({ fetch }).eventTypes.define({ name: "Store Visited", category: "Retail" }));

    expect(requests).toHaveLength(0);
    expect(error.issues).toEqual([{ path: "body.category", message: "must be a category name: lower-case letters, digits and _" }]);
  });
});
