/**
 * Compatibility with a tracking client nobody here wrote: Segment's own `@segment/analytics-node`,
 * pointed at the backend over real HTTP. It sends `/v1/batch` with the write key both as HTTP Basic
 * user name and as `writeKey` in the body, `sentAt`, `_metadata`, its library context and a messageId
 * per message. What it sent is then read back through `@cdp/sdk` with the admin key.
 */
import { type Backend, createBackend } from "@cdp/backend";
import { Cdp } from "@cdp/sdk";
import { Analytics } from "@segment/analytics-node";
import { afterEach, beforeEach, describe, expect, it } from "vitest";

let backend: Backend;
let url: string;
let cdp: Cdp;

beforeEach(async () => {
  backend = createBackend();
  ({ url } = await backend.listen({ port: 0 }));
  cdp = new Cdp({ fetch: backend.fetch, apiKey: backend.adminKey });
});

afterEach(async () => {
  await backend.close();
});

/** analytics-node pointed at the backend, with what went over the wire recorded: its requests, the statuses, its errors. */
function client(options: { flushAt: number }) {
  const analytics = new Analytics({
    writeKey: backend.writeKey,
    host: url,
    path: "/v1/batch",
    flushAt: options.flushAt,
    // A refusal must show in the test, not hide behind retries.
    maxRetries: 0,
    httpRequestTimeout: 5_000,
  });
  const wire = {
    requests: [] as Array<{ url: string; headers: Record<string, string>; body: string }>,
    statuses: [] as number[],
    errors: [] as unknown[],
  };
  analytics.on("http_request", (request) => wire.requests.push(request));
  analytics.on("http_response", (response) => wire.statuses.push(response.status));
  analytics.on("error", (error) => wire.errors.push(error));
  return { analytics, wire };
}

describe("@segment/analytics-node against the backend over HTTP", () => {
  it("identify and track land on one profile: traits as base properties, email as identifier, the order as an ecommerce event", async () => {
    const { analytics, wire } = client({ flushAt: 1 });

    analytics.identify({
      userId: "user-42",
      traits: { email: "Ada.Lovelace@Example.com", firstName: "Ada", lastName: "Lovelace", plan: "pro" },
    });
    analytics.track({
      userId: "user-42",
      event: "Order Completed",
      properties: {
        order_id: "o-1001",
        total: 59.9,
        currency: "EUR",
        products: [{ product_id: "p-1", sku: "SKU-1", name: "Notebook", price: 29.95, quantity: 2 }],
      },
    });
    await analytics.closeAndFlush({ timeout: 10_000 });

    expect(wire.errors).toEqual([]);
    expect(wire.statuses).toEqual([200, 200]);
    // What analytics-node really sent: Basic auth with the write key as user name, and the key in the body too.
    for (const request of wire.requests) {
      expect(request.url).toBe(`${url}/v1/batch`);
      expect(request.headers.Authorization).toBe(`Basic ${btoa(`${backend.writeKey}:`)}`);
      expect(JSON.parse(request.body)).toMatchObject({
        writeKey: backend.writeKey,
        batch: [expect.objectContaining({ messageId: expect.any(String) })],
      });
    }

    const customer = await cdp.customers.lookup({ type: "userId", value: "user-42" });
    expect(customer).toMatchObject({ status: "active", firstName: "Ada", lastName: "Lovelace", email: "ada.lovelace@example.com" });
    expect(customer.identifiers.map(({ type, value }) => ({ type, value }))).toEqual(
      expect.arrayContaining([
        { type: "userId", value: "user-42" },
        { type: "email", value: "ada.lovelace@example.com" },
      ]),
    );
    expect(customer.traits).toMatchObject({ plan: "pro" });
    // The email resolves to the same profile.
    expect((await cdp.customers.lookup({ type: "email", value: "ada.lovelace@example.com" })).id).toBe(customer.id);

    const events = await cdp.events.list({ customerId: customer.id }).toArray();
    expect(events).toHaveLength(1);
    expect(events[0]).toMatchObject({
      type: "Order Completed",
      category: "ecommerce",
      customerId: customer.id,
      source: "tracking",
      properties: { order_id: "o-1001", total: 59.9, currency: "EUR", products: [{ product_id: "p-1", quantity: 2 }] },
    });
    // analytics-node's own context comes along (its library name and version).
    expect(events[0]?.context).toMatchObject({ library: { name: "@segment/analytics-node" } });
  });

  it("a batch of anonymous browsing, then identify, joins the visitor's history to the user's profile", async () => {
    const { analytics, wire } = client({ flushAt: 20 });

    // The user's profile exists first (another device), with an order.
    analytics.identify({ userId: "user-7", traits: { email: "bea@example.com", firstName: "Bea" } });
    analytics.track({ userId: "user-7", event: "Order Completed", properties: { order_id: "o-1", total: "10.00", currency: "EUR" } });
    // A visitor browses anonymously …
    analytics.page({ anonymousId: "anon-1", name: "Home", properties: { url: "https://shop.test/", path: "/" } });
    analytics.track({ anonymousId: "anon-1", event: "Product Viewed", properties: { product_id: "p-9" } });
    // … then signs in: the anonymous profile merges into the user's.
    analytics.identify({ userId: "user-7", anonymousId: "anon-1", traits: { lastName: "Baker" } });
    analytics.track({
      userId: "user-7",
      anonymousId: "anon-1",
      event: "Order Completed",
      properties: { order_id: "o-2", total: "5.50", currency: "EUR" },
    });
    await analytics.closeAndFlush({ timeout: 10_000 });

    expect(wire.errors).toEqual([]);
    expect(wire.statuses).toEqual([200]);
    expect(JSON.parse(wire.requests[0]?.body ?? "{}").batch).toHaveLength(6);

    const customer = await cdp.customers.lookup({ type: "anonymousId", value: "anon-1" });
    expect(customer).toMatchObject({ status: "active", firstName: "Bea", lastName: "Baker", email: "bea@example.com" });
    expect((await cdp.customers.lookup({ type: "userId", value: "user-7" })).id).toBe(customer.id);

    const events = await cdp.events.list({ customerId: customer.id }).toArray();
    expect(events.map((event) => `${event.type} (${event.category})`).sort()).toEqual([
      "Order Completed (ecommerce)",
      "Order Completed (ecommerce)",
      "Page Viewed (browsing)",
      "Product Viewed (ecommerce)",
    ]);
    expect(events.find((event) => event.type === "Page Viewed")?.properties).toMatchObject({ name: "Home", path: "/" });

    // The anonymous profile is merged: its id answers the survivor, and the list shows one profile.
    const all = await cdp.customers.list().toArray();
    expect(all.map((listed) => listed.id)).toEqual([customer.id]);
  });
});
