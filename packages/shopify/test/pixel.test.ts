/**
 * The Web Pixel helper: Shopify's standard customer events, as a custom pixel receives them, sent
 * through the tracking core to the backend, where they are read back as spec events.
 */
import { readFileSync } from "node:fs";
import { createBackend, manualClock } from "@cdp/backend";
import { Cdp } from "@cdp/sdk";
import { hmacSha256Base64 } from "@cdp/sdk/webhooks";
import { createPixelTracker, createShopifyWebhookHandler, type PixelEvent, pixelEvents, subscribeShopifyPixel } from "@cdp/shopify";
import { afterEach, describe, expect, it, vi } from "vitest";

afterEach(() => {
  vi.unstubAllGlobals();
});

/** What Shopify's `analytics` does: callbacks per event name, and a way to publish in the test. */
function fakeAnalytics() {
  const subscribers = new Map<string, Array<(event: PixelEvent) => void>>();
  return {
    subscribe(name: string, callback: (event: PixelEvent) => void) {
      subscribers.set(name, [...(subscribers.get(name) ?? []), callback]);
    },
    publish(event: PixelEvent) {
      for (const callback of subscribers.get(event.name) ?? []) callback(event);
    },
    names: () => [...subscribers.keys()],
  };
}

const context = {
  document: {
    title: "IPod Nano - 8GB",
    referrer: "https://www.google.com/",
    location: { href: "https://acme.example/products/ipod-nano", pathname: "/products/ipod-nano", search: "" },
  },
};
const variant = {
  id: "808950810",
  title: "Pink",
  sku: "IPOD2008PINK",
  price: { amount: 199, currencyCode: "EUR" },
  product: { id: "632910392", title: "IPod Nano - 8GB", vendor: "Apple", type: "Music players" },
};
const checkout = {
  token: "bd5a8aa1ecd019dd3520ff791ee3a24c",
  currencyCode: "EUR",
  totalPrice: { amount: 398, currencyCode: "EUR" },
  subtotalPrice: { amount: 378, currencyCode: "EUR" },
  totalTax: { amount: 63.55, currencyCode: "EUR" },
  shippingLine: { price: { amount: 20, currencyCode: "EUR" } },
  discountApplications: [{ title: "WINTER10", type: "DISCOUNT_CODE" }],
  lineItems: [{ quantity: 2, title: "IPod Nano - 8GB", variant }],
  order: { id: "820982911946154508" },
};

describe("the Web Pixel helper", () => {
  it("subscribes to the standard events and sends them mapped to the spec; checkout_completed and orders/create count once", async () => {
    const backend = createBackend({ clock: manualClock("2026-11-23T12:00:00Z"), seed: 3 });
    const admin = new Cdp({ fetch: backend.fetch, apiKey: backend.adminKey });
    // The pixel sandbox's fetch, here reaching the in-memory backend; the requests it sees are checked below.
    const sent: Request[] = [];
    vi.stubGlobal("fetch", (url: string, init: RequestInit) => {
      const request = new Request(url, init);
      sent.push(request.clone());
      return backend.fetch(request);
    });
    const tracker = createPixelTracker({ writeKey: backend.writeKey, host: "http://cdp.test" });
    const analytics = fakeAnalytics();
    const init = { data: { customer: { id: "115310627314723954" }, shop: { myshopifyDomain: "acme.myshopify.com" } } };
    subscribeShopifyPixel({ analytics, init, tracker });
    expect(analytics.names().sort()).toEqual([...pixelEvents].sort());

    let id = 0;
    const publish = (name: string, data: unknown) =>
      analytics.publish({ id: `sh-${++id}`, name, clientId: "c-7f3e9a", timestamp: `2026-11-20T15:0${id % 10}:00.000Z`, context, data });
    publish("page_viewed", {});
    publish("product_viewed", { productVariant: variant });
    publish("search_submitted", { searchResult: { query: "ipod", productVariants: [variant] } });
    publish("product_added_to_cart", {
      cartLine: { merchandise: variant, quantity: 2, cost: { totalAmount: { amount: 398, currencyCode: "EUR" } } },
    });
    publish("cart_viewed", {
      cart: { id: "cart-1", cost: { totalAmount: { amount: 398, currencyCode: "EUR" } }, lines: [{ merchandise: variant, quantity: 2 }] },
    });
    publish("checkout_started", { checkout });
    publish("checkout_contact_info_submitted", { checkout });
    publish("checkout_address_info_submitted", { checkout });
    publish("checkout_shipping_info_submitted", {
      checkout: { ...checkout, delivery: { selectedDeliveryOptions: [{ title: "Standard" }] } },
    });
    publish("payment_info_submitted", { checkout });
    publish("checkout_completed", { checkout });
    publish("clicked", { element: {} });
    await tracker.close();
    // The browser tracker's transport: CORS-simple requests (text/plain, the write key in the body, no Authorization).
    expect(sent.length).toBeGreaterThan(0);
    for (const request of sent) {
      expect(request.headers.get("authorization")).toBeNull();
      expect(request.headers.get("content-type")).toMatch(/^text\/plain/);
      expect(JSON.parse(await request.text())).toMatchObject({ writeKey: backend.writeKey });
    }

    // The webhook for the same order arrives too: the order still counts once.
    const body = readFileSync(new URL("./fixtures/order.json", import.meta.url), "utf8");
    const { secret: userKey } = await admin.keys.create({ name: "plug-in", role: "user" });
    const handler = createShopifyWebhookHandler({ secret: "s", cdp: new Cdp({ fetch: backend.fetch, apiKey: userKey }) });
    await handler(
      new Request("https://app.example/webhooks/shopify", {
        method: "POST",
        headers: {
          "x-shopify-topic": "orders/create",
          "x-shopify-shop-domain": "acme.myshopify.com",
          "x-shopify-hmac-sha256": await hmacSha256Base64("s", body),
        },
        body,
      }),
    );

    const customer = await admin.customers.lookup({ type: "userId", value: "115310627314723954" });
    expect(customer.identifiers).toContainEqual({ type: "anonymousId", value: "c-7f3e9a" });
    const events = await admin.events.list({ customerId: customer.id }).toArray();
    expect(events.map((event) => event.type).sort()).toEqual(
      [
        "Cart Viewed",
        "Checkout Started",
        "Checkout Step Completed",
        "Checkout Step Completed",
        "Checkout Step Completed",
        "Order Completed",
        "Page Viewed",
        "Payment Info Entered",
        "Product Added",
        "Product Viewed",
        "Products Searched",
      ].sort(),
    );
    const byType = (type: string) => events.find((event) => event.type === type);
    expect(byType("Product Viewed")?.properties).toEqual({
      product_id: "632910392",
      variant_id: "808950810",
      sku: "IPOD2008PINK",
      name: "IPod Nano - 8GB",
      variant: "Pink",
      brand: "Apple",
      category: "Music players",
      price: "199",
      currency: "EUR",
      url: "https://acme.example/products/ipod-nano",
    });
    expect(byType("Products Searched")?.properties).toEqual({ query: "ipod" });
    expect(byType("Product Added")?.properties).toMatchObject({ sku: "IPOD2008PINK", quantity: 2, price: "199" });
    expect(byType("Order Completed")).toMatchObject({
      messageId: "shopify:acme.myshopify.com:order:820982911946154508:completed",
      properties: { order_id: "820982911946154508", total: "398", currency: "EUR", coupon: "WINTER10" },
    });
    const steps = events.filter((event) => event.type === "Checkout Step Completed").map((event) => event.properties.step);
    expect(steps.sort()).toEqual([1, 2, 3]);
    const purchases = await admin.customers.purchases(customer.id, { period: "month" });
    expect(purchases.data.find((bucket) => bucket.period === "2026-11")?.orders).toBe(1);
  });
});
