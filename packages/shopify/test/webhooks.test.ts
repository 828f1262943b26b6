/**
 * The Shopify webhook handler, through what a shop owner sees: signed deliveries in, and the
 * profiles, events, purchases, consents and subscriptions the backend then answers.
 */

import type { FetchLike } from "@cdp/sdk";
import { hmacSha256Base64, type WebhookRejection } from "@cdp/sdk/webhooks";
import { createShopifyWebhookHandler, type ShopifyDataRequest } from "@cdp/shopify";
import { describe, expect, it } from "vitest";
import { delivery, edit, fixture, secret, shop, world } from "./support.js";

const orderId = "820982911946154508";
const customerId = "115310627314723954";

describe("signatures", () => {
  it('matches Shopify\'s published vector (secret test_secret_key, body {"foo": "bar"})', async () => {
    expect(await hmacSha256Base64("test_secret_key", '{"foo": "bar"}')).toBe("B23tXN681gZ0qIWNRrgtzBE9XSDo5yaUu6wfmhu3a7g=");
    const { cdp } = await world();
    const handler = createShopifyWebhookHandler({ secret: "test_secret_key", cdp });
    const request = await delivery("app/uninstalled", '{"foo": "bar"}', { signature: "B23tXN681gZ0qIWNRrgtzBE9XSDo5yaUu6wfmhu3a7g=" });
    const response = await handler(request);
    expect(response.status).toBe(200);
    expect(await response.json()).toEqual({ status: "ignored" });
  });

  it("a forged, missing or other-secret signature → 401 and nothing recorded", async () => {
    const { admin, cdp } = await world();
    const handler = createShopifyWebhookHandler({ secret, cdp });
    const body = fixture("order");
    const forged = await delivery("orders/create", body, { signature: "B23tXN681gZ0qIWNRrgtzBE9XSDo5yaUu6wfmhu3a7g=" });
    const missing = await delivery("orders/create", body, { signature: null });
    const otherSecret = await delivery("orders/create", body, { secret: "another app's secret" });
    const tampered = await delivery("orders/create", body);
    const tamperedBody = new Request(tampered, { body: body.replace('"398.00"', '"0.01"') });
    for (const request of [forged, missing, otherSecret, tamperedBody]) {
      const response = await handler(request);
      expect(response.status).toBe(401);
      expect(await response.json()).toEqual({ error: "invalid_signature" });
    }
    expect(await admin.events.list().toArray()).toEqual([]);
    expect(await admin.customers.list().toArray()).toEqual([]);
  });
});

describe("orders", () => {
  it("orders/create → Order Completed on the customer, ids exact, money as decimal strings", async () => {
    const { admin, cdp } = await world();
    const handler = createShopifyWebhookHandler({ secret, cdp });
    const response = await handler(await delivery("orders/create", fixture("order")));
    expect(response.status).toBe(200);
    expect(await response.json()).toEqual({ status: "recorded" });

    const customer = await admin.customers.lookup({ type: "userId", value: customerId });
    expect(customer).toMatchObject({
      email: "jon.snow@example.com",
      phone: "+4930901820",
      firstName: "Jon",
      lastName: "Snow",
      address: { street: "Unter den Linden 1, 3. OG", city: "Berlin", postalCode: "10117", region: "Berlin", country: "DE" },
    });
    const [event, ...others] = await admin.events.list({ customerId: customer.id }).toArray();
    expect(others).toEqual([]);
    expect(event).toMatchObject({
      type: "Order Completed",
      category: "ecommerce",
      source: `shopify:${shop}`,
      messageId: `shopify:${shop}:order:${orderId}:completed`,
      timestamp: "2026-11-20T15:05:10.000Z",
      properties: {
        order_id: orderId,
        order_number: "#1001",
        checkout_id: "bd5a8aa1ecd019dd3520ff791ee3a24c",
        total: "398.00",
        subtotal: "378.00",
        tax: "63.55",
        discount: "20.00",
        shipping: "20.00",
        currency: "EUR",
        coupon: "WINTER10",
        products: [
          {
            product_id: "632910392",
            variant_id: "808950810",
            sku: "IPOD2008PINK",
            name: "IPod Nano - 8GB",
            variant: "Pink",
            brand: "Apple",
            price: "199.00",
            quantity: 1,
          },
          {
            product_id: "632910392",
            variant_id: "457924702",
            sku: "IPOD2008BLACK",
            name: "IPod Nano - 8GB",
            variant: "Black",
            brand: "Apple",
            price: "199.00",
            quantity: 1,
          },
        ],
      },
    });
    const identities = await admin.customers.identities(customer.id);
    expect(identities.identifiers.map(({ type, value, source }) => ({ type, value, source }))).toEqual(
      expect.arrayContaining([{ type: "userId", value: customerId, source: `shopify:${shop}` }]),
    );
  });

  it("orders/create then orders/paid count the order once; a redelivery is acknowledged and changes nothing", async () => {
    const { admin, cdp } = await world();
    const handler = createShopifyWebhookHandler({ secret, cdp });
    const body = fixture("order");
    const created = await delivery("orders/create", body, { eventId: "e-1", webhookId: "w-1" });
    expect((await handler(created)).status).toBe(200);
    expect((await handler(await delivery("orders/paid", body, { eventId: "e-2", webhookId: "w-2" }))).status).toBe(200);
    const redelivered = await handler(await delivery("orders/create", body, { eventId: "e-1", webhookId: "w-1" }));
    expect(await redelivered.json()).toEqual({ status: "duplicate" });
    // Shopify may resend an event under new ids: the derived messageId still dedupes it at the backend.
    expect((await handler(await delivery("orders/create", body, { eventId: "e-9", webhookId: "w-9" }))).status).toBe(200);

    const customer = await admin.customers.lookup({ type: "userId", value: customerId });
    expect((await admin.events.list({ customerId: customer.id }).toArray()).map((event) => event.type)).toEqual(["Order Completed"]);
    const { data } = await admin.customers.purchases(customer.id, { period: "month" });
    expect(data.find((bucket) => bucket.period === "2026-11")).toEqual({
      period: "2026-11",
      orders: 1,
      items: 2,
      revenue: { EUR: "398.00" },
    });
  });

  it("refunds/create → Order Refunded on the order's customer; orders/cancelled → Order Cancelled; purchases net them", async () => {
    const { admin, cdp } = await world();
    const handler = createShopifyWebhookHandler({ secret, cdp });
    await handler(await delivery("orders/create", fixture("order")));
    expect((await handler(await delivery("refunds/create", fixture("refund")))).status).toBe(200);
    const customer = await admin.customers.lookup({ type: "userId", value: customerId });
    const purchases = async () =>
      (await admin.customers.purchases(customer.id, { period: "month" })).data.find((bucket) => bucket.period === "2026-11");
    expect((await purchases())?.revenue).toEqual({ EUR: "199.00" });
    const [refunded] = await admin.events.list({ customerId: customer.id, type: "Order Refunded" }).toArray();
    expect(refunded).toMatchObject({
      messageId: `shopify:${shop}:order:${orderId}:refunded:509562969`,
      properties: {
        order_id: orderId,
        refund_id: "509562969",
        total: "199.00",
        currency: "EUR",
        products: [{ sku: "IPOD2008PINK", quantity: 1, price: "199.00" }],
      },
    });

    const cancelled = edit(fixture("order"), {
      '"cancelled_at": null': '"cancelled_at": "2026-11-22T11:00:00+01:00"',
      '"cancel_reason": null': '"cancel_reason": "customer"',
    });
    expect((await handler(await delivery("orders/cancelled", cancelled))).status).toBe(200);
    expect((await purchases())?.revenue).toEqual({ EUR: "0.00" });
    expect((await admin.events.list({ customerId: customer.id }).toArray()).map((event) => event.type).sort()).toEqual([
      "Order Cancelled",
      "Order Completed",
      "Order Refunded",
    ]);
  });

  it("orders/updated → Order Updated, once per version of the order", async () => {
    const { admin, cdp } = await world();
    const handler = createShopifyWebhookHandler({ secret, cdp });
    await handler(await delivery("orders/updated", fixture("order")));
    await handler(await delivery("orders/updated", fixture("order")));
    await handler(await delivery("orders/updated", edit(fixture("order"), { "2026-11-20T16:05:14+01:00": "2026-11-21T08:00:00+01:00" })));
    expect((await admin.events.list({ type: "Order Updated" }).toArray()).map((event) => event.properties.status)).toEqual([
      "paid",
      "paid",
    ]);
  });
});

describe("checkouts", () => {
  it("checkouts/create → Checkout Started; checkouts/update → Checkout Step Completed per step; the guest's order joins them", async () => {
    const { admin, cdp } = await world();
    const handler = createShopifyWebhookHandler({ secret, cdp });
    const checkout = fixture("checkout");
    await handler(await delivery("checkouts/create", checkout));
    const withAddress = edit(checkout, {
      '"shipping_address": null':
        '"shipping_address": { "first_name": "Jon", "last_name": "Snow", "address1": "Unter den Linden 1", "city": "Berlin", "zip": "10117", "country_code": "DE" }',
    });
    await handler(await delivery("checkouts/update", withAddress));
    await handler(await delivery("checkouts/update", withAddress));
    const guestOrder = edit(fixture("order"), { [`"id": ${customerId},`]: "", '"customer": {': '"no_customer": {' });
    await handler(await delivery("orders/create", guestOrder));

    const guest = await admin.customers.lookup({ type: "anonymousId", value: "shopify-checkout:bd5a8aa1ecd019dd3520ff791ee3a24c" });
    expect(guest.email).toBe("jon.snow@example.com");
    const events = await admin.events.list({ customerId: guest.id }).toArray();
    expect(events.map((event) => [event.type, event.properties.step ?? null]).sort()).toEqual([
      ["Checkout Started", null],
      ["Checkout Step Completed", 2],
      ["Order Completed", null],
    ]);
    expect(events.find((event) => event.type === "Checkout Started")?.properties).toMatchObject({
      checkout_id: "bd5a8aa1ecd019dd3520ff791ee3a24c",
      value: "398.00",
      currency: "EUR",
      products: [{ product_id: "632910392", sku: "IPOD2008PINK", price: "199.00", quantity: 2 }],
    });
  });
});

describe("customers", () => {
  it("customers/update with accepted marketing → identify, a marketing consent and the email subscription, once", async () => {
    const { admin, cdp } = await world();
    const newsletter = await admin.lists.create({ name: "Newsletter", channel: "email", kind: "marketing" });
    const handler = createShopifyWebhookHandler({ secret, cdp, marketingListId: newsletter.id });
    await handler(await delivery("customers/create", fixture("customer")));
    await handler(await delivery("customers/update", fixture("customer")));

    const customer = await admin.customers.lookup({ type: "userId", value: customerId });
    expect(customer).toMatchObject({
      firstName: "Jon",
      lastName: "Snow",
      email: "jon.snow@example.com",
      address: { city: "Berlin", country: "DE" },
    });
    const state = await admin.consents.get(customer.id);
    expect(state.purposes.find((purpose) => purpose.purpose === "marketing")).toMatchObject({
      state: "granted",
      source: `shopify:${shop}`,
    });
    expect(await admin.consents.history(customer.id).toArray()).toHaveLength(1);
    const { data } = await admin.subscriptions.list(customer.id);
    expect(data.find((subscription) => subscription.listId === newsletter.id)).toMatchObject({
      state: "subscribed",
      value: "jon.snow@example.com",
    });

    const withdrawn = edit(fixture("customer"), {
      '"state": "subscribed"': '"state": "unsubscribed"',
      "2026-11-21T09:30:00+01:00": "2026-11-22T09:30:00+01:00",
    });
    await handler(await delivery("customers/update", withdrawn));
    expect((await admin.consents.get(customer.id)).purposes.find((purpose) => purpose.purpose === "marketing")?.state).toBe("denied");
    expect((await admin.subscriptions.list(customer.id)).data.find((subscription) => subscription.listId === newsletter.id)?.state).toBe(
      "unsubscribed",
    );
  });
});

describe("customers: SMS marketing", () => {
  it("sms_marketing_consent subscribed → the phone on the SMS list; unsubscribed → off it; email and its consent untouched", async () => {
    const { admin, cdp } = await world();
    const texts = await admin.lists.create({ name: "SMS offers", channel: "sms", kind: "marketing" });
    const handler = createShopifyWebhookHandler({ secret, cdp, smsListId: texts.id });
    const optedIn = edit(fixture("customer"), { '"state": "not_subscribed"': '"state": "subscribed"' });
    await handler(await delivery("customers/create", optedIn));
    await handler(await delivery("customers/update", optedIn));

    const customer = await admin.customers.lookup({ type: "userId", value: customerId });
    expect(customer.phone).toBe("+4930901820");
    const sms = async () => (await admin.subscriptions.list(customer.id)).data.filter((entry) => entry.listId === texts.id);
    expect(await sms()).toEqual([expect.objectContaining({ state: "subscribed", value: "+4930901820", channel: "sms" })]);

    const withdrawn = edit(optedIn, {
      '"state": "subscribed",\n    "opt_in_level": "single_opt_in",\n    "consent_updated_at": null':
        '"state": "unsubscribed",\n    "opt_in_level": "single_opt_in",\n    "consent_updated_at": null',
    });
    expect(withdrawn).not.toBe(optedIn);
    await handler(await delivery("customers/update", withdrawn));
    expect(await sms()).toEqual([expect.objectContaining({ state: "unsubscribed", value: "+4930901820" })]);
    // The email choice (subscribed in the fixture) was recorded as before: only the consent, no email list was given.
    expect((await admin.consents.get(customer.id)).purposes.find((purpose) => purpose.purpose === "marketing")?.state).toBe("granted");
  });

  it("not_subscribed, or no SMS list given, records nothing for SMS", async () => {
    const { admin, cdp } = await world();
    const texts = await admin.lists.create({ name: "SMS offers", channel: "sms", kind: "marketing" });
    await createShopifyWebhookHandler({ secret, cdp, smsListId: texts.id })(await delivery("customers/create", fixture("customer")));
    const optedIn = edit(fixture("customer"), { '"state": "not_subscribed"': '"state": "subscribed"' });
    await createShopifyWebhookHandler({ secret, cdp })(await delivery("customers/update", optedIn, { eventId: "e-2" }));
    const customer = await admin.customers.lookup({ type: "userId", value: customerId });
    expect((await admin.subscriptions.list(customer.id)).data.filter((entry) => entry.listId === texts.id)).toEqual([
      expect.objectContaining({ state: "never_subscribed", value: "+4930901820", subscribedAt: null }),
    ]);
  });
});

describe("failures", () => {
  it("the CDP down → 503 and nothing remembered; the redelivery records the order once", async () => {
    let down = true;
    const { admin, cdp } = await world({
      fetch: (fetch: FetchLike) => async (request) =>
        down ? new Response('{"error":{"type":"server","code":"unavailable","message":"down"}}', { status: 503 }) : fetch(request),
    });
    const errors: unknown[] = [];
    const handler = createShopifyWebhookHandler({ secret, cdp, onError: (failure) => errors.push(failure.topic) });
    const request = () => delivery("orders/create", fixture("order"), { eventId: "e-1", webhookId: "w-1" });
    const failed = await handler(await request());
    expect(failed.status).toBe(503);
    expect(errors).toEqual(["orders/create"]);
    expect(await admin.events.list().toArray()).toEqual([]);

    down = false;
    expect(await (await handler(await request())).json()).toEqual({ status: "recorded" });
    expect(await (await handler(await request())).json()).toEqual({ status: "duplicate" });
    expect((await admin.events.list().toArray()).map((event) => event.type)).toEqual(["Order Completed"]);
  });

  it("a refusal is final: answered 200 and reported through onRejected", async () => {
    const { admin, cdp, dpo } = await world();
    const rejections: WebhookRejection[] = [];
    const handler = createShopifyWebhookHandler({ secret, cdp, onRejected: (rejection) => rejections.push(rejection) });
    await handler(await delivery("customers/create", fixture("customer")));
    const customer = await admin.customers.lookup({ type: "userId", value: customerId });
    await dpo.customers.restrict(customer.id, { reason: "accuracy contested" });

    const response = await handler(await delivery("orders/create", fixture("order"), { eventId: "e-7" }));
    expect(response.status).toBe(200);
    expect(await response.json()).toEqual({ status: "rejected" });
    expect(rejections.map(({ platform, topic, deliveryId, code }) => ({ platform, topic, deliveryId, code }))).toEqual([
      { platform: "shopify", topic: "orders/create", deliveryId: "e-7", code: "processing_restricted" },
      { platform: "shopify", topic: "orders/create", deliveryId: "e-7", code: "processing_restricted" },
    ]);
    expect(await admin.events.list().toArray()).toEqual([]);
  });
});

describe("GDPR topics", () => {
  const gdpr = (topic: string, body: Record<string, unknown>) =>
    delivery(topic, JSON.stringify(body).replaceAll(`"${customerId}"`, customerId));
  const customerRef = { id: customerId, email: "jon.snow@example.com", phone: "+49 30 901820" };

  it("customers/data_request → the customer's export, handed to onDataRequest", async () => {
    const { cdp, dpo } = await world();
    const requests: ShopifyDataRequest[] = [];
    const handler = createShopifyWebhookHandler({ secret, cdp, dpo, onDataRequest: (request) => void requests.push(request) });
    await handler(await delivery("orders/create", fixture("order")));
    const response = await handler(
      await gdpr("customers/data_request", {
        shop_id: 954889,
        shop_domain: shop,
        orders_requested: [299938, 280263],
        customer: customerRef,
        data_request: { id: 9999 },
      }),
    );
    expect(response.status).toBe(200);
    expect(requests).toHaveLength(1);
    expect(requests[0]).toMatchObject({
      shop,
      dataRequestId: "9999",
      customer: { id: customerId, email: "jon.snow@example.com" },
      ordersRequested: ["299938", "280263"],
    });
    expect(requests[0]?.export?.events.map((event) => event.properties.order_id)).toEqual([orderId]);
  });

  it("customers/redact → the profile is erased", async () => {
    const { admin, cdp, dpo } = await world();
    const handler = createShopifyWebhookHandler({ secret, cdp, dpo });
    await handler(await delivery("orders/create", fixture("order")));
    const response = await handler(
      await gdpr("customers/redact", { shop_id: 954889, shop_domain: shop, customer: customerRef, orders_to_redact: [orderId] }),
    );
    expect(response.status).toBe(200);
    await expect(admin.customers.lookup({ type: "userId", value: customerId })).rejects.toMatchObject({ status: 404 });
    expect(await admin.events.list().toArray()).toEqual([]);
    expect((await dpo.privacyRequests.list({ type: "erasure" }).toArray()).map((request) => request.reason)).toEqual([
      `Shopify customers/redact from ${shop}`,
    ]);
  });

  it("shop/redact → everything that shop wrote is erased; another shop's customers stay", async () => {
    const { admin, cdp, dpo } = await world();
    const handler = createShopifyWebhookHandler({ secret, cdp, dpo });
    await handler(await delivery("orders/create", fixture("order")));
    await handler(
      await delivery("checkouts/create", edit(fixture("checkout"), { "Jon.Snow@Example.com": "ann@example.com" }), {
        shop: "other.myshopify.com",
      }),
    );
    const response = await handler(await gdpr("shop/redact", { shop_id: 954889, shop_domain: shop }));
    expect(response.status).toBe(200);
    expect((await admin.customers.list().toArray()).map((customer) => customer.email)).toEqual(["ann@example.com"]);
    expect((await admin.events.list().toArray()).map((event) => event.source)).toEqual(["shopify:other.myshopify.com"]);
  });

  it("without a dpo client, a GDPR topic is acknowledged and reported, never silently dropped", async () => {
    const { cdp } = await world();
    const rejections: WebhookRejection[] = [];
    const handler = createShopifyWebhookHandler({ secret, cdp, onRejected: (rejection) => rejections.push(rejection) });
    const response = await handler(await gdpr("shop/redact", { shop_id: 954889, shop_domain: shop }));
    expect(response.status).toBe(200);
    expect(rejections.map((rejection) => rejection.code)).toEqual(["dpo_client_missing"]);
  });
});
