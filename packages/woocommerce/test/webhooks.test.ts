/**
 * The WooCommerce webhook handler, through what a shop owner sees: signed deliveries in, and the
 * profiles, events, purchases and consents the backend then answers.
 */
import { readFileSync } from "node:fs";
import { createBackend, manualClock } from "@cdp/backend";
import { Cdp, type FetchLike } from "@cdp/sdk";
import { hmacSha256Base64, type WebhookRejection } from "@cdp/sdk/webhooks";
import { createWooCommerceWebhookHandler } from "@cdp/woocommerce";
import { describe, expect, it } from "vitest";

const secret = "wc_webhook_5f3b9c1e8a";
const shop = "shop.example.com";

function fixture(name: string): string {
  return readFileSync(new URL(`./fixtures/${name}.json`, import.meta.url), "utf8");
}

/** The fixture's JSON with fields replaced, re-serialised (WooCommerce ids fit in a double). */
function order(changes: Record<string, unknown> = {}): string {
  return JSON.stringify({ ...JSON.parse(fixture("order")), ...changes });
}

let sequence = 0;

/** A delivery as WooCommerce makes it: X-WC-Webhook-* headers and the body signed with the webhook's secret. */
async function delivery(topic: string, body: string, options: { deliveryId?: string; signature?: string | null; secret?: string } = {}) {
  sequence++;
  const [resource, event] = topic.split(".");
  const headers: Record<string, string> = {
    "content-type": "application/json",
    "user-agent": "WooCommerce/9.4.2 Hookshot (WordPress/6.7.1)",
    "x-wc-webhook-source": `https://${shop}/`,
    "x-wc-webhook-topic": topic,
    "x-wc-webhook-resource": resource ?? "",
    "x-wc-webhook-event": event ?? "",
    "x-wc-webhook-id": "12",
    "x-wc-webhook-delivery-id": options.deliveryId ?? `6a1f0c3b9e2d4f5a8b7c${String(sequence).padStart(4, "0")}`,
  };
  const signature = options.signature === undefined ? await hmacSha256Base64(options.secret ?? secret, body) : options.signature;
  if (signature !== null) headers["x-wc-webhook-signature"] = signature;
  return new Request("https://app.example.com/webhooks/woocommerce", { method: "POST", headers, body });
}

async function world(options: { fetch?: (fetch: FetchLike) => FetchLike } = {}) {
  const backend = createBackend({ clock: manualClock("2026-11-23T12:00:00Z"), seed: 9 });
  const admin = new Cdp({ fetch: backend.fetch, apiKey: backend.adminKey, maxRetries: 0 });
  const { secret: userKey } = await admin.keys.create({ name: "woocommerce plug-in", role: "user" });
  const cdp = new Cdp({ fetch: options.fetch ? options.fetch(backend.fetch) : backend.fetch, apiKey: userKey, maxRetries: 0 });
  return { admin, cdp };
}

describe("signatures and the set-up ping", () => {
  it("matches WooCommerce's own vector (empty secret, body secret) and accepts a delivery signed with an empty secret", async () => {
    expect(await hmacSha256Base64("", "secret")).toBe("GBDo00G55h6IiV+6CxqivQPLbI//KzaOZm747971tPs=");
    const { admin, cdp } = await world();
    const handler = createWooCommerceWebhookHandler({ secret: "", cdp });
    const response = await handler(await delivery("order.created", fixture("order"), { secret: "" }));
    expect(response.status).toBe(200);
    expect((await admin.events.list().toArray()).map((event) => event.type)).toEqual(["Order Completed"]);
  });

  it("answers the unsigned set-up ping 200 and records nothing", async () => {
    const { admin, cdp } = await world();
    const handler = createWooCommerceWebhookHandler({ secret, cdp });
    const ping = new Request("https://app.example.com/webhooks/woocommerce", {
      method: "POST",
      headers: { "content-type": "application/x-www-form-urlencoded", "x-wc-webhook-source": `https://${shop}/`, "x-wc-webhook-id": "12" },
      body: "webhook_id=12",
    });
    const response = await handler(ping);
    expect([response.status, await response.json()]).toEqual([200, { status: "ping" }]);
    expect(await admin.customers.list().toArray()).toEqual([]);
  });

  it("a forged or missing signature → 401 and nothing recorded", async () => {
    const { admin, cdp } = await world();
    const handler = createWooCommerceWebhookHandler({ secret, cdp });
    for (const request of [
      await delivery("order.created", fixture("order"), { signature: "GBDo00G55h6IiV+6CxqivQPLbI//KzaOZm747971tPs=" }),
      await delivery("order.created", fixture("order"), { signature: null }),
      await delivery("order.created", fixture("order"), { secret: "" }),
    ]) {
      expect((await handler(request)).status).toBe(401);
    }
    expect(await admin.events.list().toArray()).toEqual([]);
  });
});

describe("orders", () => {
  it("order.created (processing) → Order Completed on the customer, money as decimal strings", async () => {
    const { admin, cdp } = await world();
    const handler = createWooCommerceWebhookHandler({ secret, cdp });
    const response = await handler(await delivery("order.created", fixture("order")));
    expect(await response.json()).toEqual({ status: "recorded" });

    const customer = await admin.customers.lookup({ type: "userId", value: "26" });
    expect(customer).toMatchObject({
      email: "ada.lovelace@example.com",
      phone: "+49301234567",
      firstName: "Ada",
      lastName: "Lovelace",
      address: { street: "Kastanienallee 12", city: "Berlin", postalCode: "10435", region: "BE", country: "DE" },
    });
    const [event, ...others] = await admin.events.list({ customerId: customer.id }).toArray();
    expect(others).toEqual([]);
    expect(event).toMatchObject({
      type: "Order Completed",
      source: `woocommerce:${shop}`,
      messageId: `woocommerce:${shop}:order:727:completed`,
      timestamp: "2026-11-21T09:12:41.000Z",
      properties: {
        order_id: "727",
        order_number: "727",
        total: "67.71",
        subtotal: "52.00",
        tax: "10.81",
        discount: "5.00",
        shipping: "4.90",
        currency: "EUR",
        coupon: "autumn5",
        products: [
          {
            product_id: "93",
            variant_id: "101",
            sku: "WOO-HOODIE-BL-M",
            name: "Hoodie",
            variant: "Hoodie - Blue, M",
            price: "40",
            quantity: 1,
          },
          { product_id: "99", sku: "WOO-BEANIE", name: "Beanie", price: "6", quantity: 2 },
        ],
      },
    });
  });

  it("pending → Checkout Started; then processing, completed, a partial refund and a cancellation; the order counts once", async () => {
    const { admin, cdp } = await world();
    const handler = createWooCommerceWebhookHandler({ secret, cdp });
    await handler(await delivery("order.created", order({ status: "pending", date_paid_gmt: null, date_paid: null })));
    await handler(await delivery("order.updated", order({ status: "processing" })));
    await handler(await delivery("order.updated", order({ status: "completed", date_completed_gmt: "2026-11-22T08:00:00" })));
    const customer = await admin.customers.lookup({ type: "userId", value: "26" });
    const purchases = async () =>
      (await admin.customers.purchases(customer.id, { period: "month" })).data.find((bucket) => bucket.period === "2026-11");
    expect(await purchases()).toEqual({ period: "2026-11", orders: 1, items: 3, revenue: { EUR: "67.71" } });

    const refunds = [{ id: 730, reason: "Beanie too small", total: "-12.00" }];
    await handler(await delivery("order.updated", order({ status: "completed", refunds })));
    await handler(await delivery("order.updated", order({ status: "completed", refunds, date_modified_gmt: "2026-11-22T10:00:00" })));
    expect((await purchases())?.revenue).toEqual({ EUR: "55.71" });
    await handler(await delivery("order.updated", order({ status: "cancelled", refunds })));
    expect((await purchases())?.revenue).toEqual({ EUR: "0.00" });

    const events = await admin.events.list({ customerId: customer.id }).toArray();
    expect(events.map((event) => event.type).sort()).toEqual(["Checkout Started", "Order Cancelled", "Order Completed", "Order Refunded"]);
    expect(events.find((event) => event.type === "Order Refunded")?.properties).toEqual({
      order_id: "727",
      refund_id: "730",
      total: "12.00",
      currency: "EUR",
      reason: "Beanie too small",
    });
  });

  it("a guest's order lands on the profile of the billing email", async () => {
    const { admin, cdp } = await world();
    const handler = createWooCommerceWebhookHandler({ secret, cdp });
    await handler(await delivery("order.created", order({ customer_id: 0 })));
    const guest = await admin.customers.lookup({ type: "email", value: "ada.lovelace@example.com" });
    expect(guest.identifiers).toContainEqual({ type: "anonymousId", value: "woocommerce-order:wc_order_58d2d042d1d" });
    expect((await admin.events.list({ customerId: guest.id }).toArray()).map((event) => event.type)).toEqual(["Order Completed"]);
  });

  it("a redelivery (same delivery id) is acknowledged and changes nothing", async () => {
    const { admin, cdp } = await world();
    const handler = createWooCommerceWebhookHandler({ secret, cdp });
    expect(await (await handler(await delivery("order.created", fixture("order"), { deliveryId: "d-1" }))).json()).toEqual({
      status: "recorded",
    });
    expect(await (await handler(await delivery("order.created", fixture("order"), { deliveryId: "d-1" }))).json()).toEqual({
      status: "duplicate",
    });
    expect(await admin.events.list().toArray()).toHaveLength(1);
  });
});

describe("customers", () => {
  it("customer.created → identify; a marketing opt-in (where the shop keeps it) → a consent and the email subscription", async () => {
    const { admin, cdp } = await world();
    const newsletter = await admin.lists.create({ name: "Newsletter", channel: "email", kind: "marketing" });
    const handler = createWooCommerceWebhookHandler({
      secret,
      cdp,
      marketingListId: newsletter.id,
      acceptsMarketing: (customer) => {
        const value = customer.meta_data?.find((meta) => meta.key === "newsletter_opt_in")?.value;
        return value === undefined ? undefined : value === "yes";
      },
    });
    await handler(await delivery("customer.created", fixture("customer")));
    await handler(await delivery("customer.updated", fixture("customer")));
    const customer = await admin.customers.lookup({ type: "userId", value: "26" });
    expect(customer).toMatchObject({
      email: "ada.lovelace@example.com",
      firstName: "Ada",
      lastName: "Lovelace",
      address: { city: "Berlin", country: "DE" },
    });
    expect((await admin.consents.get(customer.id)).purposes.find((purpose) => purpose.purpose === "marketing")).toMatchObject({
      state: "granted",
      source: `woocommerce:${shop}`,
    });
    expect(await admin.consents.history(customer.id).toArray()).toHaveLength(1);
    expect((await admin.subscriptions.list(customer.id)).data.find((entry) => entry.listId === newsletter.id)?.state).toBe("subscribed");
  });
});

describe("failures", () => {
  it("the CDP down → 503; the redelivery records once; a refusal is final and reported", async () => {
    let down = true;
    const { admin, cdp } = await world({
      fetch: (fetch) => async (request) => (down ? Promise.reject(new TypeError("fetch failed")) : fetch(request)),
    });
    const rejections: WebhookRejection[] = [];
    const handler = createWooCommerceWebhookHandler({
      secret,
      cdp,
      onError: () => {},
      onRejected: (rejection) => rejections.push(rejection),
    });
    expect((await handler(await delivery("order.created", fixture("order"), { deliveryId: "d-1" }))).status).toBe(503);
    down = false;
    expect((await handler(await delivery("order.created", fixture("order"), { deliveryId: "d-1" }))).status).toBe(200);
    expect(await admin.events.list().toArray()).toHaveLength(1);

    // A message over the API's 32 KiB limit is refused for good: redelivering would not help.
    const response = await handler(await delivery("order.updated", order({ status: "processing", number: "x".repeat(40_000) })));
    expect([response.status, await response.json()]).toEqual([200, { status: "rejected" }]);
    expect(rejections.map((rejection) => [rejection.topic, rejection.code])).toEqual([["order.updated", "payload_too_large"]]);
  });
});
