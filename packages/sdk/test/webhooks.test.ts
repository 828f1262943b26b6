/** The webhook core the plug-ins share: signatures, the delivery store, exact ids, money, the handler's answers. */

import { ConnectionError, ServerError, ValidationError } from "@cdp/sdk";
import {
  createMemoryDeliveryStore,
  createWebhookHandler,
  decimal,
  derivedMessageId,
  hmacSha256Base64,
  parseJson,
  sumDecimals,
  timingSafeEqual,
  verifyHmacSha256,
  type WebhookPlatform,
} from "@cdp/sdk/webhooks";
import { describe, expect, it } from "vitest";

describe("signatures", () => {
  it("match Shopify's and WooCommerce's published vectors, the empty secret included", async () => {
    expect(await hmacSha256Base64("test_secret_key", '{"foo": "bar"}')).toBe("B23tXN681gZ0qIWNRrgtzBE9XSDo5yaUu6wfmhu3a7g=");
    expect(await hmacSha256Base64("", "secret")).toBe("GBDo00G55h6IiV+6CxqivQPLbI//KzaOZm747971tPs=");
    expect(await verifyHmacSha256("", new TextEncoder().encode("secret"), "GBDo00G55h6IiV+6CxqivQPLbI//KzaOZm747971tPs=")).toBe(true);
  });

  it("refuse a missing, empty, truncated or altered signature", async () => {
    const good = await hmacSha256Base64("k", "body");
    expect(await verifyHmacSha256("k", "body", good)).toBe(true);
    for (const bad of [null, undefined, "", good.slice(0, -1), `${good}A`, good.replace(/^./, (c) => (c === "A" ? "B" : "A"))]) {
      expect(await verifyHmacSha256("k", "body", bad)).toBe(false);
    }
    expect(timingSafeEqual("abc", "abc")).toBe(true);
    expect(timingSafeEqual("abc", "abd")).toBe(false);
    expect(timingSafeEqual("abc", "ab")).toBe(false);
  });
});

describe("parseJson", () => {
  it("keeps integers beyond 2^53 exact, as strings, and parses everything else as JSON.parse does", () => {
    const text =
      '{"id": 820982911946154508, "n": -9007199254740993, "small": 632910392, "price": 199.5, "e": 1e21, "s": "820982911946154508 \\" 9007199254740993", "list": [115310627314723954, 9007199254740991]}';
    expect(parseJson(text)).toEqual({
      id: "820982911946154508",
      n: "-9007199254740993",
      small: 632910392,
      price: 199.5,
      e: 1e21,
      s: '820982911946154508 " 9007199254740993',
      list: ["115310627314723954", 9007199254740991],
    });
    expect(() => parseJson("{")).toThrow(SyntaxError);
  });
});

describe("money", () => {
  it("sums decimal strings exactly", () => {
    expect(sumDecimals(["0.10", "0.20", 0.3])).toBe("0.60");
    expect(sumDecimals(["199.00", "31.77"])).toBe("230.77");
    expect(sumDecimals(["-5.5", "2"])).toBe("-3.5");
    expect(sumDecimals([])).toBe("0");
    expect(decimal(" 12.50 ")).toBe("12.50");
    expect(decimal("abc")).toBeUndefined();
  });

  it("derives readable messageIds, short enough for the API", () => {
    expect(derivedMessageId("shopify", "acme.myshopify.com", "order", "820982911946154508", "completed")).toBe(
      "shopify:acme.myshopify.com:order:820982911946154508:completed",
    );
    expect(derivedMessageId("x".repeat(300)).length).toBeLessThanOrEqual(200);
  });
});

describe("the memory delivery store", () => {
  it("remembers a delivery for its ttl, and at most maxEntries", () => {
    let now = 0;
    const store = createMemoryDeliveryStore({ ttl: 1_000, maxEntries: 2, now: () => now });
    store.add("a");
    expect(store.has("a")).toBe(true);
    now = 999;
    expect(store.has("a")).toBe(true);
    now = 1_000;
    expect(store.has("a")).toBe(false);
    store.add("b");
    store.add("c");
    store.add("d");
    expect([store.has("b"), store.has("c"), store.has("d")]).toEqual([false, true, true]);
  });
});

describe("the handler skeleton", () => {
  const platform = (record: WebhookPlatform["record"]): WebhookPlatform => ({
    name: "test",
    secret: "s3cret",
    signatureHeader: "x-signature",
    topic: () => "thing/created",
    deliveryId: (headers) => headers.get("x-delivery") ?? undefined,
    deliveryKey: (headers) => headers.get("x-delivery") ?? undefined,
    record,
  });
  const request = async (body: string, delivery = "d-1") =>
    new Request("https://app.example/hook", {
      method: "POST",
      headers: { "x-signature": await hmacSha256Base64("s3cret", body), "x-delivery": delivery },
      body,
    });

  it("hands the mapping exact ids, and remembers a delivery only once it is recorded", async () => {
    const seen: unknown[] = [];
    let fail: Error | undefined = new ServerError({ code: "unavailable", message: "down", status: 503 });
    const handler = createWebhookHandler(
      platform(async ({ payload }) => {
        if (fail) throw fail;
        seen.push(payload);
        return { status: "recorded" };
      }),
      { onError: () => {} },
    );
    expect((await handler(await request('{"id": 820982911946154508}'))).status).toBe(503);
    fail = new ConnectionError({ code: "connection_failed", message: "refused" });
    expect((await handler(await request('{"id": 820982911946154508}'))).status).toBe(503);
    fail = undefined;
    expect((await handler(await request('{"id": 820982911946154508}'))).status).toBe(200);
    expect(await (await handler(await request('{"id": 820982911946154508}'))).json()).toEqual({ status: "duplicate" });
    expect(seen).toEqual([{ id: "820982911946154508" }]);
  });

  it("answers a final refusal 200 and reports it; an unknown failure 503", async () => {
    const reported: string[] = [];
    let error: Error = new ValidationError({ code: "validation_failed", message: "bad", status: 400 });
    const handler = createWebhookHandler(
      platform(async () => {
        throw error;
      }),
      { onRejected: (rejection) => reported.push(`${rejection.topic} ${rejection.deliveryId} ${rejection.code}`), onError: () => {} },
    );
    const refused = await handler(await request("{}"));
    expect([refused.status, await refused.json()]).toEqual([200, { status: "rejected" }]);
    expect(reported).toEqual(["thing/created d-1 validation_failed"]);
    error = new TypeError("a bug");
    expect((await handler(await request("{}", "d-2"))).status).toBe(503);
  });

  it("refuses other methods, bad signatures and signed non-JSON", async () => {
    const handler = createWebhookHandler(platform(async () => ({ status: "recorded" })));
    expect((await handler(new Request("https://app.example/hook"))).status).toBe(405);
    expect((await handler(new Request("https://app.example/hook", { method: "POST", body: "{}" }))).status).toBe(401);
    expect((await handler(await request("not json"))).status).toBe(400);
  });
});
