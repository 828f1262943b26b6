/**
 * End to end: the backend listening on a port, the shop's Express server on another, and signed
 * Shopify and WooCommerce deliveries posted to it over HTTP. What they recorded is read back through
 * @cdp/sdk: the customer, the order in purchases and timeline, the consent and the subscription. A
 * redelivery and a forged delivery change nothing.
 */
import { readFileSync } from "node:fs";
import { createServer, type Server } from "node:http";
import type { AddressInfo } from "node:net";
import { type Backend, createBackend, manualClock } from "@cdp/backend";
import { createNodeTracker, type NodeTracker } from "@cdp/node";
import { Cdp } from "@cdp/sdk";
import { hmacSha256Base64, type WebhookRejection } from "@cdp/sdk/webhooks";
import { afterEach, beforeEach, describe, expect, it } from "vitest";
import { createShopServer } from "../src/server.js";

const shopifySecret = "shpss_e2e_0f1e2d3c4b5a";
const wooCommerceSecret = "wc_e2e_secret";
const shopifyFixture = readFileSync(new URL("../../../packages/shopify/test/fixtures/order.json", import.meta.url), "utf8");
const shopifyCustomer = readFileSync(new URL("../../../packages/shopify/test/fixtures/customer.json", import.meta.url), "utf8");
const wooOrder = readFileSync(new URL("../../../packages/woocommerce/test/fixtures/order.json", import.meta.url), "utf8");

let backend: Backend;
let admin: Cdp;
let tracker: NodeTracker;
let server: Server;
let shopUrl: string;
let newsletterId: string;
let rejections: WebhookRejection[];

beforeEach(async () => {
  backend = createBackend({ clock: manualClock("2026-11-23T12:00:00Z") });
  const { url } = await backend.listen();
  admin = new Cdp({ baseUrl: url, apiKey: backend.adminKey, maxRetries: 0 });
  const user = await admin.keys.create({ name: "shop server", role: "user" });
  const dpo = await admin.keys.create({ name: "shop GDPR", role: "dpo" });
  newsletterId = (await admin.lists.create({ name: "Newsletter", channel: "email", kind: "marketing" })).id;
  tracker = createNodeTracker({ writeKey: backend.writeKey, host: url });
  rejections = [];
  const app = createShopServer({
    cdp: new Cdp({ baseUrl: url, apiKey: user.secret, maxRetries: 0 }),
    dpo: new Cdp({ baseUrl: url, apiKey: dpo.secret, maxRetries: 0 }),
    tracker,
    shopifySecret,
    wooCommerceSecret,
    marketingListId: newsletterId,
    onRejected: (rejection) => rejections.push(rejection),
  });
  server = createServer(app);
  await new Promise<void>((resolve) => server.listen(0, "127.0.0.1", resolve));
  shopUrl = `http://127.0.0.1:${(server.address() as AddressInfo).port}`;
});

afterEach(async () => {
  await tracker.close();
  await new Promise((resolve) => server.close(resolve));
  await backend.close();
});

async function shopify(topic: string, body: string, eventId: string, signature?: string) {
  const response = await fetch(`${shopUrl}/webhooks/shopify`, {
    method: "POST",
    headers: {
      "content-type": "application/json",
      "x-shopify-topic": topic,
      "x-shopify-shop-domain": "acme.myshopify.com",
      "x-shopify-webhook-id": `webhook-${eventId}`,
      "x-shopify-event-id": eventId,
      "x-shopify-triggered-at": "2026-11-20T15:05:14.000000Z",
      "x-shopify-hmac-sha256": signature ?? (await hmacSha256Base64(shopifySecret, body)),
    },
    body,
  });
  return { status: response.status, body: await response.json() };
}

async function woocommerce(topic: string, body: string, deliveryId: string, signature?: string) {
  const response = await fetch(`${shopUrl}/webhooks/woocommerce`, {
    method: "POST",
    headers: {
      "content-type": "application/json",
      "x-wc-webhook-source": "https://shop.example.com/",
      "x-wc-webhook-topic": topic,
      "x-wc-webhook-resource": topic.split(".")[0] ?? "",
      "x-wc-webhook-event": topic.split(".")[1] ?? "",
      "x-wc-webhook-id": "12",
      "x-wc-webhook-delivery-id": deliveryId,
      "x-wc-webhook-signature": signature ?? (await hmacSha256Base64(wooCommerceSecret, body)),
    },
    body,
  });
  return { status: response.status, body: await response.json() };
}

/** Everything a reader sees of the workspace: to compare before and after a delivery that must change nothing. */
async function snapshot() {
  const customers = await admin.customers.list().toArray();
  const events = await admin.events.list().toArray();
  return { customers, events };
}

describe("the shop's server", () => {
  it("records signed Shopify deliveries: customer, order in purchases and timeline, consent and subscription", async () => {
    expect(await shopify("orders/create", shopifyFixture, "e-1")).toEqual({ status: 200, body: { status: "recorded" } });
    expect(await shopify("orders/paid", shopifyFixture, "e-2")).toEqual({ status: 200, body: { status: "recorded" } });
    expect(await shopify("customers/update", shopifyCustomer, "e-3")).toEqual({ status: 200, body: { status: "recorded" } });

    const customer = await admin.customers.lookup({ type: "userId", value: "115310627314723954" });
    expect(customer).toMatchObject({ email: "jon.snow@example.com", firstName: "Jon", lastName: "Snow", address: { city: "Berlin" } });
    const purchases = await admin.customers.purchases(customer.id, { period: "year" });
    expect(purchases.data.find((bucket) => bucket.period === "2026")).toEqual({
      period: "2026",
      orders: 1,
      items: 2,
      revenue: { EUR: "398.00" },
    });
    const timeline = await admin.customers.timeline(customer.id);
    expect(timeline.data.find((week) => week.week === "2026-W47")?.counts).toEqual({ ecommerce: 1 });
    const [order] = await admin.events.list({ customerId: customer.id, type: "Order Completed" }).toArray();
    expect(order?.properties.order_id).toBe("820982911946154508");

    const consent = await admin.consents.get(customer.id);
    expect(consent.purposes.find((purpose) => purpose.purpose === "marketing")).toMatchObject({
      state: "granted",
      source: "shopify:acme.myshopify.com",
    });
    const { data: subscriptions } = await admin.subscriptions.list(customer.id);
    expect(subscriptions.find((subscription) => subscription.listId === newsletterId)).toMatchObject({
      state: "subscribed",
      value: "jon.snow@example.com",
    });
    expect(rejections).toEqual([]);
  });

  it("records a signed WooCommerce delivery, answers its set-up ping, and joins the profile the browser started", async () => {
    const ping = await fetch(`${shopUrl}/webhooks/woocommerce`, {
      method: "POST",
      headers: { "content-type": "application/x-www-form-urlencoded" },
      body: "webhook_id=12",
    });
    expect(ping.status).toBe(200);
    expect(await woocommerce("order.created", wooOrder, "d-1")).toEqual({ status: 200, body: { status: "recorded" } });

    const customer = await admin.customers.lookup({ type: "userId", value: "26" });
    expect(customer.email).toBe("ada.lovelace@example.com");
    const purchases = await admin.customers.purchases(customer.id, { period: "month" });
    expect(purchases.data.find((bucket) => bucket.period === "2026-11")).toEqual({
      period: "2026-11",
      orders: 1,
      items: 3,
      revenue: { EUR: "67.71" },
    });

    // The browser's anonymous id (its cookie) and the server's tracker: the form's event lands on Ada's profile once she is identified.
    await admin.identify({ anonymousId: "browser-ada", userId: "26" });
    const form = await fetch(`${shopUrl}/api/newsletter`, {
      method: "POST",
      headers: { "content-type": "application/json", cookie: "cdp_anonymous_id=browser-ada" },
      body: JSON.stringify({ email: "ada.lovelace@example.com" }),
    });
    expect(form.status).toBe(204);
    await tracker.flush();
    const types = (await admin.events.list({ customerId: customer.id }).toArray()).map((event) => event.type).sort();
    expect(types).toEqual(["Newsletter Form Submitted", "Order Completed"]);
  });

  it("a redelivery and a forged delivery change nothing", async () => {
    await shopify("orders/create", shopifyFixture, "e-1");
    await woocommerce("order.created", wooOrder, "d-1");
    const before = await snapshot();

    expect(await shopify("orders/create", shopifyFixture, "e-1")).toEqual({ status: 200, body: { status: "duplicate" } });
    expect(await woocommerce("order.created", wooOrder, "d-1")).toEqual({ status: 200, body: { status: "duplicate" } });
    // Resent under new ids: acknowledged, and the derived messageIds keep the orders counted once.
    expect((await shopify("orders/create", shopifyFixture, "e-99")).status).toBe(200);
    expect((await woocommerce("order.updated", wooOrder, "d-99")).status).toBe(200);

    const forgedBody = shopifyFixture.replace('"total_price": "398.00"', '"total_price": "0.01"');
    const forged = await shopify("orders/create", forgedBody, "e-100", await hmacSha256Base64("not the app's secret", forgedBody));
    expect(forged).toEqual({ status: 401, body: { error: "invalid_signature" } });
    expect((await woocommerce("order.created", wooOrder.replace('"id": 727', '"id": 728'), "d-100", "AAAA")).status).toBe(401);

    const after = await snapshot();
    expect(after.events.map((event) => [event.id, event.messageId])).toEqual(before.events.map((event) => [event.id, event.messageId]));
    expect(after.customers.map((customer) => customer.id)).toEqual(before.customers.map((customer) => customer.id));
  });
});
