/**
 * The middleware gives each request a tracker bound to the browser's anonymous-id cookie, so an
 * event recorded on the server lands on the profile the browser started. Checked through the
 * backend: the server's event is on the customer that holds the browser's anonymous id.
 */
import type { AddressInfo } from "node:net";
import { type Backend, createBackend } from "@cdp/backend";
import {
  anonymousIdCookie,
  createNodeTracker,
  fastifyTracking,
  type NodeTracker,
  trackerOf,
  trackingMiddleware,
  withTracking,
} from "@cdp/node";
import { Cdp } from "@cdp/sdk";
import express from "express";
import Fastify from "fastify";
import { beforeEach, describe, expect, it } from "vitest";

let backend: Backend;
let cdp: Cdp;
let tracker: NodeTracker;

beforeEach(async () => {
  backend = createBackend();
  cdp = new Cdp({ fetch: backend.fetch, apiKey: backend.adminKey });
  tracker = createNodeTracker({ writeKey: backend.writeKey, fetch: backend.fetch });
  // What the browser tracker sent first: a page view under its anonymous id.
  await cdp.page({ anonymousId: "browser-anon-1", name: "Checkout" });
});

const cookie = `theme=dark; ${anonymousIdCookie}=browser-anon-1`;

/** The event types on the profile that holds the browser's anonymous id. */
async function browserProfileEvents(): Promise<string[]> {
  await tracker.close();
  const customer = await cdp.customers.lookup({ type: "anonymousId", value: "browser-anon-1" });
  const events = await cdp.events.list({ customerId: customer.id }).toArray();
  return events.map((event) => event.type).sort();
}

describe("middleware", () => {
  it("the cookie name is cdp_anonymous_id", () => {
    expect(anonymousIdCookie).toBe("cdp_anonymous_id");
  });

  it("Express: req.tracker and trackerOf(req) carry the browser's anonymous id", async () => {
    const app = express();
    app.use(trackingMiddleware(tracker));
    app.post("/checkout", (req, res) => {
      trackerOf(req).track({ event: "Order Completed", properties: { order_id: "o-1", total: 10, currency: "EUR" } });
      res.status(204).end();
    });
    const server = app.listen(0, "127.0.0.1");
    await new Promise((resolve) => server.once("listening", resolve));
    try {
      const { port } = server.address() as AddressInfo;
      const response = await fetch(`http://127.0.0.1:${port}/checkout`, { method: "POST", headers: { cookie, "user-agent": "UA/1" } });
      expect(response.status).toBe(204);
    } finally {
      await new Promise((resolve) => server.close(resolve));
    }
    expect(await browserProfileEvents()).toEqual(["Order Completed", "Page Viewed"]);
  });

  it("Fastify: request.tracker for every route of the app", async () => {
    const app = Fastify();
    await app.register(fastifyTracking(tracker));
    app.post("/checkout", async (request) => {
      trackerOf(request).track({ event: "Checkout Started" });
      return { ok: true };
    });
    const response = await app.inject({ method: "POST", url: "/checkout", headers: { cookie } });
    expect(response.statusCode).toBe(200);
    await app.close();
    expect(await browserProfileEvents()).toEqual(["Checkout Started", "Page Viewed"]);
  });

  it("web-standard handlers: withTracking(tracker, handler)", async () => {
    const handler = withTracking(tracker, async (_request, tracking) => {
      tracking.track({ event: "Product Added" });
      return new Response(null, { status: 204 });
    });
    const response = await handler(new Request("https://shop.example.com/cart", { method: "POST", headers: { cookie } }));
    expect(response.status).toBe(204);
    expect(await browserProfileEvents()).toEqual(["Page Viewed", "Product Added"]);
  });

  it("a message that names its own ids keeps them; a request without the cookie binds none", async () => {
    const handler = withTracking(tracker, async (request, tracking) => {
      tracking.identify({ userId: "u-9", traits: { email: "nine@example.com" } });
      expect(trackerOf(request)).toBe(tracking);
      return new Response("ok");
    });
    await handler(new Request("https://shop.example.com/"));
    await tracker.close();
    const customer = await cdp.customers.lookup({ type: "userId", value: "u-9" });
    expect(customer.identifiers.map((identifier) => identifier.type).sort()).toEqual(["email", "userId"]);
  });
});
