/**
 * The raw-body adapters: a web-standard webhook handler mounted on Express, Fastify and node:http
 * sees the body byte for byte (signatures are computed over it) and its answer goes back as is.
 */
import { createServer, type Server } from "node:http";
import type { AddressInfo } from "node:net";
import { expressWebhook, fastifyWebhook, nodeWebhook } from "@cdp/node";
import { createWebhookHandler, hmacSha256Base64 } from "@cdp/sdk/webhooks";
import express from "express";
import Fastify from "fastify";
import { afterEach, describe, expect, it } from "vitest";

// Whitespace, key order and non-ASCII matter to the signature: a body parsed and re-serialised would fail.
const body = '{"id": 820982911946154508,  "note": "Grüße — 🎁", "total_price": "398.00"}';
const secret = "shpss_adapter_test";

/** A handler built on the shared skeleton: 401 unless the raw body's signature holds, else the id it parsed. */
function handler() {
  const seen: unknown[] = [];
  const handle = createWebhookHandler({
    name: "test",
    secret,
    signatureHeader: "x-signature",
    topic: () => "orders/create",
    deliveryId: () => undefined,
    deliveryKey: () => undefined,
    record: async ({ payload }) => {
      seen.push(payload);
      return { status: "recorded" };
    },
  });
  return { handle, seen };
}

const closers: Array<() => Promise<unknown>> = [];
afterEach(async () => {
  for (const close of closers.splice(0)) await close();
});

async function listen(server: Server): Promise<string> {
  await new Promise<void>((resolve) => server.listen(0, "127.0.0.1", resolve));
  closers.push(() => new Promise((resolve) => server.close(resolve)));
  return `http://127.0.0.1:${(server.address() as AddressInfo).port}`;
}

async function post(url: string, signature: string) {
  const response = await fetch(url, { method: "POST", headers: { "content-type": "application/json", "x-signature": signature }, body });
  return { status: response.status, type: response.headers.get("content-type"), body: await response.text() };
}

describe("webhook adapters", () => {
  it("Express: the raw body reaches the handler; a forged signature gets 401", async () => {
    const { handle, seen } = handler();
    const app = express();
    app.post("/webhooks/shopify", expressWebhook(handle));
    app.use(express.json());
    const origin = await listen(createServer(app));
    expect(await post(`${origin}/webhooks/shopify`, await hmacSha256Base64(secret, body))).toEqual({
      status: 200,
      type: "application/json",
      body: '{"status":"recorded"}',
    });
    expect((await post(`${origin}/webhooks/shopify`, "forged")).status).toBe(401);
    expect(seen).toEqual([{ id: "820982911946154508", note: "Grüße — 🎁", total_price: "398.00" }]);
  });

  it("Express: after express.raw() it takes the Buffer; after express.json() it refuses to guess", async () => {
    const { handle, seen } = handler();
    const app = express();
    app.post("/raw", express.raw({ type: "*/*" }), expressWebhook(handle));
    app.post("/parsed", express.json(), expressWebhook(handle));
    const errors: string[] = [];
    app.use((error: Error, _request: unknown, response: express.Response, _next: unknown) => {
      errors.push(error.message);
      response.status(500).end();
    });
    const origin = await listen(createServer(app));
    const signature = await hmacSha256Base64(secret, body);
    expect((await post(`${origin}/raw`, signature)).status).toBe(200);
    expect((await post(`${origin}/parsed`, signature)).status).toBe(500);
    expect(errors).toEqual([expect.stringContaining("mount the webhook route before express.json()")]);
    expect(seen).toHaveLength(1);
  });

  it("Fastify: the route keeps the raw body; the app's other routes still parse JSON", async () => {
    const { handle, seen } = handler();
    const app = Fastify();
    await app.register(fastifyWebhook("/webhooks/shopify", handle));
    app.post("/api/echo", async (request) => ({ parsed: request.body }));
    await app.listen({ port: 0, host: "127.0.0.1" });
    closers.push(() => app.close());
    const origin = `http://127.0.0.1:${(app.server.address() as AddressInfo).port}`;
    expect((await post(`${origin}/webhooks/shopify`, await hmacSha256Base64(secret, body))).status).toBe(200);
    expect((await post(`${origin}/webhooks/shopify`, "forged")).status).toBe(401);
    expect(seen).toEqual([{ id: "820982911946154508", note: "Grüße — 🎁", total_price: "398.00" }]);
    const echo = await fetch(`${origin}/api/echo`, { method: "POST", headers: { "content-type": "application/json" }, body: '{"a":1}' });
    expect(await echo.json()).toEqual({ parsed: { a: 1 } });
  });

  it("node:http: nodeWebhook(handler) is a request listener", async () => {
    const { handle, seen } = handler();
    const origin = await listen(createServer(nodeWebhook(handle)));
    expect((await post(`${origin}/`, await hmacSha256Base64(secret, body))).status).toBe(200);
    expect(seen).toHaveLength(1);
  });
});
