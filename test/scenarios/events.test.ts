import { createBackend, manualClock } from "@cdp/backend";
import { Cdp, NotFoundError, PermissionError, ValidationError } from "@cdp/sdk";
import { describe, expect, it } from "vitest";

function world(start = "2026-11-23T12:00:00Z") {
  const clock = manualClock(start);
  const backend = createBackend({ clock, seed: 5 });
  const cdp = new Cdp({ fetch: backend.fetch, apiKey: backend.adminKey });
  return { backend, clock, cdp };
}

describe("events through the SDK", () => {
  it("creates by customer id or by identifiers, reads, patches, duplicates and deletes", async () => {
    const { cdp } = world();
    const { customer } = await cdp.customers.create({ email: "ev@x.com" });
    const viewed = await cdp.events.create({
      customerId: customer.id,
      type: "Product Viewed",
      properties: { sku: "A-1", name: "Blue Shirt" },
    });
    expect(viewed).toMatchObject({ type: "Product Viewed", category: "ecommerce", customerId: customer.id, source: "api" });

    const byIdentifiers = await cdp.events.create({ identifiers: [{ type: "email", value: "EV@x.com" }], type: "Newsletter Read" });
    expect(byIdentifiers).toMatchObject({ customerId: customer.id, category: "custom" });
    const stranger = await cdp.events.create({ identifiers: [{ type: "userId", value: "new-1" }], type: "Signed Up" });
    expect(stranger.customerId).not.toBe(customer.id);
    expect((await cdp.customers.lookup({ type: "userId", value: "new-1" })).id).toBe(stranger.customerId);

    const patched = await cdp.events.update(viewed.id, { properties: { name: null, color: "blue" } });
    expect(patched.properties).toEqual({ sku: "A-1", color: "blue" });
    const copy = await cdp.events.duplicate(viewed.id);
    expect(copy).toMatchObject({ type: "Product Viewed", customerId: customer.id, properties: patched.properties });
    expect(copy.id).not.toBe(viewed.id);
    expect(copy.messageId).not.toBe(viewed.messageId);

    expect((await cdp.events.list({ customerId: customer.id }).toArray()).map((event) => event.id).sort()).toEqual(
      [viewed.id, byIdentifiers.id, copy.id].sort(),
    );
    expect((await cdp.events.list({ q: "blue" }).toArray()).map((event) => event.id).sort()).toEqual([viewed.id, copy.id].sort());
    expect((await cdp.events.list({ category: "custom" }).toArray()).map((event) => event.id)).toEqual([byIdentifiers.id]);

    await cdp.events.delete(copy.id, { reason: "test data" });
    await expect(cdp.events.get(copy.id)).rejects.toBeInstanceOf(NotFoundError);
    const [entry] = (await cdp.audit.list({ action: "events.delete" }).page()).data;
    expect(entry).toMatchObject({ target: copy.id, reason: "test data" });
  });

  it("finds events by text: unquoted terms by word prefix, a quoted phrase as a whole value", async () => {
    const { cdp } = world();
    const { customer } = await cdp.customers.create({ email: "q@x.com" });
    const viewed = (name: string) => cdp.events.create({ customerId: customer.id, type: "Product Viewed", properties: { name } });
    const plain = await viewed("Blue Shirt");
    const deluxe = await viewed("Blue Shirt Deluxe");
    const ids = async (q: string) => (await cdp.events.list({ q }).toArray()).map((event) => event.id).sort();
    expect(await ids("blue shi")).toEqual([plain.id, deluxe.id].sort());
    expect(await ids('"Blue Shirt"')).toEqual([plain.id]);
    expect(await ids('" blue shirt deluxe "')).toEqual([deluxe.id]);
    expect(await ids('"Blue Shirt" viewed')).toEqual([plain.id]);
    expect(await ids('"product viewed" deluxe')).toEqual([deluxe.id]);
    expect(await ids('"Blue"')).toEqual([]);
  });

  it("duplicates an event for a request with no body, whatever content type a client names for it", async () => {
    const { backend, cdp } = world();
    const { customer } = await cdp.customers.create({ email: "dup@x.com" });
    const event = await cdp.events.create({ customerId: customer.id, type: "Page Viewed" });
    const response = await backend.fetch(`http://cdp.test/v1/events/${event.id}/duplicate`, {
      method: "POST",
      // curl -X POST -d '' sends this type with an empty body.
      headers: { authorization: `Bearer ${backend.adminKey}`, "content-type": "application/x-www-form-urlencoded", "content-length": "0" },
      body: "",
    });
    expect(response.status).toBe(201);
  });

  it("answers a repeated messageId with the event already recorded", async () => {
    const { cdp } = world();
    const { customer } = await cdp.customers.create({ email: "m@x.com" });
    const first = await cdp.events.create({ customerId: customer.id, type: "Order Completed", messageId: "order-1" });
    const again = await cdp.events.create({
      customerId: customer.id,
      type: "Order Completed",
      messageId: "order-1",
      properties: { total: 5 },
    });
    expect(again).toEqual(first);
    expect(await cdp.events.list({ customerId: customer.id }).toArray()).toHaveLength(1);
  });

  it("pages events newest first by timestamp, with time ranges", async () => {
    const { cdp } = world();
    const { customer } = await cdp.customers.create({ email: "p@x.com" });
    for (let day = 1; day <= 9; day++) {
      await cdp.events.create({ customerId: customer.id, type: "Page Viewed", timestamp: `2026-11-0${day}T10:00:00.000Z` });
    }
    const pages = [];
    for await (const page of cdp.events.list({ customerId: customer.id, limit: 4 }).pages())
      pages.push(page.data.map((event) => event.timestamp.slice(8, 10)));
    expect(pages).toEqual([["09", "08", "07", "06"], ["05", "04", "03", "02"], ["01"]]);
    const range = await cdp.events.list({ from: "2026-11-03T00:00:00Z", to: "2026-11-05T23:59:59Z" }).toArray();
    expect(range.map((event) => event.timestamp.slice(8, 10))).toEqual(["05", "04", "03"]);
  });

  it("refuses a time range that ends before it starts, in the SDK and over HTTP", async () => {
    const { backend, cdp } = world();
    const { customer } = await cdp.customers.create({ email: "p@x.com" });
    await cdp.events.create({ customerId: customer.id, type: "Page Viewed", timestamp: "2026-11-04T10:00:00.000Z" });
    const backwards = { from: "2026-11-05T00:00:00Z", to: "2026-11-03T00:00:00Z" };
    await expect(cdp.events.list(backwards).toArray()).rejects.toBeInstanceOf(ValidationError);
    await expect(cdp.audit.list(backwards).toArray()).rejects.toBeInstanceOf(ValidationError);
    for (const path of ["/v1/events", "/v1/audit"]) {
      const response = await backend.fetch(`http://cdp.test${path}?from=${backwards.from}&to=${backwards.to}`, {
        headers: { authorization: `Bearer ${backend.adminKey}` },
      });
      expect(response.status, path).toBe(400);
      expect((await response.json()).error.issues).toEqual([{ path: "query.to", message: "must not be before from" }]);
    }
    // One instant is a range (both ends inclusive).
    const instant = "2026-11-04T10:00:00.000Z";
    expect(await cdp.events.list({ from: instant, to: instant }).toArray()).toHaveLength(1);
  });

  it("reads a time in any ISO 8601 form as the instant it names: stored, ordered and filtered to the millisecond", async () => {
    const { clock, cdp } = world();
    const { customer } = await cdp.customers.create({ email: "t@x.com" });
    const at = (timestamp: string) => cdp.events.create({ customerId: customer.id, type: "Page Viewed", timestamp });
    const whole = await at("2026-11-05T10:00:00Z");
    const half = await at("2026-11-05T10:00:00.5Z");
    const fine = await at("2026-11-05T10:00:00.123456789Z");
    expect([whole.timestamp, half.timestamp, fine.timestamp]).toEqual([
      "2026-11-05T10:00:00.000Z",
      "2026-11-05T10:00:00.500Z",
      "2026-11-05T10:00:00.123Z",
    ]);
    const list = async (range: { from?: string; to?: string }) => (await cdp.events.list(range).toArray()).map((event) => event.id);
    expect(await list({})).toEqual([half.id, fine.id, whole.id]);
    // `from` and `to` name instants too, however they are written; both ends are inclusive.
    expect(await list({ from: "2026-11-05T10:00:00Z", to: "2026-11-05T10:00:00Z" })).toEqual([whole.id]);
    expect(await list({ to: "2026-11-05T10:00:00.4Z" })).toEqual([fine.id, whole.id]);
    expect(await list({ from: "2026-11-05T10:00:00.5Z" })).toEqual([half.id]);
    const moved = await cdp.events.update(whole.id, { timestamp: "2026-11-05T10:00:01Z" });
    expect(moved.timestamp).toBe("2026-11-05T10:00:01.000Z");
    expect((await list({})).at(0)).toBe(whole.id);

    // The audit log and the customers' own times, likewise.
    clock.set("2026-11-23T12:00:00.250Z");
    await cdp.events.delete(half.id, { reason: "test" });
    expect(
      await cdp.audit.list({ action: "events.delete", from: "2026-11-23T12:00:00Z", to: "2026-11-23T12:00:00.25Z" }).toArray(),
    ).toHaveLength(1);
    const { customer: later } = await cdp.customers.create({ email: "later@x.com" });
    const created = async (op: "lte" | "gt", value: string) =>
      (await cdp.customers.search({ conditions: [{ field: "createdAt", op, value }] }).toArray()).map((c) => c.id);
    expect(await created("lte", "2026-11-23T12:00:00Z")).toEqual([customer.id]);
    expect(await created("gt", "2026-11-23T12:00:00.2Z")).toEqual([later.id]);
    // Only a full instant with an offset is rewritten; a date is text for startsWith, whatever the server's zone.
    const dayOf = await cdp.customers.search({ conditions: [{ field: "createdAt", op: "startsWith", value: "2026-11-23" }] }).toArray();
    expect(dayOf.map((c) => c.id).sort()).toEqual([customer.id, later.id].sort());
  });

  it("keeps a registry of event types; a workspace may refuse unknown ones", async () => {
    const { cdp, backend } = world();
    const { data } = await cdp.eventTypes.list();
    expect(data).toContainEqual(expect.objectContaining({ name: "Order Completed", category: "ecommerce", builtIn: true }));
    expect(data).toContainEqual(expect.objectContaining({ name: "Page Viewed", category: "browsing" }));
    await cdp.eventTypes.define({ name: "Store Pickup", category: "retail", description: "Click and collect" });
    const { customer } = await cdp.customers.create({ email: "t@x.com" });
    expect((await cdp.events.create({ customerId: customer.id, type: "Store Pickup" })).category).toBe("retail");

    const settings = await cdp.settings.update({ unknownEventTypes: "reject" });
    expect(settings.unknownEventTypes).toBe("reject");
    await expect(cdp.events.create({ customerId: customer.id, type: "Mystery" })).rejects.toMatchObject({
      status: 422,
      code: "unknown_event_type",
    });
    const tracked = await cdp.track({ userId: "t-1", event: "Mystery" }).catch((error: unknown) => error);
    expect(tracked).toMatchObject({ status: 422, code: "unknown_event_type" });
    // refused before anything was written: no profile for t-1
    await expect(cdp.customers.lookup({ type: "userId", value: "t-1" })).rejects.toBeInstanceOf(NotFoundError);
    const guest = new Cdp({ fetch: backend.fetch, apiKey: (await cdp.keys.create({ name: "g", role: "guest" })).secret });
    await expect(guest.settings.update({ unknownEventTypes: "custom" })).rejects.toBeInstanceOf(PermissionError);
  });
});

describe("the customer card: timeline and purchases", () => {
  it("counts events per ISO week and category for 52 weeks, oldest first, zero-filled", async () => {
    const { cdp } = world("2026-11-05T12:00:00Z"); // a Thursday in 2026-W45
    const { customer } = await cdp.customers.create({ email: "card@x.com" });
    for (const [timestamp, type] of [
      ["2026-11-02T00:00:00.000Z", "Page Viewed"], // Monday of W45
      ["2026-11-05T11:00:00.000Z", "Order Completed"],
      ["2026-11-01T23:59:59.000Z", "Page Viewed"], // Sunday: W44
      ["2025-11-09T10:00:00.000Z", "Page Viewed"], // 2025-W45: 52 weeks back, outside
      ["2025-11-10T10:00:00.000Z", "Email Opened"], // 2025-W46: the oldest week shown (2026 has 53 ISO weeks)
    ] as const) {
      await cdp.events.create({ customerId: customer.id, type, timestamp });
    }
    const { data } = await cdp.customers.timeline(customer.id);
    expect(data).toHaveLength(52);
    // Every week names every category seen in the 52 weeks, sorted, 0 where it had none: a chart's series line up.
    expect(data[51]).toEqual({ week: "2026-W45", counts: { browsing: 1, ecommerce: 1, email: 0 } });
    expect(data[50]).toEqual({ week: "2026-W44", counts: { browsing: 1, ecommerce: 0, email: 0 } });
    expect(data[0]).toEqual({ week: "2025-W46", counts: { browsing: 0, ecommerce: 0, email: 1 } });
    for (const week of data.slice(1, 50)) expect(week.counts).toEqual({ browsing: 0, ecommerce: 0, email: 0 });
    expect(data.every((week) => Object.keys(week.counts).join() === "browsing,ecommerce,email")).toBe(true);
  });

  it("gives every week empty counts when the profile has no event in the 52 weeks, even with older ones", async () => {
    const { cdp } = world("2026-11-05T12:00:00Z");
    const { customer } = await cdp.customers.create({ email: "quiet@x.com" });
    const empty = await cdp.customers.timeline(customer.id);
    expect(empty.data).toHaveLength(52);
    expect(empty.data.every((week) => Object.keys(week.counts).length === 0)).toBe(true);
    // An event older than the 52 weeks names no category in them.
    await cdp.events.create({ customerId: customer.id, type: "Page Viewed", timestamp: "2025-11-09T10:00:00.000Z" });
    const old = await cdp.customers.timeline(customer.id);
    expect(old.data.map((week) => week.counts)).toEqual(Array.from({ length: 52 }, () => ({})));
  });

  it("sums orders net of refunds and cancellations, exactly, per currency", async () => {
    const { cdp } = world("2026-11-20T12:00:00Z");
    const { customer } = await cdp.customers.create({ email: "buyer@x.com" });
    const order = (type: string, timestamp: string, properties: Record<string, unknown>) =>
      cdp.events.create({ customerId: customer.id, type, timestamp, properties });
    await order("Order Completed", "2026-11-02T10:00:00Z", {
      order_id: "1",
      total: "100.10",
      currency: "EUR",
      products: [{ quantity: 2 }, {}],
    });
    await order("Order Completed", "2026-11-03T10:00:00Z", { order_id: "2", total: 0.2, currency: "EUR", products: [{ quantity: 1 }] });
    await order("Order Refunded", "2026-11-04T10:00:00Z", { order_id: "1", total: "30.05" });
    await order("Order Completed", "2026-10-15T10:00:00Z", { order_id: "3", total: 50, currency: "USD" });
    await order("Order Refunded", "2026-10-16T10:00:00Z", { order_id: "3", total: 20 });
    await order("Order Cancelled", "2026-10-17T10:00:00Z", { order_id: "3" });
    await order("Order Completed", "2026-09-01T10:00:00Z", { order_id: "4", total: 10, currency: "USD" });
    await order("Order Refunded", "2026-09-02T10:00:00Z", { order_id: "4", total: 25 });
    await order("Order Completed", "2025-12-01T10:00:00Z", { order_id: "9007199254740993", total: "1.00", currency: "EUR" });

    const months = (await cdp.customers.purchases(customer.id, { period: "month" })).data;
    expect(months).toHaveLength(12);
    expect(months[11]).toEqual({ period: "2026-11", orders: 2, items: 4, revenue: { EUR: "70.25" } });
    expect(months[10]).toEqual({ period: "2026-10", orders: 0, items: 0, revenue: { USD: "0.00" } });
    expect(months[9]).toEqual({ period: "2026-09", orders: 1, items: 0, revenue: { USD: "0.00" } });
    expect(months[0]).toEqual({ period: "2025-12", orders: 1, items: 0, revenue: { EUR: "1.00" } });
    const years = (await cdp.customers.purchases(customer.id, { period: "year" })).data;
    expect(years.map((year) => year.period)).toEqual(["2022", "2023", "2024", "2025", "2026"]);
    expect(years[4]).toEqual({ period: "2026", orders: 3, items: 4, revenue: { EUR: "70.25", USD: "0.00" } });
  });

  it("reads loose order data as the spec means it: refunds by size and currency, orders without ids, odd quantities and currencies, any precision", async () => {
    const { cdp } = world("2026-11-20T12:00:00Z");
    const { customer } = await cdp.customers.create({ email: "loose@x.com" });
    let day = 1;
    const order = (type: string, properties: Record<string, unknown>) =>
      cdp.events.create({ customerId: customer.id, type, timestamp: `2026-11-${String(day++).padStart(2, "0")}T10:00:00Z`, properties });
    await order("Order Completed", { order_id: "neg", total: "100", currency: "EUR" });
    await order("Order Refunded", { order_id: "neg", total: "-50" }); // a refund's size: 50 back, not 50 more
    await order("Order Completed", { order_id: "fx", total: "100", currency: "EUR" });
    await order("Order Refunded", { order_id: "fx", total: "30", currency: "USD" }); // another currency: not taken from EUR
    await order("Order Completed", { order_id: "full", total: "40", currency: "eur" });
    await order("Order Refunded", { order_id: "full" }); // no amount: refunded in full
    await order("Order Completed", { total: "10", currency: " eur ", products: [{ quantity: 1 }] }); // no order id: an order of its own
    await order("Order Completed", {
      total: "10",
      currency: "EUR",
      products: [{ quantity: 0 }, { quantity: "4" }, { quantity: -3 }, { quantity: "-1" }, { quantity: 2.5 }],
    });
    await order("Order Completed", { order_id: "odd", total: "abc", revenue: "5.5", currency: "" }); // revenue when total is no amount
    await order("Order Completed", { order_id: "tiny-1", total: "0.0000005", currency: "BTC" });
    await order("Order Completed", { order_id: "tiny-2", total: "0.0000005", currency: "BTC" });
    await order("Order Completed", { order_id: "big", total: 1e21, currency: "JPY" });
    await order("Order Completed", { order_id: "big", total: 5, currency: "JPY" }); // the same order id again: a replay

    const [month] = (await cdp.customers.purchases(customer.id)).data.slice(-1);
    expect(month).toEqual({
      period: "2026-11",
      orders: 9,
      items: 1 + 0 + 4 + 0 + 1,
      revenue: { EUR: "170.00", XXX: "5.50", BTC: "0.000001", JPY: "1000000000000000000000.00" },
    });
  });
});

describe("tracking through the SDK and over HTTP", () => {
  it("takes a write key in the body of a text/plain request, as sendBeacon sends it", async () => {
    const { backend, cdp } = world();
    const response = await backend.fetch("http://cdp.test/v1/track", {
      method: "POST",
      headers: { "content-type": "text/plain;charset=UTF-8" },
      body: JSON.stringify({ writeKey: backend.writeKey, anonymousId: "beacon-1", event: "Product Viewed" }),
    });
    expect(response.status).toBe(200);
    expect(response.headers.get("access-control-allow-origin")).toBe("*");
    const profile = await cdp.customers.lookup({ type: "anonymousId", value: "beacon-1" });
    expect((await cdp.events.list({ customerId: profile.id }).toArray()).map((event) => event.source)).toEqual(["tracking"]);
  });

  it("takes only a write key in the body: a secret key there is 401 at body.writeKey; a missing key's 401 says how a tracker sends it", async () => {
    const { backend, cdp } = world();
    const send = (body: unknown, headers: Record<string, string> = {}) =>
      backend.fetch("http://cdp.test/v1/track", {
        method: "POST",
        headers: { "content-type": "application/json", ...headers },
        body: JSON.stringify(body),
      });
    const secret = await send({ writeKey: backend.adminKey, anonymousId: "beacon-2", event: "Product Viewed" });
    expect(secret.status).toBe(401);
    expect(await secret.json()).toMatchObject({
      error: { code: "unauthenticated", message: expect.stringMatching(/^Only a write key/), issues: [{ path: "body.writeKey" }] },
    });
    const none = await send({ anonymousId: "beacon-2", event: "Product Viewed" });
    expect(none.status).toBe(401);
    expect(((await none.json()) as { error: { message: string } }).error.message).toMatch(/HTTP Basic user name/);
    const garbled = await send({ anonymousId: "beacon-2", event: "Product Viewed" }, { authorization: "Basic bm9wZTo=" });
    expect(((await garbled.json()) as { error: { message: string } }).error.message).toMatch(
      /^The key is unknown or revoked\. Send the write key/,
    );
    // A secret key in the header is as good as ever.
    expect((await send({ anonymousId: "beacon-2", event: "Product Viewed" }, { authorization: `Bearer ${backend.adminKey}` })).status).toBe(
      200,
    );
    expect((await cdp.customers.lookup({ type: "anonymousId", value: "beacon-2" })).id).toMatch(/^cus_/);
  });

  it("refuses oversized messages and bodies with 413, and reports bad batch items without failing the rest", async () => {
    const { backend, cdp } = world();
    const writer = new Cdp({ fetch: backend.fetch, apiKey: backend.writeKey, maxRetries: 0 });
    await expect(writer.track({ userId: "big", event: "Big", properties: { blob: "x".repeat(33 * 1024) } })).rejects.toMatchObject({
      status: 413,
      code: "payload_too_large",
    });
    const result = await writer.batch({
      batch: [
        { type: "track", userId: "ok-1", event: "Product Viewed" },
        { type: "track", event: "No Id" },
        { type: "teleport", userId: "x" } as never, // not a message type: the backend rejects this item alone
        { type: "track", userId: "big", event: "Big", properties: { blob: "x".repeat(33 * 1024) } },
        { type: "identify", userId: "ok-2", traits: { email: "not-an-email", firstName: "Ok" } },
      ],
    });
    expect(result.accepted).toBe(2);
    expect(result.rejected.map((rejection) => [rejection.index, rejection.code])).toEqual([
      [1, "validation_failed"],
      [2, "validation_failed"],
      [3, "payload_too_large"],
    ]);
    expect(result.rejected[0]?.issues?.[0]?.path).toBe("body.batch.1.userId");
    // an invalid email is dropped as an identifier, not the message
    const ok2 = await cdp.customers.lookup({ type: "userId", value: "ok-2" });
    expect(ok2).toMatchObject({ firstName: "Ok", email: null });
    const huge = await backend.fetch("http://cdp.test/v1/batch", {
      method: "POST",
      headers: { authorization: `Basic ${btoa(`${backend.writeKey}:`)}`, "content-type": "application/json" },
      body: JSON.stringify({
        batch: Array.from({ length: 30 }, () => ({ type: "track", userId: "u", event: "E", properties: { blob: "y".repeat(20_000) } })),
      }),
    });
    expect(huge.status).toBe(413);
  });

  it("maps Segment's reserved traits to base properties, defined ones to properties, the rest to traits", async () => {
    const { cdp } = world();
    await cdp.properties.define({ name: "loyaltyTier", type: "string" });
    await cdp.identify({
      userId: "traits-1",
      traits: {
        email: "Tr@X.com",
        name: "Ada Lovelace",
        birthday: "1815-12-10T00:00:00.000Z",
        address: { city: "London", postal_code: "W1", country: "GB" },
        company: { name: "Analytical Engines" },
        title: "Mathematician",
        loyaltyTier: "gold",
        favouriteColor: "green",
      },
    });
    const profile = await cdp.customers.lookup({ type: "userId", value: "traits-1" });
    expect(profile).toMatchObject({
      email: "tr@x.com",
      firstName: "Ada",
      lastName: "Lovelace",
      birthDate: "1815-12-10",
      address: { city: "London", postalCode: "W1", country: "GB" },
      company: "Analytical Engines",
      jobTitle: "Mathematician",
      properties: { loyaltyTier: "gold" },
      traits: { favouriteColor: "green" },
    });
  });

  it("a write key can only track", async () => {
    const { backend } = world();
    const writer = new Cdp({ fetch: backend.fetch, apiKey: backend.writeKey, maxRetries: 0 });
    await expect(writer.customers.list().page()).rejects.toMatchObject({ status: 403, code: "write_key_forbidden" });
    await expect(writer.identify({ userId: "w-1" })).resolves.toEqual({ accepted: 1, rejected: [] });
  });
});

describe("manual merge and resolve", () => {
  it("merges profiles for an admin, guarded by the identifier limits unless forced", async () => {
    const { cdp } = world();
    const a = (await cdp.customers.create({ identifiers: [{ type: "userId", value: "ma" }], firstName: "A", tags: ["x"] })).customer;
    const b = (await cdp.customers.create({ identifiers: [{ type: "userId", value: "mb" }], lastName: "B", tags: ["y"] })).customer;
    const c = (await cdp.customers.create({ email: "mc@x.com" })).customer;
    await cdp.events.create({ customerId: c.id, type: "Cart Viewed" });

    await expect(cdp.customers.merge({ into: a.id, from: [b.id] })).rejects.toMatchObject({ status: 422, code: "identifier_limit" });
    const merged = await cdp.customers.merge({ into: a.id, from: [c.id] });
    expect(merged.merged).toEqual([c.id]);
    expect(merged.customer).toMatchObject({ id: a.id, email: "mc@x.com", firstName: "A" });
    expect((await cdp.events.list({ customerId: a.id }).toArray()).map((event) => event.type)).toEqual(["Cart Viewed"]);
    expect((await cdp.identity.resolve({ identifiers: [{ type: "email", value: "MC@x.com" }] })).customerId).toBe(a.id);
    expect((await cdp.identity.resolve({ identifiers: [{ type: "email", value: "nobody@x.com" }] })).customerId).toBeNull();

    const forced = await cdp.customers.merge({ into: a.id, from: [b.id], force: true, reason: "same person, two accounts" });
    expect(forced.customer.tags.sort()).toEqual(["x", "y"]);
    expect(forced.customer.lastName).toBe("B");
  });

  it("acts on the survivor when given a merged id, bulk delete included", async () => {
    const { cdp } = world();
    const a = (await cdp.customers.create({ email: "sa@x.com" })).customer;
    const b = (await cdp.customers.create({ email: "sb@x.com" })).customer;
    await cdp.customers.merge({ into: a.id, from: [b.id] });
    expect((await cdp.customers.update(b.id, { firstName: "Via old id" })).id).toBe(a.id);
    expect(await cdp.customers.bulkDelete({ ids: [b.id], reason: "test" })).toEqual({ deleted: 1, ids: [a.id] });
    await expect(cdp.customers.get(a.id)).rejects.toBeInstanceOf(NotFoundError);
  });

  it("lets only an admin merge by hand", async () => {
    const { cdp, backend } = world();
    const a = (await cdp.customers.create({ email: "ua@x.com" })).customer;
    const b = (await cdp.customers.create({ email: "ub@x.com" })).customer;
    const { secret } = await cdp.keys.create({ name: "user", role: "user" });
    const user = new Cdp({ fetch: backend.fetch, apiKey: secret });
    await expect(user.customers.merge({ into: a.id, from: [b.id] })).rejects.toBeInstanceOf(PermissionError);
    expect((await cdp.customers.get(b.id)).id).toBe(b.id);
  });

  it("checks merge input before sending", async () => {
    const { cdp } = world();
    await expect(cdp.customers.merge({ into: "cus_1", from: [] })).rejects.toBeInstanceOf(ValidationError);
  });
});
