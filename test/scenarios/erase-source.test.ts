import { createBackend, manualClock } from "@cdp/backend";
import { Cdp, PermissionError, ValidationError } from "@cdp/sdk";
import { describe, expect, it } from "vitest";

/**
 * `POST /erasures` (`cdp.privacy.eraseSource`): what a shop plug-in asks for when a shop leaves
 * (Shopify's shop/redact). Tracking messages name their source; the erasure finds what it wrote.
 */
async function world() {
  const backend = createBackend({ clock: manualClock("2026-06-01T10:00:00Z"), seed: 5 });
  const admin = new Cdp({ fetch: backend.fetch, apiKey: backend.adminKey, maxRetries: 0 });
  const { secret } = await admin.keys.create({ name: "privacy desk", role: "dpo" });
  const dpo = new Cdp({ fetch: backend.fetch, apiKey: secret, maxRetries: 0 });
  return { backend, admin, dpo };
}

const shop = "shopify:acme.myshopify.com";

describe("erasure by source", () => {
  it("erases the shop's customers and events, leaves other sources' customers, and records a privacy request", async () => {
    const { admin, dpo } = await world();
    await admin.batch({
      batch: [
        { type: "identify", source: shop, userId: "shopify:acme.myshopify.com:1", traits: { email: "ann@example.com", firstName: "Ann" } },
        {
          type: "track",
          source: shop,
          userId: "shopify:acme.myshopify.com:1",
          event: "Order Completed",
          properties: { order_id: "820982911946154508", total: "10.00", currency: "EUR" },
        },
      ],
    });
    // Bob is not the shop's customer, but the shop recorded one event on him (an order with his email).
    const { customer: bob } = await admin.customers.create({ email: "bob@example.com", firstName: "Bob" });
    await admin.track({ userId: "web-bob", event: "Product Viewed", properties: { sku: "A-1" } });
    await admin.track({
      source: shop,
      anonymousId: "dev-bob",
      event: "Order Completed",
      context: { traits: { email: "bob@example.com" } },
    });
    const ann = await admin.customers.lookup({ type: "email", value: "ann@example.com" });
    expect((await admin.customers.identities(ann.id)).identifiers.map((identifier) => identifier.source)).toEqual([shop, shop]);
    expect((await admin.events.list({ customerId: ann.id }).toArray()).map((event) => event.source)).toEqual([shop]);

    const request = await dpo.privacy.eraseSource({ source: shop, reason: "shop/redact" });

    expect(request).toMatchObject({ type: "erasure", status: "completed", subject: shop, reason: "shop/redact" });
    // Ann's profile is all the shop's: it goes. Bob's was built by other sources too: he keeps it,
    // without dev-bob (the identifier the shop added) and without the shop's event.
    expect(request.erased).toEqual({ customers: 1, events: 2 });
    expect(await admin.customers.list({ q: "ann" }).toArray()).toEqual([]);
    const kept = await admin.customers.get(bob.id);
    expect(kept.identifiers).toEqual([{ type: "email", value: "bob@example.com" }]);
    expect((await admin.customers.identities(bob.id)).changelog).toContainEqual(
      expect.objectContaining({
        type: "anonymousId",
        value: "dev-bob",
        action: "removed",
      }),
    );
    const left = await admin.customers.lookup({ type: "userId", value: "web-bob" });
    expect((await admin.events.list({ customerId: left.id }).toArray()).map((event) => event.type)).toEqual(["Product Viewed"]);
    expect(await admin.events.list({ customerId: bob.id }).toArray()).toEqual([]);
    expect(await dpo.privacyRequests.list({ type: "erasure" }).toArray()).toEqual([request]);
    // The person may come back through another source: their identifiers are not blocked.
    await admin.identify({ userId: "web-ann", traits: { email: "ann@example.com" } });
    expect((await admin.customers.lookup({ type: "email", value: "ann@example.com" })).id).not.toBe(ann.id);
  });

  it("a write key naming a shop's source on one message cannot get a profile other sources built erased", async () => {
    const { backend, admin, dpo } = await world();
    const { customer } = await admin.customers.create({ identifiers: [{ type: "userId", value: "u1" }], email: "real@x.com" });
    await admin.events.create({ customerId: customer.id, type: "Order Completed", properties: { order_id: "1", total: "5" } });
    const response = await backend.fetch("http://cdp.test/v1/track", {
      method: "POST",
      headers: { authorization: `Basic ${btoa(`${backend.writeKey}:`)}`, "content-type": "application/json" },
      body: JSON.stringify({ userId: "u1", anonymousId: "evil-dev", event: "Product Viewed", source: shop }),
    });
    expect(response.status).toBe(200);
    const request = await dpo.privacy.eraseSource({ source: shop, reason: "shop/redact" });
    expect(request.erased).toEqual({ customers: 0, events: 1 });
    const kept = await admin.customers.get(customer.id);
    expect((kept.identifiers ?? []).map((identifier) => identifier.value).sort()).toEqual(["real@x.com", "u1"]);
    expect((await admin.events.list({ customerId: customer.id }).toArray()).map((event) => event.type)).toEqual(["Order Completed"]);
  });

  it("only names a plug-in's source, and only a dpo erases", async () => {
    const { admin, dpo } = await world();
    await expect(dpo.privacy.eraseSource({ source: "tracking", reason: "x" })).rejects.toBeInstanceOf(ValidationError);
    await expect(admin.track({ source: "api", userId: "u-1", event: "Product Viewed" })).rejects.toBeInstanceOf(ValidationError);
    await expect(admin.privacy.eraseSource({ source: shop, reason: "x" })).rejects.toBeInstanceOf(PermissionError);
  });
});
