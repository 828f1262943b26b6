/**
 * The Shopify plug-in of `@cdp`: a web-standard webhook handler (orders, refunds, checkouts,
 * customers and the mandatory GDPR topics) mapped to the e-commerce spec, and a Web Pixel helper
 * for the storefront's customer events.
 *
 * @packageDocumentation
 */
export type { ShopifyDataRequest } from "./gdpr.js";
export type { MappingContext, ShopifyIdentity } from "./mapping.js";
export type * from "./payloads.js";
export {
  createPixelTracker,
  mapPixelEvent,
  type PixelAnalytics,
  type PixelEvent,
  type PixelInit,
  type PixelMessage,
  type PixelTrackerOptions,
  pixelEvents,
  type ShopifyPixelOptions,
  subscribeShopifyPixel,
} from "./pixel.js";
export {
  createShopifyWebhookHandler,
  type ShopifyTopic,
  type ShopifyWebhookOptions,
  shopifyHeaders,
  shopifyTopics,
} from "./webhooks.js";
