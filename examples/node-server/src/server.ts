import { expressWebhook, type NodeTracker, trackerOf, trackingMiddleware } from "@cdp/node";
import type { Cdp } from "@cdp/sdk";
import type { DeliveryStore, WebhookFailure, WebhookRejection } from "@cdp/sdk/webhooks";
import { createShopifyWebhookHandler, type ShopifyDataRequest } from "@cdp/shopify";
import { createWooCommerceWebhookHandler } from "@cdp/woocommerce";
import express, { type Express } from "express";

/** What the shop's server is given: CDP clients, its tracker and the platforms' secrets. */
export interface ShopServerOptions {
  /** A client with a user key: orders and customers. */
  cdp: Cdp;
  /** A client with a dpo key: Shopify's GDPR topics only. */
  dpo: Cdp;
  /** The server's tracker (`createNodeTracker({ writeKey })`). */
  tracker: NodeTracker;
  shopifySecret: string;
  wooCommerceSecret: string;
  /** The email list customers who accept marketing are subscribed to. */
  marketingListId?: string;
  /** Where deliveries are remembered (default: each handler's own memory store). */
  deliveries?: DeliveryStore;
  onDataRequest?: (request: ShopifyDataRequest) => void | Promise<void>;
  onRejected?: (rejection: WebhookRejection) => void;
  onError?: (failure: WebhookFailure) => void;
}

/**
 * The shop's Express app: both webhook routes first (they need the raw body), then JSON routes
 * whose events join the browser's profile through the tracker.
 */
export function createShopServer(options: ShopServerOptions): Express {
  const { cdp, dpo, marketingListId, deliveries, onDataRequest, onRejected, onError } = options;
  const shared = { ...(deliveries ? { deliveries } : {}), ...(onRejected ? { onRejected } : {}), ...(onError ? { onError } : {}) };
  const app = express();
  app.post(
    "/webhooks/shopify",
    expressWebhook(
      createShopifyWebhookHandler({
        secret: options.shopifySecret,
        cdp,
        dpo,
        ...(marketingListId ? { marketingListId } : {}),
        ...(onDataRequest ? { onDataRequest } : {}),
        ...shared,
      }),
    ),
  );
  app.post("/webhooks/woocommerce", expressWebhook(createWooCommerceWebhookHandler({ secret: options.wooCommerceSecret, cdp, ...shared })));

  app.use(express.json());
  app.use(trackingMiddleware(options.tracker));
  app.post("/api/newsletter", (request, response) => {
    trackerOf(request).track({ event: "Newsletter Form Submitted", properties: { email: String(request.body?.email ?? "") } });
    response.status(204).end();
  });
  return app;
}
